/**
 * The steps a plan is made of, one builder each: the commit of the new state, a deploy per engine,
 * the snapshot a cutover restores from, the day-before deploys that make the window live, and the
 * estate's declared manual steps.
 */
import { describeChanges, hasEffect } from '../changes';
import { servingColour } from '../colours';
import type { DesiredState } from '../desired';
import { ENGINES, PROVIDERS, type Provider } from '../engines';
import type { ModeState, PhaseName } from '../fields';
import type { Estate, ManualStepSpec } from '../schema';
import { resolve } from '../resolve';
import { formatModeWord } from '../words';
import { componentChecks, dedupeChecks, edgeChecks, manualCheck, publicView } from './checks';
import { customerView, regionArg, type PlanContext } from './context';
import { deployMinutes } from './durations';
import { deployedState, type Leg } from './legs';
import type { Draft } from './types';

export function commitStep(ctx: PlanContext, to: ModeState, phase: PhaseName, rollback: boolean, edits: readonly string[] = []): Draft {
  const state = `{ mode: ${to.mode}, live: ${to.live}${to.target ? `, target: ${to.target}` : ''}${to.hardDown ? ', hardDown: true' : ''}${to.stage ? `, stage: ${to.stage}` : ''} }`;
  return {
    id: 'commit-state',
    phase,
    kind: 'commit',
    source: 'drawbridge',
    title: rollback ? `Revert the state in ${ctx.estateFile} to ${formatModeWord(to)}` : `Merge the state change in ${ctx.estateFile}${to.stage ? `: ${formatModeWord(to)}` : ''}`,
    changes: [`state: ${state}`, ...edits],
    detail: `Both engines read the mode from the estate file, so the deploys below follow it. Merging deploys nothing by itself; if CI deploys on merge, hold it so the order below is kept, or use each step's override.`,
    checks: [{ what: 'the estate file on the deploy branch says the new state', command: `npx drawbridge plan committed ${formatModeWord(to)} --estate ${ctx.estateFile}`, output: 'Nothing to do' }],
    minutes: 2,
    outage: false,
  };
}

/** The words of a deploy: what it does for the public in its leg. */
function deployVerb(leg: Leg, provider: Provider): string {
  const c = leg.changes[provider];
  if (c.every((x) => x.component === 'bots')) return c.some((x) => x.to === 'block' || x.to === true) ? 'block verified bots' : 'allow verified bots again';
  const to = leg.to;
  const target = servingColour(to);
  // The deploy that changes what the public sees: its own effects, or the leg's when it is alone.
  const before = publicView(leg.before);
  const after = publicView(leg.after);
  const alone = leg.order.length === 1;
  const holds = hasEffect(c, 'holds-public') || (alone && before === 'open' && after !== 'open');
  const releases = hasEffect(c, 'releases-public') || (alone && before !== 'open' && after === 'open');
  if (holds && !releases) return to.mode === 'cutover' ? (after === 'down' ? 'hold the public on the maintenance page' : 'freeze writes at the edge') : 'put the maintenance page up';
  if (releases) return to.mode === 'normal' && to.live !== leg.from.live ? `open ${to.live} to the public` : 'take the maintenance page down';
  if (hasEffect(c, 'moves-traffic')) return `move traffic to ${target}`;
  switch (leg.stage) {
    case 'ahead':
      return to.mode === 'maintenance' ? 'switch what goes ahead of the window (monitors, health checks)' : 'switch back what went ahead of the window';
    case 'prepare':
      return `prepare ${to.target}: scale it up, closed to the public`;
    case 'freeze':
      return `freeze ${to.live}`;
    case 'restore':
      return `restore ${to.target}'s database and point ${to.target} at it`;
    case 'behind':
      return 'bring the origin back behind the page';
    default:
      if (to.mode === 'maintenance') return 'stop what must not run behind the page';
      if (leg.phase === 'after') return 'switch back what went ahead of the window (monitors)';
      if (to.mode === 'normal' && to.live !== leg.from.live) return `retire ${leg.from.live} to its idle capacity`;
      return to.mode === 'normal' ? 'bring the origin back' : `ready ${to.target} for the traffic`;
  }
}

