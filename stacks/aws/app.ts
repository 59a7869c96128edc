/**
 * The AWS side of an estate as a CDK app, rendering the desired state of one mode. cdk-nag's AWS
 * Solutions checks run on every synthesis; a finding throws.
 *
 * Stacks: `<name>-aws` holds everything (aws.split: none, the default). For estates past
 * CloudFormation's limits, aws.split: component gives `<name>-traffic` (target groups, listener,
 * records; past the limits of one stack, `-2`, `-3` ... chunks: see `trafficChunks`),
 * `<name>-operations` (+ `-2`, `-3` ... chunks of at most OPERATIONS_BUDGET resources: capacity,
 * jobs, database access, flags) and `<name>-bluegreen` (Beanstalk, databases). Which stack holds
 * what depends on the estate only, never on the mode.
 */
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import type { Construct } from 'constructs';
import { DrawbridgeError } from '../../modes/errors';
import { failedPath, writeFailure } from '../../modes/write-error';
import type { DesiredAws, DesiredState, WeightedForward } from '../../modes/desired';
import { EstatePart, stackContext, type FromOtherStacks } from './parts';
import { STACK_PARTS, type StackPart } from './renderer';
import { AWS_RENDERERS, operationsRenderers, partRenders, renderersOf } from './renderers';

/** CloudFormation's limits for one stack. */
export const MAX_RESOURCES = 500;
export const MAX_TEMPLATE_BYTES = 1_000_000;
export const MAX_OUTPUTS = 200;
export const MAX_PARAMETERS = 200;
/** Resources per operations stack when split (leaves room under MAX_RESOURCES). */
export const OPERATIONS_BUDGET = 400;

/** What one traffic stack holds: estimated resources, and exports (outputs other stacks import). */
export interface TrafficBudget {
  readonly resources: number;
  readonly exports: number;
}
/** What a traffic stack holds once the traffic part is past one stack's limits (leaves room under them). */
export const TRAFFIC_BUDGET: TrafficBudget = { resources: 400, exports: 150 };
/** What the traffic part may hold and stay one stack. */
export const TRAFFIC_LIMITS: TrafficBudget = { resources: MAX_RESOURCES, exports: MAX_OUTPUTS };

export interface EstateStackProps extends StackProps, FromOtherStacks {
  /** The AWS part of the desired state to render (for a traffic or operations stack of a split estate: its chunk). */
  readonly desired: DesiredAws;
  /** The parts this stack holds; each is rendered by its renderers (`renderers.ts`). */
  readonly parts: readonly StackPart[];
}

/** One stack of an estate's AWS side. */
export class EstateStack extends Stack {
  /** Target groups by estate id: rendered here, or given in the props. */
  readonly targetGroups: ReadonlyMap<string, elbv2.ApplicationTargetGroup>;
  /** The estate's listener, when rendered here or given in the props. */
  readonly listener?: elbv2.IApplicationListener;

  constructor(scope: Construct, id: string, props: EstateStackProps) {
    super(scope, id, props);
    const { desired } = props;
    const parts = STACK_PARTS.filter((p) => props.parts.includes(p));
    const shared = stackContext(this, desired, props);
    if (desired.vpc && parts.some((p) => renderersOf(p).some((r) => r.importsVpc?.(desired)))) shared.vpc('the stack');
    for (const part of parts) if (partRenders(part, desired)) new EstatePart(this, { part, desired, shared });
    this.targetGroups = shared.targetGroups;
    this.listener = shared.listener.current;
  }
}

