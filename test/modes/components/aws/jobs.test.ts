import type { DesiredJob } from '../../../../modes/desired';
import { jobs } from '../../../../modes/components/aws/jobs';
import type { ModeState } from '../../../../modes/fields';
import { awsPart, brief, changes, estateItems, identityCases, itemsIn, runRule, S, type StateName, titled, verifyCtx } from '../../../support/components';
import { AHEAD, BEFORE_MOVE, BEHIND_BACK_WITH_PAGE, FROZEN_WITH_PAGE, NO_FREEZE, STAGED, stateNamed, type StagedName, THROUGH_MAINTENANCE } from './staged';

const job = (id: string, more: object = {}) => ({ id, name: `shop-${id}`, schedule: 'rate(15 minutes)', ...more });
const SPEC = [job('shared', { description: 'Exports orders', targetArn: 'arn:aws:lambda:eu-west-2:123456789012:function:x' }), job('blue', { colour: 'blue' }), job('green', { colour: 'green' })];

const desired = (more: Partial<DesiredJob> = {}): DesiredJob => ({ id: 'shared', name: 'shop-shared', schedule: 'rate(15 minutes)', enabled: true, ...more });

const enabled = (state: StateName | ModeState, more: object = {}) => (itemsIn(jobs, [...SPEC, job('monitor', { timing: AHEAD })], state, more) as DesiredJob[]).map((j) => j.enabled);

