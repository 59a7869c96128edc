/**
 * The stages of a move (stages.ts) as legs: each leg takes the estate from one declared state to
 * the next, with the changes each engine deploys for it. Legs with nothing to deploy are dropped;
 * consecutive legs that touch different engines in the right order share one commit of the state
 * (one pull request), deployed engine by engine.
 */
import type { Change } from '../component';
import { describeChanges, hasEffect } from '../changes';
import { exists } from '../components/aws/databases';
import type { DesiredState } from '../desired';
import { PROVIDERS, type Provider } from '../engines';
import type { ColourName, ModeState, PhaseName } from '../fields';
import { ModeTable } from '../mode-table';
import { movePolicy, resolve } from '../resolve';
import type { Estate } from '../schema';
import { CUTOVER_STAGES, type StageName } from '../stages';
import { formatModeWord } from '../words';

/**
 * What a leg does for the public: holds it (the page goes up, writes freeze), works behind it,
 * moves traffic, or releases it.
 */
export type LegKind = 'hold' | 'work' | 'move' | 'release';

export interface Leg {
  /** The state this leg reaches. */
  readonly to: ModeState;
  readonly from: ModeState;
  /** The stage it reaches, e.g. `page`, `freeze`; `complete` when it reaches a complete state. */
  readonly stage: StageName | 'complete';
  readonly phase: PhaseName;
  readonly kind: LegKind;
  readonly before: DesiredState;
  readonly after: DesiredState;
  readonly changes: Readonly<Record<Provider, Change[]>>;
  /** The providers that deploy, in the order that keeps the public safe. */
  readonly order: readonly Provider[];
}

const same = (a: ModeState, b: ModeState) => formatModeWord(a) === formatModeWord(b);
const complete = (s: ModeState): ModeState => {
  const { stage: _s, ...rest } = s;
  return rest;
};
const staged = (s: ModeState, stage: StageName): ModeState => ({ ...complete(s), stage });

function cutoverStages(live: ColourName, target: ColourName, fromStage: StageName | undefined, toStage: StageName | undefined): ModeState[] {
  const start = fromStage === undefined ? 0 : CUTOVER_STAGES.indexOf(fromStage as (typeof CUTOVER_STAGES)[number]) + 1;
  const end = CUTOVER_STAGES.indexOf((toStage ?? 'move') as (typeof CUTOVER_STAGES)[number]);
  const base: ModeState = { mode: 'cutover', live, target, hardDown: false };
  return CUTOVER_STAGES.slice(start, end + 1).map((s) => (s === 'move' ? base : staged(base, s)));
}

/**
 * The states a move passes through after `from`, ending with `to`. `held`: in `from`, a cutover's
 * target has the traffic but the public is still held off it (so a fail-back just lets the source go).
 */
