/**
 * resolve(estate, state): the desired state of every component in one mode, per the mode table in
 * DESIGN.md. Pure: no clock, no I/O, no engine. Both engines and the runbook render what this
 * returns and decide nothing about modes themselves.
 *
 * It loops over the registry: each component resolves its part from its spec and the estate's
 * facts; then each component's checks (problems only a resolved state shows) and invariants run.
 */
import type { EstateFacts, ResolveContext } from './component';
import type { DesiredAws, DesiredCloudflare, DesiredState } from './desired';
import { DrawbridgeError } from './errors';
import type { ColourName, ModeState } from './fields';
import { pagesDomain } from './components/cloudflare/down-page';
import { AWS_COMPONENTS, CLOUDFLARE_COMPONENTS, COMPONENTS, type AnyComponent } from './registry';
import type { Estate } from './schema';
import { checkModeState } from './state';
import { recordTarget } from './targets';
import { environmentTargets } from './components/aws/beanstalk';
import { exists } from './components/aws/databases';
import { formatInZones } from './time';
import { ModeTable, type MovePolicy } from './mode-table';

export { servingColour } from './colours';

/** What every component may know of the rest of the estate in `state`. */
export function estateFacts(estate: Estate, state: ModeState): EstateFacts {
  const aws = estate.aws;
  const cf = estate.cloudflare;
  const sources = {
    ...(aws?.loadBalancer ? { loadBalancerDnsName: aws.loadBalancer.dnsName } : {}),
    beanstalk: environmentTargets(aws?.beanstalk, aws?.region ?? ''),
  };
  return {
    name: estate.name,
    ...(estate.window ? { window: estate.window } : {}),
    brand: estate.brand,
    siteHealthPath: estate.site.healthPath,
    ...(aws ? { region: aws.region } : {}),
    privateSubnetIds: aws?.vpc?.privateSubnetIds ?? [],
    targetGroups: aws?.targetGroups ?? [],
    zones: new Map((cf?.zones ?? []).map((z) => [z.id, { zoneId: z.zoneId, name: z.name, plan: z.plan }])),
    ...(cf?.downPage ? { downPageDomain: pagesDomain(cf.downPage.projectName) } : {}),
    hardDownRecords: (cf?.records ?? []).filter((r) => r.downPageOnHardDown).map((r) => ({ id: r.id, name: r.name })),
    recordTarget: (target, at) => recordTarget(target, state, sources, at),
    policy: movePolicy(estate),
    hasGate: !!cf?.gate,
    databases: (aws?.databases ?? []).map((d) => ({ id: d.id, identifier: d.identifier, colour: d.colour, exists: exists(d, state) })),
  };
}

/** How the estate's cutovers go: its `cutover:` settings, with staff testing behind the gate's page when it has one. */
export function movePolicy(estate: Estate): MovePolicy {
  return { freeze: estate.cutover?.freeze ?? 'read-only', test: estate.cutover?.test ?? (estate.cloudflare?.gate ? 'behind-page' : 'before-move') };
}

/** One provider part: its own fields, then each component's keys in registry order. */
function assemble(base: object, spec: Record<string, unknown>, components: readonly AnyComponent[], ctx: ResolveContext): object {
  return Object.assign({ ...base }, ...components.map((c) => c.resolve(spec[c.key], ctx)));
}

function resolveAws(estate: Estate, ctx: ResolveContext): DesiredAws | undefined {
  const aws = estate.aws;
  if (!aws) return undefined;
  const base = { account: aws.account, region: aws.region, split: aws.split, ...(aws.vpc ? { vpc: aws.vpc } : {}) };
  return assemble(base, aws, AWS_COMPONENTS, ctx) as DesiredAws;
}

function resolveCloudflare(estate: Estate, ctx: ResolveContext): DesiredCloudflare | undefined {
  const cf = estate.cloudflare;
  if (!cf) return undefined;
  return assemble({ accountId: cf.accountId }, cf, CLOUDFLARE_COMPONENTS, ctx) as DesiredCloudflare;
}

/** The desired part of `desired` a component renders into. */
export function partOf(desired: DesiredState, c: AnyComponent): DesiredAws | DesiredCloudflare | undefined {
  return c.provider === 'aws' ? desired.aws : desired.cloudflare;
}

/**
 * The desired state of every component of `estate` in `state`. Throws a DrawbridgeError for an
 * invalid combination (for example a cutover whose target is the live colour).
 */
export function resolve(estate: Estate, state: ModeState): DesiredState {
  checkModeState(estate, state, new Date(0));
  const facts = estateFacts(estate, state);
  const ctx: ResolveContext = { state, facts, table: new ModeTable(state, facts.policy) };
  const aws = resolveAws(estate, ctx);
  const cloudflare = resolveCloudflare(estate, ctx);
  const desired: DesiredState = {
    estate: estate.name,
    state,
    ...(estate.window ? { window: { ...estate.window, endIn: formatInZones(estate.window.end, estate.window.timeZones) } } : {}),
    ...(aws ? { aws } : {}),
    ...(cloudflare ? { cloudflare } : {}),
  };
  // Estate problems only visible once a mode is resolved (record content per colour, for example):
  // refused here so the CLI, CDK and Pulumi all stop on them, not just the engine that renders them.
  const problems = COMPONENTS.flatMap((c) => {
    const part = partOf(desired, c);
    return part && c.checks ? c.checks(part, desired) : [];
  });
  if (problems.length) throw new DrawbridgeError(problems);
  const broken = invariantViolations(desired);
  if (broken.length) throw new DrawbridgeError(broken.map((b) => `invariant broken in ${state.mode}: ${b}`));
  return desired;
}

/**
 * Whether a colour runs in a desired state: some of its capacity (an environment, a group) has
 * min >= 1. A colour with no capacity declared here (an external host) is taken as running.
 */
export function runningColours(d: DesiredState): (colour: ColourName) => boolean {
  const capacity = COMPONENTS.flatMap((c) => {
    const part = partOf(d, c);
    if (!part || !c.capacity) return [];
    return c.items(part).flatMap((item: unknown) => c.capacity!(item) ?? []);
  });
  return (colour) => !capacity.some((x) => x.colour === colour) || capacity.some((x) => x.colour === colour && x.min >= 1);
}

/** Rules every desired state keeps (DESIGN.md, issue 5); each broken one as a sentence. */
export function invariantViolations(d: DesiredState): string[] {
  const running = runningColours(d);
  return COMPONENTS.flatMap((c) => {
    const part = partOf(d, c);
    return part && c.invariants ? c.invariants(part, running) : [];
  });
}
