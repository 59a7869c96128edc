/**
 * Bot settings per zone. On Pro and above the mode sets Super Bot Fight Mode's verified-bots action
 * (allow in normal, block while closed); the free plan has no SBFM, so there the mode sets Bot
 * Fight Mode instead. The same keys are set in every mode, so leaving a mode restores them.
 */
import * as cloudflare from '@pulumi/cloudflare';
import * as pulumi from '@pulumi/pulumi';
import type { DesiredCloudflare } from '../../modes/resolve';
import { COMPONENT_TYPES, names } from './names';

export type DesiredBots = DesiredCloudflare['bots'][number];

/** The BotManagement inputs for one zone in one mode. */
export function botManagementArgs(bots: DesiredBots): cloudflare.BotManagementArgs {
  if (bots.plan === 'free') return { zoneId: bots.zoneId, fightMode: bots.fightMode };
  return { zoneId: bots.zoneId, sbfmVerifiedBots: bots.verifiedBots };
}

export interface BotSettingsProps {
  readonly estate: string;
  /** `desired.cloudflare.bots`: one entry per zone. */
  readonly bots: DesiredCloudflare['bots'];
}

export class BotSettings extends pulumi.ComponentResource {
  /** Bot settings by estate zone id. */
  readonly zones: ReadonlyMap<string, cloudflare.BotManagement>;

  constructor(name: string, props: BotSettingsProps, opts?: pulumi.ComponentResourceOptions) {
    super(COMPONENT_TYPES.bots, name, {}, opts);
    this.zones = new Map(
      props.bots.map((b) => [b.zone, new cloudflare.BotManagement(names.botsZone(props.estate, b.zone), botManagementArgs(b), { parent: this })]),
    );
    this.registerOutputs({});
  }
}
