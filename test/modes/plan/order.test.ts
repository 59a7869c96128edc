import fc from 'fast-check';
import { plan, type Plan, type PlanStep } from '../../../modes/plan';
import type { Estate, ModeState } from '../../../modes/schema';
import { supportedModeStates } from '../../../modes/state';
import { formatModeWord } from '../../../modes/words';
import { estateArbitrary } from '../../support/arbitrary';
import { estateNamed, estates } from '../../support/estates';
import { changes, deployOrder, indexOf, planOf, titles, word } from './support';

describe('order: the way out is the reverse of the way in', () => {
  const withBoth = estates.filter(({ estate }) => estate.aws && estate.cloudflare).map(({ estate }) => [estate.name] as [string]);

  test.each(withBoth)('GIVEN %s WHEN entering and leaving maintenance THEN Cloudflare goes first in and last out', (name) => {
    const enter = planOf(name, 'normal', 'maintenance');
    const leave = planOf(name, 'maintenance', 'normal');
    expect(deployOrder(enter.steps)).toEqual(['cloudflare', 'aws']);
    expect(deployOrder(leave.steps)).toEqual(['aws', 'cloudflare']);
    expect(deployOrder(enter.rollback?.steps ?? [])).toEqual(deployOrder(leave.steps));
  });

  test('GIVEN default WHEN leaving THEN the end checks run behind the page, before it comes down', () => {
    const leave = planOf('shop', 'maintenance', 'normal');
    expect(indexOf(leave.steps, 'deploy-aws')).toBeLessThan(indexOf(leave.steps, 'test-order'));
    expect(indexOf(leave.steps, 'test-order')).toBeLessThan(indexOf(leave.steps, 'deploy-cloudflare'));
    expect(leave.steps[indexOf(leave.steps, 'deploy-aws')]!.checks).toContainEqual(expect.objectContaining({ url: 'https://www.example-shop.com/', expect: 503 }));
  });
});

describe('cutover and fail-back', () => {
  test.each([
    ['one estate (no base to compare)', undefined, /is restored from the snapshot only when it is created: declare it in the pull request that enters cutover/],
    ['a pull request that adds the target database', 'without-green', /This pull request adds cobalt-production-green: the AWS deploy creates it from this snapshot/],
    ['a pull request where the target database already exists', 'same', /cobalt-production-green already exists in the base estate, so this deploy does NOT restore it/],
  ] as const)('GIVEN %s WHEN cutting over THEN the snapshot step says whether the restore happens', (_label, base, expected) => {
    const bridge = estateNamed('bridge');
    const withoutGreen: Estate = { ...bridge, aws: { ...bridge.aws!, databases: bridge.aws!.databases.filter((d) => d.colour === 'blue') } };
    const fromEstate = base === 'without-green' ? withoutGreen : base === 'same' ? structuredClone(bridge) : undefined;
    const p = plan(bridge, word(bridge, 'normal@blue'), word(bridge, 'cutover@blue->green'), fromEstate ? { fromEstate } : {});
    expect(p.steps[0]!.kind).toBe('snapshot');
    expect(p.steps[0]!.detail).toMatch(expected);
  });

  test('GIVEN an estate whose target database is restored from a snapshot WHEN cutting over THEN the first step takes that snapshot', () => {
    const p = planOf('bridge', 'normal@blue', 'cutover@blue->green');
    expect(p.steps[0]).toMatchObject({
      kind: 'snapshot',
      command: 'aws rds create-db-snapshot --db-instance-identifier production-blue --db-snapshot-identifier production-blue-before-green --region ap-southeast-2',
    });
    expect(p.steps[0]!.checks[0]!.command).toBe('aws rds wait db-snapshot-available --db-snapshot-identifier production-blue-before-green --region ap-southeast-2');
    expect(changes(p.steps)).toEqual(
      expect.arrayContaining([
        'payment secret removed from cobalt-production-blue',
        'payment secret given to cobalt-production-green',
        'Beanstalk environment cobalt-production-blue min/max 2/4 -> 1/1',
        expect.stringMatching(/^Route 53 record www\.bridge-example\.org CNAME .*blue.* -> CNAME cobalt-production-green/),
      ]),
    );
  });

  test('GIVEN DNS moves on Cloudflare WHEN cutting over THEN writes freeze at the source, data syncs, and only then DNS moves', () => {
    const p = planOf('whimsy', 'normal@blue', 'cutover@blue->green');
    const freeze = indexOf(p.steps, 'deploy-aws');
    const sync = indexOf(p.steps, 'final-rsync');
    const move = indexOf(p.steps, 'deploy-cloudflare');
    // the source freezes as the target (frozen while idle) opens for writes
    expect(p.steps[freeze]!.changes).toEqual(['parameter /whimsy/blue/migrating false -> true', 'parameter /whimsy/green/migrating true -> false']);
    expect(p.steps[move]!.changes).toContain('DNS record whimsy.example.org A 192.0.2.10 (blue) -> A 192.0.2.20 (green)');
    expect(freeze).toBeLessThan(sync);
    expect(sync).toBeLessThan(move);
    expect(p.steps[move]!.checks).toContainEqual(expect.objectContaining({ method: 'POST', expect: 503 }));
  });

  test.each<[string, string, string, string]>([
    ['bridge', 'cutover@blue->green', 'normal@green', 'Complete the cutover: green is live'],
    ['bridge', 'cutover@blue->green', 'normal@blue', 'Fail back from green to blue'],
    ['rolling', 'normal@green', 'cutover@green->blue', 'Cut over from green to blue'],
  ])('GIVEN %s WHEN moving %s -> %s THEN the plan says "%s" and has its way back', (name, from, to, summary) => {
    const p = planOf(name, from, to);
    expect(p.summary).toBe(summary);
    expect(p.rollback?.toWord).toBe(from);
    expect(p.rollback?.steps.length).toBeGreaterThan(0);
  });

  test('GIVEN a fail-back WHEN planning THEN writes taken by the target are reconciled and the completion steps that change data are left out', () => {
    const p = planOf('bridge', 'cutover@blue->green', 'normal@blue');
    expect(p.steps[0]).toMatchObject({ id: 'reconcile', kind: 'check' });
    expect(titles(p.steps)).not.toContain('Convert users on the new live environment');
    expect(titles(planOf('bridge', 'cutover@blue->green', 'normal@green').steps)).toContain('Convert users on the new live environment');
  });
});

