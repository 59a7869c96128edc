import type { DesiredAws, DesiredJob } from '../../../modes/desired';
import { resolve } from '../../../modes/resolve';
import { operationChunks } from '../../../stacks/aws/app';
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
