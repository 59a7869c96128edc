/**
 * The Cloudflare half of an estate in one mode, as one component tree: each registered renderer
 * (`renderers.ts`: the gate Worker, the application Workers' flags, bot settings per zone, DNS
 * records, the down page) declares its component under the edge, or nothing when the estate has
 * none of it. It renders `resolve(estate, state).cloudflare` and decides nothing
 * about what a mode means.
 */
import * as pulumi from '@pulumi/pulumi';
import { DrawbridgeError } from '../../modes/errors';
import type { DesiredState } from '../../modes/desired';
import { describeModeState } from '../../modes/state';
import type { GateBundle } from './bundle';
import { EDGE_TYPE, edgeName } from './names';
import type { CloudflareStackOutputs } from './renderer';
import { CLOUDFLARE_RENDERERS } from './renderers';

export type { CloudflareStackOutputs } from './renderer';

export interface CloudflareEdgeProps {
  /** The resolved desired state; its `cloudflare` part is rendered, `aws.loadBalancer` gives origins. */
  readonly desired: DesiredState;
  /** The built gate Worker (`readGateBundle`); needed only when the estate has a gate. */
  readonly gate?: GateBundle;
  /** The bypass HMAC key, as a Pulumi secret. */
  readonly bypassSecret: pulumi.Input<string>;
}

export class CloudflareEdge extends pulumi.ComponentResource {
  private readonly stackOutputs: CloudflareStackOutputs;

  constructor(name: string, props: CloudflareEdgeProps, opts?: pulumi.ComponentResourceOptions) {
    super(EDGE_TYPE, name, {}, opts);
    const { desired } = props;
    const cf = desired.cloudflare;
    if (!cf) throw new DrawbridgeError(`estate ${desired.estate} has no cloudflare part; there is nothing for Pulumi to manage`);
    const ctx = { estate: desired.estate, desired: cf, ...(props.gate ? { gate: props.gate } : {}), bypassSecret: props.bypassSecret };
    const parts = [...CLOUDFLARE_RENDERERS.values()].map((r) => r.render(ctx, { parent: this }));
    // The renderers' parts in registry order: gateScriptName and routes (with a gate),
    // appWorkersNamespaceId (with app Workers), records, downPageUrl (with a down page).
    this.stackOutputs = Object.assign({ estate: desired.estate, mode: describeModeState(desired.state) }, ...parts) as CloudflareStackOutputs;
    this.registerOutputs({});
  }

  /** The stack outputs of this rendering. */
  outputs(): CloudflareStackOutputs {
    return this.stackOutputs;
  }
}

/**
 * Declares the component tree for `desired` (from resolve(), which has already refused what
 * Cloudflare would: see the components' checks in modes/components/cloudflare/).
 */
export function declareCloudflare(props: CloudflareEdgeProps, opts?: pulumi.ComponentResourceOptions): CloudflareEdge {
  return new CloudflareEdge(edgeName(props.desired.estate), props, opts);
}
