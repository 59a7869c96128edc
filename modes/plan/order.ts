/**
 * The order of a move, the rules that keep customers safe:
 *
 *   - entering maintenance puts the page up (the provider customers meet first: Cloudflare's gate
 *     when there is one) before anything is stopped, and the declared work runs behind the page;
 *   - leaving brings the origin back, lets the `end` steps verify it through the staff bypass, and
 *     only then takes the page down: the way out is the reverse of the way in;
 *   - a cutover takes the snapshot its target database is restored from first, freezes writes with
 *     the engine that does not move traffic, runs the declared `start` steps (data sync,
 *     migrations), and only then moves traffic (DNS, listener weights) to the target.
 *
 * Then each step is numbered and marked when it runs while customers are affected.
 */
import type { Change } from '../component';
import { describeChanges, hasEffect } from '../changes';
import { resolve } from '../resolve';
import type { DesiredState } from '../desired';
import { PROVIDERS, type Provider } from '../engines';
import { PHASES, type ModeState, type PhaseName } from '../fields';
import type { Estate } from '../schema';
import { formatModeWord } from '../words';
import type { PlanContext } from './context';
import { direction, effect, isFailBack } from './moves';
import { commitStep, deployStep, manualStep, manualSteps, reconcileStep, snapshotStep, windowSteps } from './steps';
import type { Direction, Draft, PlanStep } from './types';

export interface Built {
  readonly steps: PlanStep[];
  readonly warnings: string[];
  readonly notes: string[];
  readonly direction: Direction;
}

function phaseIndex(p: PhaseName): number {
  return PHASES.indexOf(p);
}

const label = (p: Provider) => (p === 'aws' ? 'AWS' : 'Cloudflare');

interface DeployPhase {
  readonly deploys: readonly Draft[];
  /** The declared manual steps of the deploy phase. */
  readonly here: readonly Draft[];
  readonly changes: Readonly<Record<Provider, Change[]>>;
  readonly holder: Provider | undefined;
  readonly from: ModeState;
  readonly to: ModeState;
  readonly dir: Direction;
}

/** The deploy phase in the order that keeps customers safe; warnings where no order can. */
function orderDeployPhase(p: DeployPhase, warnings: string[]): Draft[] {
  const { deploys, here, changes, holder, from, to, dir } = p;
  const of = (e: Provider) => deploys.filter((d) => d.provider === e);
  const other = (e: Provider | undefined): Provider => (e === 'aws' ? 'cloudflare' : 'aws');
  const moves = (e: Provider) => hasEffect(changes[e], 'moves-traffic');
  if (deploys.length <= 1) {
    // One engine does it all: entering, it goes first (the page, then the work behind it); leaving,
    // the checks run first and the page comes down last. A cutover does its work before the move.
    const only = deploys[0]?.provider;
    if (only && to.mode === 'cutover' && dir !== 'leave' && moves(only)) {
      warnings.push(
        `${label(only)} freezes writes and moves traffic in the same deploy (step "${deploys[0]!.title}"): the declared start steps run before it, while writes are still accepted. If they need writes stopped, enter maintenance first (${formatModeWord({ ...from, mode: 'maintenance', hardDown: false })}) and cut over from there.`,
      );
    }
    return dir === 'enter' && to.mode === 'maintenance' ? [...deploys, ...here] : [...here, ...deploys];
  }
  if (to.mode === 'maintenance' && dir === 'enter') {
    // Page up (holder) before anything is stopped; the work runs behind the page.
    return [...of(holder ?? 'cloudflare'), ...of(other(holder)), ...here];
  }
  if (to.mode === 'cutover' && dir !== 'leave') {
    // Freeze with the engine that does not move traffic, do the work, then move traffic.
    let freezer: Provider = holder ?? 'cloudflare';
    if (moves('cloudflare') && !moves('aws')) freezer = 'aws';
    if (moves(freezer)) warnings.push(`both engines move traffic: the write freeze (${label(freezer)}) and its own DNS/traffic changes land in the same deploy.`);
    return [...of(freezer), ...here, ...of(other(freezer))];
  }
  // Leaving (and switching): bring the origin back, verify it through the bypass, then release the page.
  return [...of(other(holder)), ...here, ...of(holder ?? 'cloudflare')];
}

