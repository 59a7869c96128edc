/**
 * The estate file's schema: one description of a web estate, from which every mode is derived.
 *
 * Validation is declared here with zod (no hand-written checks elsewhere); `npm run schema` writes
 * the JSON Schema editors use (`schema/estate.schema.json`). Cross-field rules (references between
 * ids, duplicate ids, window order) are `superRefine`s at the bottom so that every problem is
 * reported with its path in the file.
 */
import { z } from 'zod';
import { formatPath } from './path';

export const MODES = ['normal', 'maintenance', 'cutover'] as const;
export const COLOURS = ['blue', 'green'] as const;
export const PHASES = ['days-before', 'day-before', 'minutes-before', 'start', 'end', 'after'] as const;

export const Mode = z.enum(MODES);
export const Colour = z.enum(COLOURS);
export const Phase = z.enum(PHASES);

const id = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,39}$/, 'must be lower-case letters, digits and dashes, starting with a letter (at most 40)')
  .describe('An id unique among its kind; used for logical ids and Pulumi names, so never change it.');

const path = z.string().regex(/^\/[\x21-\x7e]*$/, "must start with '/' and contain no spaces");

const hostname = z
  .string()
  .max(253)
  .regex(
    /^(?=.{1,253}$)(?:(?!-)[a-z0-9-]{1,63}(?<!-)\.)+[a-z]{2,63}$/,
    'must be a lower-case DNS name such as www.example.com',
  );

const isoTime = z.iso
  .datetime({ offset: true })
  .describe('ISO-8601 date and time with an offset, e.g. 2030-01-19T22:00:00Z');

const knownZones = new Map<string, boolean>();
export function isTimeZone(value: string): boolean {
  let known = knownZones.get(value);
  if (known === undefined) {
    try {
      new Intl.DateTimeFormat('en-GB', { timeZone: value });
      known = value.includes('/') || value === 'UTC';
    } catch {
      known = false;
    }
    if (knownZones.size < 1000) knownZones.set(value, known);
  }
  return known;
}

const timeZone = z
  .string()
  .refine(isTimeZone, { error: (issue) => `${JSON.stringify(issue.input)} must be an IANA time zone such as Europe/London, America/New_York or UTC` })
  .describe('IANA time zone name');

const awsAccount = z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account id');
const awsRegion = z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, 'must be an AWS region such as eu-west-2');
const arn = (service: string) =>
  z.string().regex(new RegExp(`^arn:aws[a-z-]*:${service}:`), `must be an ARN of the ${service} service (arn:aws:${service}:...)`);
const sgId = z.string().regex(/^sg-[0-9a-f]{8,17}$/, 'must be a security group id (sg-...)');
const subnetId = z.string().regex(/^subnet-[0-9a-f]{8,17}$/, 'must be a subnet id (subnet-...)');
const ipOrCidr = z
  .string()
  .regex(
    /^(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\/(?:3[0-2]|[12]?\d))?$|^[0-9a-f:]+:[0-9a-f:]*(?:\/(?:12[0-8]|1[01]\d|\d?\d))?$/i,
    'must be an IPv4 or IPv6 address, optionally with a /prefix',
  );
const cfId = z.string().regex(/^[0-9a-f]{32}$/, 'must be a 32-character Cloudflare id (hex)');
const capacity = z.number().int().min(0).max(1000);

/** The committed mode state: the one line a pull request changes to enter or leave a mode. */
export const ModeStateSchema = z.strictObject({
  mode: Mode.default('normal').describe('normal | maintenance | cutover'),
  live: Colour.default('blue').describe('The colour serving customers (estates with blue/green parts).'),
  target: Colour.optional().describe('During a cutover, the colour being moved to. Must differ from live.'),
  hardDown: z
    .boolean()
    .default(false)
    .describe('Maintenance variant for when the origin is unreachable: site records point at the static down page.'),
});

export const WindowSchema = z.strictObject({
  reason: z.string().min(1).max(200).describe('Shown to customers on the maintenance page.'),
  announce: isoTime.describe('From this time the site shows a banner announcing the window.'),
  start: isoTime,
  end: isoTime.describe('Retry-After and the page\'s "back at" times are derived from this.'),
  timeZones: z.array(timeZone).min(1).max(8).describe('Time zones the end time is shown in, in this order.'),
});

