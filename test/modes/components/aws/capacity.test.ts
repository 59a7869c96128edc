import type { DesiredCapacity } from '../../../../modes/desired';
import { capacity, DEFAULT_IDLE } from '../../../../modes/components/aws/capacity';
import type { ModeState } from '../../../../modes/fields';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { parseEstate } from '../../../../modes/load';
import { resolve } from '../../../../modes/resolve';
import { brief, changes, estateItems, identityCases, itemsIn, runRule, S, type StateName, supportedStagedStates, titled } from '../../../support/components';
import { estates, ROOT } from '../../../support/estates';
import { AHEAD, BEFORE_MOVE, FROZEN_WITH_PAGE, NO_FREEZE, STAGED, stateNamed, type StagedName, THROUGH_MAINTENANCE } from './staged';

const TOPIC = 'arn:aws:sns:eu-west-2:123456789012:shop-scaling-events';
const group = (id: string, more: object = {}) => ({ id, name: `shop-${id}`, launchTemplateId: 'lt-0123456789abcdef0', min: 2, max: 6, notifications: { topicArn: TOPIC }, ...more });
const SPEC = [
  group('blue', { colour: 'blue' }),
  group('green', { colour: 'green', idle: { min: 0, max: 2 } }),
  group('shared', { min: 3, max: 3, subnetIds: ['subnet-0000000000000000b'] }),
  // runbook 000's scheduled-tasks machine: stopped for the window
  group('tasks', { min: 1, max: 1, maintenance: { min: 0, max: 0 } }),
];
const sizes = (state: StateName | ModeState, more: object = {}) => (itemsIn(capacity, SPEC, state, more) as DesiredCapacity[]).map((g) => `${g.min}/${g.max}`);

const desired = (more: Partial<DesiredCapacity> = {}): DesiredCapacity => ({
  id: 'blue',
  name: 'shop-blue',
  min: 2,
  max: 6,
  colour: 'blue',
  launchTemplateId: 'lt-0123456789abcdef0',
  launchTemplateVersion: '$Default',
  targetGroups: [],
  subnetIds: ['subnet-0000000000000000a'],
  notifications: { topicArn: TOPIC },
  ...more,
});

