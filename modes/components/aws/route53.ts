/**
 * Route 53 records in the estate's hosted zone (imported by attributes, never created): the target
 * follows the serving colour, and a declared transition TTL is in force while a window is declared,
 * so a DNS change during the window propagates quickly. An A record whose target is the load
 * balancer or a Beanstalk environment is an alias, the only way to point the zone apex at either
 * (Route 53 refuses a CNAME there).
 */
import { z } from 'zod';
import { changeOf, defineComponent, unique } from '../../component';
import { hostedZoneId, hostname, id, RecordTarget, type RecordTargetSpec } from '../../fields';
import { recordsOnStoppedColours, recordText, targetColours, targetRule } from '../../targets';

const Route53Record = z.strictObject({
  id,
  name: hostname,
  type: z
    .enum(['A', 'CNAME'])
    .describe('A: IPv4 addresses, or an alias to the load balancer or the serving Beanstalk environment (also at the zone apex); CNAME: a host name, never at the apex.'),
  ttl: z.number().int().min(1).max(172800).default(300),
  transitionTtl: z.number().int().min(1).max(172800).optional().describe('TTL while a window is declared (lowered ahead of a DNS change).'),
  target: RecordTarget,
});

/** A record's declared target in words, for messages. */
function targetSpecText(t: RecordTargetSpec): string {
  if ('value' in t) return t.value;
  if ('loadBalancer' in t) return 'the load balancer';
  if ('beanstalk' in t) return `the Beanstalk environment${t.beanstalk === true ? '' : ` of ${t.beanstalk}`}`;
  return `${t.colours.blue} / ${t.colours.green}`;
}

const Dns = z.strictObject({
  hostedZone: z.strictObject({ id: hostedZoneId, name: hostname }),
  records: z.array(Route53Record).default([]),
});

export const route53 = defineComponent({
  kind: 'route53Record',
  provider: 'aws',
  key: 'dns',
  schema: Dns.optional(),
  rules: [
    function uniqueRecords(dns, ctx) {
      // A name is one record set of the zone: a second one of it is refused by Route 53 (CNAME alongside anything too).
      if (dns) for (const key of ['id', 'name'] as const) unique(dns.records, key, ctx, ['records']);
    },
    function recordsInTheZoneWithTargetsTheyCanHave(dns, ctx) {
      if (!dns) return;
      const zone = dns.hostedZone.name;
      dns.records.forEach((r, i) => {
        if (r.name !== zone && !r.name.endsWith(`.${zone}`)) ctx.report(['records', i, 'name'], `'${r.name}' is not in the hosted zone ${zone}`);
        targetRule(r.target, r.type, ctx, ['records', i, 'target'], { alias: true });
      });
    },
    function noCnameAtTheApex(dns, ctx) {
      // Route 53 refuses a CNAME at the zone apex (it would sit beside the zone's SOA and NS records).
      dns?.records.forEach((r, i) => {
        if (r.type !== 'CNAME' || r.name !== dns.hostedZone.name) return;
        const fix =
          'value' in r.target || 'colours' in r.target
            ? 'an A record with IPv4 addresses, or an A alias with target { loadBalancer: true } or { beanstalk: true }'
            : 'type: A with this target, an alias record, which Route 53 allows at the apex';
        ctx.report(['records', i, 'type'], `record ${r.id} (${r.name}) is a CNAME to ${targetSpecText(r.target)} at the zone apex, which Route 53 refuses; use ${fix}`);
      });
    },
  ],
  colours: (dns) => targetColours((dns?.records ?? []).map((r) => r.target)),
  resolve: (dns, { facts }) =>
    dns
      ? {
          dns: {
            hostedZone: dns.hostedZone,
            records: dns.records.map((r) => ({
              id: r.id,
              name: r.name,
              type: r.type,
              ttl: facts.window && r.transitionTtl !== undefined ? r.transitionTtl : r.ttl,
              target: facts.recordTarget(r.target, `aws.dns.records[${r.id}]`),
            })),
          },
        }
      : {},
  items: (aws) => aws.dns?.records ?? [],
  describe(x, y) {
    const c = changeOf(this, (x ?? y)!.id, (y ?? x)!.name);
    // Clients keep the old answer for the old TTL; an alias (A to the load balancer or an
    // environment) has none of its own: Route 53 answers it with the target's 60 seconds.
    const alias = (r: typeof x) => !!r && r.type === 'A' && (r.target.kind === 'loadBalancer' || r.target.kind === 'beanstalk');
    const wait = x ? { waitSeconds: alias(x) ? 60 : x.ttl } : {};
    if (!x || !y) return [c(y ? 'add' : 'remove', `Route 53 record ${(x ?? y)!.name} ${y ? 'added' : 'removed'}`, { effects: ['moves-traffic'], ...wait })];
    const out = [];
    const was = recordText(x.target);
    const now = recordText(y.target);
    if (was !== now || x.type !== y.type) {
      out.push(c('modify', `Route 53 record ${y.name} ${x.type} ${was} -> ${y.type} ${now}`, { field: 'target', from: `${x.type} ${x.target.value}`, to: `${y.type} ${y.target.value}`, effects: ['moves-traffic'], ...wait }));
    }
    if (x.ttl !== y.ttl) out.push(c('modify', `Route 53 record ${y.name} TTL ${x.ttl}s -> ${y.ttl}s`, { field: 'ttl', from: x.ttl, to: y.ttl }));
    return out;
  },
  identity: (r) => [r.id, r.name, r.type],
  invariants: (aws, running) => recordsOnStoppedColours(aws.dns?.records ?? [], running),
});
