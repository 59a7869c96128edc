/**
 * The estate file's schema: one description of a web estate, from which every mode is derived.
 *
 * The estate-wide parts (name, site, brand, state, window, runbook) are declared here; the `aws:`
 * and `cloudflare:` parts are composed from the components' fragments (`registry.ts`), each at its
 * key. Validation is declared with zod (no hand-written checks elsewhere); `npm run schema` writes
 * the JSON Schema editors use (`schema/estate.schema.json`). Cross-field rules run after the shape
 * is valid: the estate's own below, each component's from its module, every problem with its path.
 */
import { z } from 'zod';
import type { Rule, RuleContext, RuleFacts } from './component';
import { awsAccount, awsRegion, BrandSchema, cfId, CutoverPolicySchema, id, Mode, ModeStateSchema, path, Phase, STAGES, subnetId, WindowSchema } from './fields';
import { formatPath } from './path';
import { STATUS_PAGE_RULES, StatusPageSchema } from './components/statuspage/statuspage';
import { AWS_COMPONENTS, CLOUDFLARE_COMPONENTS, type AnyComponent } from './registry';

export * from './fields';

type ShapeOf<T extends readonly { readonly key: string; readonly schema: z.ZodType }[]> = { [C in T[number] as C['key']]: C['schema'] };

/** The zod shape of a provider part: each component's fragment at its key, in registry order. */
function shapeOf<T extends readonly { readonly key: string; readonly schema: z.ZodType }[]>(components: T): ShapeOf<T> {
  return Object.fromEntries(components.map((c) => [c.key, c.schema])) as ShapeOf<T>;
}

export const AwsSchema = z.strictObject({
  account: awsAccount,
  region: awsRegion,
  split: z
    .enum(['none', 'component'])
    .default('none')
    .describe(
      'none: one stack <name>-aws. component: <name>-traffic[-N], <name>-operations[-N] and <name>-bluegreen, for estates past CloudFormation\'s limits per stack (500 resources, 200 outputs). Changing it moves resources between stacks: a reviewed estate change, never a mode change.',
    ),
  vpc: z
    .strictObject({
      id: z.string().regex(/^vpc-[0-9a-f]{8,17}$/, 'must be a VPC id (vpc-...)'),
      availabilityZones: z.array(z.string().regex(/^[a-z]{2}-[a-z]+-\d[a-z]$/, 'must be an availability zone such as eu-west-2a')).min(1),
      privateSubnetIds: z.array(subnetId).min(1),
      publicSubnetIds: z.array(subnetId).min(1).optional().describe('Subnets with a route to the internet: where internet-facing load balancers go (Beanstalk needs them).'),
    })
    .optional()
    .describe('Imported by id; needed by target groups, Auto Scaling groups, database access, databases and Beanstalk.'),
  ...shapeOf(AWS_COMPONENTS),
});

export const CloudflareSchema = z.strictObject({
  accountId: cfId,
  ...shapeOf(CLOUDFLARE_COMPONENTS),
});

/** Kinds of manual step whose work is done once: a way back never repeats them (`once` overrides). */
export const RUN_ONCE_KINDS = ['sql', 'command', 'message'] as const;

const ManualStep = z.strictObject({
  id,
  phase: Phase,
  on: z
    .enum(['enter', 'leave', 'fail-back'])
    .describe('Part of entering the mode, of leaving it (for a cutover: completing it on the target), or of a cutover\'s fail-back to the live colour.'),
  modes: z.array(Mode.exclude(['normal'])).min(1).default(['maintenance']),
  kind: z.enum(['sql', 'status-page', 'message', 'command', 'check', 'test']).describe('test: staff test the site (through the bypass); the outage is also given without tests.'),
  title: z.string().min(1).max(200),
  detail: z.string().max(4000).optional().describe('The SQL, command or message text. Never a secret.'),
  minutes: z.number().min(0).max(1440).default(5),
  once: z
    .boolean()
    .optional()
    .describe('Done once: a way back (the rollback) never repeats it. Default: true for sql, command and message, false otherwise.'),
  undo: z.string().min(1).max(4000).optional().describe('What the way back does instead of repeating it (a step of its own in the rollback).'),
  before: z
    .string()
    .optional()
    .describe('Run it before the stage (ahead, page, behind, prepare, freeze, restore, move) or before the deploy that changes the item (aws.databaseAccess.ID, cloudflare.gate, ...).'),
  after: z.string().optional().describe('Run it after that stage, or after the deploy that changes that item.'),
  check: z
    .strictObject({
      url: z.url({ protocol: /^https?$/ }),
      method: z.enum(['GET', 'POST', 'HEAD']).default('GET'),
      expect: z.number().int().min(100).max(599).describe('The HTTP status that means done.'),
      from: z.string().max(200).optional().describe('Where to run it from, e.g. "through the staff bypass" or "from outside the staff network".'),
    })
    .optional()
    .describe('The request that shows the step is done, and the answer expected.'),
});

