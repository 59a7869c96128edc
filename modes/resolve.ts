/**
 * resolve(estate, state): the desired state of every component in one mode, per the mode table in
 * DESIGN.md. Pure: no clock, no I/O, no engine. Both engines and the runbook render what this
 * returns and decide nothing about modes themselves.
 */
import { cloudflareProblems } from './cloudflare-checks';
import { DrawbridgeError } from './errors';
import type { ColourName, Estate, ModeState, RecordTargetSpec, Window } from './schema';
import { checkModeState } from './state';
import { formatInZones, type ZonedTime } from './time';

/** Weight given to a target group in a weighted forward (ALB weights are 0..999). */
export const LIVE_WEIGHT = 100;

export interface DesiredTargetGroup {
  readonly id: string;
  readonly name: string;
  readonly port: number;
  readonly protocol: 'HTTP' | 'HTTPS';
  readonly healthPath: string;
  readonly deregistrationDelaySeconds: number;
  readonly colour?: ColourName;
}

export interface WeightedForward {
  readonly targets: readonly { readonly targetGroup: string; readonly weight: number }[];
}

export interface DesiredListener {
  readonly port: number;
  readonly protocol: 'HTTP' | 'HTTPS';
  readonly certificateArn?: string;
  readonly sslPolicy: string;
  readonly default: WeightedForward;
  readonly rules: readonly (WeightedForward & { readonly priority: number; readonly hosts?: readonly string[]; readonly paths?: readonly string[] })[];
}

export interface DesiredCapacity {
  readonly id: string;
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly colour?: ColourName;
  readonly launchTemplateId: string;
  readonly launchTemplateVersion: string;
  readonly targetGroups: readonly string[];
  readonly subnetIds: readonly string[];
}

export interface DesiredJob {
  readonly id: string;
  readonly name: string;
  readonly schedule: string;
  readonly description?: string;
  readonly targetArn?: string;
  readonly enabled: boolean;
  readonly colour?: ColourName;
}

export interface DesiredDatabaseAccess {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly port: number;
  /** Security groups allowed in, in this mode (empty: closed). */
  readonly open: readonly { readonly securityGroupId: string; readonly description: string }[];
}

export interface DesiredParameter {
  readonly id: string;
  readonly name: string;
  readonly flag: 'maintenance' | 'readOnly';
  readonly value: string;
  readonly colour?: ColourName;
}

export type RecordValue =
  | { readonly kind: 'value'; readonly value: string }
  | { readonly kind: 'loadBalancer'; readonly value: string }
  | { readonly kind: 'beanstalk'; readonly colour: ColourName; readonly value: string }
  | { readonly kind: 'colour'; readonly colour: ColourName; readonly value: string };

export interface DesiredRoute53Record {
  readonly id: string;
  readonly name: string;
  readonly type: 'A' | 'CNAME';
  readonly ttl: number;
  readonly target: RecordValue;
}

export interface DesiredBeanstalkEnvironment {
  readonly id: string;
  readonly colour: ColourName;
  readonly name: string;
  readonly cnamePrefix: string;
  /** `<prefix>.<region>.elasticbeanstalk.com`: what DNS points at. */
  readonly cname: string;
  readonly min: number;
  readonly max: number;
  /** Every managed variable, set in every mode (empty string where off): CloudFormation keeps deleted OptionSettings. */
  readonly variables: Readonly<Record<string, string>>;
  readonly holdsPaymentSecret: boolean;
}

export interface DesiredDatabase {
  readonly id: string;
  readonly colour: ColourName;
  readonly identifier: string;
  readonly engine: 'postgres' | 'mysql';
  readonly engineVersion: string;
  readonly instanceClass: string;
  readonly allocatedStorageGiB: number;
  readonly snapshotIdentifier?: string;
  readonly port: number;
  readonly masterUsername?: string;
  readonly masterSecretArn?: string;
}