export function moveStates(from: ModeState, to: ModeState, held = false): ModeState[] {
  if (same(from, to)) return [];
  // Entering maintenance from normal: ahead, with the page, behind it.
  if (from.mode === 'normal' && !from.stage && to.mode === 'maintenance' && to.live === from.live) {
    const stages = (['ahead', 'page'] as const).filter((s) => !to.stage || s === 'ahead' || to.stage === 'page');
    return [...stages.map((s) => staged(to, s)), ...(to.stage ? [] : [to])].filter((s, i, all) => all.findIndex((x) => same(x, s)) === i);
  }
  // Leaving it: behind items back first, then the page comes down, then what switched ahead.
  if (from.mode === 'maintenance' && to.mode === 'normal' && to.live === from.live) {
    // Until the page comes down, a hard-down's site records stay on the down page.
    const leaving: ModeState = { ...to, hardDown: from.hardDown };
    const stages = (['behind', 'page'] as const).filter((s) => !to.stage || s === 'behind' || to.stage === 'page');
    return [...stages.map((s) => staged(s === 'behind' ? leaving : to, s)), ...(to.stage ? [] : [to])].filter((s, i, all) => all.findIndex((x) => same(x, s)) === i);
  }
  // A leaving move already under way goes on from its stage.
  if (from.mode === 'normal' && from.stage && to.mode === 'normal' && !to.stage && to.live === from.live) {
    return from.stage === 'behind' ? [staged(to, 'page'), to] : [to];
  }
  if (from.mode === 'maintenance' && from.stage && to.mode === 'maintenance' && !to.stage && to.live === from.live) return from.stage === 'ahead' ? [staged(to, 'page'), to] : [to];
  // A cutover: prepare, freeze, restore, move; then normal on the target opens it. From behind the
  // page it starts at the freeze: preparing would open the source again.
  if (to.mode === 'cutover' && from.mode !== 'cutover' && from.live === to.live) {
    const stages = cutoverStages(to.live, to.target!, heldByPage(from) ? 'prepare' : undefined, to.stage);
    return stages.length ? stages : [to];
  }
  if (to.mode === 'cutover' && from.mode === 'cutover' && from.live === to.live && from.target === to.target) {
    return cutoverStages(to.live, to.target!, from.stage ?? 'move', to.stage);
  }
  if (to.mode === 'normal' && !to.stage && from.mode === 'normal' && !from.stage && to.live !== from.live) return [...cutoverStages(from.live, to.live, undefined, undefined), to];
  if (to.mode === 'normal' && !to.stage && from.mode === 'cutover' && to.live === from.target) return [...cutoverStages(from.live, from.target, from.stage ?? 'move', undefined).filter((s) => !same(s, from)), to];
  // A fail-back: once the public is on the target, freeze it and move back the same way; before
  // (traffic not moved, or the public still held), just let the source go.
  if (to.mode === 'normal' && !to.stage && from.mode === 'cutover' && to.live === from.live) {
    const moved = (from.stage ?? 'move') === 'move';
    return moved && !held ? [...cutoverStages(from.target!, from.live, undefined, undefined), to] : [to];
  }
  // Any other move that puts the other colour live goes the way a cutover goes (so its database is
  // restored after the freeze, from the snapshot), then on to the state it ends in.
  if (to.live !== from.live && (from.mode !== 'cutover' || from.target === to.live)) {
    const start = from.mode === 'cutover' ? (from.stage ?? 'move') : heldByPage(from) ? 'prepare' : undefined;
    return [...cutoverStages(from.live, to.live, start, undefined), to].filter((s, i, all) => !same(s, from) && all.findIndex((x) => same(x, s)) === i);
  }
  return [to];
}

/** The page is up in this state (maintenance past its ahead stage, or leaving it before the page comes down). */
function heldByPage(s: ModeState): boolean {
  return (s.mode === 'maintenance' && s.stage !== 'ahead') || (s.mode === 'normal' && s.stage === 'behind');
}

/** Where a leg stands in the runbook's phases, and what it does for the public. */
function shape(from: ModeState, to: ModeState): { phase: PhaseName; kind: LegKind } {
  if (to.mode === 'maintenance') return to.stage === 'ahead' ? { phase: 'minutes-before', kind: 'work' } : to.stage === 'page' || from.mode !== 'maintenance' ? { phase: 'start', kind: 'hold' } : { phase: 'start', kind: 'work' };
  if (to.mode === 'cutover') {
    const stage = to.stage ?? 'move';
    if (stage === 'prepare') return { phase: 'minutes-before', kind: 'work' };
    if (stage === 'freeze') return { phase: 'start', kind: 'hold' };
    return stage === 'restore' ? { phase: 'start', kind: 'work' } : { phase: 'start', kind: 'move' };
  }
  if (from.mode === 'maintenance' || (from.mode === 'normal' && from.stage)) {
    if (to.stage === 'behind') return { phase: 'end', kind: 'work' };
    if (to.stage === 'page' || from.stage !== 'page') return { phase: 'end', kind: 'release' };
    return { phase: 'after', kind: 'work' };
  }
  return { phase: 'end', kind: 'release' };
}

