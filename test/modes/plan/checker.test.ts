/**
 * The checker of the plan rules (test/support/plan-rules.ts) can fail: fed plans and legs made wrong
 * on purpose, it names each broken rule. Each case starts from a real plan the checker passes.
 */
import { plan, type Plan, type PlanStep } from '../../../modes/plan';
import { legsOf } from '../../../modes/plan/legs';
import type { Estate } from '../../../modes/schema';
import { estateNamed } from '../../support/estates';
import { checksThatCannotPass, cutoverOrder, legsOfPlan, misplacedSteps, pageOrderIn, repeatedOnceSteps, restoresWithoutSnapshot, statefulLossesIn } from '../../support/plan-rules';
import { changeAt, indexOf, word } from './support';

const shop = estateNamed('shop');
const bridge = estateNamed('bridge');
const ticketing = estateNamed('ticketing');
const planIn = (estate: Estate, from: string, to: string) => plan(estate, word(estate, from), word(estate, to));

/** The plan with step `i` changed. */
const withStep = (p: Plan, i: number, f: (s: PlanStep) => PlanStep): Plan => ({ ...p, steps: p.steps.map((s, k) => (k === i ? f(s) : s)) });
/** The steps with the one at `from` moved to position `to`. */
function moved(steps: readonly PlanStep[], from: number, to: number): PlanStep[] {
  const out = [...steps];
  const [s] = out.splice(from, 1);
  out.splice(to, 0, s!);
  return out;
}

describe('checks that cannot pass', () => {
  const leave = planIn(shop, 'maintenance', 'normal');
  const open = indexOf(leave.steps, 'deploy-cloudflare');

  test('GIVEN the plan as built THEN the checker finds nothing', () => {
    expect(checksThatCannotPass(shop, leave)).toEqual([]);
  });

  test('GIVEN a POST / -> 503 check after the leg where the public reads and writes again WHEN checking THEN it says the check cannot pass', () => {
    const wrong = withStep(leave, open, (s) => ({ ...s, checks: [...s.checks, { what: 'writes are refused', method: 'POST', url: 'https://www.example-shop.com/', expect: 503 }] }));
    expect(checksThatCannotPass(shop, wrong)).toEqual([`step ${open + 1} "Deploy Cloudflare (Pulumi): take the maintenance page down" expects POST https://www.example-shop.com/ -> 503, but the public sees the site open after it (not 503)`]);
  });

  test('GIVEN GET / -> 200 right after the page went up WHEN checking THEN it says the public sees the page', () => {
    const enter = planIn(shop, 'normal', 'maintenance');
    const page = changeAt(enter.steps, /^MAINTENANCE 0 -> 1 on shop-gate$/);
    const wrong = withStep(enter, page, (s) => ({ ...s, checks: [{ what: 'the site answers', method: 'GET', url: 'https://www.example-shop.com/', expect: 200 }] }));
    expect(checksThatCannotPass(shop, wrong)).toEqual([`step ${page + 1} "Deploy Cloudflare (Pulumi): put the maintenance page up" expects GET https://www.example-shop.com/ -> 200, but the public sees the site down after it (503)`]);
  });

  test('GIVEN a site whose health path is / and a health check of it WHEN checking THEN it says the health path is the URL the page answers', () => {
    const rooted: Estate = { ...shop, site: { ...shop.site, healthPath: '/' } };
    const enter = planIn(rooted, 'normal', 'maintenance');
    expect(checksThatCannotPass(rooted, enter)).toEqual([]);
    const page = changeAt(enter.steps, /^MAINTENANCE 0 -> 1 on shop-gate$/);
    const wrong = withStep(enter, page, (s) => ({ ...s, checks: [...s.checks, { what: 'the health path still reaches the origin', method: 'GET', url: 'https://www.example-shop.com/', expect: 200 }] }));
    expect(checksThatCannotPass(rooted, wrong)).toEqual([
      `step ${page + 1} "Deploy Cloudflare (Pulumi): put the maintenance page up" expects GET https://www.example-shop.com/ -> 200, but the public sees the site down after it (503)`,
      `step ${page + 1} checks the health path, which is the site's URL that the page answers`,
    ]);
  });
});