const TargetGroup = z.strictObject({
  id,
  name: z
    .string()
    .regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?$/, 'must be 1-32 letters, digits or dashes, not starting or ending with a dash')
    .describe('Physical name; changing it replaces the target group.'),
  port: z.number().int().min(1).max(65535).default(80),
  protocol: z.enum(['HTTP', 'HTTPS']).default('HTTP'),
  healthPath: path.describe('Health check path in normal mode.'),
  maintenanceHealthPath: path.describe('Health check path in maintenance: instances stay in service while the app is down.'),
  colour: Colour.optional(),
  deregistrationDelaySeconds: z.number().int().min(0).max(3600).default(300),
});

const ListenerAction = z.strictObject({
  targetGroups: z
    .array(id)
    .min(1)
    .max(5)
    .describe('Target group ids; several only when they are colours of one service (weights follow the mode).'),
});

const Listener = z.strictObject({
  port: z.number().int().min(1).max(65535).default(443),
  protocol: z.enum(['HTTP', 'HTTPS']).default('HTTPS'),
  certificateArn: arn('acm').optional(),
  sslPolicy: z.string().default('ELBSecurityPolicy-TLS13-1-2-2021-06'),
  default: ListenerAction,
  rules: z
    .array(
      ListenerAction.extend({
        priority: z.number().int().min(1).max(50000),
        hosts: z.array(hostname).max(5).optional(),
        paths: z.array(path).max(5).optional(),
      }),
    )
    .default([]),
});

const LoadBalancer = z.strictObject({
  arn: arn('elasticloadbalancing'),
  dnsName: z.string().regex(/\.elb\.amazonaws\.com$/, 'must be the load balancer DNS name (...elb.amazonaws.com)'),
  canonicalHostedZoneId: z.string().regex(/^Z[A-Z0-9]{4,32}$/, 'must be a hosted zone id (Z...)'),
  securityGroupId: sgId,
  listener: Listener.optional(),
});

const AutoScalingGroup = z.strictObject({
  id,
  name: z.string().min(1).max(255).describe('Physical name; changing it replaces the group.'),
  launchTemplateId: z.string().regex(/^lt-[0-9a-f]{8,17}$/, 'must be a launch template id (lt-...)'),
  launchTemplateVersion: z.string().regex(/^(\$Latest|\$Default|\d+)$/, 'must be $Latest, $Default or a version number').default('$Default'),
  min: capacity,
  max: capacity,
  idle: z
    .strictObject({ min: capacity, max: capacity })
    .optional()
    .describe('Capacity of this colour while it is not live (default min 1, max 1: warm standby).'),
  colour: Colour.optional(),
  targetGroups: z.array(id).default([]),
  subnetIds: z.array(subnetId).min(1).optional().describe('Defaults to the VPC private subnets.'),
});

const ScheduledJob = z.strictObject({
  id,
  name: z.string().regex(/^[.\-_A-Za-z0-9]{1,64}$/, 'must be 1-64 letters, digits, dots, dashes or underscores'),
  schedule: z
    .string()
    .regex(
      /^(rate\((1 (minute|hour|day)|([2-9]|[1-9]\d+) (minutes|hours|days))\)|cron\(\S+( \S+){5}\))$/,
      'must be an EventBridge schedule: rate(1 minute), rate(5 minutes) (singular only for 1), or cron() with six fields such as cron(0 2 * * ? *)',
    ),
  description: z.string().max(512).optional(),
  targetArn: arn('lambda').optional().describe('Lambda function the rule invokes.'),
  colour: Colour.optional(),
});

const DatabaseAccess = z.strictObject({
  id,
  name: z.string().min(1).max(255).describe('Name of the security group Drawbridge owns and attaches to the database.'),
  description: z.string().min(1).max(255).describe('What the rule lets in, e.g. "SAP SQL Anywhere DB".'),
  port: z.number().int().min(1).max(65535),
  allowFrom: z
    .array(z.strictObject({ securityGroupId: sgId, colour: Colour.optional(), description: z.string().max(255).optional() }))
    .min(1),
});

const Parameter = z.strictObject({
  id,
  name: z.string().regex(/^\/[A-Za-z0-9_.\-/]+$/, "must be an SSM parameter path starting with '/'"),
  flag: z.enum(['maintenance', 'readOnly']),
  colour: Colour.optional(),
  on: z.string().default('true'),
  off: z.string().default('false'),
});

