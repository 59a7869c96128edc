import type { DesiredCloudflareRecord } from '../../../../modes/desired';
import { dnsRecordArgs } from '../../../../stacks/cloudflare/components/records';

const record = (more: Partial<DesiredCloudflareRecord>): DesiredCloudflareRecord => ({
  id: 'www',
  zone: 'main',
  zoneId: 'z1',
  name: 'www.example.com',
  type: 'CNAME',
  proxied: true,
  ttl: 1,
  target: { kind: 'value', value: 'origin.example.com' },
  ...more,
});

describe('dnsRecordArgs', () => {
  test.each<[string, Partial<DesiredCloudflareRecord>, Record<string, unknown>]>([
    ['a proxied CNAME', {}, { type: 'CNAME', content: 'origin.example.com', proxied: true, ttl: 1 }],
    ['a DNS-only A record keeps its TTL', { type: 'A', proxied: false, ttl: 60, target: { kind: 'value', value: '192.0.2.10' } }, { type: 'A', content: '192.0.2.10', proxied: false, ttl: 60 }],
    ['a hard-down record points at the Pages domain', { target: { kind: 'downPage', value: 'shop-down.pages.dev' } }, { content: 'shop-down.pages.dev', proxied: true, ttl: 1 }],
    ['a load balancer target is its DNS name', { target: { kind: 'loadBalancer', value: 'shop-1.eu-west-2.elb.amazonaws.com' } }, { content: 'shop-1.eu-west-2.elb.amazonaws.com' }],
  ])('GIVEN %s THEN the inputs include %j', (_label, more, expected) => {
    expect(dnsRecordArgs('shop', record(more))).toMatchObject({ zoneId: 'z1', name: 'www.example.com', ...expected });
  });

  test.each([
    ['shop', 'www'],
    ['makerepo', 'direct'],
  ])('GIVEN estate %s and record %s THEN the comment names both and says where to edit', (estate, id) => {
    expect(dnsRecordArgs(estate, record({ id })).comment).toBe(`Managed by Drawbridge (estate ${estate}, record ${id}); edit the estate file, not this record`);
  });
});