const EstateBase = z.strictObject({
  name: id.describe('Short name of the estate; prefixes stack names.'),
  description: z.string().max(500).optional(),
  site: z.strictObject({
    url: z.url({ protocol: /^https?$/ }).describe('The public URL checked by the runbook.'),
    healthPath: path.default('/'),
    maintenanceStatus: z
      .number()
      .int()
      .min(200)
      .max(599)
      .default(503)
      .describe('What the application\'s own maintenance page answers (estates without a Cloudflare gate: the runbook\'s checks expect it).'),
  }),
  brand: BrandSchema,
  state: ModeStateSchema.default({ mode: 'normal', live: 'blue', hardDown: false }),
  window: WindowSchema.optional(),
  cutover: CutoverPolicySchema.optional().describe('How cutovers of this estate go (blue/green estates).'),
  statusPage: StatusPageSchema,
  aws: AwsSchema.optional(),
  cloudflare: CloudflareSchema.optional(),
  runbook: z.array(ManualStep).default([]),
});

type EstateShape = z.output<typeof EstateBase>;
type Ctx = z.core.$RefinementCtx<EstateShape>;
type Path = (string | number)[];

function issue(ctx: Ctx, path: Path, message: string): void {
  ctx.addIssue({ code: 'custom', path, message });
}

/** The facts a component's rules may read about the rest of the estate. */
function ruleFacts(e: EstateShape): RuleFacts {
  return {
    targetGroups: (e.aws?.targetGroups ?? []).map((t) => ({ id: t.id, ...(t.colour ? { colour: t.colour } : {}) })),
    healthPaths: [e.site?.healthPath, ...(e.aws?.targetGroups ?? []).flatMap((t) => [t.healthPath, t.maintenanceHealthPath])].filter((p): p is string => typeof p === 'string' && p !== '/'),
    hasLoadBalancer: !!e.aws?.loadBalancer,
    hasBeanstalk: !!e.aws?.beanstalk,
    zones: new Map((e.cloudflare?.zones ?? []).map((z) => [z.id, z.name])),
    hasDownPage: !!e.cloudflare?.downPage,
    ...(e.aws ? { account: e.aws.account, region: e.aws.region } : {}),
    databases: (e.aws?.databases ?? []).map((d) => ({ id: d.id, colour: d.colour, pending: d.restored === false && !!d.snapshotIdentifier })),
    beanstalkApplications: Array.isArray(e.aws?.beanstalk) ? e.aws.beanstalk.flatMap((a) => (a.id ? [a.id] : [])) : [],
  };
}

/** Runs `rules` on the spec at `at`, each problem reported at its place under `at`. */
function runRules<S>(ctx: Ctx, facts: RuleFacts, at: Path, rules: readonly Rule<S>[], spec: S): void {
  const rc: RuleContext = {
    facts,
    report: (rel, message) => issue(ctx, [...at, ...rel], message),
    where: (rel) => formatPath([...at, ...rel]),
  };
  for (const rule of rules) rule(spec, rc);
}

/** Runs each component's rules on its spec, reporting at `<provider>.<key>...`. */
function componentRules(ctx: Ctx, facts: RuleFacts, provider: 'aws' | 'cloudflare', part: Record<string, unknown>, components: readonly AnyComponent[]): void {
  for (const c of components) runRules(ctx, facts, [provider, c.key], c.rules ?? [], part[c.key]);
}

function windowInOrder(e: EstateShape, ctx: Ctx): void {
  if (!e.window) return;
  const { announce, start, end } = e.window;
  // Compared only when each parses: a malformed time has its own message already.
  const ok = [announce, start, end].every((t) => !Number.isNaN(Date.parse(t)));
  if (ok && !(Date.parse(announce) <= Date.parse(start))) issue(ctx, ['window', 'announce'], `announce ${announce} must not be after start ${start}`);
  if (ok && !(Date.parse(start) < Date.parse(end))) issue(ctx, ['window', 'end'], `end ${end} must be after start ${start}`);
}

