/**
 * The estate's Cloudflare zones and their bot settings. On Pro and above a closed site blocks
 * verified bots (Super Bot Fight Mode); the free plan has no SBFM, so there a closed site switches
 * Bot Fight Mode on instead.
 */
import { z } from 'zod';
import { changeOf, defineComponent, uniqueBy, type Change } from '../../component';
import type { DesiredBots } from '../../desired';
import { cfId, hostname, id, TimingSchema } from '../../fields';
import { WITH_PAGE } from '../../mode-table';

const Zone = z.strictObject({
  id,
  zoneId: cfId,
  name: hostname,
  plan: z.enum(['free', 'pro', 'business', 'enterprise']),
  timing: TimingSchema.optional().describe('When verified bots are blocked and allowed again (default: with the page).'),
});

type BotsItem = DesiredBots & { readonly id: string };

export const bots = defineComponent({
  kind: 'bots',
  provider: 'cloudflare',
  key: 'zones',
  schema: z.array(Zone).min(1),
  rules: [
    uniqueBy('uniqueZones', 'id'),
  ],
  resolve: (zones, { table }) => ({
    bots: zones.map((z) => {
      // Closed while the public sees the page or reads only: crawlers would index it.
      const shows = table.gate(z.timing ?? WITH_PAGE);
      const closed = shows.maintenance || shows.readOnly;
      return { zone: z.id, zoneId: z.zoneId, zoneName: z.name, plan: z.plan, verifiedBots: closed ? ('block' as const) : ('allow' as const), fightMode: z.plan === 'free' && closed };
    }),
  }),
  items: (cf): BotsItem[] => cf.bots.map((b) => ({ ...b, id: b.zone })),
  describe(x, y) {
    // A zone is added or removed with the estate, not by a mode: nothing to say about its bots then.
    if (!x || !y) return [];
    const c = changeOf(this, y.zone, y.zoneName);
    const out: Change[] = [];
    if (x.verifiedBots !== y.verifiedBots) {
      out.push(c('modify', `verified bots ${y.verifiedBots === 'block' ? 'blocked' : 'allowed'} on ${y.zoneName}`, { field: 'verifiedBots', from: x.verifiedBots, to: y.verifiedBots }));
    }
    if (x.fightMode !== y.fightMode) out.push(c('modify', `bot fight mode switched ${y.fightMode ? 'on' : 'off'} for ${y.zoneName}`, { field: 'fightMode', from: x.fightMode, to: y.fightMode }));
    return out;
  },
  identity: (b) => b.zoneId,
});
