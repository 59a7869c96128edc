/**
 * The AWS renderer contract. Each model component (`modes/registry.ts`, AWS_COMPONENTS) has one
 * renderer under `components/`, registered in `renderers.ts`. A renderer turns its part of
 * `DesiredAws` into constructs and owns:
 *
 * - `part`: the stack part it belongs to (`Traffic`, `Operations`, `BlueGreen`), which decides its
 *   stack when the estate is split (`aws.split: component`);
 * - `render`: its constructs, in the part's scope, with ids from estate ids only;
 * - `replaceOnChange`: for every CloudFormation type it declares, the properties it sets whose
 *   change replaces the resource (checked against @aws-cdk/cloudformation-diff in the tests);
 * - for operations renderers, `chunk`: the desired list it renders and what one item costs, so the
 *   operations stacks of a split estate stay under their resource budget.
 */
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type { Construct } from 'constructs';
import type { DesiredAws } from '../../modes/desired';
import type { ReplaceTable } from '../../modes/diff';
import type { AnyComponent } from '../../modes/registry';

/** The parts of an estate's AWS side; each is one scope (construct id) and, when split, one kind of stack. */
export const STACK_PARTS = ['traffic', 'operations', 'blueGreen'] as const;
export type StackPart = (typeof STACK_PARTS)[number];

/** What the renderers of one stack share. */
export interface RenderContext {
  /**
   * The estate's VPC, imported by attributes into the stack (`<stack>/Vpc`) on first use.
   * @param what the renderer's resources, for the message when the estate has no VPC
   */
  vpc(what: string): ec2.IVpc;
  /**
   * The estate's load balancer, imported by attributes into the part (`Traffic/LoadBalancer`) on
   * first use; undefined when the estate has none.
   */
  loadBalancer(): elbv2.IApplicationLoadBalancer | undefined;
  /** Target groups by estate id: the target-group renderer adds them; a split estate's other stacks start with the traffic stacks'. */
  readonly targetGroups: Map<string, elbv2.ApplicationTargetGroup>;
  /**
   * The estate's listener: the listener renderer creates it and sets `current`; the later traffic
   * stacks of a split estate start with the first one's and only add their rules to it.
   */
  readonly listener: { current?: elbv2.IApplicationListener };
}

/** Keys of `DesiredAws` that hold a list of items. */
export type ListKey = { [K in keyof DesiredAws]-?: NonNullable<DesiredAws[K]> extends readonly unknown[] ? K : never }[keyof DesiredAws];

/** How an operations renderer's items are shared out among the operations stacks. */
export interface Chunking<K extends ListKey = ListKey> {
  /** The list of `DesiredAws` the renderer renders, item by item. */
  readonly key: K;
  /**
   * Resources one item makes.
   * @default 1
   */
  cost?(item: DesiredAws[K][number]): number;
}

/** A chunking of any list key. */
export type AnyChunking = { [K in ListKey]: Chunking<K> }[ListKey];

interface RendererBase {
  /** The model component it renders. */
  readonly component: AnyComponent;
  /** The model component's kind: the renderer's key in the registry. */
  readonly kind: string;
  /** Renders the component's part of `desired` into `scope` (the part's construct). */
  render(scope: Construct, desired: DesiredAws, ctx: RenderContext): void;
  /** CloudFormation type -> the properties it sets whose change replaces the resource. */
  readonly replaceOnChange: ReplaceTable;
  /**
   * Its resources hold data (a database, an environment): their stack gets termination protection.
   * @default false
   */
  readonly stateful?: boolean;
  /**
   * Whether its stack imports the estate's VPC before any part is rendered (`<stack>/Vpc`, the
   * stack's first construct; `ctx.vpc()` returns it). Where the import stands in the construct tree
   * shows in the template (CDKMetadata lists construct types in tree order).
   * @default the VPC is imported when `ctx.vpc()` is first called
   */
  importsVpc?(desired: DesiredAws): boolean;
}

/** A renderer of the traffic or blue/green part. */
export interface PartRenderer extends RendererBase {
  readonly part: 'traffic' | 'blueGreen';
}

/** A renderer of the operations part: its items may be spread over several stacks. */
export interface OperationsRenderer extends RendererBase {
  readonly part: 'operations';
  readonly chunk: AnyChunking;
}

export type AwsRenderer = PartRenderer | OperationsRenderer;

/** A renderer as its module defines it: its kind is taken from its model component. */
export type AwsRendererDefinition = Omit<PartRenderer, 'kind'> | Omit<OperationsRenderer, 'kind'>;

/** A renderer whose `kind` is its model component's. */
export function defineAwsRenderer(renderer: AwsRendererDefinition): AwsRenderer {
  return { ...renderer, kind: renderer.component.kind } as AwsRenderer;
}