describe('jobs.resolve', () => {
  // Work runs on the colour that serves: in a cutover the target's jobs start when it is open (normal on
  // the target, or the move when staff test before it), never while the public is held on the page.
  test.each<[StateName, boolean[]]>([
    ['normalBlue', [true, true, false, true]],
    ['maintenance', [false, false, false, false]],
    ['hardDown', [false, false, false, false]],
    ['cutoverBlueGreen', [false, false, false, false]],
    ['normalGreen', [true, false, true, true]],
    ['maintenanceGreen', [false, false, false, false]],
    ['cutoverGreenBlue', [false, false, false, false]],
  ])('GIVEN a shared, a blue, a green and a monitor job (timing ahead) WHEN resolved in %s THEN enabled (shared, blue, green, monitor) is %j', (state, expected) => {
    expect(enabled(state)).toEqual(expected);
  });

  // Nothing stops before the freeze; monitors stop ahead of the page and start again only after it.
  test.each<[StagedName, boolean[]]>([
    ['cutover:prepare', [true, true, false, true]],
    ['cutover:freeze', [false, false, false, false]],
    ['cutover:restore', [false, false, false, false]],
    ['cutover:move', [false, false, false, false]],
    ['maintenance:ahead', [true, true, false, false]],
    ['maintenance:page', [true, true, false, false]],
    ['normal:behind', [true, true, false, false]],
    ['normal:page', [true, true, false, false]],
  ])('GIVEN the same jobs WHEN resolved at %s THEN enabled (shared, blue, green, monitor) is %j', (stage, expected) => {
    expect(enabled(STAGED[stage])).toEqual(expected);
  });

  test.each(titled<[string, ModeState, object, boolean[]]>([
    ['tested before the move, after it (the target serves)', S.cutoverBlueGreen, { policy: BEFORE_MOVE }, [false, false, true, false]],
    ['tested before the move, at the freeze', STAGED['cutover:freeze'], { policy: BEFORE_MOVE }, [false, false, false, false]],
    ['frozen with the page, after the move', S.cutoverBlueGreen, { policy: FROZEN_WITH_PAGE }, [false, false, false, false]],
  ]))('GIVEN a cutover $what THEN enabled (shared, blue, green, monitor) is $expected', ({ row: [, state, more, expected] }) => {
    expect(enabled(state, more)).toEqual(expected);
  });

  // Runbook 002 never freezes writes: the shared job keeps running, blue's until traffic moves, green's from then on.
  test.each<[StagedName | StateName, boolean[]]>([
    ['cutover:prepare', [true, true, false, true]],
    ['cutover:freeze', [true, true, false, true]],
    ['cutover:restore', [true, true, false, true]],
    ['cutover:move', [true, false, true, true]],
    ['normalGreen', [true, false, true, true]],
  ])('GIVEN a cutover that does not freeze (freeze: none) WHEN resolved at %s THEN enabled (shared, blue, green, monitor) is %j', (state, expected) => {
    expect(enabled(stateNamed(state), { policy: NO_FREEZE })).toEqual(expected);
  });

  // Entering: ahead -> page -> maintenance; leaving: behind -> page -> normal (the way out mirrors the way in).
  test.each(titled<[string, object, string]>([
    ['behind the page (the default)', {}, 'on on off on on'],
    ['ahead of the page and back after it (a monitor)', { timing: AHEAD }, 'off off off off off'],
    ['behind the page and back with it (ticketing\'s scheduled tasks)', { timing: BEHIND_BACK_WITH_PAGE }, 'on on off off on'],
  ]))('GIVEN a shared job stopping $what WHEN resolved at maintenance:ahead, maintenance:page, maintenance, normal:behind and normal:page THEN it is $expected', ({ row: [, more, expected] }) => {
    const at = (state: ModeState) => ((itemsIn(jobs, [job('tasks', more)], state) as DesiredJob[])[0]!.enabled ? 'on' : 'off');
    expect(THROUGH_MAINTENANCE.map(at).join(' ')).toBe(expected);
  });

  test('GIVEN the ticketing estate WHEN it enters and leaves maintenance THEN the monitor is off from ahead to the end, the scheduled tasks from behind the page until it comes down', () => {
    const at = (state: ModeState) => estateItems<DesiredJob>(jobs, 'ticketing', state).map((j) => `${j.id} ${j.enabled ? 'on' : 'off'}`).join(', ');
    expect(THROUGH_MAINTENANCE.map(at)).toEqual([
      'response-time-monitor off, scheduled-tasks on',
      'response-time-monitor off, scheduled-tasks on',
      'response-time-monitor off, scheduled-tasks off',
      'response-time-monitor off, scheduled-tasks off',
      'response-time-monitor off, scheduled-tasks on',
    ]);
    expect(at(S.normalBlue)).toBe('response-time-monitor on, scheduled-tasks on');
  });

  test.each<[StagedName | StateName, string]>([
    ['cutover:freeze', 'cleanup-blue on, cleanup-green off'],
    ['cutover:move', 'cleanup-blue off, cleanup-green on'],
    ['normalGreen', 'cleanup-blue off, cleanup-green on'],
  ])('GIVEN the rolling estate WHEN resolved at %s THEN its cleanup jobs are %s (each colour\'s runs while it serves)', (state, expected) => {
    expect(estateItems<DesiredJob>(jobs, 'rolling', stateNamed(state)).map((j) => `${j.id} ${j.enabled ? 'on' : 'off'}`).join(', ')).toBe(expected);
  });

  test('GIVEN jobs with and without optional fields WHEN resolved THEN only declared fields are set', () => {
    const [shared, blue] = itemsIn(jobs, SPEC, 'normalBlue');
    expect(shared).toEqual({ id: 'shared', name: 'shop-shared', schedule: 'rate(15 minutes)', description: 'Exports orders', targetArn: 'arn:aws:lambda:eu-west-2:123456789012:function:x', enabled: true });
    expect(blue).toEqual({ id: 'blue', name: 'shop-blue', schedule: 'rate(15 minutes)', enabled: true, colour: 'blue' });
  });
});

describe('jobs.describe', () => {
  test.each<[string, DesiredJob | undefined, DesiredJob | undefined, ReturnType<typeof brief>[]]>([
    ['the job stays enabled', desired(), desired({ description: 'new words' }), []],
    ['the job is disabled', desired(), desired({ enabled: false }), [{ text: 'rule shop-shared disabled', action: 'modify', field: 'enabled', effects: ['stops-work'] }]],
    ['the job is enabled', desired({ enabled: false }), desired(), [{ text: 'rule shop-shared enabled', action: 'modify', field: 'enabled', effects: ['starts-work'] }]],
    ['the job was added', undefined, desired(), [{ text: 'rule shop-shared added', action: 'add', effects: [] }]],
    ['the job was removed', desired(), undefined, [{ text: 'rule shop-shared removed', action: 'remove', effects: [] }]],
  ])('GIVEN %s WHEN described THEN the change records say so', (_what, before, after, expected) => {
    expect(changes(jobs, before, after).map(brief)).toEqual(expected);
  });

  test('GIVEN a job disabled WHEN described THEN from and to are the enabled flags', () => {
    expect(changes(jobs, desired(), desired({ enabled: false }))).toEqual([expect.objectContaining({ component: 'scheduledJob', id: 'shared', from: true, to: false })]);
  });
});

