/**
 * The Cloudflare half of an estate in one mode: the gate Worker, bot settings per zone, DNS records
 * and the down page, as one component tree. It renders `resolve(estate, state).cloudflare` and
 * decides nothing about what a mode means.
 */
import * as pulumi from '@pulumi/pulumi';
import { DrawbridgeError } from '../../modes/errors';
import type { DesiredState } from '../../modes/resolve';
import { describeModeState } from '../../modes/state';
import { BotSettings } from './bots';
import type { GateBundle } from './bundle';
import { DnsRecords } from './dns';
import { DownPage } from './downPage';
import { GateWorker } from './gate';
import { COMPONENT_TYPES, names } from './names';

export interface CloudflareEdgeProps {
  /** The resolved desired state; its `cloudflare` part is rendered, `aws.loadBalancer` gives origins. */
  readonly desired: DesiredState;
  /** The built gate Worker (`readGateBundle`). */
  readonly gate: GateBundle;
  /** The bypass HMAC key, as a Pulumi secret. */
  readonly bypassSecret: pulumi.Input<string>;
}

/** What the stack exports: names and addresses only, never a secret. */
export interface CloudflareStackOutputs {
  readonly estate: string;
  readonly mode: string;
  readonly gateScriptName: string;
  readonly routes: readonly string[];
  /** Record name -> content in this mode. */
  readonly records: Readonly<Record<string, pulumi.Output<string>>>;
  readonly downPageUrl?: string;
}

export class CloudflareEdge extends pulumi.ComponentResource {
  readonly gate: GateWorker;
  readonly bots: BotSettings;
  readonly dns: DnsRecords;
  readonly downPage?: DownPage;

  constructor(name: string, props: CloudflareEdgeProps, opts?: pulumi.ComponentResourceOptions) {
    super(COMPONENT_TYPES.edge, name, {}, opts);
    const { desired } = props;
    const cf = desired.cloudflare;
    if (!cf) throw new DrawbridgeError(`estate ${desired.estate} has no cloudflare part; there is nothing for Pulumi to manage`);
    const estate = desired.estate;
    const child = { parent: this };
    this.gate = new GateWorker(
      names.gate(estate),
      {
        estate,
        accountId: cf.accountId,
        gate: cf.gate,
        bundle: props.gate,
        bypassSecret: props.bypassSecret,
      },
      child,
    );
    this.bots = new BotSettings(names.bots(estate), { estate, bots: cf.bots }, child);
    this.dns = new DnsRecords(names.dns(estate), { estate, records: cf.records }, child);
    if (cf.downPage) this.downPage = new DownPage(names.downPage(estate), { estate, accountId: cf.accountId, downPage: cf.downPage }, child);
    this.registerOutputs({});
  }

  /** The stack outputs of this rendering. */
  outputs(desired: DesiredState): CloudflareStackOutputs {
    const cf = desired.cloudflare!;
    const records: Record<string, pulumi.Output<string>> = {};
    for (const r of cf.records) records[r.name] = this.dns.records.get(r.id)!.content.apply((c) => c ?? '');
    return {
      estate: desired.estate,
      mode: describeModeState(desired.state),
      gateScriptName: cf.gate.scriptName,
      routes: cf.gate.routes.map((r) => r.pattern),
      records,
      ...(this.downPage ? { downPageUrl: this.downPage.url } : {}),
    };
  }
}

/**
 * Declares the component tree for `desired` (from resolve(), which has already refused what
 * Cloudflare would: see modes/cloudflare-checks.ts).
 */
export function declareCloudflare(props: CloudflareEdgeProps, opts?: pulumi.ComponentResourceOptions): CloudflareEdge {
  return new CloudflareEdge(names.edge(props.desired.estate), props, opts);
}