const RecordTarget = z.union([
  z.strictObject({ value: z.string().min(1) }),
  z.strictObject({ loadBalancer: z.literal(true) }),
  z.strictObject({ beanstalk: z.literal(true).describe('The live colour\'s environment CNAME (the target\'s during a cutover).') }),
  z.strictObject({ colours: z.strictObject({ blue: z.string().min(1), green: z.string().min(1) }).describe('One value per colour: the live one (the target during a cutover).') }),
]);

const Route53Record = z.strictObject({
  id,
  name: hostname,
  type: z.enum(['A', 'CNAME']),
  ttl: z.number().int().min(1).max(172800).default(300),
  transitionTtl: z.number().int().min(1).max(172800).optional().describe('TTL while a window is declared (lowered ahead of a DNS change).'),
  target: RecordTarget,
});

const BeanstalkEnvironment = z.strictObject({
  id,
  colour: Colour,
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9-]{2,39}$/, 'must be 4-40 letters, digits or dashes'),
  cnamePrefix: z.string().regex(/^[a-z0-9][a-z0-9-]{2,61}[a-z0-9]$/, 'must be 4-63 lower-case letters, digits or dashes'),
});

const Beanstalk = z.strictObject({
  application: z.string().min(1).max(100),
  solutionStackName: z.string().min(1),
  instanceType: z.string().regex(/^[a-z0-9]+\.[a-z0-9]+$/, 'must be an instance type such as t3.small').default('t3.small'),
  instanceProfile: z.string().min(1).describe('Name of the EC2 instance profile the environments use.'),
  serviceRole: z.string().min(1).describe('Name or ARN of the Beanstalk service role.'),
  min: capacity.min(1),
  max: capacity.min(1),
  variables: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string()).default({}),
  paymentSecret: z
    .strictObject({
      variable: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/),
      secretArn: arn('secretsmanager'),
    })
    .optional()
    .describe('Secrets Manager ARN given to exactly one colour (the live one; the target during a cutover).'),
  environments: z.array(BeanstalkEnvironment).length(2),
});

const RdsDatabase = z.strictObject({
  id,
  colour: Colour,
  identifier: z.string().regex(/^[a-z][a-z0-9-]{0,62}$/, 'must be a lower-case DB instance identifier'),
  engine: z.enum(['postgres', 'mysql']).default('postgres'),
  engineVersion: z.string().regex(/^\d+(\.\d+)*$/),
  instanceClass: z.string().regex(/^db\.[a-z0-9]+\.[a-z0-9]+$/, 'must be an instance class such as db.t3.small'),
  allocatedStorageGiB: z.number().int().min(20).max(65536).default(20),
  snapshotIdentifier: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9-:]{0,254}$/)
    .optional()
    .describe(
      'Restore this database from the named snapshot. CloudFormation restores only when it creates the database: declare it in the pull request that enters cutover, after the plan\'s snapshot step. Fixed once created: changing it replaces the database.',
    ),
  port: z.number().int().min(1150).max(65535).default(5432),
  masterUsername: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_]{0,62}$/, 'must be a database user name (letters, digits, underscores)')
    .optional()
    .describe('The master user. For an existing database, its current user: changing it replaces the database. Default: postgres (mysql: admin).'),
  masterSecretArn: arn('secretsmanager')
    .optional()
    .describe(
      'Secrets Manager secret whose "password" field is the master password. Set it when adopting an existing database, or Drawbridge generates a new password and the first deploy resets it. Not for a database restored from a snapshot (it keeps the snapshot\'s).',
    ),
});