describe('jobs rules', () => {
  test.each<[string, unknown, string[]]>([
    ['distinct jobs', SPEC, []],
    ['a duplicate id', [job('a'), job('a', { name: 'x' })], ["aws.scheduledJobs[1].id: duplicate id 'a' (already used at aws.scheduledJobs[0]); each id must be unique"]],
    ['a duplicate name', [job('a'), job('b', { name: 'shop-a' })], ["aws.scheduledJobs[1].name: duplicate name 'shop-a' (already used at aws.scheduledJobs[0]); each name must be unique"]],
  ])('GIVEN %s WHEN uniqueJobs runs THEN it reports the listed problems', (_what, spec, expected) => {
    expect(runRule(jobs, 'uniqueJobs', spec)).toEqual(expected);
  });

  test.each(titled<[string, string | undefined, string[]]>([
    ['a function of the estate', 'arn:aws:lambda:eu-west-2:123456789012:function:x', []],
    ['no function', undefined, []],
    [
      'a function of another account',
      'arn:aws:lambda:eu-west-2:999999999999:function:x',
      ["aws.scheduledJobs[0].targetArn: Lambda target arn:aws:lambda:eu-west-2:999999999999:function:x is in account 999999999999, not the estate's account 123456789012 (aws.account); use one in account 123456789012"],
    ],
    [
      'a function of another region',
      'arn:aws:lambda:us-east-1:123456789012:function:x',
      ["aws.scheduledJobs[0].targetArn: Lambda target arn:aws:lambda:us-east-1:123456789012:function:x is in region us-east-1, not the estate's region eu-west-2 (aws.region); use one in eu-west-2, or move the estate"],
    ],
  ]))('GIVEN a job invoking $what WHEN lambdaTargetsInTheEstate runs THEN it reports $expected', ({ row: [, targetArn, expected] }) => {
    expect(runRule(jobs, 'lambdaTargetsInTheEstate', [job('a', targetArn ? { targetArn } : {})], { account: '123456789012', region: 'eu-west-2' })).toEqual(expected);
  });

  test('GIVEN coloured and shared jobs THEN their colours are the coloured ones', () => {
    expect([...jobs.colours!(jobs.schema.parse(SPEC))]).toEqual(['blue', 'green']);
  });
});

describe('jobs.verify', () => {
  const part = (state: StateName) => awsPart({ scheduledJobs: itemsIn(jobs, SPEC, state) });
  test.each<[StateName, StateName, { what: string; command: string; output: string }[]]>([
    ['normalBlue', 'normalBlue', []],
    [
      'normalBlue',
      'maintenance',
      [{ what: 'rule shop-shared is disabled', command: 'aws events describe-rule --name shop-shared --query State --output text --region eu-west-2', output: 'DISABLED' }],
    ],
    [
      'cutoverBlueGreen',
      'normalGreen',
      [{ what: 'rule shop-shared is enabled', command: 'aws events describe-rule --name shop-shared --query State --output text --region eu-west-2', output: 'ENABLED' }],
    ],
  ])('GIVEN a move from %s to %s THEN the first job that changed is checked', (from, to, expected) => {
    expect(jobs.verify!(part(from), part(to), verifyCtx(to))).toEqual(expected);
  });
});

describe('jobs.identity', () => {
  test.each(identityCases(jobs))('GIVEN the %s estate WHEN resolved in every mode state it supports (%s) THEN every job keeps its identity', (_name, _states, ids) => {
    for (const other of ids) expect(other).toEqual(ids[0]);
  });

  test('GIVEN only enabled changes THEN the identity is the same; a new schedule is not', () => {
    expect(jobs.identity(desired({ enabled: false }))).toEqual(jobs.identity(desired()));
    expect(jobs.identity(desired({ schedule: 'rate(1 hour)' }))).not.toEqual(jobs.identity(desired()));
  });
});