/** One engine's deploy of a leg: command, override, what it changes and how it is checked. */
export function deployStep(ctx: PlanContext, leg: Leg, provider: Provider, commit: ModeState): Draft {
  const engine = ENGINES[provider];
  const changes = leg.changes[provider];
  const holds = hasEffect(changes, 'holds-public') || hasEffect(changes, 'releases-public') || hasEffect(changes, 'moves-traffic');
  const others = PROVIDERS.filter((p) => p !== provider && leg.order.includes(p));
  // The public's view is checked after the last deploy of a leg that changes it; the origin's after AWS.
  const last = leg.order[leg.order.length - 1] === provider;
  // What the public sees once this engine has deployed: the leg's state on it and the engines before
  // it, the previous state on those after it (a gate still holds the page while traffic moves).
  const seen = deployedState(leg, leg.order.slice(0, leg.order.indexOf(provider) + 1));
  // A component's request of the site's own URL meets the page while it is up, not the origin: staff
  // make it through the gate's bypass; without one (or on the static down page) it cannot be made.
  const site = ctx.siteUrl.toString();
  const down = publicView(seen) === 'down';
  const bypass = !!seen.cloudflare?.gate && !(seen.cloudflare.records ?? []).some((r) => r.target.kind === 'downPage');
  const origin = componentChecks(ctx, provider, leg.to, leg.before, leg.after).flatMap((c) =>
    !down || c.url !== site || c.from ? [c] : bypass ? [{ ...c, from: 'through the staff bypass (an allow-listed address or the bypass cookie)' }] : [],
  );
  const own = [...origin, ...(holds || last || !others.length ? edgeChecks(ctx, leg.to, seen) : [])];
  // A deploy with no check of its own that leaves the public's view to a later one: the public still
  // sees what it saw before the leg.
  const checks = own.length ? own : edgeChecks(ctx, leg.from, leg.before);
  const cleanup = engine.overrideCleanup?.(ctx.target);
  return {
    id: `deploy-${provider}-${slug(leg)}`,
    phase: leg.phase,
    kind: 'deploy',
    source: 'drawbridge',
    provider,
    engine: engine.name,
    stage: formatModeWord(leg.to),
    title: `Deploy ${engine.label}: ${deployVerb(leg, provider)}`,
    command: engine.deployCommand(ctx.target),
    override: engine.overrideCommand(ctx.target, commit),
    ...(cleanup ? { overrideCleanup: cleanup } : {}),
    changes: changes.map((c) => c.text),
    ...(provider === 'aws' && hasEffect(changes, 'opens-access')
      ? { detail: 'cdk deploy stops to ask for approval of the security-group change (the database rule opening again): check it is the rule listed here and answer y. A deploy without a terminal needs --require-approval never.' }
      : {}),
    checks: dedupeChecks(checks),
    minutes: deployMinutes(provider, changes),
    outage: false,
  };
}

/** A short id of a leg for step ids: its stage, or the mode it completes. */
export function slug(leg: Leg): string {
  return leg.stage === 'complete' ? leg.to.mode : leg.stage;
}

/**
 * The snapshot a restore leg creates its database from: of the source's database, taken after the
 * freeze (the plan puts it between the two), waited for until available.
 */
export function snapshotStep(estate: Estate, restore: Leg): Draft | undefined {
  const added = restore.changes.aws.find((c) => c.component === 'database' && c.action === 'add');
  const restored = added && estate.aws?.databases.find((d) => d.id === added.id && d.snapshotIdentifier);
  const source = estate.aws?.databases.find((d) => d.colour === restore.to.live && d.id !== restored?.id);
  if (!restored?.snapshotIdentifier || !source) return undefined;
  const snap = restored.snapshotIdentifier;
  const region = regionArg(estate);
  return {
    id: 'snapshot',
    phase: restore.phase,
    kind: 'snapshot',
    source: 'drawbridge',
    provider: 'aws',
    title: `Snapshot ${source.identifier} as ${snap} (${restored.identifier} is restored from it)`,
    command: `aws rds create-db-snapshot --db-instance-identifier ${source.identifier} --db-snapshot-identifier ${snap}${region}`,
    changes: [`snapshot ${snap} of ${source.identifier}`],
    detail: `Taken once writes have stopped (after the freeze), so ${restored.identifier} starts with every write. If ${snap} already exists from an earlier attempt, delete it first (aws rds delete-db-snapshot --db-snapshot-identifier ${snap}${region}) or the command fails. The next deploy creates ${restored.identifier} from it; when it is available, set restored: true on ${restored.id} in the estate (or remove restored).`,
    checks: [{ what: 'the snapshot is available', command: `aws rds wait db-snapshot-available --db-snapshot-identifier ${snap}${region}`, output: '(exits 0)' }],
    minutes: 10,
    outage: false,
  };
}

