/**
 * The checks of a resolved Cloudflare part (the `checks` of the gate, the records and the down
 * page), run by resolve() before any engine: what used to be modes/cloudflare-checks.ts.
 */
import { downPage } from '../../../../modes/components/cloudflare/down-page';
import { gate } from '../../../../modes/components/cloudflare/gate';
import { cloudflareRecords, targetsOnlyAnotherProviderAnswers } from '../../../../modes/components/cloudflare/records';
import type { DesiredCloudflare } from '../../../../modes/desired';
import { COMPONENTS } from '../../../../modes/registry';
import { partOf, resolve } from '../../../../modes/resolve';
import type { Estate, ModeState } from '../../../../modes/schema';
import { estateModeCases, estateNamed } from '../../../support/estates';

const normal: ModeState = { mode: 'normal', live: 'blue', hardDown: false };

type Cf = NonNullable<Estate['cloudflare']>;

/** The shop with its cloudflare part changed (past the schema, to reach these checks). */
function shopWith(change: (cf: Cf) => Cf): Estate {
  const shop = estateNamed('shop');
  return { ...shop, cloudflare: change(structuredClone(shop.cloudflare!)) };
}

const www = (cf: Cf) => cf.records.find((r) => r.id === 'www')!;
/** The shop's gate with one route listed twice. */
const routeTwice = (cf: Cf): Cf => ({ ...cf, gate: { ...cf.gate!, routes: [...cf.gate!.routes, cf.gate!.routes[0]!] } });

describe('the checks of a resolved state', () => {
  test.each(estateModeCases())('GIVEN the %s estate in %s THEN there is nothing to refuse', (_name, _slug, estate, state) => {
    const desired = resolve(estate, state);
    expect(
      COMPONENTS.flatMap((c) => {
        const part = partOf(desired, c);
        return part && c.checks ? c.checks(part, desired) : [];
      }),
    ).toEqual([]);
  });

  test.each<[string, (cf: Cf) => Cf, string]>([
    [
      'a route pattern listed twice',
      routeTwice,
      'cloudflare.gate.routes: pattern "www.example-shop.com/*" is listed twice',
    ],
    [
      'an A record at the load balancer',
      (cf) => ({ ...cf, records: cf.records.map((r) => (r.id === 'api' ? { ...r, type: 'A' as const } : r)) }),
      'cloudflare.records[api].type: A cannot point at the load balancer (its addresses change); use type CNAME',
    ],
    [
      'an A record whose value is a host name',
      (cf) => ({ ...cf, records: cf.records.map((r) => (r.id === 'www' ? { ...r, type: 'A' as const, target: { value: 'origin.example-shop.com' }, downPageOnHardDown: false } : r)) }),
      'cloudflare.records[www].target: "origin.example-shop.com" is not an IPv4 address',
    ],
    [
      'a CNAME whose value is a URL',
      (cf) => (Object.assign(www(cf), { target: { value: 'https://origin.example-shop.com/' } }), cf),
      'cloudflare.records[www].target: "https://origin.example-shop.com/" is not a host name',
    ],
    [
      'two records of one name, one a CNAME',
      (cf) => ({ ...cf, records: [...cf.records, { ...www(cf), id: 'www-again' }] }),
      'cloudflare.records: www.example-shop.com is declared by www and www-again',
    ],
    [
      'a down page domain that is also a record',
      (cf) => ({ ...cf, downPage: { projectName: 'example-shop-down', domain: 'www.example-shop.com', zone: 'shop' } }),
      'cloudflare.downPage.domain: www.example-shop.com is also record www',
    ],
    [
      'a route on a DNS-only record',
      (cf) => (Object.assign(www(cf), { proxied: false }), cf),
      'cloudflare.gate.routes[0]: "www.example-shop.com/*" is on record www, which is DNS-only (proxied: false), so the gate never runs there; set proxied: true on the record or drop the route',
    ],
  ])('GIVEN %s THEN resolve refuses it with the field and the fix, before any engine runs', (_what, change, expected) => {
    expect(() => resolve(shopWith(change), normal)).toThrow(expected);
  });

  test('GIVEN a load balancer target and no load balancer in the estate THEN it is refused', () => {
    const shop = estateNamed('shop');
    const { loadBalancer: _lb, ...aws } = shop.aws!;
    const noLb = { ...shop, aws: { ...aws, dns: undefined } } as Estate;
    expect(() => resolve(noLb, normal)).toThrow('cloudflare.records[www].target: loadBalancer needs aws.loadBalancer.dnsName in the estate');
  });

  test('GIVEN two problems THEN resolve lists both', () => {
    const both = shopWith((cf) => ({ ...routeTwice(cf), downPage: { projectName: 'example-shop-down', domain: 'www.example-shop.com', zone: 'shop' } }));
    expect(() => resolve(both, normal)).toThrow(/listed twice[\s\S]*is also record www/);
  });
});

