import { REPLACE_ON_CHANGE, replacingInputs } from '../../stacks/cloudflare/replacement';
import type { CloudflareResource } from '../../stacks/cloudflare/preview';

const record = (inputs: Record<string, unknown>): CloudflareResource => ({
  urn: 'urn:pulumi:preview::drawbridge::drawbridge:cloudflare:Dns$cloudflare:index/dnsRecord:DnsRecord::shop-dns-www',
  type: 'cloudflare:index/dnsRecord:DnsRecord',
  name: 'shop-dns-www',
  inputs,
});

describe('replacingInputs', () => {
  test.each<[string, Record<string, unknown>, Record<string, unknown>, string[]]>([
    ['the content of a record (a hard-down)', { zoneId: 'z1', content: 'origin.example.com' }, { zoneId: 'z1', content: 'down.pages.dev' }, []],
    ['proxied and ttl', { zoneId: 'z1', proxied: false, ttl: 300 }, { zoneId: 'z1', proxied: true, ttl: 1 }, []],
    ['the zone of a record', { zoneId: 'z1' }, { zoneId: 'z2' }, ['zoneId']],
  ])('GIVEN a change of %s THEN it replaces %j', (_what, before, after, expected) => {
    expect(replacingInputs(record(before), record(after))).toEqual(expected);
  });

  test('GIVEN a worker whose name changes THEN it is replaced; its bindings are not a reason', () => {
    const script = (inputs: Record<string, unknown>): CloudflareResource => ({ ...record(inputs), type: 'cloudflare:index/workersScript:WorkersScript' });
    expect(replacingInputs(script({ accountId: 'a', scriptName: 'x', bindings: [1] }), script({ accountId: 'a', scriptName: 'y', bindings: [2] }))).toEqual(['scriptName']);
  });

  test('GIVEN two different resources THEN comparing them is a mistake', () => {
    expect(() => replacingInputs(record({}), { ...record({}), urn: 'other' })).toThrow(/compare one resource with itself/);
  });

  test('every resource type the program declares has its replacement inputs listed', () => {
    expect(Object.keys(REPLACE_ON_CHANGE).sort()).toEqual([
      'cloudflare:index/botManagement:BotManagement',
      'cloudflare:index/dnsRecord:DnsRecord',
      'cloudflare:index/pagesDomain:PagesDomain',
      'cloudflare:index/pagesProject:PagesProject',
      'cloudflare:index/workersRoute:WorkersRoute',
      'cloudflare:index/workersScript:WorkersScript',
    ]);
  });
});