describe('capacity.resolve', () => {
  // In a cutover the read-only source keeps its capacity until the target is opened; the target runs at its own from the move on.
  test.each<[StateName, string[]]>([
    ['normalBlue', ['2/6', '0/2', '3/3', '1/1']],
    ['maintenance', ['2/6', '0/2', '3/3', '0/0']],
    ['hardDown', ['2/6', '0/2', '3/3', '0/0']],
    ['cutoverBlueGreen', ['2/6', '2/6', '3/3', '1/1']],
    ['normalGreen', [`${DEFAULT_IDLE.min}/${DEFAULT_IDLE.max}`, '2/6', '3/3', '1/1']],
    ['maintenanceGreen', ['1/1', '2/6', '3/3', '0/0']],
    ['cutoverGreenBlue', ['2/6', '2/6', '3/3', '1/1']],
  ])('GIVEN a blue group, a green group idling at 0/2, a shared group and a tasks machine stopped in maintenance WHEN resolved in %s THEN min/max (blue, green, shared, tasks) are %j', (state, expected) => {
    expect(sizes(state)).toEqual(expected);
  });

  // The target is scaled up from the prepare stage, before anything is frozen.
  test.each<[StagedName, string[]]>([
    ['cutover:prepare', ['2/6', '2/6', '3/3', '1/1']],
    ['cutover:freeze', ['2/6', '2/6', '3/3', '1/1']],
    ['cutover:restore', ['2/6', '2/6', '3/3', '1/1']],
    ['cutover:move', ['2/6', '2/6', '3/3', '1/1']],
    ['maintenance:ahead', ['2/6', '0/2', '3/3', '1/1']],
    ['maintenance:page', ['2/6', '0/2', '3/3', '1/1']],
    ['normal:behind', ['2/6', '0/2', '3/3', '1/1']],
    ['normal:page', ['2/6', '0/2', '3/3', '1/1']],
  ])('GIVEN the same groups WHEN resolved at %s THEN min/max (blue, green, shared, tasks) are %j', (stage, expected) => {
    expect(sizes(STAGED[stage])).toEqual(expected);
  });

  test.each(titled<[string, ModeState, object, string[]]>([
    ['frozen with the page, at the freeze', STAGED['cutover:freeze'], { policy: FROZEN_WITH_PAGE }, ['1/1', '2/6', '3/3', '1/1']],
    ['frozen with the page, after the move', S.cutoverBlueGreen, { policy: FROZEN_WITH_PAGE }, ['1/1', '2/6', '3/3', '1/1']],
    ['read-only, tested before the move, after it', S.cutoverBlueGreen, { policy: BEFORE_MOVE }, ['2/6', '2/6', '3/3', '1/1']],
    ['not frozen (freeze: none), at the freeze stage', STAGED['cutover:freeze'], { policy: NO_FREEZE }, ['2/6', '2/6', '3/3', '1/1']],
    ['not frozen (freeze: none), draining after the move', S.cutoverBlueGreen, { policy: NO_FREEZE }, ['2/6', '2/6', '3/3', '1/1']],
  ]))('GIVEN a cutover whose source is $what THEN min/max (blue, green, shared, tasks) are $expected', ({ row: [, state, more, expected] }) => {
    expect(sizes(state, more)).toEqual(expected);
  });

  test.each(titled<[string, object, string]>([
    ['behind the page (the default)', {}, '1/1 1/1 0/0 1/1 1/1'],
    ['ahead of the page', { timing: AHEAD }, '0/0 0/0 0/0 0/0 0/0'],
  ]))('GIVEN a tasks machine stopped $what WHEN resolved at maintenance:ahead, maintenance:page, maintenance, normal:behind and normal:page THEN its min/max are $expected', ({ row: [, more, expected] }) => {
    const size = (state: ModeState) => (itemsIn(capacity, [group('tasks', { min: 1, max: 1, maintenance: { min: 0, max: 0 }, ...more })], state) as DesiredCapacity[]).map((g) => `${g.min}/${g.max}`);
    expect(THROUGH_MAINTENANCE.map(size).join(' ')).toBe(expected);
  });

  test('GIVEN the ticketing estate WHEN it enters and leaves maintenance THEN the scheduled-tasks and DB backup machines stop behind the page and start first on the way out', () => {
    const at = (state: ModeState) => estateItems<DesiredCapacity>(capacity, 'ticketing', state).map((g) => `${g.id} ${g.min}/${g.max}`).join(', ');
    const up = 'web 2/4, web-services 2/4, scheduled-tasks 1/1, db-backup 1/1';
    const stopped = 'web 2/4, web-services 2/4, scheduled-tasks 0/0, db-backup 0/0';
    expect(THROUGH_MAINTENANCE.map(at)).toEqual([up, up, stopped, up, up]);
  });

  // Runbook 002: blue keeps its capacity (and its sessions) until normal on green; only then does it idle.
  test.each<[StagedName | StateName, string]>([
    ['normalBlue', 'app-blue 2/6, app-green 1/1'],
    ['cutover:prepare', 'app-blue 2/6, app-green 2/6'],
    ['cutover:move', 'app-blue 2/6, app-green 2/6'],
    ['normalGreen', 'app-blue 1/1, app-green 2/6'],
  ])('GIVEN the rolling estate WHEN resolved at %s THEN min/max are %s', (state, expected) => {
    expect(estateItems<DesiredCapacity>(capacity, 'rolling', stateNamed(state)).map((g) => `${g.id} ${g.min}/${g.max}`).join(', ')).toBe(expected);
  });

  test('GIVEN a blue group with a maintenance capacity WHEN green is live THEN it keeps its idle capacity in maintenance (only the live colour and shared groups switch)', () => {
    const blue = [group('blue', { colour: 'blue', maintenance: { min: 0, max: 0 } })];
    expect((itemsIn(capacity, blue, 'maintenanceGreen') as DesiredCapacity[]).map((g) => `${g.min}/${g.max}`)).toEqual(['1/1']);
    expect((itemsIn(capacity, blue, 'maintenance') as DesiredCapacity[]).map((g) => `${g.min}/${g.max}`)).toEqual(['0/0']);
  });

  test('GIVEN groups with and without subnets WHEN resolved THEN a group without them gets the VPC private subnets, and no desiredCapacity is set', () => {
    const [blue, , shared] = itemsIn(capacity, SPEC, 'normalBlue') as DesiredCapacity[];
    expect(blue).toEqual(desired());
    expect(shared).toMatchObject({ subnetIds: ['subnet-0000000000000000b'] });
    expect(shared).not.toHaveProperty('colour');
    expect(JSON.stringify(itemsIn(capacity, SPEC, 'cutoverBlueGreen'))).not.toMatch(/desired/i);
  });
});

