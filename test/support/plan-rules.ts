/**
 * The plan rules of issue 11 as checks over a plan, for the example estates, the runbook estates and
 * generated ones. Each returns the broken rules as sentences (empty: the plan keeps them). The rules
 * that read legs also take them as given (`...In`), so a test can hand them legs made wrong.
 */
import type { Change } from '../../modes/component';
import { describeChanges } from '../../modes/changes';
import type { Provider } from '../../modes/engines';
import { plan, type Plan, type PlanStep } from '../../modes/plan';
import { publicView, type PublicView } from '../../modes/plan/checks';
import { holderOf } from '../../modes/plan/order';
import { deployedState, keepingStateful, legsOf, type Leg } from '../../modes/plan/legs';
import { isOnce, legMatches, parseReference, stepsOfMove } from '../../modes/plan/runbook';
import type { Estate, ModeState } from '../../modes/schema';
import { cutoverAtLeast } from '../../modes/stages';
import { resolve } from '../../modes/resolve';
import { formatModeWord } from '../../modes/words';

/** Kinds of component that hold data: a move never replaces or removes them. */
export const STATEFUL = new Set(['database', 'beanstalkEnvironment']);

export interface PlanLegs {
  readonly forward: readonly Leg[];
  readonly back: readonly Leg[];
}

/** The legs a plan deploys and the ones its rollback deploys. */
export function legsOfPlan(given: Estate, from: ModeState, to: ModeState): { forward: Leg[]; back: Leg[] } {
  const estate = keepingStateful(given, from);
  const kept = keepingStateful(estate, to);
  return { forward: legsOf(estate, estate, from, to, holderOf(estate)), back: legsOf(kept, kept, to, from, holderOf(estate)) };
}

const wordOf = (l: Leg): string => formatModeWord(l.to);

/** The leg a deploy step deploys: the one reaching the step's stage that its provider deploys in. */
export function legOfDeploy(legs: readonly Leg[], step: PlanStep): Leg | undefined {
  if (step.kind !== 'deploy' || !step.stage || !step.provider || step.id.startsWith('window-')) return undefined;
  return legs.find((l) => l.order.includes(step.provider!) && step.stage === wordOf(l));
}

/** What the public sees once `done` of a leg's providers have deployed (the others still as before). */
export function viewPart(leg: Leg, done: readonly Provider[]): PublicView {
  return publicView(deployedState(leg, done));
}

/** Whether a check of the site's own URL can pass when the public sees `view`. */
function siteCheckFits(step: PlanStep, url: string, view: PublicView, estate: Estate): string[] {
  const out: string[] = [];
  const down = estate.cloudflare?.gate ? 503 : estate.site.maintenanceStatus;
  for (const c of step.checks) {
    if (c.url !== url || c.expect === undefined || c.from?.includes('through the staff bypass')) continue;
    const method = c.method ?? 'GET';
    // Held (down or read-only), writes are refused; open, a write answers whatever the application
    // answers, but never the refusal.
    const fits = method === 'POST' ? (view === 'open' ? c.expect !== down : c.expect === down) : c.expect === (view === 'down' ? down : 200);
    if (!fits) {
      const expected = view === 'open' ? (method === 'POST' ? `not ${down}` : '200') : method === 'POST' || view === 'down' ? String(down) : '200';
      out.push(`step ${step.n} "${step.title}" expects ${method} ${url} -> ${c.expect}, but the public sees the site ${view} after it (${expected})`);
    }
  }
  return out;
}

/**
 * No check expects what the state it follows cannot give: after each deploy, a check of the site's
 * URL expects what the public sees once the leg's engines so far have deployed (the page's status
 * held, 200 open; writes refused read-only, never refused open), and the health path is never also
 * the site's URL.
 */
export function checksThatCannotPass(estate: Estate, p: Plan): string[] {
  const out: string[] = [];
  const url = new URL(estate.site.url).toString();
  const health = new URL(estate.site.healthPath, estate.site.url).toString();
  const { forward, back } = legsOfPlan(estate, p.from, p.to);
  for (const [steps, legs] of [[p.steps, forward], [p.rollback?.steps ?? [], back]] as const) {
    for (const s of steps) {
      const leg = legOfDeploy(legs, s);
      if (!leg) continue;
      out.push(...siteCheckFits(s, url, viewPart(leg, leg.order.slice(0, leg.order.indexOf(s.provider!) + 1)), estate));
      if (health === url) {
        for (const c of s.checks) if (c.url === url && c.what.includes('health')) out.push(`step ${s.n} checks the health path, which is the site's URL that the page answers`);
      }
    }
  }
  return out;
}