describe('a way back that repeats a step done once', () => {
  test('GIVEN the way back of leaving maintenance (re-entering it) with the session clean-up in it WHEN checking THEN it names the step', () => {
    const leave = planIn(shop, 'maintenance', 'normal');
    expect(repeatedOnceSteps(shop, leave)).toEqual([]);
    const again = planIn(shop, 'normal', 'maintenance').steps.find((s) => s.id === 'drain-carts')!;
    const wrong: Plan = { ...leave, rollback: { ...leave.rollback!, steps: [...leave.rollback!.steps, again] } };
    expect(repeatedOnceSteps(shop, wrong)).toEqual(['the way back repeats drain-carts ("Clear abandoned checkout sessions"), done once already']);
  });
});

describe('a cutover out of order', () => {
  const p = planIn(bridge, 'normal@blue', 'cutover@blue->green');
  const freeze = p.steps.findIndex((s) => s.kind === 'deploy' && s.stage === 'cutover:freeze@blue->green');
  const snapshot = indexOf(p.steps, 'snapshot');
  const restore = p.steps.findIndex((s) => s.kind === 'deploy' && s.stage === 'cutover:restore@blue->green');
  const traffic = changeAt(p.steps, /^Route 53 record www\.bridge-example\.org CNAME .* -> /);

  test('GIVEN the plan as built THEN the checker finds nothing', () => {
    expect([freeze, snapshot, restore, traffic].every((i) => i > -1)).toBe(true);
    expect(cutoverOrder(bridge, p)).toEqual([]);
  });

  test('GIVEN the snapshot moved before the freeze WHEN checking THEN it says so', () => {
    const wrong = { ...p, steps: moved(p.steps, snapshot, freeze) };
    expect(cutoverOrder(bridge, wrong)).toEqual([`the snapshot (step ${freeze + 1}) comes before the freeze (step ${freeze + 2})`]);
  });

  test('GIVEN the restore deployed before the snapshot WHEN checking THEN it says so', () => {
    const wrong = { ...p, steps: moved(p.steps, restore, snapshot) };
    expect(cutoverOrder(bridge, wrong)).toEqual([`the restore (step ${snapshot + 1}) comes before the snapshot (step ${snapshot + 2})`]);
  });

  test('GIVEN traffic moved before the restore, so the declared work comes after it WHEN checking THEN it names each', () => {
    const wrong = { ...p, steps: moved(p.steps, traffic, restore) };
    const at = (id: string) => indexOf(wrong.steps, id) + 1;
    expect(cutoverOrder(bridge, wrong)).toEqual([
      `traffic moves (step ${restore + 1}) before the target's database is restored (step ${restore + 2})`,
      `the declared work migrate (step ${at('migrate')}) comes after traffic moved (step ${restore + 1})`,
      `the declared work django-flag (step ${at('django-flag')}) comes after traffic moved (step ${restore + 1})`,
    ]);
  });

  test('GIVEN the plan without its snapshot, or a database created before the freeze WHEN checking THEN it says the restore has no snapshot', () => {
    const { forward } = legsOfPlan(bridge, p.from, p.to);
    expect(restoresWithoutSnapshot(forward, p.steps)).toEqual([]);
    expect(restoresWithoutSnapshot(forward, p.steps.filter((s) => s.kind !== 'snapshot'))).toEqual([
      'RDS database cobalt-production-green added (restored from snapshot production-blue-before-green) in cutover:restore@blue->green, but the plan takes no snapshot',
    ]);
    const existing: Estate = { ...bridge, aws: { ...bridge.aws!, databases: bridge.aws!.databases.map((d) => (d.colour === 'green' ? { ...d, restored: undefined } : d)) } };
    const base: Estate = { ...bridge, aws: { ...bridge.aws!, databases: bridge.aws!.databases.filter((d) => d.colour === 'blue') } };
    const early = legsOf(existing, base, p.from, p.to, 'aws');
    expect(restoresWithoutSnapshot(early, [])).toEqual(['RDS database cobalt-production-green added (restored from snapshot production-blue-before-green) in cutover:prepare@blue->green, not by the restore stage after a snapshot']);
  });
});