describe('capacity.describe', () => {
  test.each<[string, DesiredCapacity | undefined, DesiredCapacity | undefined, ReturnType<typeof brief>[]]>([
    ['the same min/max', desired(), desired({ launchTemplateVersion: '3' }), []],
    ['the group scaled to 1/1', desired(), desired({ min: 1, max: 1 }), [{ text: 'auto scaling group shop-blue min/max 2/6 -> 1/1', action: 'modify', field: 'min/max', effects: ['scales'] }]],
    ['only max changed', desired(), desired({ max: 9 }), [{ text: 'auto scaling group shop-blue min/max 2/6 -> 2/9', action: 'modify', field: 'min/max', effects: ['scales'] }]],
    ['the group was added', undefined, desired(), [{ text: 'auto scaling group shop-blue added', action: 'add', effects: [] }]],
    ['the group was removed', desired(), undefined, [{ text: 'auto scaling group shop-blue removed', action: 'remove', effects: [] }]],
  ])('GIVEN %s WHEN described THEN the change records say so', (_what, before, after, expected) => {
    expect(changes(capacity, before, after).map(brief)).toEqual(expected);
  });

  test.each<[string, DesiredCapacity, DesiredCapacity, string]>([
    ['another topic', desired(), desired({ notifications: { topicArn: 'arn:aws:sns:eu-west-2:123456789012:other' } }), `auto scaling group shop-blue scaling notifications ${TOPIC} -> arn:aws:sns:eu-west-2:123456789012:other`],
    ['none, with a reason', desired(), desired({ notifications: { none: 'A test group nobody is paged about.' } }), `auto scaling group shop-blue scaling notifications ${TOPIC} -> none (A test group nobody is paged about.)`],
  ])('GIVEN a new version of the estate that sends the notifications to %s WHEN described THEN one record says so, with no effect on traffic or capacity', (_what, before, after, text) => {
    expect(changes(capacity, before, after).map(brief)).toEqual([{ text, action: 'modify', field: 'notifications', effects: [] }]);
  });

  test('GIVEN a scale change WHEN described THEN from and to are min/max', () => {
    expect(changes(capacity, desired(), desired({ min: 1, max: 1 }))).toEqual([expect.objectContaining({ component: 'autoScalingGroup', id: 'blue', name: 'shop-blue', from: '2/6', to: '1/1' })]);
  });
});