export const AwsSchema = z.strictObject({
  account: awsAccount,
  region: awsRegion,
  split: z
    .enum(['none', 'component'])
    .default('none')
    .describe(
      'none: one stack <name>-aws. component: <name>-traffic, <name>-operations[-N] and <name>-bluegreen, for estates past CloudFormation\'s 500 resources per stack. Changing it moves resources between stacks: a reviewed estate change, never a mode change.',
    ),
  vpc: z
    .strictObject({
      id: z.string().regex(/^vpc-[0-9a-f]{8,17}$/, 'must be a VPC id (vpc-...)'),
      availabilityZones: z.array(z.string().regex(/^[a-z]{2}-[a-z]+-\d[a-z]$/, 'must be an availability zone such as eu-west-2a')).min(1),
      privateSubnetIds: z.array(subnetId).min(1),
    })
    .optional()
    .describe('Imported by id; needed by target groups, Auto Scaling groups, database access, databases and Beanstalk.'),
  loadBalancer: LoadBalancer.optional(),
  targetGroups: z.array(TargetGroup).default([]),
  autoScalingGroups: z.array(AutoScalingGroup).default([]),
  scheduledJobs: z.array(ScheduledJob).default([]),
  databaseAccess: z.array(DatabaseAccess).default([]),
  parameters: z.array(Parameter).default([]),
  beanstalk: Beanstalk.optional(),
  databases: z.array(RdsDatabase).default([]),
  dns: z
    .strictObject({
      hostedZone: z.strictObject({ id: z.string().regex(/^Z[A-Z0-9]{4,32}$/, 'must be a hosted zone id (Z...)'), name: hostname }),
      records: z.array(Route53Record).default([]),
    })
    .optional(),
});

const CloudflareRecord = z.strictObject({
  id,
  zone: id.describe('Id of a zone in cloudflare.zones.'),
  name: hostname,
  type: z.enum(['A', 'AAAA', 'CNAME']),
  proxied: z.boolean().default(true),
  ttl: z.number().int().min(60).max(86400).optional().describe('Only for records that are not proxied: proxied records always use automatic TTL.'),
  transitionTtl: z.number().int().min(60).max(86400).optional().describe('TTL while a window is declared; not for proxied records.'),
  target: RecordTarget,
  downPageOnHardDown: z.boolean().default(false).describe('In a hard-down, this record becomes a proxied CNAME to the down page.'),
});

export const CloudflareSchema = z.strictObject({
  accountId: cfId,
  zones: z
    .array(
      z.strictObject({
        id,
        zoneId: cfId,
        name: hostname,
        plan: z.enum(['free', 'pro', 'business', 'enterprise']),
      }),
    )
    .min(1),
  gate: z.strictObject({
    scriptName: z.string().regex(/^[a-z0-9][a-z0-9-_]{0,62}$/, 'must be a Worker name (lower-case letters, digits, - and _)'),
    routes: z.array(z.strictObject({ zone: id, pattern: z.string().min(1).regex(/^[^\s]+\/\*?[^\s]*$/, 'must be a route pattern such as example.com/*') })).min(1),
    healthPaths: z.array(path).default([]).describe('Paths always passed to the origin; the target groups\' health paths are added.'),
    bypass: z
      .strictObject({
        allowIps: z.array(ipOrCidr).default([]),
        cookieName: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).default('drawbridge_bypass'),
        ttlSeconds: z.number().int().min(60).max(86400).default(3600),
        path: path.default('/__drawbridge/bypass'),
      })
      .default({ allowIps: [], cookieName: 'drawbridge_bypass', ttlSeconds: 3600, path: '/__drawbridge/bypass' }),
  }),
  records: z.array(CloudflareRecord).default([]),
  downPage: z
    .strictObject({
      projectName: z.string().regex(/^[a-z0-9][a-z0-9-]{0,57}$/, 'must be a Pages project name (lower-case letters, digits, dashes)'),
      domain: hostname.optional().describe('Custom domain for the down page (PagesDomain), e.g. down.example.com.'),
      zone: id.optional().describe('Zone holding the custom domain\'s record.'),
    })
    .optional(),
});

const ManualStep = z.strictObject({
  id,
  phase: Phase,
  on: z.enum(['enter', 'leave']).describe('Part of entering the mode or leaving it.'),
  modes: z.array(Mode.exclude(['normal'])).min(1).default(['maintenance']),
  kind: z.enum(['sql', 'status-page', 'message', 'command', 'check']),
  title: z.string().min(1).max(200),
  detail: z.string().max(4000).optional().describe('The SQL, command or message text. Never a secret.'),
  minutes: z.number().min(0).max(1440).default(5),
});

export const BrandSchema = z.strictObject({
  name: z.string().min(1).max(80),
  colour: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a #rrggbb colour').default('#1f4e79'),
  statusUrl: z.url().optional(),
  contact: z.string().max(200).optional(),
});

