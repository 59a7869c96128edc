/**
 * The steps a plan is made of, one builder each: the commit of the new state, a deploy per engine,
 * the snapshot a cutover restores from, the day-before deploys that make the window live, and the
 * estate's declared manual steps.
 */
import type { Change } from '../component';
import { hasEffect } from '../changes';
import type { DesiredState } from '../desired';
import { ENGINES, type Provider } from '../engines';
import type { ModeState, PhaseName } from '../fields';
import type { Estate, ManualStepSpec } from '../schema';
import { formatModeWord } from '../words';
import { dedupeChecks, edgeChecks, manualCheck, originChecks } from './checks';
import { customerView, regionArg, type PlanContext } from './context';
import { deployMinutes } from './durations';
import { effect, isFailBack } from './moves';
import type { Draft } from './types';

export function commitStep(ctx: PlanContext, to: ModeState, phase: PhaseName, rollback: boolean): Draft {
  const state = `{ mode: ${to.mode}, live: ${to.live}${to.target ? `, target: ${to.target}` : ''}${to.hardDown ? ', hardDown: true' : ''} }`;
  return {
    id: 'commit-state',
    phase,
    kind: 'commit',
    source: 'drawbridge',
    title: rollback ? `Revert the state in ${ctx.estateFile} to ${formatModeWord(to)}` : `Merge the state change in ${ctx.estateFile}`,
    changes: [`state: ${state}`],
    detail: `Both engines read the mode from the estate file, so the deploys below follow it. Merging deploys nothing by itself; if CI deploys on merge, hold it so the order below is kept, or use each step's override.`,
    checks: [{ what: 'the estate file on the deploy branch says the new state', command: `npx drawbridge plan committed ${formatModeWord(to)} --estate ${ctx.estateFile}`, output: 'Nothing to do' }],
    minutes: 2,
    outage: false,
  };
}

/** What one engine's deploy does in a move, and how it is checked. */
export interface DeployInput {
  readonly ctx: PlanContext;
  readonly provider: Provider;
  readonly changes: readonly Change[];
  /** The provider customers meet first: it holds the page (or the freeze). */
  readonly holder: Provider | undefined;
  readonly from: ModeState;
  readonly to: ModeState;
  readonly before: DesiredState;
  readonly after: DesiredState;
  readonly phase: PhaseName;
}

function deployVerb(d: DeployInput, holdsPage: boolean): string {
  const { to, provider } = d;
  const moves = hasEffect(d.changes, 'moves-traffic');
  if (effect(to) === 'down') return holdsPage ? 'put the maintenance page up' : 'stop what must not run behind the page';
  if (effect(to) === 'read-only') {
    const verb = holdsPage ? `freeze writes${provider === 'cloudflare' ? ' at the edge' : ''}` : 'freeze writes at the source';
    return moves ? `${verb} and move traffic to ${to.target}` : verb;
  }
  if (holdsPage) return moves ? `bring the site back on ${to.live}` : 'bring the site back';
  return moves ? `move traffic to ${to.live}` : 'bring the origin back';
}

export function deployStep(d: DeployInput): Draft {
  const { ctx, provider, to, from } = d;
  const engine = ENGINES[provider];
  // The page (Cloudflare) goes up before AWS on the way in and comes down after it on the way out.
  const pageHeld = d.holder === 'cloudflare' && provider === 'aws' && (effect(to) === 'down' || effect(from) === 'down');
  const holdsPage = provider === d.holder;
  const checks = holdsPage
    ? [...edgeChecks(ctx, to, d.after), ...(provider === 'aws' ? originChecks(ctx, to, d.before, d.after, false, false) : [])]
    : originChecks(ctx, to, d.before, d.after, pageHeld);
  const cleanup = engine.overrideCleanup?.(ctx.target);
  return {
    id: `deploy-${provider}`,
    phase: d.phase,
    kind: 'deploy',
    source: 'drawbridge',
    provider,
    engine: engine.name,
    title: `Deploy ${engine.label}: ${deployVerb(d, holdsPage)}`,
    command: engine.deployCommand(ctx.target),
    override: engine.overrideCommand(ctx.target, to),
    ...(cleanup ? { overrideCleanup: cleanup } : {}),
    changes: d.changes.map((c) => c.text),
    ...(provider === 'aws' && hasEffect(d.changes, 'opens-access')
      ? { detail: 'cdk deploy stops to ask for approval of the security-group change (the database rule opening again): check it is the rule listed here and answer y. A deploy without a terminal needs --require-approval never.' }
      : {}),
    checks: dedupeChecks(checks),
    minutes: deployMinutes(provider, d.changes),
    outage: false,
  };
}

