import type { DesiredCapacity } from '../../../../modes/desired';
import { capacity, DEFAULT_IDLE } from '../../../../modes/components/aws/capacity';
import { brief, changes, identityCases, itemsIn, runRule, type StateName } from '../../../support/components';

const group = (id: string, more: object = {}) => ({ id, name: `shop-${id}`, launchTemplateId: 'lt-0123456789abcdef0', min: 2, max: 6, ...more });
const SPEC = [
  group('blue', { colour: 'blue' }),
  group('green', { colour: 'green', idle: { min: 0, max: 2 } }),
  group('shared', { min: 3, max: 3, subnetIds: ['subnet-0000000000000000b'] }),
];

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
  ...more,
});

describe('capacity.resolve', () => {
  test.each<[StateName, string[]]>([
    ['normalBlue', ['2/6', '0/2', '3/3']],
    ['maintenance', ['2/6', '0/2', '3/3']],
    ['hardDown', ['2/6', '0/2', '3/3']],
    ['cutoverBlueGreen', ['1/1', '2/6', '3/3']],
    ['normalGreen', [`${DEFAULT_IDLE.min}/${DEFAULT_IDLE.max}`, '2/6', '3/3']],
    ['maintenanceGreen', ['1/1', '2/6', '3/3']],
    ['cutoverGreenBlue', ['2/6', '1/1', '3/3']],
  ])('GIVEN a blue group, a green group idling at 0/2 and a shared group WHEN resolved in %s THEN min/max (blue, green, shared) are %j', (state, expected) => {
    expect((itemsIn(capacity, SPEC, state) as DesiredCapacity[]).map((g) => `${g.min}/${g.max}`)).toEqual(expected);
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
      ["aws.autoScalingGroups[0].targetGroups[1]: unknown target group 'nope'; allowed: web"],
    ],
    ['minNotAboveMax', 'min equal to max', [group('a', { min: 3, max: 3 })], []],
    ['minNotAboveMax', 'min above max', [group('a', { min: 9, max: 6 })], ['aws.autoScalingGroups[0].min: min 9 must not exceed max 6']],
  ])('WHEN %s runs on %s THEN it reports the listed problems', (rule, _what, spec, expected) => {
    expect(runRule(capacity, rule, spec, { targetGroups: [{ id: 'web' }] })).toEqual(expected);
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

describe('capacity.capacity', () => {
  test.each<[StateName, { colour?: string; min: number }[]]>([
    ['normalBlue', [{ colour: 'blue', min: 2 }, { colour: 'green', min: 0 }, { min: 3 }]],
    ['cutoverBlueGreen', [{ colour: 'blue', min: 1 }, { colour: 'green', min: 2 }, { min: 3 }]],
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
