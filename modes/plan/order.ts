/**
 * A move as a runbook: its legs (legs.ts) in order, each deployed engine by engine in the order that
 * keeps the public safe, one commit of the state per group of legs, the estate's own steps placed
 * between them (runbook.ts), and Drawbridge's generated steps where the order rules need them:
 *
 *   - the page goes up before anything stops behind it, and comes down only after the origin is back
 *     and checked through the staff bypass;
 *   - a cutover prepares the target, freezes the source, takes the snapshot only then, restores the
 *     target's database from it, lets the declared work run (migrations), moves traffic while the
 *     public is held, and opens the target after the tests;
 *   - a move without a freeze waits for the source's sessions to end before its capacity goes;
 *   - a fail-back accounts for what the target took before the source opens again.
 *
 * Then each step is numbered and marked when it runs while the public is affected.
 */
import type { ModeState, PhaseName } from '../fields';
import { PHASES } from '../fields';
import type { Provider } from '../engines';
import type { Estate, ManualStepSpec } from '../schema';
import { formatModeWord } from '../words';
import { publicView, type PublicView } from './checks';
import type { PlanContext } from './context';
import { commitGroups, legsOf, type Leg } from './legs';
import { direction, isFailBack } from './moves';
import { defaultPosition, isOnce, legMatches, parseReference, stepsOfMove } from './runbook';
import { catchUpStep, commitStep, deployStep, drainStep, manualStep, reconcileStep, snapshotStep, windowSteps } from './steps';
import type { Direction, Draft, PlanStep } from './types';

export interface Built {
  readonly steps: PlanStep[];
  readonly warnings: string[];
  readonly notes: string[];
  readonly direction: Direction;
  readonly stages: string[];
  readonly commits: number;
  /** What the public sees before the move and after each step. */
  readonly views: { readonly before: PublicView; readonly after: readonly PublicView[] };
}

/** The provider that holds the public: Cloudflare in front when the estate has it, else AWS. */
export function holderOf(estate: Estate): Provider | undefined {
  return estate.cloudflare ? 'cloudflare' : estate.aws ? 'aws' : undefined;
}

/** A placed step: before the leg at `index` of `phase` (index = the phase's leg count: after them all). */
interface Placed {
  readonly step: ManualStepSpec;
  readonly phase: PhaseName;
  readonly index: number;
}

function place(step: ManualStepSpec, legs: readonly Leg[]): Placed {
  for (const [field, offset] of [['before', 0], ['after', 1]] as const) {
    const text = step[field];
    const ref = text ? parseReference(text) : undefined;
    const leg = ref ? legs.find((l) => legMatches(l, ref)) : undefined;
    if (leg) {
      const phaseLegs = legs.filter((l) => l.phase === leg.phase);
      return { step, phase: leg.phase, index: phaseLegs.indexOf(leg) + offset };
    }
  }
  return { step, phase: step.phase, index: defaultPosition(legs.filter((l) => l.phase === step.phase)) };
}

/** The way back's stand-in for a step done once that declares its undo. */
function undoStep(step: ManualStepSpec, phase: PhaseName): ManualStepSpec {
  const { before: _b, after: _a, check: _c, undo, ...rest } = step;
  return { ...rest, id: `undo-${step.id}`, phase, kind: step.kind === 'message' ? 'message' : 'command', title: `Undo: ${step.title}`, detail: undo!, once: true };
}

/** The views the public has after each step, given where the legs' deploys are. */
function viewsAfter(drafts: readonly Draft[], legsByStep: ReadonlyMap<Draft, Leg>, start: PublicView): PublicView[] {
  let view = start;
  return drafts.map((d) => {
    const leg = legsByStep.get(d);
    if (leg && d.provider && leg.order[leg.order.length - 1] === d.provider) view = publicView(leg.after);
    else if (leg && d.provider) {
      // A deploy that holds the public changes its view at once; one that releases it only with the leg's last.
      const v = publicView(leg.after);
      if (v !== 'open' && d.changes.length && view === 'open' && leg.order[0] === d.provider) view = v;
    }
    return view;
  });
}

