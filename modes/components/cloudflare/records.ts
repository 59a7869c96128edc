/**
 * The estate's DNS records on Cloudflare. Each keeps its name, zone and type in every mode, so a
 * mode switch edits it in place: in a hard-down the site record becomes a proxied CNAME to the down
 * page, and normal mode puts the origin back. Proxied records always use automatic TTL (1); a
 * transition TTL applies to unproxied records while a window is declared.
 */
import { z } from 'zod';
import { changeOf, defineComponent, uniqueBy, type Change } from '../../component';
import type { DesiredCloudflareRecord } from '../../desired';
import { show } from '../../errors';
import { hostname, id, RecordTarget } from '../../fields';
import { DNS_CONTENT_HOST, IPV4, IPV6 } from '../../patterns';
import { WITH_PAGE } from '../../mode-table';
import { recordsOnStoppedColours, recordText, targetColours, targetRule } from '../../targets';

const CloudflareRecord = z.strictObject({
  id,
  zone: id.describe('Id of a zone in cloudflare.zones.'),
  name: hostname,
  type: z.enum(['A', 'AAAA', 'CNAME']),
  proxied: z.boolean().default(true),
  ttl: z.number().int().min(60).max(86400).optional().describe('Only for records that are not proxied: proxied records always use automatic TTL.'),
  transitionTtl: z.number().int().min(60).max(86400).optional().describe('TTL while a window is declared; not for proxied records.'),
  target: RecordTarget,
  downPageOnHardDown: z.boolean().default(false).describe('In a hard-down, this record becomes a proxied CNAME to the down page.'),
});

/** Cloudflare's TTL value meaning "automatic"; the only one a proxied record accepts. */
export const AUTOMATIC_TTL = 1;

/** Why Cloudflare would refuse a record's content, or undefined when it would not. */
function contentProblem(type: DesiredCloudflareRecord['type'], content: string): string | undefined {
  if (type === 'A' && !IPV4.test(content)) return `${show(content)} is not an IPv4 address, which an A record needs`;
  if (type === 'AAAA' && !IPV6.test(content)) return `${show(content)} is not an IPv6 address, which an AAAA record needs`;
  if (type === 'CNAME' && !DNS_CONTENT_HOST.test(content)) return `${show(content)} is not a host name, which a CNAME needs (no scheme, port or path)`;
  return undefined;
}

const ttlText = (ttl: number) => (ttl === AUTOMATIC_TTL ? 'auto' : `${ttl}s`);