function vpcWhereNeeded(e: EstateShape, ctx: Ctx): void {
  const aws = e.aws;
  if (!aws) return;
  const needing = AWS_COMPONENTS.filter((c) => 'needsVpc' in c && c.needsVpc!.when(aws[c.key] as never));
  if (aws.vpc) {
    const both = (aws.vpc.publicSubnetIds ?? []).filter((id) => aws.vpc!.privateSubnetIds.includes(id));
    if (both.length > 0) issue(ctx, ['aws', 'vpc', 'publicSubnetIds'], `${both.join(', ')} ${both.length > 1 ? 'are' : 'is'} also in privateSubnetIds; a subnet is public (routes to an internet gateway) or private, not both`);
    const publicNeeded = needing.find((c) => c.needsVpc!.publicSubnets);
    if (publicNeeded && !aws.vpc.publicSubnetIds) issue(ctx, ['aws', 'vpc', 'publicSubnetIds'], `is required when the estate has ${publicNeeded.needsVpc!.what}: ${publicNeeded.needsVpc!.publicSubnets}`);
    return;
  }
  if (needing.length > 0) {
    const all = AWS_COMPONENTS.filter((c) => 'needsVpc' in c);
    const what = all.map((c) => c.needsVpc!.what);
    issue(ctx, ['aws', 'vpc'], `is required when the estate has ${what.slice(0, -1).join(', ')} or ${what[what.length - 1]}`);
  }
}

function uniqueManualSteps(e: EstateShape, ctx: Ctx): void {
  const seen = new Map<string, number>();
  e.runbook.forEach((step, i) => {
    const first = seen.get(step.id);
    if (first !== undefined) issue(ctx, ['runbook', i, 'id'], `duplicate id '${step.id}' (already used at ${formatPath(['runbook', first])}); each id must be unique`);
    else seen.set(step.id, i);
  });
}

/** `before:` / `after:` of a manual step name a stage or an item the estate has. */
function manualStepsPlaceable(e: EstateShape, ctx: Ctx): void {
  const stages = STAGES as readonly string[];
  e.runbook.forEach((step, i) => {
    for (const field of ['before', 'after'] as const) {
      const text = step[field];
      if (text === undefined || stages.includes(text)) continue;
      const [provider, key, id, ...rest] = text.split('.');
      const components = provider === 'aws' ? AWS_COMPONENTS : provider === 'cloudflare' ? CLOUDFLARE_COMPONENTS : undefined;
      const component = (components as readonly AnyComponent[] | undefined)?.find((c) => c.key === key);
      const part = provider === 'aws' ? e.aws : provider === 'cloudflare' ? e.cloudflare : undefined;
      const spec = component && part ? (part as Record<string, unknown>)[component.key] : undefined;
      const ids = Array.isArray(spec) ? spec.map((x: { id?: string }) => x.id) : [];
      const ok = !rest.length && component && spec !== undefined && (id === undefined || ids.includes(id));
      if (!ok) {
        const hint = component && spec !== undefined && id !== undefined ? `; ids of ${provider}.${key}: ${ids.join(', ') || '(none)'}` : '';
        issue(ctx, ['runbook', i, field], `${JSON.stringify(text)} names no stage and no item of this estate; allowed: a stage (${STAGES.join(', ')}) or <aws|cloudflare>.<key>[.<id>], e.g. aws.databaseAccess.<id>${hint}`);
      }
    }
    if (step.before !== undefined && step.after !== undefined) issue(ctx, ['runbook', i, 'after'], 'give before or after, not both');
  });
}

function hardDownHasARecord(e: EstateShape, ctx: Ctx): void {
  if (e.state.hardDown && !e.cloudflare?.records.some((r) => r.downPageOnHardDown)) {
    issue(ctx, ['state', 'hardDown'], 'hardDown needs a cloudflare record with downPageOnHardDown: true');
  }
}

export const EstateSchema = EstateBase.superRefine((e, ctx) => {
  windowInOrder(e, ctx);
  vpcWhereNeeded(e, ctx);
  const facts = ruleFacts(e);
  if (e.aws) componentRules(ctx, facts, 'aws', e.aws, AWS_COMPONENTS);
  if (e.cloudflare) componentRules(ctx, facts, 'cloudflare', e.cloudflare, CLOUDFLARE_COMPONENTS);
  // The status page is not deployed by an engine (no registry entry), but its rules run the same way.
  runRules(ctx, facts, ['statusPage'], STATUS_PAGE_RULES, e.statusPage);
  uniqueManualSteps(e, ctx);
  manualStepsPlaceable(e, ctx);
  hardDownHasARecord(e, ctx);
});

export type Estate = z.output<typeof EstateSchema>;
export type EstateInput = z.input<typeof EstateSchema>;
export type ManualStepSpec = z.output<typeof ManualStep>;
export type TargetGroupSpec = NonNullable<Estate['aws']>['targetGroups'][number];
