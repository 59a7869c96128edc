import type { DesiredAws, DesiredJob } from '../../../modes/desired';
import { resolve } from '../../../modes/resolve';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, CfnOutput, CfnParameter, Stack } from 'aws-cdk-lib';
import { fleetEstate } from '../../../bench/fleet';
import { supportedModeStates } from '../../../modes/state';
import { buildAwsApp, operationChunks, synthApp, trafficChunks, VALIDATION_REPORTS, type TrafficBudget } from '../../../stacks/aws/app';
import { estateNamed } from '../../support/estates';

const shop = resolve(estateNamed('shop'), { mode: 'normal', live: 'blue', hardDown: false }).aws!;
const job = (id: string, targetArn?: string): DesiredJob => ({ id, name: id, schedule: 'rate(1 hour)', enabled: true, ...(targetArn ? { targetArn } : {}) });
const withJobs = (jobs: DesiredJob[]): DesiredAws => ({ ...shop, autoScalingGroups: [], databaseAccess: [], parameters: [], scheduledJobs: jobs });
const LAMBDA = 'arn:aws:lambda:eu-west-2:123456789012:function:f';
/** Each chunk as its job ids. */
const jobIds = (chunks: DesiredAws[]) => chunks.map((c) => c.scheduledJobs.map((j) => j.id));

describe('operationChunks', () => {
  test.each<[string, number, string[][], DesiredJob[]]>([
    ['no items', 4, [[]], []],
    ['jobs without a target cost 1 each', 2, [['a', 'b'], ['c', 'd']], [job('a'), job('b'), job('c'), job('d')]],
    ['a job with a Lambda target costs 2 (its rule and permission)', 3, [['a', 'b'], ['c']], [job('a', LAMBDA), job('b'), job('c', LAMBDA)]],
    ['an item dearer than the budget still gets a chunk of its own', 1, [['a'], ['b']], [job('a', LAMBDA), job('b', LAMBDA)]],
  ])('GIVEN %s WHEN the budget is %i THEN the chunks are %j', (_label, budget, expected, jobs) => {
    expect(jobIds(operationChunks(withJobs(jobs), budget))).toEqual(expected);
  });

  test('GIVEN the shop WHEN chunked with a small budget THEN every operations item lands in one chunk, in estate order, and the rest of the desired state in every chunk', () => {
    const chunks = operationChunks(shop, 3);
    expect(chunks.length).toBeGreaterThan(1);
    for (const key of ['autoScalingGroups', 'scheduledJobs', 'databaseAccess', 'parameters'] as const) expect(chunks.flatMap((c): readonly unknown[] => c[key])).toEqual(shop[key]);
    for (const c of chunks) expect([c.targetGroups, c.listener, c.dns]).toEqual([shop.targetGroups, shop.listener, shop.dns]);
  });
});

/** Each traffic chunk as [target group ids, rule priorities, record ids]. */
const trafficIds = (chunks: DesiredAws[]) => chunks.map((c) => [c.targetGroups.map((g) => g.id), c.listener?.rules.map((r) => r.priority) ?? [], c.dns?.records.map((r) => r.id) ?? []]);
/** Limits any traffic part is past, so that the budget alone decides the chunks. */
const PAST: TrafficBudget = { resources: 1, exports: 0 };
const normal = { mode: 'normal', live: 'blue', hardDown: false } as const;
/** Four sites: groups s001-s004, rules 1-4 (one per group), records s001-s004; each group has an Auto Scaling group, so an export. */
const fleet4 = resolve(fleetEstate(4), normal).aws!;