describe('each component checks its own part', () => {
  const base = (): DesiredCloudflare => structuredClone(resolve(estateNamed('shop'), normal).cloudflare!);
  const record = (cf: DesiredCloudflare, id: string) => cf.records.find((r) => r.id === id)!;

  test.each<[string, (cf: DesiredCloudflare) => void, [string[], string[], string[]]]>([
    ['nothing wrong', () => undefined, [[], [], []]],
    [
      'a duplicate route',
      (cf) => Object.assign(cf.gate!, { routes: [...cf.gate!.routes, cf.gate!.routes[1]!] }),
      [['cloudflare.gate.routes: pattern "api.example-shop.com/*" is listed twice (zones shop and shop); list each pattern once'], [], []],
    ],
    [
      'an IPv6 record with an IPv4 address',
      (cf) => Object.assign(record(cf, 'www'), { type: 'AAAA', target: { kind: 'value', value: '192.0.2.1' } }),
      [[], ['cloudflare.records[www].target: "192.0.2.1" is not an IPv6 address, which an AAAA record needs'], []],
    ],
    [
      'a down page domain that is a record',
      (cf) => Object.assign(cf.downPage!, { domain: 'api.example-shop.com' }),
      [[], [], ["cloudflare.downPage.domain: api.example-shop.com is also record api; Drawbridge creates the down page's record itself, remove one of them"]],
    ],
  ])('GIVEN %s THEN only the component that owns the field reports it', (_what, change, [g, r, d]) => {
    const cf = base();
    change(cf);
    const desired = { ...resolve(estateNamed('shop'), normal), cloudflare: cf };
    expect([gate.checks!(cf, desired), cloudflareRecords.checks!(cf, desired), downPage.checks!(cf, desired)]).toEqual([g, r, d]);
  });

  test('GIVEN no gate THEN the gate has nothing to check, and a DNS-only record is fine', () => {
    const { gate: _gate, ...cf } = base();
    Object.assign(record(cf as DesiredCloudflare, 'www'), { proxied: false, ttl: 300 });
    expect(gate.checks!(cf as DesiredCloudflare, resolve(estateNamed('shop'), normal))).toEqual([]);
  });
});