/** The cutover's first step: the snapshot its target database is restored from, when it has one. */
export function snapshotStep(estate: Estate, from: ModeState, to: ModeState, fromEstate: Estate): Draft | undefined {
  if (to.mode !== 'cutover' || !to.target) return undefined;
  const restored = estate.aws?.databases.find((d) => d.colour === to.target && d.snapshotIdentifier);
  const source = estate.aws?.databases.find((d) => d.colour === from.live && d.colour !== to.target);
  if (!restored || !source || !restored.snapshotIdentifier) return undefined;
  const snap = restored.snapshotIdentifier;
  const region = regionArg(estate);
  // CloudFormation restores a database from its snapshot only when it creates it. With a base
  // estate to compare (a pull request), say which case this is; with one estate, say both.
  const compared = fromEstate !== estate;
  const existed = compared && (fromEstate.aws?.databases ?? []).some((d) => d.identifier === restored.identifier);
  const when = existed
    ? `${restored.identifier} already exists in the base estate, so this deploy does NOT restore it: its data is as old as its first deploy. Bring it up to date before traffic moves (for example pg_dump/pg_restore from ${source.identifier}), or declare the database in the pull request that enters cutover so it is created from this snapshot.`
    : compared
      ? `This pull request adds ${restored.identifier}: the AWS deploy creates it from this snapshot (about 15 min).`
      : `${restored.identifier} is restored from the snapshot only when it is created: declare it in the pull request that enters cutover (drawbridge diff shows it as an add) so it starts from this snapshot; if it already exists, bring its data up to date instead.`;
  return {
    id: 'snapshot',
    phase: 'minutes-before',
    kind: 'snapshot',
    source: 'drawbridge',
    provider: 'aws',
    title: `Snapshot ${source.identifier} as ${snap} (${restored.identifier} is restored from it)`,
    command: `aws rds create-db-snapshot --db-instance-identifier ${source.identifier} --db-snapshot-identifier ${snap}${region}`,
    changes: [`snapshot ${snap} of ${source.identifier}`],
    detail: `Writes made after this snapshot are not in ${restored.identifier}: take it as close to the write freeze as you can. If ${snap} already exists from an earlier attempt, delete it first (aws rds delete-db-snapshot --db-snapshot-identifier ${snap}${region}) or the command fails. ${when}`,
    checks: [{ what: 'the snapshot is available', command: `aws rds wait db-snapshot-available --db-snapshot-identifier ${snap}${region}`, output: '(exits 0)' }],
    minutes: 10,
    outage: false,
  };
}

/** The window's records whose TTL drops while it is declared: name, provider and TTL. */
function loweredTtls(estate: Estate, d: DesiredState): { provider: Provider; name: string; ttl: number }[] {
  const out: { provider: Provider; name: string; ttl: number }[] = [];
  for (const r of d.cloudflare?.records ?? []) {
    if (!r.proxied && estate.cloudflare?.records.find((x) => x.id === r.id)?.transitionTtl !== undefined) out.push({ provider: 'cloudflare', name: r.name, ttl: r.ttl });
  }
  for (const r of d.aws?.dns?.records ?? []) {
    if (estate.aws?.dns?.records.find((x) => x.id === r.id)?.transitionTtl !== undefined) out.push({ provider: 'aws', name: r.name, ttl: r.ttl });
  }
  return out;
}