describe('trafficChunks', () => {
  test.each([
    ['the shop', shop],
    ['160 sites (481 resources, 160 exports)', resolve(fleetEstate(160), normal).aws!],
  ])('GIVEN %s, within one stack\'s limits, THEN the traffic part stays whole', (_label, desired) => {
    const chunks = trafficChunks(desired);
    expect(chunks).toHaveLength(1);
    expect(chunks[0]).toBe(desired);
  });

  test.each<[string, TrafficBudget, (string | number)[][][]]>([
    [
      'exports (the first chunk also exports the listener)',
      { resources: 7, exports: 2 },
      [
        [['s001'], [1], []],
        [['s002', 's003'], [2, 3], []],
        [['s004'], [4], ['s001', 's002', 's003', 's004']],
      ],
    ],
    [
      'resources (one kept for the CDKMetadata of cdk synth)',
      { resources: 5, exports: 100 },
      [
        [['s001'], [1], []],
        [['s002', 's003'], [2, 3], []],
        [['s004'], [4], ['s001', 's002']],
        [[], [], ['s003', 's004']],
      ],
    ],
  ])('GIVEN four sites past the limits WHEN the budget bounds %s THEN each group keeps its rule and the chunks fill in estate order', (_label, budget, expected) => {
    expect(trafficIds(trafficChunks(fleet4, budget, PAST))).toEqual(expected);
  });

  test('GIVEN a default action on a later group THEN the first chunk holds it, with the listener', () => {
    const desired: DesiredAws = { ...fleet4, listener: { ...fleet4.listener!, default: { targets: [{ targetGroup: 's003', weight: 100 }] } } };
    const chunks = trafficChunks(desired, { resources: 5, exports: 100 }, PAST);
    expect(trafficIds(chunks)[0]).toEqual([['s003'], [3], []]);
    // Every chunk carries the listener's settings; only the first one creates it (the others add rules).
    for (const c of chunks) expect({ ...c.listener, rules: [] }).toEqual({ ...desired.listener, rules: [] });
  });

  test('GIVEN colour pairs THEN the groups one forward names stay in one chunk, in every mode state', () => {
    const estate = estateNamed('shop');
    const layouts = supportedModeStates(estate).map((state) => trafficIds(trafficChunks(resolve(estate, state).aws!, { resources: 3, exports: 100 }, PAST)));
    expect(layouts[0]).toEqual([
      [['web-blue', 'web-green'], [], []],
      [['api-blue', 'api-green'], [shop.listener!.rules[0]!.priority], []],
      [[], [], [shop.dns!.records[0]!.id]],
    ]);
    for (const layout of layouts) expect(layout).toEqual(layouts[0]);
  });

  test.each([3, 4, 10, 50])('GIVEN 40 sites WHEN cut with a budget of %i resources THEN every item lands in one chunk, in estate order, within the budget', (resources) => {
    const desired = resolve(fleetEstate(40), normal).aws!;
    const chunks = trafficChunks(desired, { resources, exports: 7 }, PAST);
    expect(chunks.flatMap((c) => c.targetGroups)).toEqual(desired.targetGroups);
    expect(chunks.flatMap((c) => c.listener!.rules)).toEqual(desired.listener!.rules);
    expect(chunks.flatMap((c) => c.dns!.records)).toEqual(desired.dns!.records);
    chunks.forEach((c, i) => {
      const cost = c.targetGroups.length + c.listener!.rules.length + c.dns!.records.length + (i === 0 ? 1 : 0) + 1;
      // A unit dearer than the budget (a group, its rule and the listener: 3, plus the CDKMetadata) still gets a chunk of its own.
      expect(cost).toBeLessThanOrEqual(Math.max(resources, 4));
      expect(c.targetGroups.length + (i === 0 && chunks.length > 1 ? 1 : 0)).toBeLessThanOrEqual(7);
      // The rest of the desired state is every chunk's.
      expect(c.autoScalingGroups).toBe(desired.autoScalingGroups);
    });
  });
});

describe('checkLimits', () => {
  test.each([
    ['outputs (cross-stack references are exports)', (stack: Stack, i: number) => new CfnOutput(stack, `Out${i}`, { value: String(i) }), 'outputs'],
    ['parameters', (stack: Stack, i: number) => new CfnParameter(stack, `Param${i}`, { default: String(i) }), 'parameters'],
  ])('GIVEN a stack with 201 %s WHEN synthesized THEN it is refused with the way out', (_label, add, what) => {
    // aws-cdk-lib's own template validation would only warn, and takes seconds to start.
    const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'synth-limits-')), builtinCloudFormationValidation: false });
    const stack = new Stack(app, 'big', { stackName: 'big' });
    // The bootstrap version parameter CDK adds counts too.
    const extra = what === 'parameters' ? 200 : 201;
    for (let i = 0; i < extra; i++) add(stack, i);
    expect(() => synthApp(app)).toThrow(`stack big has 201 ${what}; CloudFormation allows 200: set aws.split: component in the estate, or split the estate into several estate files`);
  });
});

describe('synthApp and the previous run (issue 13)', () => {
  test('GIVEN a directory holding an earlier run\'s validation reports WHEN synthesis stops before its checks end THEN no report is left looking complete', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'synth-stale-'));
    for (const r of VALIDATION_REPORTS) writeFileSync(join(outdir, r), '{"earlier":"run"}');
    const app = new App({ outdir });
    buildAwsApp(resolve(estateNamed('shop'), { mode: 'normal', live: 'blue', hardDown: false }), app);
    // An interruption half-way: the first template write fails.
    const spy = jest.spyOn(app, 'synth').mockImplementation(() => {
      throw new Error('interrupted');
    });
    expect(() => synthApp(app)).toThrow('interrupted');
    spy.mockRestore();
    for (const r of VALIDATION_REPORTS) expect(existsSync(join(outdir, r))).toBe(false);
  });

  test('GIVEN a completed synthesis THEN its own validation report is there', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'synth-report-'));
    writeFileSync(join(outdir, 'validation-report.json'), '{"earlier":"run"}');
    synthApp(buildAwsApp(resolve(estateNamed('shop'), { mode: 'normal', live: 'blue', hardDown: false }), new App({ outdir })));
    expect(readFileSync(join(outdir, 'validation-report.json'), 'utf8')).not.toContain('earlier');
  });
});