describe('a Cloudflare record whose target only another DNS provider of the zone answers (error 1016)', () => {
  type Aws = NonNullable<Estate['aws']>;
  /** The shop with www pointing at `value`, and its AWS part changed by `aws` (past the schema). */
  const wwwAt = (value: string, aws: (a: Aws) => Aws = (a) => a): Estate => {
    const shop = shopWith((cf) => (Object.assign(www(cf), { target: { value } }), cf));
    return { ...shop, aws: aws(structuredClone(shop.aws!)) };
  };
  const route53 = (a: Aws, name: string, records: { id: string; name: string }[]): Aws => ({
    ...a,
    dns: { hostedZone: { id: 'Z0123456789ABCDEFGHIJ', name }, records: records.map((r) => ({ ...r, type: 'A' as const, ttl: 300, target: { loadBalancer: true as const } })) },
  });

  test("GIVEN the shop's www as a CNAME to origin.example-shop.com, which only its Route 53 zone for example-shop.com declares WHEN resolved THEN it is refused with the field, the value, why and what to do", () => {
    expect(() => resolve(wwwAt('origin.example-shop.com'), normal)).toThrow(
      'cloudflare.records[www].target: "origin.example-shop.com" is a name in the Cloudflare zone example-shop.com that only the Route 53 hosted zone example-shop.com (aws.dns) declares (aws.dns.records[origin]); ' +
        'Cloudflare is the only authoritative DNS for example-shop.com (full setup) and never asks the other provider, so visitors would get Cloudflare error 1016 (origin DNS error); ' +
        'point the record at what aws.dns.records[origin] points at (the load balancer, target: { loadBalancer: true }), or declare origin.example-shop.com in cloudflare.records too',
    );
  });

  test('GIVEN such a target on a DNS-only record THEN the message says resolvers get no address for it', () => {
    const dnsOnly = shopWith((cf) => (Object.assign(www(cf), { target: { value: 'origin.example-shop.com' }, proxied: false, downPageOnHardDown: false }), { ...cf, gate: { ...cf.gate!, routes: cf.gate!.routes.filter((r) => !r.pattern.startsWith('www.')) } }));
    expect(() => resolve(dnsOnly, normal)).toThrow('(full setup) and never asks the other provider, so resolvers would get no address for origin.example-shop.com (NXDOMAIN); point the record at');
  });

  test.each<[string, Estate]>([
    ['written with capitals and a trailing dot', wwwAt('Origin.Example-Shop.com.')],
    ['at the zone apex, which only Route 53 declares', wwwAt('example-shop.com', (a) => route53(a, 'example-shop.com', [{ id: 'apex', name: 'example-shop.com' }]))],
  ])('GIVEN such a target %s THEN it is refused too', (_what, estate) => {
    expect(() => resolve(estate, normal)).toThrow(/cloudflare\.records\[www\]\.target: .* error 1016/);
  });

  test.each<[string, Estate]>([
    ['declared in the Cloudflare zone too', shopWith((cf) => ({ ...cf, records: [...cf.records.map((r) => (r.id === 'www' ? { ...r, target: { value: 'origin.example-shop.com' } } : r)), { id: 'origin', zone: 'shop', name: 'origin.example-shop.com', type: 'CNAME' as const, proxied: false, ttl: 300, target: { loadBalancer: true as const }, downPageOnHardDown: false }] }))],
    // Not refused: the Cloudflare zone may hold records Drawbridge does not manage (made in the dashboard).
    ['in the zone but declared by no provider of the estate', wwwAt('shop-origin.example-shop.com')],
    ['outside the zone', wwwAt('origin.example-shop.net')],
    ['in a Route 53 zone for a subdomain, which Cloudflare can delegate with NS records', wwwAt('origin.aws.example-shop.com', (a) => route53(a, 'aws.example-shop.com', [{ id: 'origin', name: 'origin.aws.example-shop.com' }]))],
    ['in an estate with no Route 53 zone', wwwAt('origin.example-shop.com', (a) => ({ ...a, dns: undefined }))],
  ])('GIVEN a CNAME target %s THEN it is not refused', (_what, estate) => {
    expect(() => resolve(estate, normal)).not.toThrow();
  });

  test('GIVEN a Route 53 zone for a parent domain of the Cloudflare zone THEN a name it alone declares is refused (Route 53 delegates the subdomain to Cloudflare)', () => {
    const lb = { kind: 'loadBalancer' as const, value: 'web-1.eu-west-2.elb.amazonaws.com' };
    const cf = {
      bots: [{ zone: 'shop', zoneId: 'z', zoneName: 'shop.example.com', plan: 'enterprise' as const, verifiedBots: 'allow' as const, fightMode: false }],
      records: [{ id: 'www', zone: 'shop', zoneId: 'z', name: 'www.shop.example.com', type: 'CNAME' as const, proxied: true, ttl: 1, target: { kind: 'value' as const, value: 'origin.shop.example.com' } }],
    };
    const parent = { what: 'the Route 53 hosted zone example.com (aws.dns)', name: 'example.com', records: [{ name: 'origin.shop.example.com', at: 'aws.dns.records[origin]', target: lb }] };
    expect(targetsOnlyAnotherProviderAnswers(cf, [parent])).toEqual([expect.stringMatching(/^cloudflare\.records\[www\]\.target: "origin\.shop\.example\.com" is a name in the Cloudflare zone shop\.example\.com that only the Route 53 hosted zone example\.com/)]);
    expect(targetsOnlyAnotherProviderAnswers(cf, [{ ...parent, name: 'example.org' }])).toEqual([]);
  });
});
