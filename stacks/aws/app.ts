/**
 * The AWS side of an estate as a CDK app, rendering the desired state of one mode. cdk-nag's AWS
 * Solutions checks run on every synthesis; a finding throws.
 *
 * Stacks: `<name>-aws` holds everything (aws.split: none, the default). For estates past
 * CloudFormation's limits, aws.split: component gives `<name>-traffic` (target groups, listener,
 * records), `<name>-operations` (+ `-2`, `-3` ... chunks of at most OPERATIONS_BUDGET resources:
 * capacity, jobs, database access, flags) and `<name>-bluegreen` (Beanstalk, databases). Which stack
 * holds what depends on the estate only, never on the mode.
 */
import { App, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { Construct } from 'constructs';
import { DrawbridgeError } from '../../modes/errors';
import type { DesiredAws, DesiredState } from '../../modes/resolve';
import { BlueGreen } from './bluegreen';
import { Operations } from './operations';
import { Traffic } from './traffic';

/** CloudFormation's limits for one stack. */
export const MAX_RESOURCES = 500;
export const MAX_TEMPLATE_BYTES = 1_000_000;
/** Resources per operations stack when split (leaves room under MAX_RESOURCES). */
export const OPERATIONS_BUDGET = 400;

export interface EstateStackProps extends StackProps {
  /** The AWS part of the desired state to render. */
  readonly desired: DesiredAws;
  /** Which parts this stack renders. */
  readonly parts: { readonly traffic?: boolean; readonly operations?: DesiredAws; readonly blueGreen?: boolean };
  /** Target groups living in another stack of the same estate (split estates). */
  readonly targetGroups?: ReadonlyMap<string, elbv2.ApplicationTargetGroup>;
}

/** One stack of an estate's AWS side. */
export class EstateStack extends Stack {
  readonly targetGroups: ReadonlyMap<string, elbv2.ApplicationTargetGroup>;

  constructor(scope: Construct, id: string, props: EstateStackProps) {
    super(scope, id, props);
    const { desired, parts } = props;
    let vpc: ec2.IVpc | undefined;
    const needsVpc = (parts.traffic && desired.targetGroups.length > 0) || parts.blueGreen;
    if (desired.vpc && needsVpc) {
      vpc = ec2.Vpc.fromVpcAttributes(this, 'Vpc', {
        vpcId: desired.vpc.id,
        availabilityZones: [...desired.vpc.availabilityZones],
        privateSubnetIds: [...desired.vpc.privateSubnetIds],
      });
      Validations.of(vpc).acknowledge({
        id: 'Annotation::@aws-cdk/aws-ec2:noSubnetRouteTableId',
        reason: 'The VPC is imported by id from the estate; nothing here reads its route tables.',
      });
    }
    this.targetGroups = parts.traffic ? new Traffic(this, 'Traffic', { desired, ...(vpc ? { vpc } : {}) }).targetGroups : (props.targetGroups ?? new Map());
    if (parts.operations) new Operations(this, 'Operations', { desired: parts.operations, targetGroups: this.targetGroups });
    if (parts.blueGreen && (desired.beanstalk || desired.databases.length > 0)) {
      if (!vpc) throw new Error('blue/green parts need aws.vpc (the schema requires it)');
      new BlueGreen(this, 'BlueGreen', { desired, vpc });
    }
  }
}

/** Operations parts cut into chunks of at most `budget` estimated resources, in estate order. */
export function operationChunks(desired: DesiredAws, budget = OPERATIONS_BUDGET): DesiredAws[] {
  type Unit = { kind: 'autoScalingGroups' | 'scheduledJobs' | 'databaseAccess' | 'parameters'; item: unknown; cost: number };
  const units: Unit[] = [
    ...desired.autoScalingGroups.map((item): Unit => ({ kind: 'autoScalingGroups', item, cost: 1 })),
    // a rule, plus the permission that lets it invoke its function
    ...desired.scheduledJobs.map((item): Unit => ({ kind: 'scheduledJobs', item, cost: item.targetArn ? 2 : 1 })),
    ...desired.databaseAccess.map((item): Unit => ({ kind: 'databaseAccess', item, cost: 1 })),
    ...desired.parameters.map((item): Unit => ({ kind: 'parameters', item, cost: 1 })),
  ];
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
  return chunks.map((chunk) => {
    const of = <K extends Unit['kind']>(kind: K) => chunk.filter((u) => u.kind === kind).map((u) => u.item) as unknown as DesiredAws[K];
    return { ...desired, autoScalingGroups: of('autoScalingGroups'), scheduledJobs: of('scheduledJobs'), databaseAccess: of('databaseAccess'), parameters: of('parameters') };
  });
}

/**
 * Adds the estate's stacks to `app` (or a new App) for the given desired state and registers
 * cdk-nag. Returns the app; render it with `synthApp`. Stack names depend on the estate only.
 */
export function buildAwsApp(desired: DesiredState, app: App = new App()): App {
  const aws = desired.aws;
  if (!aws) return app;
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const stateful = aws.databases.length > 0 || !!aws.beanstalk;
  const common = (name: string) => ({
    stackName: name,
    env: { account: aws.account, region: aws.region },
    description: `Drawbridge: AWS side of the ${desired.estate} estate (mode is set by the estate file's state)`,
    desired: aws,
  });
  const named = (part: string) => `${desired.estate}-${part}`;
  if (aws.split === 'none') {
    new EstateStack(app, named('aws'), { ...common(named('aws')), terminationProtection: stateful, parts: { traffic: true, operations: aws, blueGreen: true } });
    return app;
  }
  const traffic = new EstateStack(app, named('traffic'), { ...common(named('traffic')), parts: { traffic: true } });
  operationChunks(aws).forEach((chunk, i) => {
    const name = named(i === 0 ? 'operations' : `operations-${i + 1}`);
    const stack = new EstateStack(app, name, { ...common(name), parts: { operations: chunk }, targetGroups: traffic.targetGroups });
    stack.addStackDependency(traffic, "its groups attach to the traffic stack's target groups");
  });
  if (stateful) {
    new EstateStack(app, named('bluegreen'), { ...common(named('bluegreen')), terminationProtection: true, parts: { blueGreen: true } });
  }
  return app;
}

const LIMIT_HINT = 'set aws.split: component in the estate, or split the estate into several estate files';

/** Synthesizes `app`, turning CloudFormation limit breaches into a user error that names the way out. */
export function synthApp(app: App): CloudAssembly {
  let assembly: CloudAssembly;
  try {
    assembly = app.synth();
  } catch (e) {
    const m = /Number of resources in stack '([^']+)': (\d+) is greater than allowed maximum of (\d+)/.exec(String((e as Error).message));
    if (m) throw new DrawbridgeError(`stack ${m[1]} has ${m[2]} resources; CloudFormation allows ${m[3]}: ${LIMIT_HINT}`);
    throw e;
  }
  checkLimits(assembly);
  return assembly;
}

/** Refuses templates past CloudFormation's per-stack limits, naming the stack and the way out. */
export function checkLimits(assembly: CloudAssembly): void {
  const problems: string[] = [];
  for (const stack of assembly.stacks) {
    const resources = Object.keys(stack.template.Resources ?? {}).length;
    const bytes = Buffer.byteLength(JSON.stringify(stack.template));
    const hint = LIMIT_HINT;
    if (resources > MAX_RESOURCES) problems.push(`stack ${stack.stackName} has ${resources} resources; CloudFormation allows ${MAX_RESOURCES}: ${hint}`);
    if (bytes > MAX_TEMPLATE_BYTES) problems.push(`stack ${stack.stackName} template is ${bytes} bytes; CloudFormation allows ${MAX_TEMPLATE_BYTES}: ${hint}`);
  }
  if (problems.length) throw new DrawbridgeError(problems);
}
