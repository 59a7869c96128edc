/**
 * The scopes of a stack's parts (`Traffic`, `Operations`, `BlueGreen`) and what their renderers
 * share: the VPC and the load balancer, imported by attributes on first use, and the target groups.
 */
import { Validations, type Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Construct } from 'constructs';
import type { DesiredAws } from '../../modes/desired';
import type { RenderContext, StackPart } from './renderer';
import { renderersOf } from './renderers';

/** Construct id of each part's scope: the first step of its resources' construct paths. */
export const PART_IDS: Readonly<Record<StackPart, string>> = { traffic: 'Traffic', operations: 'Operations', blueGreen: 'BlueGreen' };

/** What every part of one stack shares. */
export type StackContext = Omit<RenderContext, 'loadBalancer'>;

/** `make()` on the first call, the same value after. */
function once<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => (made ??= { value: make() }).value;
}

/** What other stacks of a split estate hand to a stack. */
export interface FromOtherStacks {
  /** Target groups of the estate's traffic stacks. */
  readonly targetGroups?: ReadonlyMap<string, elbv2.ApplicationTargetGroup>;
  /** The listener, held by the first traffic stack. */
  readonly listener?: elbv2.IApplicationListener;
}

/** The context the parts of `stack` share, starting with what other stacks of the estate hold. */
export function stackContext(stack: Stack, desired: DesiredAws, from: FromOtherStacks = {}): StackContext {
  const vpc = once(() => {
    const spec = desired.vpc!;
    const imported = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
      vpcId: spec.id,
      availabilityZones: [...spec.availabilityZones],
      privateSubnetIds: [...spec.privateSubnetIds],
    });
    Validations.of(imported).acknowledge({
      id: 'Annotation::@aws-cdk/aws-ec2:noSubnetRouteTableId',
      reason: 'The VPC is imported by id from the estate; nothing here reads its route tables.',
    });
    return imported;
  });
  return {
    vpc: (what) => {
      if (!desired.vpc) throw new Error(`${what} need aws.vpc (the schema requires it)`);
      return vpc();
    },
    targetGroups: new Map(from.targetGroups),
    listener: { current: from.listener },
  };
}

export interface EstatePartProps {
  readonly part: StackPart;
  /** The AWS part of the desired state (for an operations stack of a split estate: its chunk). */
  readonly desired: DesiredAws;
  /** What the stack's parts share (`stackContext`). */
  readonly shared: StackContext;
}

/** One part of a stack: the constructs of each of its renderers, in registry order. */
export class EstatePart extends Construct {
  constructor(scope: Stack, props: EstatePartProps) {
    super(scope, PART_IDS[props.part]);
    const lb = props.desired.loadBalancer;
    const loadBalancer = once(() =>
      lb
        ? elbv2.ApplicationLoadBalancer.fromApplicationLoadBalancerAttributes(this, 'LoadBalancer', {
            loadBalancerArn: lb.arn,
            securityGroupId: lb.securityGroupId,
            loadBalancerDnsName: lb.dnsName,
            loadBalancerCanonicalHostedZoneId: lb.canonicalHostedZoneId,
          })
        : undefined,
    );
    const ctx: RenderContext = { ...props.shared, loadBalancer };
    for (const renderer of renderersOf(props.part)) renderer.render(this, props.desired, ctx);
  }
}