/** When the target's database already exists, its data must be brought up to date once writes stop. */
export function catchUpStep(estate: Estate, freeze: Leg): Draft | undefined {
  const target = freeze.to.target;
  const db = estate.aws?.databases.find((d) => d.colour === target && d.snapshotIdentifier && d.restored !== false);
  const source = estate.aws?.databases.find((d) => d.colour === freeze.to.live);
  if (!db || !source) return undefined;
  return {
    id: 'catch-up',
    phase: freeze.phase,
    kind: 'command',
    source: 'drawbridge',
    title: `Bring ${db.identifier} up to date with ${source.identifier} (it exists already, so nothing restores it)`,
    changes: [],
    detail: `${db.identifier} was created from ${db.snapshotIdentifier} when it was first deployed; writes made since are only in ${source.identifier}. Copy them now that writes have stopped (for example pg_dump/pg_restore). (A database declared with restored: false in the pull request that adds it is created by the restore stage from a snapshot taken after the freeze instead; one that exists is never removed to get there.)`,
    checks: [{ what: `${db.identifier} has every write ${source.identifier} took before the freeze` }],
    minutes: 20,
    outage: false,
  };
}

/** After a move without a freeze, the source keeps its capacity until its sessions have ended (runbook 002). */
export function drainStep(estate: Estate, move: Leg): Draft | undefined {
  const source = move.to.live;
  if (move.to.mode !== 'cutover' || publicView(move.after) !== 'open') return undefined;
  const groups = (move.after.aws?.targetGroups ?? []).filter((t) => t.colour === source);
  if (!groups.length) return undefined;
  const region = regionArg(estate);
  const tg = groups[0]!;
  return {
    id: 'drain',
    phase: move.phase,
    kind: 'check',
    source: 'drawbridge',
    title: `Wait until the sessions on ${source} have ended (its servers keep running until then)`,
    changes: [],
    detail: `${source} gets no new requests (weight 0) but keeps the sessions it has; its capacity goes only in the next deploy. Watch its requests fall to zero before going on.`,
    checks: [
      {
        what: `no requests reach ${tg.name} any more (0)`,
        command: `aws cloudwatch get-metric-statistics --namespace AWS/ApplicationELB --metric-name RequestCountPerTarget --dimensions Name=TargetGroup,Value=targetgroup/${tg.name} --statistics Sum --period 300 --start-time "$(date -u -d '-10 min' +%FT%TZ)" --end-time "$(date -u +%FT%TZ)" --query 'Datapoints[].Sum' --output text${region}`,
        output: '0.0 (or nothing)',
      },
    ],
    minutes: 15,
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

/**
 * Day-before deploys that make the declared window live: the gate's texts (end time per zone), what
 * else the window sets (application Workers' completion times) and lowered TTLs, each as the change
 * between the estate without its window and with it, in the state the move starts from.
 */
export function windowSteps(ctx: PlanContext, from: ModeState): Draft[] {
  const w = ctx.estate.window;
  if (!w) return [];
  const { window: _w, ...withoutWindow } = ctx.estate;
  const d = resolve(ctx.estate, from);
  const changes = describeChanges(resolve(withoutWindow as Estate, from), d);
  const ttls = loweredTtls(ctx.estate, d);
  const endIn = d.window!.endIn;
  const steps: Draft[] = [];
  const common = {
    phase: 'day-before' as const,
    kind: 'deploy' as const,
    source: 'drawbridge' as const,
    detail: 'The window is part of the estate (window:), so it ships with any deploy once merged; this step makes sure it is live a day ahead. No mode changes.',
    outage: false,
  };
  // The gate's window bindings read better as three lines; the rest as the components describe them.
  const others = changes.cloudflare.filter((c) => c.component !== 'gate' && !(c.component === 'cloudflareRecord' && c.field === 'ttl'));
  if (d.cloudflare && (d.cloudflare.gate || others.length)) {
    const script = d.cloudflare.gate?.scriptName;
    steps.push({
      ...common,
      id: 'window-cloudflare',
      provider: 'cloudflare',
      engine: ENGINES.cloudflare.name,
      title: `Deploy the window on Cloudflare: ${script ? 'announcement, reason and completion time on the gate' : 'completion times for the application'}`,
      command: ENGINES.cloudflare.deployCommand(ctx.target),
      changes: [
        ...(script
          ? [
              `REASON "${w.reason}" on ${script}`,
              `WINDOW_ANNOUNCE ${w.announce}, WINDOW_START ${w.start}, WINDOW_END ${w.end} on ${script}`,
              `completion time shown in ${w.timeZones.join(', ')} (TIME_ZONES on ${script}): ${endIn.map((z) => z.text).join(' / ')}`,
            ]
          : []),
        ...others.map((c) => c.text),
        ...ttls.filter((t) => t.provider === 'cloudflare').map((t) => `DNS record ${t.name} TTL lowered to ${t.ttl}s ahead of the move`),
      ],
      checks: [customerView(ctx, { what: `the site answers normally${script ? '; the announcement banner shows from the announce time' : ''}`, method: 'GET', url: ctx.siteUrl.toString(), expect: 200 })],
      minutes: 3,
    });
  }
  const awsOthers = changes.aws.filter((c) => !(c.component === 'route53Record' && c.field === 'ttl'));
  const awsTtls = ttls.filter((t) => t.provider === 'aws');
  if (d.aws && (awsTtls.length || awsOthers.length)) {
    steps.push({
      ...common,
      id: 'window-aws',
      provider: 'aws',
      engine: ENGINES.aws.name,
      title: `Deploy the window on AWS: ${awsTtls.length ? 'lower the TTL of the records that will move' : 'announce it (notice flags)'}`,
      command: ENGINES.aws.deployCommand(ctx.target),
      changes: [...awsOthers.map((c) => c.text), ...awsTtls.map((t) => `Route 53 record ${t.name} TTL lowered to ${t.ttl}s ahead of the move`)],
      checks: awsTtls.length
        ? awsTtls.slice(0, 2).map((t) => ({ what: `${t.name} is served with the lowered TTL`, command: `dig +noall +answer ${t.name}`, output: `TTL at most ${t.ttl}` }))
        : [customerView(ctx, { what: 'the site answers normally and announces the window', method: 'GET', url: ctx.siteUrl.toString(), expect: 200 })],
      minutes: 5,
    });
  }
  return steps;
}

/** Around a move without a freeze: the source's scaling is suspended so nothing launches or stops while it drains (runbook 002), and resumed before it is scaled down. */
export function scalingSteps(estate: Estate, move: Leg): { suspend: Draft; resume: Draft } | undefined {
  const source = move.to.live;
  const groups = (move.after.aws?.autoScalingGroups ?? []).filter((g) => g.colour === source);
  if (move.to.mode !== 'cutover' || !groups.length || publicView(move.after) !== 'open') return undefined;
  const region = regionArg(estate);
  const names = groups.map((g) => g.name);
  const processes = 'Launch Terminate AlarmNotification AZRebalance';
  const step = (verb: 'suspend' | 'resume'): Draft => ({
    id: `${verb}-scaling`,
    phase: move.phase,
    kind: 'command',
    source: 'drawbridge',
    title: verb === 'suspend' ? `Suspend ${source}'s scaling while traffic moves and its sessions drain` : `Resume ${source}'s scaling, so the next deploy can scale it down`,
    changes: [],
    detail: names.map((n) => `aws autoscaling ${verb}-processes --auto-scaling-group-name ${n} --scaling-processes ${processes}${region}`).join('\n'),
    checks: [
      {
        what: `${names[0]} has ${verb === 'suspend' ? 'its scaling suspended' : 'no suspended processes'}`,
        command: `aws autoscaling describe-auto-scaling-groups --auto-scaling-group-names ${names[0]} --query 'AutoScalingGroups[0].SuspendedProcesses[].ProcessName' --output text${region}`,
        output: verb === 'suspend' ? processes : '(nothing)',
      },
    ],
    minutes: 2,
    outage: false,
  });
  return { suspend: step('suspend'), resume: step('resume') };
}

export function manualStep(ctx: PlanContext, s: ManualStepSpec, phase: PhaseName = s.phase): Draft {
  return {
    id: s.id,
    phase,
    kind: s.kind,
    source: 'estate',
    title: s.title,
    changes: [],
    ...(s.detail ? { detail: s.detail.trimEnd() } : {}),
    checks: manualCheck(ctx, s),
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
