import type { DesiredAws, DesiredJob } from '../../../modes/desired';
import { resolve } from '../../../modes/resolve';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { buildAwsApp, operationChunks, synthApp, VALIDATION_REPORTS } from '../../../stacks/aws/app';
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