/** Number the steps (by phase, the snapshot first in its phase) and mark what runs while customers are affected. */
function number(drafts: readonly Draft[], from: ModeState, to: ModeState): PlanStep[] {
  const sorted = drafts
    .map((d, i) => ({ d, i }))
    .sort((x, y) => phaseIndex(x.d.phase) - phaseIndex(y.d.phase) || (x.d.kind === 'snapshot' ? -1 : y.d.kind === 'snapshot' ? 1 : x.i - y.i))
    .map(({ d }) => d);
  // Customers are affected from the first deploy on the way in, and until the last one on the way out.
  const moveDeploys = sorted.filter((d) => d.id.startsWith('deploy-'));
  const flip = effect(to) !== 'open' ? moveDeploys[0] : moveDeploys[moveDeploys.length - 1];
  let affected = effect(from) !== 'open';
  return sorted.map((d, i): PlanStep => {
    const before = affected;
    if (d === flip) affected = effect(to) !== 'open';
    return { ...d, n: i + 1, outage: before || affected };
  });
}

function pulumiStackNote(ctx: PlanContext): string {
  const { stack } = ctx.target;
  return (
    `The Cloudflare steps run Pulumi stack ${stack} on this estate: set it up once with \`pulumi stack init ${stack}\`, ` +
    `\`pulumi config set drawbridge:estate ${ctx.estateFile} --stack ${stack}\` and its secrets (cloudflare:apiToken, drawbridge:bypassSecret; see Pulumi.production.yaml). ` +
    `\`pulumi config get drawbridge:estate --stack ${stack}\` must print ${ctx.estateFile}: a stack that manages another estate would have that estate's records replaced by this one's. ` +
    `Each \`pulumi up\` below also passes --config drawbridge:estate=${ctx.estateFile}.`
  );
}

/** The steps of the move from `from` (in `fromEstate`) to `to` (in `ctx.estate`); `rollback` for the way back. */
export function build(ctx: PlanContext, fromEstate: Estate, from: ModeState, to: ModeState, rollback: boolean): Built {
  const estate = ctx.estate;
  const a: DesiredState = resolve(fromEstate, from);
  const b: DesiredState = resolve(estate, to);
  const dir = direction(from, to);
  const warnings: string[] = [];
  const notes: string[] = [];
  if (dir === 'none' && JSON.stringify(a) === JSON.stringify(b)) return { steps: [], warnings, notes, direction: dir };

  const changes = describeChanges(a, b);
  const providers = PROVIDERS.filter((e) => changes[e].length > 0);
  // The engine customers meet first holds the page (or the freeze): Cloudflare's gate when there is one.
  const holder: Provider | undefined = estate.cloudflare ? 'cloudflare' : estate.aws ? 'aws' : undefined;
  const manual = manualSteps(estate, from, to);
  const deployPhase: PhaseName = dir === 'leave' ? 'end' : 'start';

  const deploys = providers.map((provider) => deployStep({ ctx, provider, changes: changes[provider], holder, from, to, before: a, after: b, phase: deployPhase }));
  const here = manual.filter((s) => s.phase === deployPhase).map((s) => manualStep(estate, s));
  if (isFailBack(from, to)) here.unshift(reconcileStep(from, to, deployPhase));
  const core = orderDeployPhase({ deploys, here, changes, holder, from, to, dir }, warnings);

  const drafts: Draft[] = [];
  const snap = !rollback ? snapshotStep(estate, from, to, fromEstate) : undefined;
  if (snap) drafts.push(snap);
  // The window ships a day ahead of a planned move from normal; on an escalation from a mode already
  // entered (maintenance -> hard-down) it is live already, and there is no day before.
  if (!rollback && dir === 'enter' && from.mode === 'normal') {
    const window = windowSteps(ctx, b);
    // A cutover starts with its snapshot; the window (and the TTLs it lowers) must already be live.
    if (snap) {
      for (const w of window) notes.push(`${w.title.replace(/^Deploy/, 'Deploy, a day ahead,')}: \`${w.command}\` (${w.changes.join('; ')}).`);
    } else drafts.push(...window);
  }
  for (const phase of PHASES) {
    if (rollback && phaseIndex(phase) < phaseIndex('minutes-before')) continue;
    if (phase === deployPhase) {
      const pullRequest = fromEstate !== estate;
      if (providers.length && (rollback || pullRequest || formatModeWord(to) !== formatModeWord(estate.state))) drafts.push(commitStep(ctx, to, phase, rollback));
      drafts.push(...core);
    } else {
      drafts.push(...manual.filter((s) => s.phase === phase).map((s) => manualStep(estate, s)));
    }
  }
  if (!providers.length) warnings.push('no engine has anything to change between these states.');
  if (!rollback && !ctx.target.isDefaultEstate && providers.includes('cloudflare')) notes.push(pulumiStackNote(ctx));
  if (dir === 'enter' && !estate.window && to.mode !== 'normal') {
    warnings.push('the estate declares no window: the page shows no end time and sends no Retry-After; add window: (reason, start, end, timeZones) to the estate.');
  }
  return { steps: number(drafts, from, to), warnings, notes, direction: dir };
}
