/**
 * Route 53 records in the estate's hosted zone (imported by attributes, never created): the target
 * follows the serving colour, and a declared transition TTL is in force while a window is declared,
 * so a DNS change during the window propagates quickly.
 */
import { z } from 'zod';
import { changeOf, defineComponent, unique } from '../../component';
import { hostedZoneId, hostname, id, RecordTarget } from '../../fields';
import { recordsOnStoppedColours, recordText, targetColours, targetRule } from '../../targets';

const Route53Record = z.strictObject({
  id,
  name: hostname,
  type: z.enum(['A', 'CNAME']),
  ttl: z.number().int().min(1).max(172800).default(300),
  transitionTtl: z.number().int().min(1).max(172800).optional().describe('TTL while a window is declared (lowered ahead of a DNS change).'),
  target: RecordTarget,
});

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
      if (dns) unique(dns.records, 'id', ctx, ['records']);
    },
    function recordsInTheZoneWithTargetsTheyCanHave(dns, ctx) {
      if (!dns) return;
      const zone = dns.hostedZone.name;
      dns.records.forEach((r, i) => {
        if (r.name !== zone && !r.name.endsWith(`.${zone}`)) ctx.report(['records', i, 'name'], `'${r.name}' is not in the hosted zone ${zone}`);
        targetRule(r.target, r.type, ctx, ['records', i, 'target']);
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
    // Clients keep the old answer for the old TTL.
    const wait = x ? { waitSeconds: x.ttl } : {};
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
