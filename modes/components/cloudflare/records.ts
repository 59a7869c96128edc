/**
 * The estate's DNS records on Cloudflare. Each keeps its name, zone and type in every mode, so a
 * mode switch edits it in place: in a hard-down the site record becomes a proxied CNAME to the down
 * page, and normal mode puts the origin back. Proxied records always use automatic TTL (1); a
 * transition TTL applies to unproxied records while a window is declared.
 *
 * A Cloudflare zone here is a full setup: Cloudflare is the domain's only authoritative DNS. So a
 * record must never point at a name of its own zone that only another DNS provider of the estate
 * declares (a Route 53 hosted zone for the same domain): Cloudflare never asks that provider, and
 * visitors get error 1016 (origin DNS error).
 */
import { z } from 'zod';
import { changeOf, defineComponent, uniqueBy, type Change } from '../../component';
import type { DesiredCloudflare, DesiredCloudflareRecord, DesiredState, RecordValue } from '../../desired';
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

/** A host name as DNS compares it: case-insensitive, without the trailing dot of a fully qualified name. */
const dnsName = (name: string) => name.toLowerCase().replace(/\.$/, '');

/** Whether `name` is `domain` or a name under it. */
const within = (name: string, domain: string) => name === domain || name.endsWith(`.${domain}`);

/** A zone of another DNS provider the estate declares, as the check below sees it. */
export interface OtherDnsZone {
  /** How messages name it, e.g. `the Route 53 hosted zone example-shop.com (aws.dns)`. */
  readonly what: string;
  /** Its domain. */
  readonly name: string;
  readonly records: readonly { readonly name: string; readonly at: string; readonly target: RecordValue }[];
}

/** The Route 53 hosted zone of a desired state, as another DNS provider (none when the estate has none). */
export function route53Zones(desired: DesiredState): OtherDnsZone[] {
  const dns = desired.aws?.dns;
  if (!dns) return [];
  return [
    {
      what: `the Route 53 hosted zone ${dns.hostedZone.name} (aws.dns)`,
      name: dns.hostedZone.name,
      records: dns.records.map((r) => ({ name: r.name, at: `aws.dns.records[${r.id}]`, target: r.target })),
    },
  ];
}

/** What to write in the Cloudflare record instead: the target the other provider's record has. */
function sameTarget(target: RecordValue): string {
  if (target.kind === 'loadBalancer') return 'the load balancer, target: { loadBalancer: true }';
  if (target.kind === 'beanstalk') return `the serving Beanstalk environment, target: { beanstalk: ... } (now ${target.value})`;
  return `${show(target.value)}`;
}

/**
 * CNAMEs whose target is a name in their own Cloudflare zone (the zone's domain or under it) that no
 * record of that zone declares and another DNS provider for the same domain does (its zone is the
 * Cloudflare zone's domain or a parent of it). Cloudflare, authoritative for the zone, resolves such
 * a target itself and finds nothing: error 1016 for a proxied record, no answer for a DNS-only one. Pure.
 *
 * A target in the zone that nobody in the estate declares is not refused: the Cloudflare zone may
 * hold records Drawbridge does not manage (made in the dashboard or by other tools). A provider's
 * zone for a subdomain of the Cloudflare zone is not matched either: Cloudflare can delegate that
 * subdomain to it with NS records.
 */
export function targetsOnlyAnotherProviderAnswers(cf: Pick<DesiredCloudflare, 'records' | 'bots'>, others: readonly OtherDnsZone[]): string[] {
  // Each zone's domain, from its bots settings (every zone has them).
  const zoneNames = new Map(cf.bots.map((b) => [b.zone, dnsName(b.zoneName)]));
  const problems: string[] = [];
  for (const record of cf.records) {
    const zone = zoneNames.get(record.zone);
    if (record.type !== 'CNAME' || zone === undefined) continue;
    const target = dnsName(record.target.value);
    if (!within(target, zone)) continue;
    if (cf.records.some((r) => r.zone === record.zone && dnsName(r.name) === target)) continue;
    for (const other of others) {
      if (!within(zone, dnsName(other.name))) continue;
      const declared = other.records.find((r) => dnsName(r.name) === target);
      if (!declared) continue;
      // A proxied record: Cloudflare looks the origin up itself; a DNS-only one: the visitor's resolver, which Cloudflare answers.
      const outcome = record.proxied ? 'visitors would get Cloudflare error 1016 (origin DNS error)' : `resolvers would get no address for ${target} (NXDOMAIN)`;
      problems.push(
        `cloudflare.records[${record.id}].target: ${show(record.target.value)} is a name in the Cloudflare zone ${zone} that only ${other.what} declares (${declared.at}); ` +
          `Cloudflare is the only authoritative DNS for ${zone} (full setup) and never asks the other provider, so ${outcome}; ` +
          `point the record at what ${declared.at} points at (${sameTarget(declared.target)}), or declare ${target} in cloudflare.records too`,
      );
      break;
    }
  }
  return problems;
}

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
  checks(cf, desired) {
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
    problems.push(...targetsOnlyAnotherProviderAnswers(cf, route53Zones(desired)));
    return problems;
  },
  invariants: (cf, running) => recordsOnStoppedColours(cf.records, running),
});