const EstateBase = z.strictObject({
  name: id.describe('Short name of the estate; prefixes stack names.'),
  description: z.string().max(500).optional(),
  site: z.strictObject({
    url: z.url({ protocol: /^https?$/ }).describe('The public URL checked by the runbook.'),
    healthPath: path.default('/'),
  }),
  brand: BrandSchema,
  state: ModeStateSchema.default({ mode: 'normal', live: 'blue', hardDown: false }),
  window: WindowSchema.optional(),
  aws: AwsSchema.optional(),
  cloudflare: CloudflareSchema.optional(),
  runbook: z.array(ManualStep).default([]),
});

type Ctx = z.core.$RefinementCtx<z.output<typeof EstateBase>>;

function unique(ctx: Ctx, items: readonly { id: string }[], at: (string | number)[], key: 'id' | 'name' = 'id'): void {
  const seen = new Map<string, number>();
  items.forEach((item, i) => {
    const value = (item as unknown as Record<string, string>)[key];
    const first = seen.get(value);
    if (first !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: [...at, i, key],
        message: `duplicate ${key} '${value}' (already used at ${formatPath([...at, first])}); each ${key} must be unique`,
      });
    } else {
      seen.set(value, i);
    }
  });
}

function refs(ctx: Ctx, known: Set<string>, kind: string, values: readonly string[], at: (string | number)[]): void {
  values.forEach((value, i) => {
    if (!known.has(value)) {
      ctx.addIssue({
        code: 'custom',
        path: [...at, i],
        message: `unknown ${kind} '${value}'; allowed: ${[...known].join(', ') || '(none declared)'}`,
      });
    }
  });
}