/** The steps of the move from `from` (in `fromEstate`) to `to` (in `ctx.estate`); `wayBack` for a rollback. */
export function build(ctx: PlanContext, fromEstate: Estate, from: ModeState, to: ModeState, wayBack: boolean, done: readonly ManualStepSpec[] = []): Built {
  const estate = ctx.estate;
  const dir = direction(from, to);
  const warnings: string[] = [];
  const notes: string[] = [];
  const legs = legsOf(estate, fromEstate, from, to, holderOf(estate));
  const stages = legs.map((l) => formatModeWord(l.to));
  const empty = { steps: [], warnings, notes, direction: dir, stages, commits: 0, views: { before: 'open' as PublicView, after: [] } };
  if (dir === 'none' && legs.length === 0) return empty;
  const groups = commitGroups(legs);
  const groupOf = new Map(groups.flatMap((g) => g.map((l) => [l, g] as const)));

  // The estate's steps, and on a way back the undo of those done once on the way in.
  const declared = stepsOfMove(estate, from, to, wayBack);
  const undos = wayBack ? [...done].reverse().filter((s) => isOnce(s) && s.undo) : [];
  const releasing = legs.find((l) => l.kind === 'release' || l.kind === 'work');
  const placed = [...declared, ...undos.map((s) => undoStep(s, releasing?.phase ?? 'start'))].map((s) => place(s, legs));

  const drafts: Draft[] = [];
  const legOfStep = new Map<Draft, Leg>();
  const pullRequest = fromEstate !== estate;
  // The window ships a day ahead of a planned move from normal; on an escalation it is live already.
  const restoreLeg = legs.find((l) => l.stage === 'restore');
  const snap = restoreLeg ? snapshotStep(estate, restoreLeg) : undefined;
  if (!wayBack && dir === 'enter' && from.mode === 'normal' && !from.stage) {
    const window = windowSteps(ctx, legs[legs.length - 1]?.after ?? legs[0]!.after);
    if (snap || legs[0]?.phase === 'minutes-before') {
      for (const w of window) notes.push(`${w.title.replace(/^Deploy/, 'Deploy, a day ahead,')}: \`${w.command}\` (${w.changes.join('; ')}).`);
      if (!snap) drafts.push(...window);
    } else drafts.push(...window);
  }
  let commits = 0;
  for (const phase of PHASES) {
    if (wayBack && PHASES.indexOf(phase) < PHASES.indexOf('minutes-before')) continue;
    const phaseLegs = legs.filter((l) => l.phase === phase);
    for (let i = 0; i <= phaseLegs.length; i++) {
      const leg = phaseLegs[i];
      drafts.push(...placed.filter((p) => p.phase === phase && p.index === i).map((p) => manualStep(ctx, p.step, phase)));
      if (!leg) continue;
      if (leg.kind === 'release' && isFailBack(from, to)) drafts.push(reconcileStep(from, to, phase));
      if (leg === restoreLeg && snap) drafts.push(snap);
      const group = groupOf.get(leg)!;
      const commit = group[group.length - 1]!.to;
      if (group[0] === leg) {
        if (wayBack || pullRequest || formatModeWord(commit) !== formatModeWord(estate.state)) {
          commits++;
          drafts.push(commitStep(ctx, commit, phase, wayBack));
        }
      }
      for (const provider of leg.order) {
        const d = deployStep(ctx, leg, provider, commit);
        legOfStep.set(d, leg);
        drafts.push(d);
      }
      if (leg.stage === 'freeze' && !restoreLeg) {
        const catchUp = catchUpStep(estate, leg);
        if (catchUp) drafts.push(catchUp);
      }
      if (leg.to.mode === 'cutover' && leg.stage === 'complete') {
        const drain = drainStep(estate, leg);
        if (drain) drafts.push(drain);
      }
    }
  }
  if (isFailBack(from, to) && !legs.some((l) => l.kind === 'release')) drafts.push(reconcileStep(from, to, 'end'));
  if (!legs.length) warnings.push('no engine has anything to change between these states.');
  if (!wayBack && !ctx.target.isDefaultEstate && legs.some((l) => l.order.includes('cloudflare'))) notes.push(pulumiStackNote(ctx));
  if (!wayBack && dir === 'enter' && !estate.window && to.mode !== 'normal') {
    warnings.push('the estate declares no window: the page shows no end time and sends no Retry-After; add window: (reason, start, end, timeZones) to the estate.');
  }
  if (groups.length > 1 && pullRequest) {
    warnings.push(
      `this pull request commits the end of a move of ${groups.length} stages (${groups.map((g) => formatModeWord(g[g.length - 1]!.to)).join(', ')}): split it into one pull request per stage, or merge it with its deploys held and run each stage's deploys with their overrides, in order.`,
    );
  }
  const ids = drafts.filter((d) => d.kind === 'deploy' && d.id.startsWith('deploy-'));
  const renamed = drafts.map((d) => {
    // One deploy per engine keeps its short id (deploy-aws); several are told apart by their stage.
    if (d.kind !== 'deploy' || !d.provider || !d.id.startsWith('deploy-')) return d;
    const several = ids.filter((x) => x.provider === d.provider).length > 1;
    return several ? d : { ...d, id: `deploy-${d.provider}` };
  });
  const commitIds = renamed.filter((d) => d.kind === 'commit').length;
  let c = 0;
  const final = renamed.map((d) => (d.kind === 'commit' && commitIds > 1 ? { ...d, id: `commit-state-${++c}` } : d));
  const start = legs.length ? publicView(legs[0]!.before) : 'open';
  const views = viewsAfter(final, new Map([...legOfStep].map(([d, l]) => [final[drafts.indexOf(d)]!, l])), start);
  let affected = start !== 'open';
  const steps = final.map((d, i): PlanStep => {
    const before = affected;
    affected = views[i] !== 'open';
    return { ...d, n: i + 1, outage: before || affected };
  });
  return { steps, warnings, notes, direction: dir, stages, commits, views: { before: start, after: views } };
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
