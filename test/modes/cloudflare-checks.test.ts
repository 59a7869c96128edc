import { resolve } from '../../modes/resolve';
import { cloudflareProblems } from '../../modes/cloudflare-checks';
import type { Estate, ModeState } from '../../modes/schema';
import { estateNamed } from '../support/estates';

const normal: ModeState = { mode: 'normal', live: 'blue', hardDown: false };

type Cf = NonNullable<Estate['cloudflare']>;

/** The shop with its cloudflare part changed (past the schema, to reach these checks). */
function shopWith(change: (cf: Cf) => Cf): Estate {
  const shop = estateNamed('shop');
  return { ...shop, cloudflare: change(structuredClone(shop.cloudflare!)) };
}

const www = (cf: Cf) => cf.records.find((r) => r.id === 'www')!;

describe('cloudflareProblems', () => {
  test('GIVEN every example estate THEN there is nothing to refuse', () => {
    expect(cloudflareProblems(resolve(estateNamed('shop'), normal))).toEqual([]);
    expect(cloudflareProblems(resolve(estateNamed('makerepo'), normal))).toEqual([]);
  });

  test.each<[string, (cf: Cf) => Cf, string]>([
    [
      'a route pattern listed twice',
      (cf) => ({ ...cf, gate: { ...cf.gate, routes: [...cf.gate.routes, cf.gate.routes[0]!] } }),
      'cloudflare.gate.routes: pattern "www.example-shop.com/*" is listed twice',
    ],
    [
      'an A record at the load balancer',
      (cf) => ({ ...cf, records: cf.records.map((r) => (r.id === 'api' ? { ...r, type: 'A' as const } : r)) }),
      'cloudflare.records[api].type: A cannot point at the load balancer (its addresses change); use type CNAME',
    ],
    [
      'an A record whose value is a host name',
      (cf) => ({ ...cf, records: cf.records.map((r) => (r.id === 'www' ? { ...r, type: 'A' as const, downPageOnHardDown: false } : r)) }),
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
  ])('GIVEN %s THEN resolve refuses it with the field and the fix, before any engine runs', (_what, change, expected) => {
    expect(() => resolve(shopWith(change), normal)).toThrow(expected);
  });

  test('GIVEN a load balancer target and no load balancer in the estate THEN it is refused', () => {
    const shop = estateNamed('shop');
    const { loadBalancer: _lb, ...aws } = shop.aws!;
    const noLb = { ...shop, aws: { ...aws, dns: undefined } } as Estate;
    expect(() => resolve(noLb, normal)).toThrow('cloudflare.records[api].target: loadBalancer needs aws.loadBalancer.dnsName in the estate');
  });
});