export const EstateSchema = EstateBase.superRefine((e, ctx) => {
  if (e.window) {
    const { announce, start, end } = e.window;
    // Compared only when each parses: a malformed time has its own message already.
    const ok = [announce, start, end].every((t) => !Number.isNaN(Date.parse(t)));
    if (ok && !(Date.parse(announce) <= Date.parse(start))) {
      ctx.addIssue({ code: 'custom', path: ['window', 'announce'], message: `announce ${announce} must not be after start ${start}` });
    }
    if (ok && !(Date.parse(start) < Date.parse(end))) {
      ctx.addIssue({ code: 'custom', path: ['window', 'end'], message: `end ${end} must be after start ${start}` });
    }
  }
  const aws = e.aws;
  if (aws) {
    const needsVpc = aws.targetGroups.length || aws.autoScalingGroups.length || aws.databaseAccess.length || aws.databases.length || aws.beanstalk;
    if (needsVpc && !aws.vpc) {
      ctx.addIssue({ code: 'custom', path: ['aws', 'vpc'], message: 'is required when the estate has target groups, Auto Scaling groups, database access, databases or Beanstalk' });
    }
    unique(ctx, aws.targetGroups, ['aws', 'targetGroups']);
    unique(ctx, aws.targetGroups, ['aws', 'targetGroups'], 'name');
    unique(ctx, aws.autoScalingGroups, ['aws', 'autoScalingGroups']);
    unique(ctx, aws.autoScalingGroups, ['aws', 'autoScalingGroups'], 'name');
    unique(ctx, aws.scheduledJobs, ['aws', 'scheduledJobs']);
    unique(ctx, aws.scheduledJobs, ['aws', 'scheduledJobs'], 'name');
    unique(ctx, aws.databaseAccess, ['aws', 'databaseAccess']);
    unique(ctx, aws.parameters, ['aws', 'parameters']);
    unique(ctx, aws.parameters, ['aws', 'parameters'], 'name');
    unique(ctx, aws.databases, ['aws', 'databases']);
    aws.databases.forEach((d, i) => {
      if (d.snapshotIdentifier && (d.masterSecretArn || d.masterUsername)) {
        ctx.addIssue({ code: 'custom', path: ['aws', 'databases', i, d.masterSecretArn ? 'masterSecretArn' : 'masterUsername'], message: 'a database restored from a snapshot keeps the snapshot\'s master user and password; remove it' });
      }
    });
    const tgIds = new Set(aws.targetGroups.map((t) => t.id));
    aws.autoScalingGroups.forEach((g, i) => {
      refs(ctx, tgIds, 'target group', g.targetGroups, ['aws', 'autoScalingGroups', i, 'targetGroups']);
      if (g.min > g.max) {
        ctx.addIssue({ code: 'custom', path: ['aws', 'autoScalingGroups', i, 'min'], message: `min ${g.min} must not exceed max ${g.max}` });
      }
    });
    const listener = aws.loadBalancer?.listener;
    if (listener) {
      if (listener.protocol === 'HTTPS' && !listener.certificateArn) {
        ctx.addIssue({ code: 'custom', path: ['aws', 'loadBalancer', 'listener', 'certificateArn'], message: 'an HTTPS listener needs certificateArn (arn:aws:acm:...)' });
      }
      const actions = [{ a: listener.default, at: ['aws', 'loadBalancer', 'listener', 'default'] }, ...listener.rules.map((r, i) => ({ a: r, at: ['aws', 'loadBalancer', 'listener', 'rules', i] }))];
      for (const { a, at } of actions) {
        refs(ctx, tgIds, 'target group', a.targetGroups, [...at, 'targetGroups']);
        const colours = a.targetGroups.map((t) => aws.targetGroups.find((g) => g.id === t)?.colour);
        if (a.targetGroups.length > 1 && (colours.includes(undefined) || new Set(colours).size !== colours.length)) {
          ctx.addIssue({ code: 'custom', path: [...at, 'targetGroups'], message: `several target groups in one action must be one per colour (blue, green); got ${a.targetGroups.join(', ')}` });
        }
      }
      const priorities = new Set<number>();
      listener.rules.forEach((r, i) => {
        if (priorities.has(r.priority)) {
          ctx.addIssue({ code: 'custom', path: ['aws', 'loadBalancer', 'listener', 'rules', i, 'priority'], message: `duplicate priority ${r.priority}; each rule needs its own` });
        }
        priorities.add(r.priority);
        if (!r.hosts && !r.paths) {
          ctx.addIssue({ code: 'custom', path: ['aws', 'loadBalancer', 'listener', 'rules', i], message: 'a rule needs hosts or paths to match' });
        }
      });
    }
    if (aws.beanstalk) {
      const colours = aws.beanstalk.environments.map((x) => x.colour);
      if (new Set(colours).size !== 2) {
        ctx.addIssue({ code: 'custom', path: ['aws', 'beanstalk', 'environments'], message: `needs one blue and one green environment; got ${colours.join(', ')}` });
      }
      unique(ctx, aws.beanstalk.environments, ['aws', 'beanstalk', 'environments']);
      if (aws.beanstalk.min > aws.beanstalk.max) {
        ctx.addIssue({ code: 'custom', path: ['aws', 'beanstalk', 'min'], message: `min ${aws.beanstalk.min} must not exceed max ${aws.beanstalk.max}` });
      }
    }
    if (aws.dns) {
      unique(ctx, aws.dns.records, ['aws', 'dns', 'records']);
      const zone = aws.dns.hostedZone.name;
      aws.dns.records.forEach((r, i) => {
        if (r.name !== zone && !r.name.endsWith(`.${zone}`)) {
          ctx.addIssue({ code: 'custom', path: ['aws', 'dns', 'records', i, 'name'], message: `'${r.name}' is not in the hosted zone ${zone}` });
        }
        checkTarget(ctx, e, r.target, r.type, ['aws', 'dns', 'records', i, 'target']);
      });
    }
  }
  const cf = e.cloudflare;
  if (cf) {
    unique(ctx, cf.zones, ['cloudflare', 'zones']);
    unique(ctx, cf.records, ['cloudflare', 'records']);
    const zones = new Map(cf.zones.map((z) => [z.id, z]));
    const zoneIds = new Set(zones.keys());
    cf.gate.routes.forEach((route, i) => {
      const zone = zones.get(route.zone);
      if (!zone) {
        ctx.addIssue({ code: 'custom', path: ['cloudflare', 'gate', 'routes', i, 'zone'], message: `unknown zone '${route.zone}'; allowed: ${[...zoneIds].join(', ')}` });
        return;
      }
      const host = route.pattern.split('/')[0]!.replace(/^\*\.?/, '');
      if (host !== zone.name && !host.endsWith(`.${zone.name}`)) {
        ctx.addIssue({ code: 'custom', path: ['cloudflare', 'gate', 'routes', i, 'pattern'], message: `'${route.pattern}' is not in the zone ${zone.name}; a route's host must be the zone or one of its subdomains` });
      }
    });
    cf.records.forEach((r, i) => {
      const at = ['cloudflare', 'records', i];
      if (!zoneIds.has(r.zone)) ctx.addIssue({ code: 'custom', path: [...at, 'zone'], message: `unknown zone '${r.zone}'; allowed: ${[...zoneIds].join(', ')}` });
      const z = zones.get(r.zone);
      if (z && r.name !== z.name && !r.name.endsWith(`.${z.name}`)) {
        ctx.addIssue({ code: 'custom', path: [...at, 'name'], message: `'${r.name}' is not in the zone ${z.name}` });
      }
      if (r.proxied && (r.ttl !== undefined || r.transitionTtl !== undefined)) {
        ctx.addIssue({ code: 'custom', path: [...at, r.ttl !== undefined ? 'ttl' : 'transitionTtl'], message: 'proxied records always use automatic TTL; remove ttl/transitionTtl or set proxied: false' });
      }
      if (r.downPageOnHardDown) {
        if (r.type !== 'CNAME') {
          ctx.addIssue({ code: 'custom', path: [...at, 'type'], message: `a record that moves to the down page must be a CNAME (changing type replaces it); got ${r.type}` });
        }
        if (!cf.downPage) {
          ctx.addIssue({ code: 'custom', path: [...at, 'downPageOnHardDown'], message: 'needs cloudflare.downPage to point at' });
        }
      }
      checkTarget(ctx, e, r.target, r.type, [...at, 'target']);
    });
    if (cf.downPage?.domain && !cf.downPage.zone) {
      ctx.addIssue({ code: 'custom', path: ['cloudflare', 'downPage', 'zone'], message: 'a down page domain needs the zone its record lives in' });
    }
    if (cf.downPage?.zone && !zoneIds.has(cf.downPage.zone)) {
      ctx.addIssue({ code: 'custom', path: ['cloudflare', 'downPage', 'zone'], message: `unknown zone '${cf.downPage.zone}'; allowed: ${[...zoneIds].join(', ')}` });
    }
  }
  unique(ctx, e.runbook, ['runbook']);
  if (e.state.hardDown && !cf?.records.some((r) => r.downPageOnHardDown)) {
    ctx.addIssue({ code: 'custom', path: ['state', 'hardDown'], message: 'hardDown needs a cloudflare record with downPageOnHardDown: true' });
  }
});