/**
 * The order rules, as properties of a plan with two deploys: maintenance is entered page first
 * (Cloudflare) and left page last, the way out being the reverse of the way in; leaving any mode
 * releases the page (or freeze) last; entering a cutover moves traffic only after the freeze.
 */
function expectSafeOrder(estate: Estate, p: Plan): void {
  const order = deployOrder(p.steps);
  if (order.length < 2) return;
  const maintenanceMove = (a: ModeState, b: ModeState) => a.mode === 'normal' && b.mode === 'maintenance';
  if (maintenanceMove(p.from, p.to)) {
    expect(order).toEqual(['cloudflare', 'aws']);
    expect(deployOrder(p.rollback?.steps ?? [])).toEqual([...order].reverse());
  }
  if (maintenanceMove(p.to, p.from)) expect(order).toEqual(['aws', 'cloudflare']);
  if (p.direction === 'leave') expect(order[order.length - 1]).toBe(estate.cloudflare ? 'cloudflare' : 'aws');
  if (p.to.mode === 'cutover' && p.direction !== 'leave') {
    const deploys = p.steps.filter((s) => s.id.startsWith('deploy-'));
    const movesTraffic = (s: PlanStep) => s.changes.some((c) => /^(DNS record|Route 53 record|listener) /.test(c) && / -> /.test(c));
    if (!deploys.every(movesTraffic)) expect(movesTraffic(deploys[0]!)).toBe(false);
  }
}

describe('every transition of every example estate', () => {
  const pairs = estates.flatMap(({ estate }) => {
    const states = supportedModeStates(estate);
    return states.flatMap((a) => states.filter((b) => b !== a).map((b): [string, string, string] => [estate.name, formatModeWord(a), formatModeWord(b)]));
  });

  test.each(pairs)('GIVEN %s WHEN moving %s -> %s THEN the plan has steps, checks, the safe order and a rollback back to FROM', (name, from, to) => {
    const p = planOf(name, from, to);
    expect(p.steps.length).toBeGreaterThan(0);
    expect(p.rollback?.toWord).toBe(from);
    expect(p.rollback?.steps.length).toBeGreaterThan(0);
    for (const s of p.steps) expect(s.checks.length).toBeGreaterThan(0);
    expect(p.steps.map((s) => s.n)).toEqual(p.steps.map((_, i) => i + 1));
    expectSafeOrder(estateNamed(name), p);
  });
});

describe('generated estates', () => {
  test('GIVEN any valid estate and two states it supports WHEN planning THEN the order rules hold and there is a way back', () => {
    fc.assert(
      fc.property(estateArbitrary, fc.nat(), fc.nat(), (estate, i, j) => {
        const states = supportedModeStates(estate);
        const from = states[i % states.length]!;
        const to = states[j % states.length]!;
        const p = plan(estate, from, to);
        if (formatModeWord(from) === formatModeWord(to)) {
          expect(p.rollback).toBeUndefined();
          return;
        }
        expect(p.rollback?.toWord).toBe(formatModeWord(from));
        expectSafeOrder(estate, p);
      }),
      { numRuns: 200 },
    );
  });
});
