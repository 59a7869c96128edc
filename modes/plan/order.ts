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
import { commitGroups, deployedState, legsOf, type Leg } from './legs';
import { direction, isFailBack } from './moves';
import { defaultPosition, isOnce, legMatches, parseReference, stepsOfMove } from './runbook';
import { statusPagePlacement, statusPageStep } from './status-page';
import { catchUpStep, commitStep, deployStep, drainStep, manualStep, reconcileStep, scalingSteps, snapshotStep, windowSteps } from './steps';
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

/** Kinds of component that hold data: no move removes or replaces them. */
const STATEFUL_KINDS: ReadonlySet<string> = new Set(['database', 'beanstalkEnvironment']);

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

/**
 * What the public sees after each step: after a deploy, the leg's state on the engines deployed so
 * far and its previous state on the others.
 */
function viewsAfter(drafts: readonly Draft[], legsByStep: ReadonlyMap<Draft, Leg>, start: PublicView): PublicView[] {
  let view = start;
  const deployed = new Map<Leg, Set<Provider>>();
  return drafts.map((d) => {
    const leg = legsByStep.get(d);
    if (leg && d.provider) {
      const done = deployed.get(leg) ?? new Set<Provider>();
      done.add(d.provider);
      deployed.set(leg, done);
      view = publicView(deployedState(leg, [...done]));
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
  // A fail-back accounts for what the target took; the way back of a whole cutover is one from the
  // colour the public was opened on.
  const wholeBack = wayBack && from.mode === 'normal' && !from.stage && to.mode === 'normal' && !to.stage && from.live !== to.live;
  const failedFrom: ModeState | undefined = isFailBack(from, to) ? from : wholeBack ? { mode: 'cutover', live: to.live, target: from.live, hardDown: false } : undefined;

  // The estate's steps, and on a way back the undo of those done once on the way in.
  const declared = stepsOfMove(estate, from, to, wayBack);
  const undos = wayBack ? [...done].reverse().filter((s) => isOnce(s) && s.undo) : [];
  const releasing = legs.find((l) => l.kind === 'release' || l.kind === 'work');
  // Undoing comes first where it lands: before the checks of the way back.
  const undone = undos.map((s) => undoStep(s, releasing?.phase ?? 'start'));
  const placed = [...undone, ...declared].map((s) => place(s, legs));

  const drafts: Draft[] = [];
  const legOfStep = new Map<Draft, Leg>();
  const pullRequest = fromEstate !== estate;
  // The window ships a day ahead of a planned move from normal; on an escalation it is live already.
  const restoreLeg = legs.find((l) => l.stage === 'restore');
  const moveLeg = legs.find((l) => l.to.mode === 'cutover' && l.stage === 'complete');
  const openLeg = moveLeg && legs[legs.indexOf(moveLeg) + 1];
  const scaling = moveLeg ? scalingSteps(estate, moveLeg) : undefined;
  const snap = restoreLeg ? snapshotStep(estate, restoreLeg) : undefined;
  // The window ships a day ahead of a planned move out of normal (into maintenance, a cutover, or
  // a whole cutover to the other colour); on an escalation it is live already.
  const planned = !wayBack && from.mode === 'normal' && !from.stage && !(to.mode === 'normal' && to.live === from.live);
  const window = planned ? windowSteps(ctx, from) : [];
  // The status page's maintenance follows what the public sees (status-page.ts).
  const status = statusPagePlacement(ctx, legs, planned, wayBack || isFailBack(from, to));
  // What the estate file says as the move goes: a stage needs a commit unless the file already says it.
  let fileState: ModeState | undefined = pullRequest ? undefined : estate.state;
  let commits = 0;
  for (const phase of PHASES) {
    if (wayBack && PHASES.indexOf(phase) < PHASES.indexOf('minutes-before')) continue;
    const phaseLegs = legs.filter((l) => l.phase === phase);
    // The window ships a day ahead, before the day-before steps (which may announce it).
    if (phase === 'day-before') drafts.push(...window, ...(status.scheduled ? [statusPageStep(ctx, 'scheduled', phase)] : []));
    for (let i = 0; i <= phaseLegs.length; i++) {
      const leg = phaseLegs[i];
      const here = placed.filter((p) => p.phase === phase && p.index === i);
      // Verifying once the undoing is done, before the staff tests that come before the public is let back.
      const undoing = here.filter((p) => undone.includes(p.step));
      drafts.push(...undoing.map((p) => manualStep(ctx, p.step, phase)));
      if (leg && leg === status.verifying) drafts.push(statusPageStep(ctx, 'verifying', phase));
      drafts.push(...here.filter((p) => !undoing.includes(p)).map((p) => manualStep(ctx, p.step, phase)));
      if (!leg) continue;
      if (leg === status.inProgress) drafts.push(statusPageStep(ctx, 'in-progress', phase));
      if (leg.kind === 'release' && failedFrom) drafts.push(reconcileStep(failedFrom, to, phase));
      if (leg === restoreLeg && snap) drafts.push(snap);
      if (leg === moveLeg && scaling) drafts.push(scaling.suspend);
      if (scaling && leg === openLeg) drafts.push({ ...scaling.resume, phase });
      const group = groupOf.get(leg)!;
      const commit = group[group.length - 1]!.to;
      if (group[0] === leg) {
        if (wayBack || !fileState || formatModeWord(commit) !== formatModeWord(fileState)) {
          commits++;
          // The commit that reaches the restore stage also says the database exists from then on.
          const restores = group.flatMap((l) => l.changes.aws.filter((c) => c.component === 'database' && c.action === 'add'));
          const edits = restores.filter((c) => estate.aws?.databases.find((d) => d.id === c.id)?.restored === false).map((c) => `aws.databases[${c.id}].restored: true`);
          drafts.push(commitStep(ctx, commit, phase, wayBack, edits));
        }
        fileState = commit;
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
  if (failedFrom && !legs.some((l) => l.kind === 'release')) drafts.push(reconcileStep(failedFrom, to, 'end'));
  if (status.end) drafts.push(statusPageStep(ctx, status.end, drafts[drafts.length - 1]?.phase ?? 'end'));
  if (!legs.length) warnings.push('no engine has anything to change between these states.');
  const early = legs.flatMap((l) => l.changes.aws.filter((c) => c.component === 'database' && c.action === 'add' && / from snapshot /.test(c.text) && !(l === restoreLeg && snap)).map((c) => `${c.text} (${formatModeWord(l.to)})`));
  if (early.length) {
    warnings.push(`${early.join('; ')}: created from a snapshot this plan does not take after the freeze (writes made until then would be missing): declare the database with restored: false so the restore stage creates it from the snapshot taken once writes have stopped.`);
  }
  const lost = legs.flatMap((l) => [...l.changes.aws, ...l.changes.cloudflare].filter((c) => STATEFUL_KINDS.has(c.component) && (c.action === 'remove' || c.effects.includes('replaces'))).map((c) => `${c.text} (${formatModeWord(l.to)})`));
  if (lost.length) {
    warnings.push(`unsafe: this move would remove or replace a stateful resource: ${lost.join('; ')}. A mode switch never does (\`drawbridge diff\` exits 3 on it): keep the resource in the estate as it is, and remove it, if you mean to, as a change of its own.`);
  }
  if (!wayBack && to.mode === 'normal' && !to.stage && to.live !== from.live && legs.some((l) => l.to.mode === 'cutover' || l.from.mode === 'cutover')) {
    notes.push(retireNote(estate, from.live));
  }
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

/** Retiring the colour left behind is its own change, reviewed with the safety gate's words. */
function retireNote(estate: Estate, colour: string): string {
  const aws = estate.aws;
  const parts = [
    ...(aws?.beanstalk ? (Array.isArray(aws.beanstalk) ? aws.beanstalk : [aws.beanstalk]).flatMap((b: { environments: readonly { colour: string; name: string }[] }) => b.environments.filter((e) => e.colour === colour).map((e) => `environment ${e.name}`)) : []),
    ...(aws?.databases ?? []).filter((d) => d.colour === colour).map((d) => `database ${d.identifier}`),
    ...(aws?.autoScalingGroups ?? []).filter((g) => g.colour === colour).map((g) => `Auto Scaling group ${g.name}`),
  ];
  return (
    `After the move, ${colour} stays at its idle capacity, read-only, with its data kept: the way back needs it. Retire it as its own change once you no longer need a fail-back` +
    (parts.length ? ` (${parts.join(', ')})` : '') +
    ': remove it from the estate in a pull request of its own; `drawbridge diff` exits 3 and names every resource it would remove, which is the review.'
  );
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