describe('a way back that removes a database', () => {
  test('GIVEN the way back of a cutover that restored green, taken on the estate as written (not keeping what the cutover created) WHEN checking THEN it names the database', () => {
    const [from, to] = [word(bridge, 'normal@blue'), word(bridge, 'cutover@blue->green')];
    expect(statefulLossesIn(legsOfPlan(bridge, from, to))).toEqual([]);
    const back = legsOf(bridge, bridge, to, from, 'aws');
    expect(statefulLossesIn({ forward: [], back })).toEqual(['the way back (normal@blue): RDS database cobalt-production-green removed']);
  });
});

describe('the page and the database firewall out of order', () => {
  test('GIVEN the work behind the page deployed before the page WHEN checking THEN it says the database closes first', () => {
    const { forward } = legsOfPlan(shop, word(shop, 'normal'), word(shop, 'maintenance'));
    expect(pageOrderIn(forward)).toEqual([]);
    expect(pageOrderIn([...forward].reverse())).toEqual(['the database closes (maintenance@blue, aws) before the page is up']);
  });

  test('GIVEN the page taken down in the same leg before the database opens WHEN checking THEN it says the database opens after', () => {
    const { forward } = legsOfPlan(shop, word(shop, 'maintenance'), word(shop, 'normal'));
    const [behind, page] = forward as [(typeof forward)[0], (typeof forward)[0]];
    const one = { ...page, before: behind.before, changes: { aws: behind.changes.aws, cloudflare: page.changes.cloudflare }, order: ['cloudflare', 'aws'] as const };
    expect(pageOrderIn([{ ...one, order: ['aws', 'cloudflare'] }])).toEqual([]);
    expect(pageOrderIn([one])).toEqual(['the database opens (normal@blue, aws) after the page is down']);
  });
});

describe('a step placed away from what it names', () => {
  test('GIVEN the cache restored after the database firewall opened WHEN checking THEN it names the step and the deploy', () => {
    const leave = planIn(ticketing, 'maintenance', 'normal');
    expect(misplacedSteps(ticketing, leave)).toEqual([]);
    const cache = indexOf(leave.steps, 'restore-cache');
    const opens = changeAt(leave.steps, /^DB firewall rule .* opened/);
    const wrong = { ...leave, steps: moved(leave.steps, cache, opens) };
    expect(misplacedSteps(ticketing, wrong)).toEqual([`the move: restore-cache (step ${opens + 1}) is not before aws.databaseAccess.sql-anywhere (steps ${opens})`]);
  });

  test('GIVEN a step after the page stage moved a stage later WHEN checking THEN it says another stage\'s deploy comes between', () => {
    const afterPage: Estate = {
      ...ticketing,
      runbook: [...ticketing.runbook, { id: 'announce-back', phase: 'end', on: 'leave', modes: ['maintenance'], kind: 'message', title: 'The site is back', minutes: 2, after: 'page' }],
    };
    const leave = planIn(afterPage, 'maintenance', 'normal');
    expect(misplacedSteps(afterPage, leave)).toEqual([]);
    const back = indexOf(leave.steps, 'announce-back');
    const ahead = leave.steps.findIndex((s) => s.kind === 'deploy' && s.stage === 'normal@blue');
    expect(ahead).toBeGreaterThan(back);
    const wrong = { ...leave, steps: moved(leave.steps, back, ahead) };
    expect(misplacedSteps(afterPage, wrong)).toEqual([`the move: another stage's deploy comes between announce-back (step ${ahead + 1}) and page`]);
  });
});