describe('capacity rules', () => {
  test.each<[string, string, unknown, string[]]>([
    ['uniqueGroups', 'distinct groups', SPEC, []],
    ['uniqueGroups', 'a duplicate id', [group('a'), group('a', { name: 'x' })], ["aws.autoScalingGroups[1].id: duplicate id 'a' (already used at aws.autoScalingGroups[0]); each id must be unique"]],
    ['uniqueGroups', 'a duplicate name', [group('a'), group('b', { name: 'shop-a' })], ["aws.autoScalingGroups[1].name: duplicate name 'shop-a' (already used at aws.autoScalingGroups[0]); each name must be unique"]],
    ['groupsAttachToKnownTargetGroups', 'known target groups', [group('a', { targetGroups: ['web'] })], []],
    [
      'groupsAttachToKnownTargetGroups',
      'an unknown target group',
      [group('a', { targetGroups: ['web', 'nope'] })],
      ["aws.autoScalingGroups[0].targetGroups[1]: unknown target group 'nope'; allowed: web, web-blue, web-green"],
    ],
    ['minNotAboveMax', 'min equal to max', [group('a', { min: 3, max: 3 })], []],
    ['minNotAboveMax', 'min above max', [group('a', { min: 9, max: 6 })], ['aws.autoScalingGroups[0].min: min 9 must not exceed max 6']],
    ['minNotAboveMax', 'a maintenance min above its max', [group('a', { maintenance: { min: 2, max: 1 } })], ['aws.autoScalingGroups[0].maintenance.min: min 2 must not exceed max 1']],
    ['minNotAboveMax', 'an idle min above its max', [group('a', { idle: { min: 3, max: 0 } })], ['aws.autoScalingGroups[0].idle.min: min 3 must not exceed max 0']],
    ['groupsServeTheirOwnColour', 'each colour on its own target groups', [group('b', { colour: 'blue', targetGroups: ['web-blue', 'web'] })], []],
    [
      'groupsServeTheirOwnColour',
      'a blue group on a green target group',
      [group('b', { colour: 'blue', targetGroups: ['web-blue', 'web-green'] })],
      ["aws.autoScalingGroups[0].targetGroups[1]: blue group shop-b is attached to green target group web-green; attach each colour's group to its own colour's target groups"],
    ],
  ])('WHEN %s runs on %s THEN it reports the listed problems', (rule, _what, spec, expected) => {
    const targetGroups = [{ id: 'web' }, { id: 'web-blue', colour: 'blue' as const }, { id: 'web-green', colour: 'green' as const }];
    expect(runRule(capacity, rule, spec, { targetGroups })).toEqual(expected);
  });

  test('GIVEN no target groups declared WHEN a group references one THEN the message says none are declared', () => {
    expect(runRule(capacity, 'groupsAttachToKnownTargetGroups', [group('a', { targetGroups: ['web'] })], { targetGroups: [] })).toEqual([
      "aws.autoScalingGroups[0].targetGroups[0]: unknown target group 'web'; allowed: (none declared)",
    ]);
  });

  test('GIVEN groups THEN they need a VPC, and their colours are the coloured ones', () => {
    expect(capacity.needsVpc!.when(capacity.schema.parse(SPEC))).toBe(true);
    expect(capacity.needsVpc!.when(capacity.schema.parse([]))).toBe(false);
    expect([...capacity.colours!(capacity.schema.parse(SPEC))]).toEqual(['blue', 'green']);
  });
});

