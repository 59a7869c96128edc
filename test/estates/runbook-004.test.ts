/**
 * Runbook 004 (estates/beanstalk.yaml): the Beanstalk blue/green cutover with its SES app, its
 * fail-back and its timings, read from the plan JSON.
 */
import { expectInOrder, expectTogether, planJson, positionOf } from './runbook';

describe('runbook 004: the cutover from blue to green', () => {
  const p = planJson('bridge', 'normal@blue', 'normal@green');

  test('GIVEN the bridge estate WHEN cutting over THEN the runbook\'s steps come in its order', () => {
    expectInOrder(p.steps, [
      // prep: the new systems built, staff log in
      'build-green',
      'login-both',
      'copy-blocked-emails',
      // 1-2: production to 1 instance, into maintenance mode, the Stripe credentials removed
      /^Beanstalk environment cobalt-production-blue min\/max 2\/4 -> 1\/1$/,
      // 3: a normal user cannot log in
      'check-login-blocked',
      // 4-5: the snapshot, then the new database restored from it
      'snapshot',
      /^RDS database cobalt-production-green added \(restored from snapshot production-blue-before-green\)$/,
      // 6: migrations
      'migrate',
      // 9
      'django-flag',
      // 10-12: the Stripe credentials on green only, DNS for both sites to the new environments
      /^payment secret given to cobalt-production-green$/,
      // 13-14: convert users, test
      'convert-users',
      'test',
      // 15: out of maintenance
      /^DRAWBRIDGE_MAINTENANCE 1 -> 0 on cobalt-production-green$/,
      // 17
      'restore-blocked-emails',
    ]);
  });

  test.each([
    ['blue into maintenance mode, scaled to 1, its Stripe credentials removed, with its SES environment', [/^Beanstalk environment cobalt-production-blue min\/max 2\/4 -> 1\/1$/, /^payment secret removed from cobalt-production-blue$/, /^DRAWBRIDGE_MAINTENANCE 0 -> 1 on cobalt-production-blue$/, /^DRAWBRIDGE_MAINTENANCE 0 -> 1 on cobalt-ses-production-green$/]],
    ['the database restored and both new environments pointed at it (RDS_HOSTNAME)', [/^RDS database cobalt-production-green added/, /^RDS_HOSTNAME .* -> cobalt-production-green endpoint address on cobalt-production-green$/, /^RDS_HOSTNAME .* -> cobalt-production-green endpoint address on cobalt-ses-production-blue$/]],
    ['the Stripe credentials to green and DNS for myabf, www and ses to the new environments', [/^payment secret given to cobalt-production-green$/, /^Route 53 record bridge-example\.org A .* -> A cobalt-production-green/, /^Route 53 record www\.bridge-example\.org CNAME .* -> CNAME cobalt-production-green/, /^Route 53 record ses\.bridge-example\.org CNAME cobalt-ses-production-green.* -> CNAME cobalt-ses-production-blue/]],
    ['both new systems out of maintenance mode', [/^DRAWBRIDGE_MAINTENANCE 1 -> 0 on cobalt-production-green$/, /^DRAWBRIDGE_MAINTENANCE 1 -> 0 on cobalt-ses-production-blue$/]],
  ] as const)('GIVEN the bridge estate WHEN cutting over THEN one deploy does %s', (_what, names) => {
    expectTogether(p.steps, names);
  });

  test('GIVEN the bridge estate WHEN cutting over THEN no customer reaches green before the tests, and green holds the credentials alone', () => {
    const dns = positionOf(p.steps, /^Route 53 record www\.bridge-example\.org CNAME .* -> CNAME cobalt-production-green/);
    const open = positionOf(p.steps, /^DRAWBRIDGE_MAINTENANCE 1 -> 0 on cobalt-production-green$/);
    expect(positionOf(p.steps, 'test')).toBeGreaterThan(dns);
    expect(positionOf(p.steps, 'test')).toBeLessThan(open);
    // green stays in maintenance mode from the move until it is opened: only staff reach it
    expect(p.steps.slice(dns, open).flatMap((s) => s.changes).filter((c) => /DRAWBRIDGE_MAINTENANCE .* on cobalt-production-green$/.test(c))).toEqual([]);
    // the credentials are never on both: removed from blue at the freeze, given to green at the move
    expect(positionOf(p.steps, /^payment secret removed from cobalt-production-blue$/)).toBeLessThan(positionOf(p.steps, /^payment secret given to cobalt-production-green$/));
  });

  test('GIVEN the runbook\'s own estimate of 1 h 31 min without testing WHEN the plan estimates the outage THEN it is below that', () => {
    expect(p.outage!.minutesWithoutTests).toBeLessThan(91);
    expect(p.outage!.minutes - p.outage!.minutesWithoutTests).toBe(60);
  });

  test('GIVEN the way back after green is open THEN it is the reverse cutover without the forward-only work, and nothing stateful is removed', () => {
    const back = p.rollback!.steps;
    for (const forward of ['migrate', 'convert-users', 'test', 'snapshot', 'copy-blocked-emails', 'build-green']) expect(back.map((s) => s.id)).not.toContain(forward);
    expect(back.map((s) => s.id)).toContain('failback-tell');
    expect(back.flatMap((s) => s.changes).filter((c) => /removed$/.test(c) && /RDS database|Beanstalk environment/.test(c))).toEqual([]);
  });
});

describe('runbook 004: failing back', () => {
  test('GIVEN green held behind its maintenance page (the move stage) WHEN failing back THEN blue takes the credentials and DNS back and opens, after checking what green took', () => {
    const p = planJson('bridge', 'cutover@blue->green', 'normal@blue');
    expectInOrder(p.steps, ['failback-tell', 'reconcile', /^payment secret given to cobalt-production-blue$/]);
    expectTogether(p.steps, [
      /^payment secret removed from cobalt-production-green$/,
      /^payment secret given to cobalt-production-blue$/,
      /^Route 53 record www\.bridge-example\.org CNAME cobalt-production-green.* -> CNAME cobalt-production-blue/,
      /^DRAWBRIDGE_MAINTENANCE 1 -> 0 on cobalt-production-blue$/,
    ]);
    // green's database stays: it holds data, and retiring it is a change of its own
    expect(p.steps.flatMap((s) => s.changes).filter((c) => /^RDS database .* removed$/.test(c))).toEqual([]);
    expect(p.warnings.join('\n')).toContain('aws.databases[production-green] exists since the cutover restored it: set restored: true');
  });

  test('GIVEN the cutover complete WHEN the plan ends THEN retiring blue is left as its own change', () => {
    const p = planJson('bridge', 'normal@blue', 'normal@green');
    expect(p.notes.join('\n')).toMatch(/Retire it as its own change .*environment cobalt-production-blue.*database production-blue.*`drawbridge diff` exits 3/);
  });
});