export interface DesiredAws {
  readonly account: string;
  readonly region: string;
  readonly split: 'none' | 'component';
  readonly vpc?: NonNullable<NonNullable<Estate['aws']>['vpc']>;
  readonly loadBalancer?: { readonly arn: string; readonly dnsName: string; readonly canonicalHostedZoneId: string; readonly securityGroupId: string };
  readonly targetGroups: readonly DesiredTargetGroup[];
  readonly listener?: DesiredListener;
  readonly autoScalingGroups: readonly DesiredCapacity[];
  readonly scheduledJobs: readonly DesiredJob[];
  readonly databaseAccess: readonly DesiredDatabaseAccess[];
  readonly parameters: readonly DesiredParameter[];
  readonly beanstalk?: {
    readonly application: string;
    readonly solutionStackName: string;
    readonly instanceType: string;
    readonly instanceProfile: string;
    readonly serviceRole: string;
    readonly environments: readonly DesiredBeanstalkEnvironment[];
  };
  readonly databases: readonly DesiredDatabase[];
  readonly dns?: { readonly hostedZone: { readonly id: string; readonly name: string }; readonly records: readonly DesiredRoute53Record[] };
}

/** Worker bindings of the gate: plain-text values (the bypass secret is bound separately as secret_text). */
export interface GateBindings {
  readonly MAINTENANCE: '0' | '1';
  readonly READ_ONLY: '0' | '1';
  readonly REASON: string;
  /** ISO-8601, or empty when no window is declared. */
  readonly WINDOW_ANNOUNCE: string;
  readonly WINDOW_START: string;
  readonly WINDOW_END: string;
  /** Comma-separated IANA zones. */
  readonly TIME_ZONES: string;
  /** Comma-separated paths always passed to the origin. */
  readonly HEALTH_PATHS: string;
  /** Comma-separated IPs/CIDRs compared with CF-Connecting-IP. */
  readonly BYPASS_ALLOW_IPS: string;
  readonly BYPASS_COOKIE: string;
  readonly BYPASS_TTL_SECONDS: string;
  readonly BYPASS_PATH: string;
  readonly BRAND_NAME: string;
  readonly BRAND_COLOUR: string;
  readonly STATUS_URL: string;
  readonly CONTACT: string;
}

/** What the maintenance page shows, for the gate and the static down page alike. */
export type PageBindings = Pick<GateBindings, 'REASON' | 'WINDOW_ANNOUNCE' | 'WINDOW_START' | 'WINDOW_END' | 'TIME_ZONES' | 'BRAND_NAME' | 'BRAND_COLOUR' | 'STATUS_URL' | 'CONTACT'>;

/** The page's content from the estate: reason, window, zones and brand. The same in every mode. */
export function pageBindings(estate: Estate): PageBindings {
  const w = estate.window;
  return {
    REASON: w?.reason ?? '',
    WINDOW_ANNOUNCE: w?.announce ?? '',
    WINDOW_START: w?.start ?? '',
    WINDOW_END: w?.end ?? '',
    TIME_ZONES: (w?.timeZones ?? ['UTC']).join(','),
    BRAND_NAME: estate.brand.name,
    BRAND_COLOUR: estate.brand.colour,
    STATUS_URL: estate.brand.statusUrl ?? '',
    CONTACT: estate.brand.contact ?? '',
  };
}

/** Name of the gate's secret_text binding holding the bypass HMAC key. */
export const GATE_SECRET_BINDING = 'BYPASS_SECRET';

export interface DesiredCloudflareRecord {
  readonly id: string;
  readonly zone: string;
  readonly zoneId: string;
  readonly name: string;
  readonly type: 'A' | 'AAAA' | 'CNAME';
  readonly proxied: boolean;
  /** 1 means automatic (always for proxied records). */
  readonly ttl: number;
  readonly target: RecordValue | { readonly kind: 'downPage'; readonly value: string };
}

export interface DesiredCloudflare {
  readonly accountId: string;
  readonly gate: {
    readonly scriptName: string;
    readonly routes: readonly { readonly zone: string; readonly zoneId: string; readonly pattern: string }[];
    readonly bindings: GateBindings;
  };
  readonly bots: readonly { readonly zone: string; readonly zoneId: string; readonly plan: 'free' | 'pro' | 'business' | 'enterprise'; readonly verifiedBots: 'allow' | 'block'; readonly fightMode: boolean }[];
  readonly records: readonly DesiredCloudflareRecord[];
  readonly downPage?: {
    readonly projectName: string;
    readonly pagesDomain: string;
    readonly domain?: string;
    readonly zone?: string;
    readonly zoneId?: string;
    /**
     * Site records that move to the page in a hard-down. Pages serves a host name only when it is a
     * custom domain of the project, so each is attached in every mode, ready before it is needed.
     */
    readonly siteDomains: readonly { readonly id: string; readonly name: string }[];
  };
}