describe('capacity: where scaling notifications go', () => {
  const defaultEstate = () => parse(readFileSync(join(ROOT, 'estates/default.yaml'), 'utf8'));
  /** The problems loading the default estate with its first group's notifications set to `value` (undefined: removed). */
  const problems = (value: unknown): string[] => {
    const e = defaultEstate();
    if (value === undefined) delete e.aws.autoScalingGroups[0].notifications;
    else e.aws.autoScalingGroups[0].notifications = value;
    try {
      parseEstate(e);
      return [];
    } catch (err) {
      return (err as { problems: string[] }).problems;
    }
  };
  const BOTH_WAYS = 'say where the group\'s scaling notifications go, notifications: { topicArn: arn:aws:sns:<region>:<account>:<topic> }, or why it needs none, notifications: { none: "<the reason, a sentence>" }; give one of the two';

  test.each<[string, unknown, string[]]>([
    ['a topic', { topicArn: TOPIC }, []],
    ['a reason', { none: 'A test group nobody is paged about.' }, []],
    ['nothing', undefined, [`estate: aws.autoScalingGroups[0].notifications: required, but missing; ${BOTH_WAYS}`]],
    ['both', { topicArn: 'arn:aws:sns:eu-west-2:123456789012:t', none: 'Not paged.' }, [`estate: aws.autoScalingGroups[0].notifications: {"topicArn":"arn:aws:sns:eu-west-2:123456789012:t","none":"Not paged."} matches none of the allowed forms; ${BOTH_WAYS}`]],
    ['an empty mapping', {}, [`estate: aws.autoScalingGroups[0].notifications: {} matches none of the allowed forms; ${BOTH_WAYS}`]],
    [
      'an SQS queue for a topic',
      { topicArn: 'arn:aws:sqs:eu-west-2:123456789012:scaling' },
      ['estate: aws.autoScalingGroups[0].notifications.topicArn: "arn:aws:sqs:eu-west-2:123456789012:scaling" is not an SNS topic ARN; allowed: arn:aws:sns:<region>:<account>:<topic>, in the estate\'s account and region'],
    ],
    ['a topic name for its ARN', { topicArn: 'shop-scaling-events' }, ['estate: aws.autoScalingGroups[0].notifications.topicArn: "shop-scaling-events" is not an SNS topic ARN; allowed: arn:aws:sns:<region>:<account>:<topic>, in the estate\'s account and region']],
    ['a word for a reason', { none: 'n/a' }, ['estate: aws.autoScalingGroups[0].notifications.none: "n/a": must be at least 10 characters long']],
  ])('GIVEN the default estate whose first group gives %s WHEN loaded THEN it is accepted, or refused naming the field, the value and what is allowed', (_what, value, expected) => {
    expect(problems(value)).toEqual(expected);
  });

  test.each<[string, string, string[]]>([
    ['a topic of the estate', TOPIC, []],
    [
      'a topic of another region and account',
      'arn:aws:sns:us-east-1:999999999999:shop-scaling-events',
      [
        "aws.autoScalingGroups[0].notifications.topicArn: notification topic arn:aws:sns:us-east-1:999999999999:shop-scaling-events is in region us-east-1, not the estate's region eu-west-2 (aws.region); use one in eu-west-2, or move the estate",
        "aws.autoScalingGroups[0].notifications.topicArn: notification topic arn:aws:sns:us-east-1:999999999999:shop-scaling-events is in account 999999999999, not the estate's account 123456789012 (aws.account); use one in account 123456789012",
      ],
    ],
  ])('WHEN notificationTopicsInTheEstate runs on %s THEN it reports the ARNs in another region or account', (_what, topicArn, expected) => {
    expect(runRule(capacity, 'notificationTopicsInTheEstate', [group('a', { notifications: { topicArn } })], { account: '123456789012', region: 'eu-west-2' })).toEqual(expected);
  });

  test.each(estates.filter(({ estate }) => (estate.aws?.autoScalingGroups.length ?? 0) > 0).map(({ estate }) => [estate.name, estate] as const))(
    'GIVEN the %s estate WHEN resolved in every state it supports THEN each group sends its notifications to the same place in all of them (a mode never changes them)',
    (_name, estate) => {
      const where = supportedStagedStates(estate).map((s) => resolve(estate, s).aws!.autoScalingGroups.map((g) => g.notifications));
      for (const w of where) expect(w).toEqual(where[0]);
      expect(where[0]!.length).toBeGreaterThan(0);
    },
  );
});

describe('capacity.capacity', () => {
  test.each<[StateName, { colour?: string; min: number }[]]>([
    ['normalBlue', [{ colour: 'blue', min: 2 }, { colour: 'green', min: 0 }, { min: 3 }, { min: 1 }]],
    ['cutoverBlueGreen', [{ colour: 'blue', min: 2 }, { colour: 'green', min: 2 }, { min: 3 }, { min: 1 }]],
    ['maintenance', [{ colour: 'blue', min: 2 }, { colour: 'green', min: 0 }, { min: 3 }, { min: 0 }]],
  ])('GIVEN the groups resolved in %s THEN each gives its colour its min', (state, expected) => {
    expect((itemsIn(capacity, SPEC, state) as DesiredCapacity[]).map((g) => capacity.capacity!(g))).toEqual(expected);
  });
});

describe('capacity.identity', () => {
  test.each(identityCases(capacity))('GIVEN the %s estate WHEN resolved in every mode state it supports (%s) THEN every group keeps its identity', (_name, _states, ids) => {
    for (const other of ids) expect(other).toEqual(ids[0]);
  });

  test('GIVEN only min/max change THEN the identity is the same; a new launch template is not', () => {
    expect(capacity.identity(desired({ min: 1, max: 1 }))).toEqual(capacity.identity(desired()));
    expect(capacity.identity(desired({ launchTemplateId: 'lt-1111111111111111a' }))).not.toEqual(capacity.identity(desired()));
  });
});