/** Operations parts cut into chunks of at most `budget` estimated resources, in estate order. */
export function operationChunks(desired: DesiredAws, budget = OPERATIONS_BUDGET): DesiredAws[] {
  const lists = operationsRenderers().map((r) => r.chunk);
  type Unit = { key: (typeof lists)[number]['key']; item: unknown; cost: number };
  const units = lists.flatMap((list) => {
    const cost = list.cost as ((item: unknown) => number) | undefined;
    return (desired[list.key] as readonly unknown[]).map((item): Unit => ({ key: list.key, item, cost: cost ? cost(item) : 1 }));
  });
  const chunks: Unit[][] = [[]];
  let used = 0;
  for (const unit of units) {
    if (used + unit.cost > budget && chunks[chunks.length - 1]!.length > 0) {
      chunks.push([]);
      used = 0;
    }
    chunks[chunks.length - 1]!.push(unit);
    used += unit.cost;
  }
  return chunks.map((chunk) => ({ ...desired, ...Object.fromEntries(lists.map((l) => [l.key, chunk.filter((u) => u.key === l.key).map((u) => u.item)])) }));
}

/** The traffic renderers `trafficChunks` shares out; another traffic renderer needs its place there first. */
const CHUNKED_TRAFFIC = ['targetGroup', 'listener', 'route53Record'];

/**
 * The traffic part cut into chunks, one per traffic stack, when it is past one stack's `limits`
 * (resources, or exports: one per target group an Auto Scaling group attaches to from an operations
 * stack); otherwise the whole part, so an estate within the limits keeps its one `<name>-traffic`
 * stack as it was.
 *
 * A chunk holds at most `budget` estimated resources and exports. Its units are
 * kept whole, in estate order: the target groups that share a forward (a rule or the default
 * action naming the colours of one service) with the rules forwarding to them, then the records
 * one by one. The first chunk holds the listener and the default action's groups, so the later
 * chunks' rules import the listener (one more export of the first stack) and nothing points back:
 * no cycle between traffic stacks. Only estate ids, the groups each forward names and the groups
 * each Auto Scaling group names decide a chunk, all the same in every mode.
 */
export function trafficChunks(desired: DesiredAws, budget: TrafficBudget = TRAFFIC_BUDGET, limits: TrafficBudget = TRAFFIC_LIMITS): DesiredAws[] {
  const unknown = renderersOf('traffic').filter((r) => !CHUNKED_TRAFFIC.includes(r.kind));
  if (unknown.length) throw new Error(`trafficChunks cannot share out ${unknown.map((r) => r.kind).join(', ')}: give it a place there`);
  const { listener, targetGroups } = desired;
  const rules = listener?.rules ?? [];
  const records = desired.dns?.records ?? [];
  const attached = new Set(desired.autoScalingGroups.flatMap((g) => g.targetGroups));
  const exports = targetGroups.filter((g) => attached.has(g.id)).length;
  // One resource per group, rule and record, one for the listener and one for the CDKMetadata `cdk synth` adds.
  if (targetGroups.length + rules.length + records.length + (listener ? 1 : 0) + 1 <= limits.resources && exports <= limits.exports) return [desired];

  // Target groups named by one forward share a unit (union-find over estate ids).
  const parent = new Map(targetGroups.map((g) => [g.id, g.id]));
  const root = (id: string): string => {
    let r = id;
    while (parent.get(r) !== r) r = parent.get(r)!;
    parent.set(id, r);
    return r;
  };
  const unite = (forward: WeightedForward) => {
    const [first, ...rest] = forward.targets.map((t) => root(t.targetGroup));
    for (const other of rest) parent.set(other, first!);
  };
  if (listener) [listener.default, ...rules].forEach(unite);

  type Unit = { readonly items: Set<unknown>; cost: number; exports: number };
  const units = new Map<string, Unit>();
  for (const g of targetGroups) {
    const unit = units.get(root(g.id)) ?? { items: new Set(), cost: 0, exports: 0 };
    unit.items.add(g);
    unit.cost++;
    if (attached.has(g.id)) unit.exports++;
    units.set(root(g.id), unit);
  }
  for (const rule of rules) {
    const unit = units.get(root(rule.targets[0]!.targetGroup))!;
    unit.items.add(rule);
    unit.cost++;
  }
  const ordered = [...units.values()];
  if (listener) {
    // The listener, its export to the later chunks and its default action's groups come first.
    const first = units.get(root(listener.default.targets[0]!.targetGroup))!;
    first.cost++;
    first.exports++;
    ordered.splice(ordered.indexOf(first), 1);
    ordered.unshift(first);
  }
  for (const r of records) ordered.push({ items: new Set([r]), cost: 1, exports: 0 });

  const chunks: Unit[] = [];
  for (const unit of ordered) {
    const last = chunks[chunks.length - 1];
    // The CDKMetadata `cdk synth` adds is one more resource.
    if (last && last.cost + unit.cost + 1 <= budget.resources && last.exports + unit.exports <= budget.exports) {
      for (const item of unit.items) last.items.add(item);
      last.cost += unit.cost;
      last.exports += unit.exports;
    } else chunks.push({ items: new Set(unit.items), cost: unit.cost, exports: unit.exports });
  }
  return chunks.map(({ items }) => ({
    ...desired,
    targetGroups: targetGroups.filter((g) => items.has(g)),
    ...(listener ? { listener: { ...listener, rules: rules.filter((r) => items.has(r)) } } : {}),
    ...(desired.dns ? { dns: { ...desired.dns, records: records.filter((r) => items.has(r)) } } : {}),
  }));
}