export interface DesiredState {
  readonly estate: string;
  readonly state: ModeState;
  readonly window?: Window & { readonly endIn: readonly ZonedTime[] };
  readonly aws?: DesiredAws;
  readonly cloudflare?: DesiredCloudflare;
}

const on = (b: boolean): '0' | '1' => (b ? '1' : '0');

/** The colour that serves customers in this state: the target during a cutover. */
export function servingColour(state: ModeState): ColourName {
  return state.mode === 'cutover' && state.target ? state.target : state.live;
}

/** Is a part of this colour (undefined: shared by both) one that carries traffic in this state? */
function isActive(colour: ColourName | undefined, state: ModeState): boolean {
  return colour === undefined || colour === servingColour(state);
}

/**
 * Does a job or a database rule of this colour (undefined: shared) run in this state? Normal: the
 * shared ones and the live colour's. Maintenance: none. Cutover: only the target colour's (shared
 * ones wait for the window to close).
 */
function runs(colour: ColourName | undefined, state: ModeState): boolean {
  if (state.mode === 'normal') return isActive(colour, state);
  return state.mode === 'cutover' && colour !== undefined && colour === state.target;
}

/** The colour being left during a cutover. */
function sourceColour(state: ModeState): ColourName | undefined {
  return state.mode === 'cutover' ? state.live : undefined;
}

export function beanstalkCname(prefix: string, region: string): string {
  return `${prefix}.${region}.elasticbeanstalk.com`;
}

/** What a record points at in this state; every kind carries the DNS value, resolved once here. */
function recordTarget(estate: Estate, target: RecordTargetSpec, state: ModeState, at: string): RecordValue {
  if ('value' in target) return { kind: 'value', value: target.value };
  if ('loadBalancer' in target) {
    const dnsName = estate.aws?.loadBalancer?.dnsName;
    if (!dnsName) throw new DrawbridgeError(`${at}.target: loadBalancer needs aws.loadBalancer.dnsName in the estate`);
    return { kind: 'loadBalancer', value: dnsName };
  }
  const colour = servingColour(state);
  if ('colours' in target) return { kind: 'colour', colour, value: target.colours[colour] };
  const env = estate.aws?.beanstalk?.environments.find((e) => e.colour === colour);
  if (!env || !estate.aws) throw new DrawbridgeError(`no beanstalk environment of colour ${colour} for a record target`);
  return { kind: 'beanstalk', colour, value: beanstalkCname(env.cnamePrefix, estate.aws.region) };
}