/** No leg of the move or of its way back replaces or removes a stateful resource. */
export function statefulLossesIn(legs: PlanLegs): string[] {
  const lost = (c: Change) => STATEFUL.has(c.component) && (c.action === 'remove' || c.effects.includes('replaces'));
  return [...legs.forward.map((l) => ['the move', l] as const), ...legs.back.map((l) => ['the way back', l] as const)].flatMap(([what, l]) =>
    [...l.changes.aws, ...l.changes.cloudflare].filter(lost).map((c) => `${what} (${wordOf(l)}): ${c.text}`),
  );
}

export function statefulLosses(estate: Estate, from: ModeState, to: ModeState): string[] {
  return statefulLossesIn(legsOfPlan(estate, from, to));
}

/** A way back that re-enters a mode never repeats a step done once on the way in. */
export function repeatedOnceSteps(estate: Estate, p: Plan): string[] {
  if (!p.rollback) return [];
  const reentering = p.to.mode === 'normal' && p.from.mode !== 'normal';
  if (!reentering) return [];
  const done = stepsOfMove(estate, p.to, p.from, false).filter(isOnce).map((s) => s.id);
  return p.rollback.steps.filter((s) => s.source === 'estate' && done.includes(s.id)).map((s) => `the way back repeats ${s.id} ("${s.title}"), done once already`);
}

/** The index of the first step that matches. */
const at = (steps: readonly PlanStep[], f: (s: PlanStep) => boolean) => steps.findIndex(f);

/** The order rules every cutover keeps: snapshot after the freeze, traffic only onto a restored target after the declared work. */
export function cutoverOrder(estate: Estate, p: Plan): string[] {
  const out: string[] = [];
  const steps = p.steps;
  const snapshot = at(steps, (s) => s.kind === 'snapshot');
  const restore = at(steps, (s) => s.kind === 'deploy' && !!s.stage?.startsWith('cutover:restore'));
  // The freeze and the move of the cutover that restores (any, when none does).
  const colours = restore >= 0 ? steps[restore]!.stage!.slice(steps[restore]!.stage!.indexOf('@')) : '@';
  const freeze = at(steps, (s) => s.kind === 'deploy' && !!s.stage?.startsWith(`cutover:freeze${colours}`));
  const move = at(steps, (s) => s.kind === 'deploy' && !!s.stage?.startsWith(`cutover${colours}`) && s.changes.some((c) => /weights|^(DNS|Route 53) record .* -> /.test(c)));
  if (snapshot >= 0 && freeze < 0 && !cutoverAtLeast(p.from, 'freeze') && publicView(resolve(estate, p.from)) === 'open') out.push(`the snapshot (step ${snapshot + 1}) is taken while the source still takes writes (no freeze before it)`);
  if (snapshot >= 0 && freeze >= 0 && snapshot < freeze) out.push(`the snapshot (step ${snapshot + 1}) comes before the freeze (step ${freeze + 1})`);
  if (snapshot >= 0 && restore >= 0 && restore < snapshot) out.push(`the restore (step ${restore + 1}) comes before the snapshot (step ${snapshot + 1})`);
  if (move >= 0 && restore >= 0 && move < restore) out.push(`traffic moves (step ${move + 1}) before the target's database is restored (step ${restore + 1})`);
  const work = estate.runbook.filter((s) => s.on === 'enter' && s.modes.includes('cutover') && s.phase === 'start' && !s.after && !s.before).map((s) => s.id);
  for (const id of work) {
    const i = at(steps, (s) => s.id === id);
    if (move >= 0 && i > move) out.push(`the declared work ${id} (step ${i + 1}) comes after traffic moved (step ${move + 1})`);
  }
  return out;
}

/**
 * A database restored from a snapshot is created only by the restore stage, after the snapshot the
 * plan takes once writes have stopped: never from a snapshot nobody took, never before the freeze.
 */
export function restoresWithoutSnapshot(legs: readonly Leg[], steps: readonly PlanStep[]): string[] {
  return legs.flatMap((l) =>
    l.changes.aws
      .filter((c) => c.component === 'database' && c.action === 'add' && c.effects.includes('creates-stateful') && / from snapshot /.test(c.text))
      .filter(() => l.stage !== 'restore' || !steps.some((s) => s.kind === 'snapshot'))
      .map((c) => `${c.text} in ${wordOf(l)}, ${l.stage === 'restore' ? 'but the plan takes no snapshot' : 'not by the restore stage after a snapshot'}`),
  );
}