export interface BuildOptions {
  /**
   * Remember clean cdk-nag verdicts in this directory (stacks/aws/nag-cache.ts), as `cdk synth`
   * does; a finding is never remembered.
   * @default cdk-nag checks every synthesis
   */
  readonly nagCacheDir?: string;
}

/**
 * Adds the estate's stacks to `app` (or a new App) for the given desired state and registers
 * cdk-nag. Returns the app; render it with `synthApp`. Stack names depend on the estate only.
 */
export function buildAwsApp(desired: DesiredState, app: App = new App(), options: BuildOptions = {}): App {
  const aws = desired.aws;
  if (!aws) return app;
  /* eslint-disable @typescript-eslint/no-require-imports -- cdk-nag loads most of aws-cdk-lib: only when it runs */
  Validations.of(app).addPlugins(
    options.nagCacheDir
      ? new (require('./nag-cache') as typeof import('./nag-cache')).RememberedNagChecks(app, options.nagCacheDir)
      : new (require('cdk-nag') as typeof import('cdk-nag')).AwsSolutionsChecks(app),
  );
  /* eslint-enable @typescript-eslint/no-require-imports */
  const stateful = [...AWS_RENDERERS.values()].some((r) => r.stateful && r.component.items(aws).length > 0);
  const common = (name: string) => ({
    stackName: name,
    env: { account: aws.account, region: aws.region },
    description: `Drawbridge: AWS side of the ${desired.estate} estate (mode is set by the estate file's state)`,
    desired: aws,
  });
  const named = (part: string) => `${desired.estate}-${part}`;
  if (aws.split === 'none') {
    new EstateStack(app, named('aws'), { ...common(named('aws')), terminationProtection: stateful, parts: STACK_PARTS });
    return app;
  }
  const chunkName = (part: string, i: number) => named(i === 0 ? part : `${part}-${i + 1}`);
  const traffic: EstateStack[] = [];
  trafficChunks(aws).forEach((chunk, i) => {
    const name = chunkName('traffic', i);
    traffic.push(new EstateStack(app, name, { ...common(name), desired: chunk, parts: ['traffic'], listener: traffic[0]?.listener }));
  });
  const targetGroups = new Map(traffic.flatMap((t) => [...t.targetGroups]));
  operationChunks(aws).forEach((chunk, i) => {
    const name = chunkName('operations', i);
    const stack = new EstateStack(app, name, { ...common(name), desired: chunk, parts: ['operations'], targetGroups });
    const used = new Set(chunk.autoScalingGroups.flatMap((g) => g.targetGroups));
    traffic.forEach((t, j) => {
      if (j === 0 || [...t.targetGroups.keys()].some((id) => used.has(id))) stack.addStackDependency(t, "its groups attach to the traffic stack's target groups");
    });
  });
  if (partRenders('blueGreen', aws)) {
    new EstateStack(app, named('bluegreen'), { ...common(named('bluegreen')), terminationProtection: stateful, parts: ['blueGreen'] });
  }
  return app;
}