function resolveAws(estate: Estate, state: ModeState): DesiredAws | undefined {
  const aws = estate.aws;
  if (!aws) return undefined;
  const maintenance = state.mode === 'maintenance';
  const cutover = state.mode === 'cutover';
  const source = sourceColour(state);
  const colourOf = new Map(aws.targetGroups.map((t) => [t.id, t.colour]));

  const forward = (targetGroups: readonly string[]): WeightedForward => ({
    targets: targetGroups.map((tg) => ({
      targetGroup: tg,
      weight: targetGroups.length === 1 || isActive(colourOf.get(tg), state) ? LIVE_WEIGHT : 0,
    })),
  });
  const listenerSpec = aws.loadBalancer?.listener;
  const listener: DesiredListener | undefined = listenerSpec && {
    port: listenerSpec.port,
    protocol: listenerSpec.protocol,
    sslPolicy: listenerSpec.sslPolicy,
    ...(listenerSpec.certificateArn ? { certificateArn: listenerSpec.certificateArn } : {}),
    default: forward(listenerSpec.default.targetGroups),
    rules: listenerSpec.rules.map((r) => ({
      priority: r.priority,
      ...(r.hosts ? { hosts: r.hosts } : {}),
      ...(r.paths ? { paths: r.paths } : {}),
      ...forward(r.targetGroups),
    })),
  };

  const serving = servingColour(state);
  const bs = aws.beanstalk;
  const beanstalk = bs && {
    application: bs.application,
    solutionStackName: bs.solutionStackName,
    instanceType: bs.instanceType,
    instanceProfile: bs.instanceProfile,
    serviceRole: bs.serviceRole,
    environments: [...bs.environments]
      .sort((a, b) => a.colour.localeCompare(b.colour))
      .map((env): DesiredBeanstalkEnvironment => {
        // The colour not serving customers runs at 1/1 (the source during a cutover, the idle colour
        // otherwise) and takes no writes: only the serving colour does, and only it holds the secret.
        const isServing = env.colour === serving;
        const holds = !!bs.paymentSecret && isServing;
        const variables: Record<string, string> = {
          ...bs.variables,
          DRAWBRIDGE_COLOUR: env.colour,
          DRAWBRIDGE_MAINTENANCE: on(maintenance && env.colour === state.live),
          DRAWBRIDGE_READ_ONLY: on(!isServing),
        };
        if (bs.paymentSecret) variables[bs.paymentSecret.variable] = holds ? bs.paymentSecret.secretArn : '';
        return {
          id: env.id,
          colour: env.colour,
          name: env.name,
          cnamePrefix: env.cnamePrefix,
          cname: beanstalkCname(env.cnamePrefix, aws.region),
          min: isServing ? bs.min : 1,
          max: isServing ? bs.max : 1,
          variables,
          holdsPaymentSecret: holds,
        };
      }),
  };

  return {
    account: aws.account,
    region: aws.region,
    split: aws.split,
    ...(aws.vpc ? { vpc: aws.vpc } : {}),
    ...(aws.loadBalancer
      ? { loadBalancer: { arn: aws.loadBalancer.arn, dnsName: aws.loadBalancer.dnsName, canonicalHostedZoneId: aws.loadBalancer.canonicalHostedZoneId, securityGroupId: aws.loadBalancer.securityGroupId } }
      : {}),
    targetGroups: aws.targetGroups.map((t) => ({
      id: t.id,
      name: t.name,
      port: t.port,
      protocol: t.protocol,
      deregistrationDelaySeconds: t.deregistrationDelaySeconds,
      // Maintenance: every group answers on the maintenance path so instances stay in service and
      // the ALB does not fail open. Cutover: the colour being left is in maintenance, the target is not.
      healthPath: maintenance || (cutover && t.colour === source) ? t.maintenanceHealthPath : t.healthPath,
      ...(t.colour ? { colour: t.colour } : {}),
    })),
    ...(listener ? { listener } : {}),
    autoScalingGroups: aws.autoScalingGroups.map((g) => {
      const idle = g.idle ?? { min: 1, max: 1 };
      let cap = { min: g.min, max: g.max };
      if (g.colour && cutover && g.colour === source) cap = { min: 1, max: 1 };
      else if (g.colour && !cutover && g.colour !== state.live) cap = idle;
      return {
        id: g.id,
        name: g.name,
        ...cap,
        launchTemplateId: g.launchTemplateId,
        launchTemplateVersion: g.launchTemplateVersion,
        targetGroups: g.targetGroups,
        subnetIds: g.subnetIds ?? aws.vpc?.privateSubnetIds ?? [],
        ...(g.colour ? { colour: g.colour } : {}),
      };
    }),
    scheduledJobs: aws.scheduledJobs.map((j) => ({
      id: j.id,
      name: j.name,
      schedule: j.schedule,
      ...(j.description ? { description: j.description } : {}),
      ...(j.targetArn ? { targetArn: j.targetArn } : {}),
      enabled: runs(j.colour, state),
      ...(j.colour ? { colour: j.colour } : {}),
    })),
    databaseAccess: aws.databaseAccess.map((a) => ({
      id: a.id,
      name: a.name,
      description: a.description,
      port: a.port,
      open: a.allowFrom
        .filter((f) => runs(f.colour, state))
        .map((f) => ({ securityGroupId: f.securityGroupId, description: f.description ?? a.description })),
    })),
    parameters: aws.parameters.map((p) => {
      // readOnly: a colour's flag is on whenever it is not the serving colour (the side being left
      // stays frozen after the cutover too); a shared flag is on during a cutover.
      const flag =
        p.flag === 'maintenance'
          ? maintenance && (p.colour === undefined || p.colour === state.live)
          : p.colour === undefined
            ? cutover
            : p.colour !== serving;
      return { id: p.id, name: p.name, flag: p.flag, value: flag ? p.on : p.off, ...(p.colour ? { colour: p.colour } : {}) };
    }),
    ...(beanstalk ? { beanstalk } : {}),
    databases: aws.databases.map((d) => ({
      id: d.id,
      colour: d.colour,
      identifier: d.identifier,
      engine: d.engine,
      engineVersion: d.engineVersion,
      instanceClass: d.instanceClass,
      allocatedStorageGiB: d.allocatedStorageGiB,
      port: d.port,
      ...(d.snapshotIdentifier ? { snapshotIdentifier: d.snapshotIdentifier } : {}),
      ...(d.masterUsername ? { masterUsername: d.masterUsername } : {}),
      ...(d.masterSecretArn ? { masterSecretArn: d.masterSecretArn } : {}),
    })),
    ...(aws.dns
      ? {
          dns: {
            hostedZone: aws.dns.hostedZone,
            records: aws.dns.records.map((r) => ({
              id: r.id,
              name: r.name,
              type: r.type,
              ttl: estate.window && r.transitionTtl !== undefined ? r.transitionTtl : r.ttl,
              target: recordTarget(estate, r.target, state, `aws.dns.records[${r.id}]`),
            })),
          },
        }
      : {}),
  };
}

