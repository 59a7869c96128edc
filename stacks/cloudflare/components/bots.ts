/**
 * Bot settings per zone (modes/components/cloudflare/bots.ts). On Pro and above the mode sets Super
 * Bot Fight Mode's verified-bots action (allow in normal, block while closed); the free plan has no
 * SBFM, so there the mode sets Bot Fight Mode instead. The same keys are set in every mode, so
 * leaving a mode restores them.
 */
import * as cloudflare from '@pulumi/cloudflare';
import * as pulumi from '@pulumi/pulumi';
import { bots } from '../../../modes/components/cloudflare/bots';
import type { DesiredBots, DesiredCloudflare } from '../../../modes/desired';
import { defineCloudflareRenderer } from '../renderer';

export const BOTS_TYPE = 'drawbridge:cloudflare:Bots';

export const botsNames = {
  bots: (estate: string) => `${estate}-bots`,
  zone: (estate: string, zone: string) => `${estate}-bots-${zone}`,
} as const;

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
    super(BOTS_TYPE, name, {}, opts);
    this.zones = new Map(
      props.bots.map((b) => [b.zone, new cloudflare.BotManagement(botsNames.zone(props.estate, b.zone), botManagementArgs(b), { parent: this })]),
    );
    this.registerOutputs({});
  }
}

export const botsRenderer = defineCloudflareRenderer({
  component: bots,
  type: BOTS_TYPE,
  replaceOnChange: { 'cloudflare:index/botManagement:BotManagement': ['zoneId'] },
  render({ estate, desired }, opts) {
    new BotSettings(botsNames.bots(estate), { estate, bots: desired.bots }, opts);
    return {};
  },
});