const LIMIT_HINT = 'set aws.split: component in the estate, or split the estate into several estate files';

/**
 * The reports aws-cdk-lib writes last, once the validation plugins (cdk-nag) ran. One left over from
 * an earlier run would make an interrupted synthesis look checked, so synthesis removes them first.
 */
export const VALIDATION_REPORTS = ['validation-report.json', 'policy-validation-report.json'] as const;

/**
 * Synthesizes `app`, turning CloudFormation limit breaches into a user error that names the way out,
 * and a failed write (a full disk) into one line naming the file.
 */
export function synthApp(app: App): CloudAssembly {
  let assembly: CloudAssembly;
  let before = new Map<string, number>();
  try {
    for (const report of VALIDATION_REPORTS) rmSync(join(app.outdir, report), { force: true });
    before = listing(app.outdir);
    assembly = app.synth();
  } catch (e) {
    const m = /Number of resources in stack '([^']+)': (\d+) is greater than allowed maximum of (\d+)/.exec(String((e as Error).message));
    if (m) throw new DrawbridgeError(`stack ${m[1]} has ${m[2]} resources; CloudFormation allows ${m[3]}: ${LIMIT_HINT}`);
    const failure = writeFailure(e, failedPath(e, app.outdir));
    if (failure) discardPartialAssembly(app.outdir, before);
    throw failure ?? e;
  }
  checkLimits(assembly);
  return assembly;
}

/** What is in an output directory: each entry's name and modification time. */
function listing(dir: string): Map<string, number> {
  const entries = new Map<string, number>();
  try {
    for (const name of readdirSync(dir)) entries.set(name, statSync(join(dir, name)).mtimeMs);
  } catch {
    // No directory yet: nothing was there.
  }
  return entries;
}

/**
 * After a failed write (a full disk), what this synthesis left must not look like an assembly:
 * every entry it created or rewrote goes (a half-written template or asset; Node names no file
 * when a write, not an open, fails), and so does manifest.json (a previous run's would name the
 * new, incomplete templates; the CDK CLI and `cdk deploy --app DIR` read an assembly by its
 * manifest). What an earlier run left untouched stays.
 */
function discardPartialAssembly(outdir: string, before: ReadonlyMap<string, number>): void {
  for (const [name, mtime] of listing(outdir)) {
    if (name !== 'manifest.json' && before.get(name) === mtime) continue;
    try {
      rmSync(join(outdir, name), { recursive: true, force: true });
    } catch {
      // Best effort: the write error already names the problem.
    }
  }
}

/** Refuses templates past CloudFormation's per-stack limits (resources, size, outputs, parameters), naming the stack and the way out. */
export function checkLimits(assembly: CloudAssembly): void {
  const problems: string[] = [];
  for (const stack of assembly.stacks) {
    const resources = Object.keys(stack.template.Resources ?? {}).length;
    const bytes = Buffer.byteLength(JSON.stringify(stack.template));
    const hint = LIMIT_HINT;
    if (resources > MAX_RESOURCES) problems.push(`stack ${stack.stackName} has ${resources} resources; CloudFormation allows ${MAX_RESOURCES}: ${hint}`);
    if (bytes > MAX_TEMPLATE_BYTES) problems.push(`stack ${stack.stackName} template is ${bytes} bytes; CloudFormation allows ${MAX_TEMPLATE_BYTES}: ${hint}`);
    // Outputs include the exports cross-stack references make.
    const outputs = Object.keys(stack.template.Outputs ?? {}).length;
    if (outputs > MAX_OUTPUTS) problems.push(`stack ${stack.stackName} has ${outputs} outputs; CloudFormation allows ${MAX_OUTPUTS}: ${hint}`);
    const parameters = Object.keys(stack.template.Parameters ?? {}).length;
    if (parameters > MAX_PARAMETERS) problems.push(`stack ${stack.stackName} has ${parameters} parameters; CloudFormation allows ${MAX_PARAMETERS}: ${hint}`);
  }
  if (problems.length) throw new DrawbridgeError(problems);
}
