/**
 * Runbook 002 (estates/rolling.yaml): a minor upgrade of app servers behind a load balancer with
 * no downtime, read from the plan JSON.
 */
import { expectInOrder, expectTogether, planJson, positionOf } from './runbook';

describe('runbook 002: new servers beside the old ones, the old ones drained', () => {
  const p = planJson('rolling', 'normal@blue', 'normal@green');

  test('GIVEN the rolling estate WHEN upgrading THEN the runbook\'s steps come in its order', () => {
    expectInOrder(p.steps, [
      // 5-6: inputs saved, the changes made in the new servers' template
      'save-inputs',
      'new-template',
      // 1-2: the database snapshot first, then the pre-upgrade migrations
      'db-snapshot',
      'pre-migrations',
      // 3, 7-9: the new servers launched (two of them) and tested, before any traffic
      /^auto scaling group app-green min\/max 1\/1 -> 2\/6$/,
      'test-new-servers',
      // 10: the old array's scaling suspended during the swap
      'suspend-scaling',
      // 11-12: the new servers get the traffic; the old ones get no new sessions
      /^listener default action weights: app-blue 100 -> 0, app-green 0 -> 100$/,
      // 13: the old servers' sessions end
      'drain',
      // 17: the site tested
      'test-site',
      // 16 (and the array enabled before it can shrink)
      'resume-scaling',
      // 14, 18: the old servers detached and terminated only now
      /^auto scaling group app-blue min\/max 2\/6 -> 1\/1$/,
      // 15
      'server-array',
    ]);
  });

  test('GIVEN the rolling estate WHEN upgrading THEN nobody sees an outage and writes never stop', () => {
    expect(p.outage).toBeUndefined();
    expect(p.steps.flatMap((s) => s.changes).filter((c) => /read-only false -> true/.test(c) && /\/app\/green\//.test(c))).toEqual([]);
  });

  test('GIVEN the rolling estate WHEN upgrading THEN the weight moves only once green is at full capacity, in a deploy of its own, and blue keeps its servers until they are drained', () => {
    const scaled = positionOf(p.steps, /^auto scaling group app-green min\/max 1\/1 -> 2\/6$/);
    const moved = positionOf(p.steps, /^listener default action weights/);
    expect(scaled).toBeLessThan(moved);
    expect(p.steps[scaled]!.id).not.toBe(p.steps[moved]!.id);
    expect(p.steps[moved]!.changes.filter((c) => /^auto scaling group app-blue/.test(c))).toEqual([]);
    expect(positionOf(p.steps, /^auto scaling group app-blue min\/max 2\/6 -> 1\/1$/)).toBeGreaterThan(positionOf(p.steps, 'drain'));
  });

  test('GIVEN the move THEN the cleanup job changes colour with the traffic', () => {
    expectTogether(p.steps, [/^listener default action weights/, /^rule app-cleanup-blue disabled$/, /^rule app-cleanup-green enabled$/]);
  });
});