/** Every path the gate always passes to the origin: declared ones, the site's, the target groups'. */
export function healthPaths(estate: Estate): string[] {
  const paths = [estate.site.healthPath, ...(estate.cloudflare?.gate.healthPaths ?? [])];
  for (const t of estate.aws?.targetGroups ?? []) paths.push(t.healthPath, t.maintenanceHealthPath);
  return [...new Set(paths.filter((p) => p !== '/'))].sort();
}

function resolveCloudflare(estate: Estate, state: ModeState): DesiredCloudflare | undefined {
  const cf = estate.cloudflare;
  if (!cf) return undefined;
  const zone = new Map(cf.zones.map((z) => [z.id, z]));
  const zoneIdOf = (id: string) => zone.get(id)?.zoneId ?? '';
  const closed = state.mode !== 'normal';
  const w = estate.window;
  const pagesDomain = cf.downPage ? `${cf.downPage.projectName}.pages.dev` : '';
  const page = pageBindings(estate);
  // Listed in this order on purpose: it is the order of the Worker's bindings in the stack.
  const bindings: GateBindings = {
    MAINTENANCE: on(state.mode === 'maintenance'),
    READ_ONLY: on(state.mode === 'cutover'),
    REASON: page.REASON,
    WINDOW_ANNOUNCE: page.WINDOW_ANNOUNCE,
    WINDOW_START: page.WINDOW_START,
    WINDOW_END: page.WINDOW_END,
    TIME_ZONES: page.TIME_ZONES,
    HEALTH_PATHS: healthPaths(estate).join(','),
    BYPASS_ALLOW_IPS: cf.gate.bypass.allowIps.join(','),
    BYPASS_COOKIE: cf.gate.bypass.cookieName,
    BYPASS_TTL_SECONDS: String(cf.gate.bypass.ttlSeconds),
    BYPASS_PATH: cf.gate.bypass.path,
    BRAND_NAME: page.BRAND_NAME,
    BRAND_COLOUR: page.BRAND_COLOUR,
    STATUS_URL: page.STATUS_URL,
    CONTACT: page.CONTACT,
  };
  return {
    accountId: cf.accountId,
    gate: {
      scriptName: cf.gate.scriptName,
      routes: cf.gate.routes.map((r) => ({ zone: r.zone, zoneId: zoneIdOf(r.zone), pattern: r.pattern })),
      bindings,
    },
    bots: cf.zones.map((z) => ({
      zone: z.id,
      zoneId: z.zoneId,
      plan: z.plan,
      verifiedBots: closed ? 'block' : 'allow',
      fightMode: z.plan === 'free' && closed,
    })),
    records: cf.records.map((r): DesiredCloudflareRecord => {
      const down = state.hardDown && state.mode === 'maintenance' && r.downPageOnHardDown;
      const proxied = down ? true : r.proxied;
      const ttl = proxied ? 1 : w && r.transitionTtl !== undefined ? r.transitionTtl : (r.ttl ?? 300);
      return {
        id: r.id,
        zone: r.zone,
        zoneId: zoneIdOf(r.zone),
        name: r.name,
        type: r.type,
        proxied,
        ttl,
        target: down ? { kind: 'downPage', value: pagesDomain } : recordTarget(estate, r.target, state, `cloudflare.records[${r.id}]`),
      };
    }),
    ...(cf.downPage
      ? {
          downPage: {
            projectName: cf.downPage.projectName,
            pagesDomain,
            ...(cf.downPage.domain ? { domain: cf.downPage.domain } : {}),
            ...(cf.downPage.zone ? { zone: cf.downPage.zone, zoneId: zoneIdOf(cf.downPage.zone) } : {}),
            siteDomains: cf.records.filter((r) => r.downPageOnHardDown).map((r) => ({ id: r.id, name: r.name })),
          },
        }
      : {}),
  };
}