/** The first deploy of a leg after which the public sees `view` (undefined: none of them alone). */
function deployGiving(leg: Leg, test: (v: PublicView) => boolean): Provider | undefined {
  return leg.order.find((_, i) => test(viewPart(leg, leg.order.slice(0, i + 1))));
}

/**
 * Holding the public comes before what stops behind it: no leg closes the database before the leg
 * that puts the page up (or freezes writes), nor, in that leg, a deploy before the one that holds.
 * Releasing it comes after the origin is back: no leg opens the database after the leg that lets
 * the public in, nor, in that leg, a deploy after the one that releases.
 */
export function pageOrderIn(legs: readonly Leg[]): string[] {
  const out: string[] = [];
  const has = (l: Leg, p: Provider, e: Change['effects'][number]) => l.changes[p].some((c) => c.effects.includes(e));
  const hold = legs.findIndex((l) => publicView(l.before) === 'open' && publicView(l.after) !== 'open');
  const release = legs.findIndex((l) => publicView(l.before) !== 'open' && publicView(l.after) === 'open');
  legs.forEach((l, i) => {
    for (const p of l.order) {
      if (has(l, p, 'closes-access') && hold >= 0) {
        const holder = deployGiving(legs[hold]!, (v) => v !== 'open');
        if (i < hold || (i === hold && holder && l.order.indexOf(p) < l.order.indexOf(holder))) out.push(`the database closes (${wordOf(l)}, ${p}) before the page is up`);
      }
      if (has(l, p, 'opens-access') && release >= 0) {
        const releaser = deployGiving(legs[release]!, (v) => v === 'open');
        if (i > release || (i === release && releaser && l.order.indexOf(p) > l.order.indexOf(releaser))) out.push(`the database opens (${wordOf(l)}, ${p}) after the page is down`);
      }
    }
  });
  return out;
}

export function pageOrder(estate: Estate, from: ModeState, to: ModeState): string[] {
  return pageOrderIn(legsOfPlan(estate, from, to).forward);
}

/**
 * A declared step with `before:` or `after:` a stage or an item lands next to the first leg that
 * reaches that stage or changes that item (no other leg's deploy between them), when the move has one.
 */
export function misplacedSteps(estate: Estate, p: Plan): string[] {
  const out: string[] = [];
  const { forward, back } = legsOfPlan(estate, p.from, p.to);
  for (const [steps, legs, what] of [[p.steps, forward, 'the move'], [p.rollback?.steps ?? [], back, 'the way back']] as const) {
    for (const [i, s] of steps.entries()) {
      const spec = s.source === 'estate' ? estate.runbook.find((r) => r.id === s.id) : undefined;
      const text = spec?.before ?? spec?.after;
      const ref = text ? parseReference(text) : undefined;
      const leg = ref && legs.find((l) => legMatches(l, ref));
      if (!leg) continue;
      const own = steps.flatMap((d, k) => (legOfDeploy(legs, d) === leg ? [k] : []));
      const others = steps.flatMap((d, k) => (legOfDeploy(legs, d) && legOfDeploy(legs, d) !== leg ? [k] : []));
      if (!own.length) continue;
      const [lo, hi] = spec!.before ? [i, Math.min(...own)] : [Math.max(...own), i];
      if (lo > hi) out.push(`${what}: ${s.id} (step ${i + 1}) is not ${spec!.before ? 'before' : 'after'} ${text} (steps ${own.map((k) => k + 1).join(', ')})`);
      else if (others.some((k) => k > lo && k < hi)) out.push(`${what}: another stage's deploy comes between ${s.id} (step ${i + 1}) and ${text}`);
    }
  }
  return out;
}

/** Every rule for one move. */
export function planRuleViolations(estate: Estate, from: ModeState, to: ModeState): string[] {
  const p = plan(estate, from, to);
  return [...checksThatCannotPass(estate, p), ...statefulLosses(estate, from, to), ...repeatedOnceSteps(estate, p), ...cutoverOrder(estate, p), ...restoresWithoutSnapshot(legsOfPlan(estate, from, to).forward, p.steps), ...pageOrder(estate, from, to), ...misplacedSteps(estate, p)];
}

export { describeChanges };