/** Day-before deploys that make the declared window live: gate texts (end time per zone) and lowered TTLs. */
export function windowSteps(ctx: PlanContext, d: DesiredState): Draft[] {
  const w = d.window;
  if (!w) return [];
  const ttls = loweredTtls(ctx.estate, d);
  const steps: Draft[] = [];
  const common = {
    phase: 'day-before' as const,
    kind: 'deploy' as const,
    source: 'drawbridge' as const,
    detail: 'The window is part of the estate (window:), so it ships with any deploy once merged; this step makes sure it is live a day ahead. No mode changes.',
    outage: false,
  };
  if (d.cloudflare) {
    const script = d.cloudflare.gate.scriptName;
    steps.push({
      ...common,
      id: 'window-cloudflare',
      provider: 'cloudflare',
      engine: ENGINES.cloudflare.name,
      title: 'Deploy the window on Cloudflare: announcement, reason and completion time on the gate',
      command: ENGINES.cloudflare.deployCommand(ctx.target),
      changes: [
        `REASON "${w.reason}" on ${script}`,
        `WINDOW_ANNOUNCE ${w.announce}, WINDOW_START ${w.start}, WINDOW_END ${w.end} on ${script}`,
        `completion time shown in ${w.timeZones.join(', ')} (TIME_ZONES on ${script}): ${w.endIn.map((z) => z.text).join(' / ')}`,
        ...ttls.filter((t) => t.provider === 'cloudflare').map((t) => `DNS record ${t.name} TTL lowered to ${t.ttl}s ahead of the move`),
      ],
      checks: [customerView(ctx, { what: 'the site answers normally; the announcement banner shows from the announce time', method: 'GET', url: ctx.siteUrl.toString(), expect: 200 })],
      minutes: 3,
    });
  }
  const awsTtls = ttls.filter((t) => t.provider === 'aws');
  if (d.aws && awsTtls.length) {
    steps.push({
      ...common,
      id: 'window-aws',
      provider: 'aws',
      engine: ENGINES.aws.name,
      title: 'Deploy the window on AWS: lower the TTL of the records that will move',
      command: ENGINES.aws.deployCommand(ctx.target),
      changes: awsTtls.map((t) => `Route 53 record ${t.name} TTL lowered to ${t.ttl}s ahead of the move`),
      checks: awsTtls.slice(0, 2).map((t) => ({ what: `${t.name} is served with the lowered TTL`, command: `dig +noall +answer ${t.name}`, output: `TTL at most ${t.ttl}` })),
      minutes: 5,
    });
  }
  return steps;
}

/** The estate's declared steps of this move: leaving FROM's mode, then entering TO's. */
export function manualSteps(estate: Estate, from: ModeState, to: ModeState): ManualStepSpec[] {
  const steps: ManualStepSpec[] = [];
  // A fail-back keeps the declared leave steps that only check or tell; those that change data
  // (sql, command) belong to completing the cutover on the target.
  const leaving = estate.runbook.filter((s) => s.on === 'leave' && s.modes.includes(from.mode as 'maintenance' | 'cutover'));
  if (from.mode !== to.mode && from.mode !== 'normal') steps.push(...(isFailBack(from, to) ? leaving.filter((s) => s.kind !== 'sql' && s.kind !== 'command') : leaving));
  if (from.mode !== to.mode && to.mode !== 'normal') steps.push(...estate.runbook.filter((s) => s.on === 'enter' && s.modes.includes(to.mode as 'maintenance' | 'cutover')));
  return steps;
}

export function manualStep(estate: Estate, s: ManualStepSpec): Draft {
  return {
    id: s.id,
    phase: s.phase,
    kind: s.kind,
    source: 'estate',
    title: s.title,
    changes: [],
    ...(s.detail ? { detail: s.detail.trimEnd() } : {}),
    checks: manualCheck(estate, s),
    minutes: s.minutes,
    outage: false,
  };
}

/** In a fail-back, writes the target took are carried back first. */
export function reconcileStep(from: ModeState, to: ModeState, phase: PhaseName): Draft {
  return {
    id: 'reconcile',
    phase,
    kind: 'check',
    source: 'drawbridge',
    title: `Check what ${from.target} took while it was the target (recent sign-ups, orders, payments) and carry it back to ${to.live}`,
    changes: [],
    detail: `${to.live} was read-only from the cutover on; anything written on ${from.target} since is not on ${to.live}.`,
    checks: [{ what: `every write made on ${from.target} is accounted for on ${to.live}` }],
    minutes: 15,
    outage: false,
  };
}