/**
 * The desired state of every component of `estate` in `state`. Throws a DrawbridgeError for an
 * invalid combination (for example a cutover whose target is the live colour).
 */
export function resolve(estate: Estate, state: ModeState): DesiredState {
  checkModeState(estate, state, new Date(0));
  const aws = resolveAws(estate, state);
  const cloudflare = resolveCloudflare(estate, state);
  const desired: DesiredState = {
    estate: estate.name,
    state,
    ...(estate.window ? { window: { ...estate.window, endIn: formatInZones(estate.window.end, estate.window.timeZones) } } : {}),
    ...(aws ? { aws } : {}),
    ...(cloudflare ? { cloudflare } : {}),
  };
  // Estate problems only visible once a mode is resolved (record content per colour, for example):
  // refused here so the CLI, CDK and Pulumi all stop on them, not just the engine that renders them.
  const problems = cloudflareProblems(desired);
  if (problems.length) throw new DrawbridgeError(problems);
  const broken = invariantViolations(desired);
  if (broken.length) throw new DrawbridgeError(broken.map((b) => `invariant broken in ${state.mode}: ${b}`));
  return desired;
}

/** Rules every desired state keeps (DESIGN.md, issue 5); each broken one as a sentence. */
export function invariantViolations(d: DesiredState): string[] {
  const out: string[] = [];
  const envs = d.aws?.beanstalk?.environments ?? [];
  const holders = envs.filter((e) => e.holdsPaymentSecret);
  if (envs.length && holders.length > 1) out.push(`payment secret on ${holders.map((h) => h.name).join(' and ')}; exactly one colour may hold it`);
  // A colour runs when any of its capacity (environment or group) has min >= 1; a colour with no
  // capacity declared here (an external host) is taken as running.
  const capacity = [...envs, ...(d.aws?.autoScalingGroups ?? [])];
  const running = (c: ColourName) => !capacity.some((x) => x.colour === c) || capacity.some((x) => x.colour === c && x.min >= 1);
  const records = [...(d.aws?.dns?.records ?? []), ...(d.cloudflare?.records ?? [])];
  for (const r of records) {
    if ((r.target.kind === 'beanstalk' || r.target.kind === 'colour') && !running(r.target.colour)) {
      out.push(`record ${r.name} points at ${r.target.colour}, which is not running`);
    }
  }
  for (const action of [d.aws?.listener?.default, ...(d.aws?.listener?.rules ?? [])]) {
    for (const t of action?.targets ?? []) {
      const colour = d.aws?.targetGroups.find((g) => g.id === t.targetGroup)?.colour;
      if (t.weight > 0 && colour && !running(colour)) out.push(`listener sends traffic to ${t.targetGroup} (${colour}), which is not running`);
    }
  }
  return out;
}
