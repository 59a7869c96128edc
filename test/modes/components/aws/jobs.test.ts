import type { DesiredJob } from '../../../../modes/desired';
import { jobs } from '../../../../modes/components/aws/jobs';
import { awsPart, brief, changes, identityCases, itemsIn, runRule, verifyCtx, type StateName } from '../../../support/components';

const job = (id: string, more: object = {}) => ({ id, name: `shop-${id}`, schedule: 'rate(15 minutes)', ...more });
const SPEC = [job('shared', { description: 'Exports orders', targetArn: 'arn:aws:lambda:eu-west-2:123456789012:function:x' }), job('blue', { colour: 'blue' }), job('green', { colour: 'green' })];

const desired = (more: Partial<DesiredJob> = {}): DesiredJob => ({ id: 'shared', name: 'shop-shared', schedule: 'rate(15 minutes)', enabled: true, ...more });

describe('jobs.resolve', () => {
  test.each<[StateName, boolean[]]>([
    ['normalBlue', [true, true, false]],
    ['maintenance', [false, false, false]],
    ['hardDown', [false, false, false]],
    ['cutoverBlueGreen', [false, false, true]],
    ['normalGreen', [true, false, true]],
    ['maintenanceGreen', [false, false, false]],
    ['cutoverGreenBlue', [false, true, false]],
  ])('GIVEN a shared, a blue and a green job WHEN resolved in %s THEN enabled (shared, blue, green) is %j', (state, expected) => {
    expect((itemsIn(jobs, SPEC, state) as DesiredJob[]).map((j) => j.enabled)).toEqual(expected);
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
      'maintenance',
      'cutoverBlueGreen',
      [{ what: 'rule shop-green is enabled', command: 'aws events describe-rule --name shop-green --query State --output text --region eu-west-2', output: 'ENABLED' }],
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