function checkTarget(ctx: Ctx, e: z.output<typeof EstateBase>, target: z.output<typeof RecordTarget>, type: string, at: (string | number)[]): void {
  if ('loadBalancer' in target) {
    if (!e.aws?.loadBalancer) ctx.addIssue({ code: 'custom', path: at, message: 'target loadBalancer needs aws.loadBalancer' });
    if (type === 'AAAA') ctx.addIssue({ code: 'custom', path: at, message: 'a load balancer target needs type A or CNAME' });
  }
  if ('colours' in target && type === 'A') {
    for (const c of ['blue', 'green'] as const) {
      if (!/^(\d{1,3}\.){3}\d{1,3}$/.test(target.colours[c])) ctx.addIssue({ code: 'custom', path: [...at, 'colours', c], message: `'${target.colours[c]}' is not an IPv4 address, which an A record needs` });
    }
  }
  if ('beanstalk' in target) {
    if (!e.aws?.beanstalk) ctx.addIssue({ code: 'custom', path: at, message: 'target beanstalk needs aws.beanstalk' });
    if (type !== 'CNAME') ctx.addIssue({ code: 'custom', path: at, message: `a beanstalk target needs type CNAME; got ${type}` });
  }
}

export type Estate = z.output<typeof EstateSchema>;
export type EstateInput = z.input<typeof EstateSchema>;
export type ModeState = z.output<typeof ModeStateSchema>;
export type Window = z.output<typeof WindowSchema>;
export type Brand = z.output<typeof BrandSchema>;
export type ModeName = z.output<typeof Mode>;
export type ColourName = z.output<typeof Colour>;
export type PhaseName = z.output<typeof Phase>;
export type TargetGroupSpec = z.output<typeof TargetGroup>;
export type RecordTargetSpec = z.output<typeof RecordTarget>;
export type ManualStepSpec = z.output<typeof ManualStep>;