export const cloudflareRecords = defineComponent({
  kind: 'cloudflareRecord',
  provider: 'cloudflare',
  key: 'records',
  schema: z.array(CloudflareRecord).default([]),
  rules: [
    uniqueBy('uniqueRecords', 'id'),
    function recordsInTheirZoneWithTargetsTheyCanHave(records, ctx) {
      const zones = ctx.facts.zones;
      records.forEach((r, i) => {
        const zone = zones.get(r.zone);
        if (zone === undefined) ctx.report([i, 'zone'], `unknown zone '${r.zone}'; allowed: ${[...zones.keys()].join(', ')}`);
        else if (r.name !== zone && !r.name.endsWith(`.${zone}`)) ctx.report([i, 'name'], `'${r.name}' is not in the zone ${zone}`);
        if (r.proxied && (r.ttl !== undefined || r.transitionTtl !== undefined)) {
          ctx.report([i, r.ttl !== undefined ? 'ttl' : 'transitionTtl'], 'proxied records always use automatic TTL; remove ttl/transitionTtl or set proxied: false');
        }
        if (r.downPageOnHardDown) {
          if (r.type !== 'CNAME') ctx.report([i, 'type'], `a record that moves to the down page must be a CNAME (changing type replaces it); got ${r.type}`);
          if (!ctx.facts.hasDownPage) ctx.report([i, 'downPageOnHardDown'], 'needs cloudflare.downPage to point at');
        }
        targetRule(r.target, r.type, ctx, [i, 'target']);
      });
    },
  ],
  colours: (records) => targetColours(records.map((r) => r.target)),
  resolve: (records, { state, facts, table }) => ({
    records: records.map((r): DesiredCloudflareRecord => {
      const down = state.hardDown && r.downPageOnHardDown && table.inMaintenance(undefined, WITH_PAGE);
      const proxied = down ? true : r.proxied;
      const ttl = proxied ? AUTOMATIC_TTL : facts.window && r.transitionTtl !== undefined ? r.transitionTtl : (r.ttl ?? 300);
      return {
        id: r.id,
        zone: r.zone,
        zoneId: facts.zones.get(r.zone)?.zoneId ?? '',
        name: r.name,
        type: r.type,
        proxied,
        ttl,
        target: down ? { kind: 'downPage', value: facts.downPageDomain ?? '' } : facts.recordTarget(r.target, `cloudflare.records[${r.id}]`),
      };
    }),
  }),
  items: (cf) => cf.records,
  describe(x, y) {
    const c = changeOf(this, (x ?? y)!.id, (y ?? x)!.name);
    // Resolvers keep the old answer of a DNS-only record for its old TTL; a proxied one moves at once.
    const wait = x && !x.proxied ? { waitSeconds: x.ttl } : {};
    if (!x || !y) return [c(y ? 'add' : 'remove', `DNS record ${(x ?? y)!.name} ${y ? 'added' : 'removed'}`, { effects: ['moves-traffic'], ...wait })];
    const out: Change[] = [];
    const was = recordText(x.target);
    const now = recordText(y.target);
    if (was !== now || x.type !== y.type) {
      // A hard-down holds the public on the down page; its way back lets them in again.
      const held = y.target.kind === 'downPage' ? ['holds-public' as const] : x.target.kind === 'downPage' ? ['releases-public' as const] : [];
      out.push(c('modify', `DNS record ${y.name} ${x.type} ${was} -> ${y.type} ${now}`, { field: 'target', from: `${x.type} ${x.target.value}`, to: `${y.type} ${y.target.value}`, effects: ['moves-traffic', ...held], ...wait }));
    }
    if (x.proxied !== y.proxied) out.push(c('modify', `DNS record ${y.name} ${y.proxied ? 'proxied' : 'DNS only (not proxied)'}`, { field: 'proxied', from: x.proxied, to: y.proxied }));
    if (x.ttl !== y.ttl) out.push(c('modify', `DNS record ${y.name} TTL ${ttlText(x.ttl)} -> ${ttlText(y.ttl)}`, { field: 'ttl', from: x.ttl, to: y.ttl }));
    return out;
  },
  identity: (r) => [r.id, r.zoneId, r.name, r.type],
  // In a hard-down the site's record is on the down page.
  shows: (cf) => (cf.records.some((r) => r.target.kind === 'downPage') ? 'down' : undefined),
  checks(cf) {
    const problems: string[] = [];
    const byName = new Map<string, DesiredCloudflareRecord[]>();
    for (const record of cf.records) {
      const at = `cloudflare.records[${record.id}]`;
      byName.set(record.name, [...(byName.get(record.name) ?? []), record]);
      if (record.target.kind === 'loadBalancer' && record.type !== 'CNAME') {
        problems.push(`${at}.type: ${record.type} cannot point at the load balancer (its addresses change); use type CNAME`);
        continue;
      }
      const problem = contentProblem(record.type, record.target.value);
      if (problem) problems.push(`${at}.target: ${problem}`);
    }
    for (const [name, records] of byName) {
      if (records.length > 1 && records.some((r) => r.type === 'CNAME')) {
        problems.push(`cloudflare.records: ${name} is declared by ${records.map((r) => r.id).join(' and ')}; a CNAME cannot share its name with another record`);
      }
    }
    return problems;
  },
  invariants: (cf, running) => recordsOnStoppedColours(cf.records, running),
});