/** The deploy order within a leg: what holds the public first, what moves traffic after the rest, what releases it last. */
function deployOrder(changes: Readonly<Record<Provider, Change[]>>, kind: LegKind, holder: Provider | undefined): Provider[] {
  const rank = (p: Provider): number => {
    const c = changes[p];
    if (hasEffect(c, 'holds-public')) return 0;
    if (hasEffect(c, 'releases-public')) return 3;
    if (hasEffect(c, 'moves-traffic')) return 2;
    return 1;
  };
  const providers = PROVIDERS.filter((p) => changes[p].length > 0);
  // Ties: the holder of the page goes first when holding, last otherwise.
  const tie = (p: Provider) => (p === holder ? (kind === 'hold' ? -0.5 : 0.5) : 0);
  return providers.sort((a, b) => rank(a) + tie(a) - (rank(b) + tie(b)));
}

/**
 * The desired state once `done` of a leg's engines have deployed: theirs as the leg leaves them, the
 * others' as before. The public follows the traffic: until the engine that moves it has deployed,
 * the colour serving is the one before the leg.
 */
export function deployedState(leg: Leg, done: readonly Provider[]): DesiredState {
  const moved = PROVIDERS.every((p) => done.includes(p) || !hasEffect(leg.changes[p], 'moves-traffic'));
  return { ...leg.before, ...Object.fromEntries(done.map((p) => [p, leg.after[p]])), state: moved ? leg.after.state : leg.before.state };
}

/**
 * An estate in which stateful resources that exist in `current` stay in every state: the way back
 * never removes what the way in created (a database restored by a cutover is kept, marked restored).
 */
export function keepingStateful(estate: Estate, current: ModeState): Estate {
  const aws = estate.aws;
  if (!aws || !aws.databases.some((d) => d.restored === false && exists(d, current))) return estate;
  return { ...estate, aws: { ...aws, databases: aws.databases.map((d) => (d.restored === false && exists(d, current) ? { ...d, restored: true } : d)) } };
}

/** The legs of the move from `from` (resolved in `fromEstate`) to `to`. */
export function legsOf(estate: Estate, fromEstate: Estate, from: ModeState, to: ModeState, holder: Provider | undefined): Leg[] {
  const legs: Leg[] = [];
  let prev = from;
  let before = resolve(fromEstate, from);
  const held = from.mode === 'cutover' && new ModeTable(from, movePolicy(fromEstate)).status(from.target!) === 'held';
  for (const next of moveStates(from, to, held)) {
    const after = resolve(estate, next);
    const changes = describeChanges(before, after);
    if (PROVIDERS.some((p) => changes[p].length > 0)) {
      const { phase, kind } = shape(prev, next);
      legs.push({ from: prev, to: next, stage: next.stage ?? 'complete', phase, kind, before, after, changes, order: deployOrder(changes, kind, holder) });
      prev = next;
      before = after;
    } else if (legs.length && same(next, to)) {
      // Nothing changes in the last stage: the leg before already reaches the end of the move.
      const last = legs[legs.length - 1]!;
      legs[legs.length - 1] = { ...last, to: next, after };
      prev = next;
    }
  }
  return legs;
}

/**
 * Consecutive legs that one commit of the state can carry: each engine changes in one of them only,
 * and the legs' engines come in order, so deploying engine by engine gives each leg in turn.
 */
export function commitGroups(legs: readonly Leg[]): Leg[][] {
  const groups: Leg[][] = [];
  for (const leg of legs) {
    const group = groups[groups.length - 1];
    const used = new Set(group?.flatMap((l) => l.order) ?? []);
    if (group && leg.order.every((p) => !used.has(p)) && leg.phase === group[0]!.phase) group.push(leg);
    else groups.push([leg]);
  }
  return groups;
}
