import type { DesiredCloudflareRecord } from '../../../../modes/desired';
import { AUTOMATIC_TTL, cloudflareRecords } from '../../../../modes/components/cloudflare/records';
import type { ColourName, ModeState, Window } from '../../../../modes/fields';
import { brief, cfPart, changes, ctxIn, estateItems, identityCases, itemsIn, runRule, type StateName, titled } from '../../../support/components';

const WINDOW: Window = { reason: 'Upgrade', announce: '2030-01-01T00:00:00Z', start: '2030-01-02T00:00:00Z', end: '2030-01-02T02:00:00Z', timeZones: ['UTC'] };
const DOWN = 'shop-down.pages.dev';
const record = (id: string, type: string, target: object, more: object = {}) => ({ id, zone: 'main', name: `${id}.example.com`, type, target, ...more });
const SPEC = [
  record('www', 'CNAME', { value: 'origin.example.com' }, { downPageOnHardDown: true }),
  record('direct', 'CNAME', { value: 'origin.example.com' }, { proxied: false, ttl: 3600, transitionTtl: 60 }),
  record('host', 'A', { colours: { blue: '192.0.2.10', green: '192.0.2.20' } }, { proxied: false }),
  record('site', 'CNAME', { loadBalancer: true }, { proxied: false, ttl: 120, downPageOnHardDown: true }),
];
const FACTS = { downPageDomain: DOWN };

const view = (r: DesiredCloudflareRecord) => `${r.type} ${r.target.value} ${r.proxied ? 'proxied' : 'dns-only'} ${r.ttl}`;

const desired = (more: Partial<DesiredCloudflareRecord> = {}): DesiredCloudflareRecord => ({
  id: 'www',
  zone: 'main',
  zoneId: 'a'.repeat(32),
  name: 'www.example.com',
  type: 'CNAME',
  proxied: true,
  ttl: AUTOMATIC_TTL,
  target: { kind: 'value', value: 'origin.example.com' },
  ...more,
});

describe('cloudflareRecords.resolve', () => {
  const LB = 'web-1.eu-west-2.elb.amazonaws.com';
  test.each<[StateName, string[]]>([
    ['normalBlue', ['CNAME origin.example.com proxied 1', 'CNAME origin.example.com dns-only 3600', 'A 192.0.2.10 dns-only 300', `CNAME ${LB} dns-only 120`]],
    ['maintenance', ['CNAME origin.example.com proxied 1', 'CNAME origin.example.com dns-only 3600', 'A 192.0.2.10 dns-only 300', `CNAME ${LB} dns-only 120`]],
    ['hardDown', [`CNAME ${DOWN} proxied 1`, 'CNAME origin.example.com dns-only 3600', 'A 192.0.2.10 dns-only 300', `CNAME ${DOWN} proxied 1`]],
    ['cutoverBlueGreen', ['CNAME origin.example.com proxied 1', 'CNAME origin.example.com dns-only 3600', 'A 192.0.2.20 dns-only 300', `CNAME ${LB} dns-only 120`]],
    ['normalGreen', ['CNAME origin.example.com proxied 1', 'CNAME origin.example.com dns-only 3600', 'A 192.0.2.20 dns-only 300', `CNAME ${LB} dns-only 120`]],
    ['cutoverGreenBlue', ['CNAME origin.example.com proxied 1', 'CNAME origin.example.com dns-only 3600', 'A 192.0.2.10 dns-only 300', `CNAME ${LB} dns-only 120`]],
  ])('GIVEN a site record, a DNS-only record, a host per colour and a load balancer record WHEN resolved in %s THEN they are %j', (state, expected) => {
    expect((itemsIn(cloudflareRecords, SPEC, state, FACTS) as DesiredCloudflareRecord[]).map(view)).toEqual(expected);
  });

  test.each<[StateName, Window | undefined, number]>([
    ['normalBlue', undefined, 3600],
    ['normalBlue', WINDOW, 60],
    ['maintenance', WINDOW, 60],
  ])('GIVEN a DNS-only record with a transition TTL WHEN resolved in %s with window %j THEN its TTL is %d', (state, window, ttl) => {
    const [, direct] = itemsIn(cloudflareRecords, SPEC, state, { ...FACTS, ...(window ? { window } : {}) }) as DesiredCloudflareRecord[];
    expect(direct!.ttl).toBe(ttl);
  });

  // A hard-down's site records move with the page: after ahead, back as the page comes down.
  test.each(titled<[string, ModeState, string]>([
    ['maintenance:ahead', { mode: 'maintenance', live: 'blue', hardDown: true, stage: 'ahead' }, 'CNAME origin.example.com proxied 1'],
    ['maintenance:page', { mode: 'maintenance', live: 'blue', hardDown: true, stage: 'page' }, `CNAME ${DOWN} proxied 1`],
    ['normal:behind, leaving a hard-down', { mode: 'normal', live: 'blue', hardDown: true, stage: 'behind' }, `CNAME ${DOWN} proxied 1`],
    ['normal:page, leaving a hard-down', { mode: 'normal', live: 'blue', hardDown: true, stage: 'page' }, 'CNAME origin.example.com proxied 1'],
    ['cutover:freeze', { mode: 'cutover', live: 'blue', target: 'green', hardDown: false, stage: 'freeze' }, 'CNAME origin.example.com proxied 1'],
  ]))('GIVEN the site record WHEN resolved in $what THEN it is $expected', ({ row: [, state, expected] }) => {
    const [www] = itemsIn(cloudflareRecords, SPEC, state, FACTS) as DesiredCloudflareRecord[];
    expect(view(www!)).toBe(expected);
  });

  // The record per colour follows the traffic: the target's only once the cutover moves it.
  test.each<[ModeState['stage'], string]>([
    ['prepare', '192.0.2.10'],
    ['freeze', '192.0.2.10'],
    ['restore', '192.0.2.10'],
    ['move', '192.0.2.20'],
  ])('GIVEN a host per colour WHEN a cutover blue -> green is at %s THEN it points at %s', (stage, address) => {
    const [, , host] = itemsIn(cloudflareRecords, SPEC, { mode: 'cutover', live: 'blue', target: 'green', hardDown: false, stage }, FACTS) as DesiredCloudflareRecord[];
    expect(host!.target.value).toBe(address);
  });

  // Runbook 003: the proxied host record follows the serving host once traffic moves, at once (no TTL to wait out).
  test.each<[ModeState['stage'], string]>([
    ['prepare', 'A 192.0.2.10 proxied 1'],
    ['freeze', 'A 192.0.2.10 proxied 1'],
    ['move', 'A 192.0.2.20 proxied 1'],
  ])('GIVEN the whimsy estate WHEN its cutover is at %s THEN its record is %s', (stage, expected) => {
    const [whimsy] = estateItems<DesiredCloudflareRecord>(cloudflareRecords, 'whimsy', { mode: 'cutover', live: 'blue', target: 'green', hardDown: false, stage });
    expect(view(whimsy!)).toBe(expected);
  });

  test('GIVEN the whimsy estate WHEN traffic moves to the new host THEN the change moves traffic with nothing to wait for', () => {
    const at = (stage: ModeState['stage']) => estateItems<DesiredCloudflareRecord>(cloudflareRecords, 'whimsy', { mode: 'cutover', live: 'blue', target: 'green', hardDown: false, stage })[0];
    expect(changes(cloudflareRecords, at('restore'), at('move')).map(brief)).toEqual([
      { text: 'DNS record whimsy.example.org A 192.0.2.10 (blue) -> A 192.0.2.20 (green)', action: 'modify', field: 'target', effects: ['moves-traffic'] },
    ]);
  });

  test('GIVEN a hard-down WHEN resolved THEN the site record keeps its name, zone and type and points at the down page', () => {
    const [www] = itemsIn(cloudflareRecords, SPEC, 'hardDown', FACTS);
    expect(www).toEqual(desired({ target: { kind: 'downPage', value: DOWN } }));
  });

  test('GIVEN a record in a zone the facts do not know WHEN resolved THEN its zone id is empty', () => {
    const [r] = itemsIn(cloudflareRecords, [{ ...SPEC[0], zone: 'other' }], 'normalBlue', FACTS) as DesiredCloudflareRecord[];
    expect(r!.zoneId).toBe('');
  });
});

describe('cloudflareRecords.describe', () => {
  const dnsOnly = desired({ proxied: false, ttl: 300 });
  test.each<[string, DesiredCloudflareRecord | undefined, DesiredCloudflareRecord | undefined, ReturnType<typeof brief>[]]>([
    ['nothing changed', desired(), desired(), []],
    [
      'a proxied record moving to the down page',
      desired(),
      desired({ target: { kind: 'downPage', value: DOWN } }),
      [{ text: `DNS record www.example.com CNAME origin.example.com -> CNAME ${DOWN} (static down page)`, action: 'modify', field: 'target', effects: ['moves-traffic', 'holds-public'] }],
    ],
    [
      'a DNS-only record moving to the down page, proxied',
      dnsOnly,
      desired({ target: { kind: 'downPage', value: DOWN } }),
      [
        { text: `DNS record www.example.com CNAME origin.example.com -> CNAME ${DOWN} (static down page)`, action: 'modify', field: 'target', effects: ['moves-traffic', 'holds-public'], waitSeconds: 300 },
        { text: 'DNS record www.example.com proxied', action: 'modify', field: 'proxied', effects: [] },
        { text: 'DNS record www.example.com TTL 300s -> auto', action: 'modify', field: 'ttl', effects: [] },
      ],
    ],
    [
      'a host moving to green',
      desired({ type: 'A', proxied: false, ttl: 60, target: { kind: 'colour', colour: 'blue', value: '192.0.2.10' } }),
      desired({ type: 'A', proxied: false, ttl: 60, target: { kind: 'colour', colour: 'green', value: '192.0.2.20' } }),
      [{ text: 'DNS record www.example.com A 192.0.2.10 (blue) -> A 192.0.2.20 (green)', action: 'modify', field: 'target', effects: ['moves-traffic'], waitSeconds: 60 }],
    ],
    ['proxying switched off', desired(), desired({ proxied: false, ttl: 300 }), [
      { text: 'DNS record www.example.com DNS only (not proxied)', action: 'modify', field: 'proxied', effects: [] },
      { text: 'DNS record www.example.com TTL auto -> 300s', action: 'modify', field: 'ttl', effects: [] },
    ]],
    ['the record added', undefined, desired(), [{ text: 'DNS record www.example.com added', action: 'add', effects: ['moves-traffic'] }]],
    ['a proxied record removed', desired(), undefined, [{ text: 'DNS record www.example.com removed', action: 'remove', effects: ['moves-traffic'] }]],
    ['a DNS-only record removed', dnsOnly, undefined, [{ text: 'DNS record www.example.com removed', action: 'remove', effects: ['moves-traffic'], waitSeconds: 300 }]],
  ])('GIVEN %s WHEN described THEN the change records say so', (_what, before, after, expected) => {
    expect(changes(cloudflareRecords, before, after).map(brief)).toEqual(expected);
  });

  test('GIVEN a move WHEN described THEN from and to are type and value', () => {
    expect(changes(cloudflareRecords, desired(), desired({ target: { kind: 'downPage', value: DOWN } }))).toEqual([
      expect.objectContaining({ provider: 'cloudflare', component: 'cloudflareRecord', id: 'www', name: 'www.example.com', from: 'CNAME origin.example.com', to: `CNAME ${DOWN}` }),
    ]);
  });
});

describe('cloudflareRecords rules', () => {
  const at = (i: number) => `cloudflare.records[${i}]`;
  test.each<[string, string, unknown[], { hasDownPage?: boolean; hasLoadBalancer?: boolean }, string[]]>([
    ['uniqueRecords', 'distinct ids', SPEC, {}, []],
    ['uniqueRecords', 'a duplicate id', [SPEC[0], SPEC[0]], {}, [`${at(1)}.id: duplicate id 'www' (already used at ${at(0)}); each id must be unique`]],
    ['recordsInTheirZoneWithTargetsTheyCanHave', 'records the estate can serve', SPEC, {}, []],
    ['recordsInTheirZoneWithTargetsTheyCanHave', 'an unknown zone', [{ ...SPEC[0], zone: 'nope' }], {}, [`${at(0)}.zone: unknown zone 'nope'; allowed: main`]],
    ['recordsInTheirZoneWithTargetsTheyCanHave', 'a name outside the zone', [{ ...SPEC[0], name: 'www.other.com' }], {}, [`${at(0)}.name: 'www.other.com' is not in the zone example.com`]],
    ['recordsInTheirZoneWithTargetsTheyCanHave', 'a proxied record with a TTL', [{ ...SPEC[0], ttl: 120 }], {}, [`${at(0)}.ttl: proxied records always use automatic TTL; remove ttl/transitionTtl or set proxied: false`]],
    [
      'recordsInTheirZoneWithTargetsTheyCanHave',
      'a proxied record with a transition TTL',
      [{ ...SPEC[0], transitionTtl: 120 }],
      {},
      [`${at(0)}.transitionTtl: proxied records always use automatic TTL; remove ttl/transitionTtl or set proxied: false`],
    ],
    [
      'recordsInTheirZoneWithTargetsTheyCanHave',
      'an A record that moves to a missing down page',
      [record('www', 'A', { value: '192.0.2.1' }, { downPageOnHardDown: true })],
      { hasDownPage: false },
      [`${at(0)}.type: a record that moves to the down page must be a CNAME (changing type replaces it); got A`, `${at(0)}.downPageOnHardDown: needs cloudflare.downPage to point at`],
    ],
    ['recordsInTheirZoneWithTargetsTheyCanHave', 'an AAAA record on the load balancer', [record('v6', 'AAAA', { loadBalancer: true })], {}, [`${at(0)}.target: a load balancer target needs type A or CNAME`]],
    ['recordsInTheirZoneWithTargetsTheyCanHave', 'a load balancer target and no load balancer', [record('lb', 'CNAME', { loadBalancer: true })], { hasLoadBalancer: false }, [`${at(0)}.target: target loadBalancer needs aws.loadBalancer`]],
  ])('WHEN %s runs on %s THEN it reports the listed problems', (rule, _what, spec, facts, expected) => {
    expect(runRule(cloudflareRecords, rule, spec, facts)).toEqual(expected);
  });

  test('GIVEN records per colour THEN the estate has both colours; fixed targets name none', () => {
    expect([...cloudflareRecords.colours!(cloudflareRecords.schema.parse(SPEC))]).toEqual(['blue', 'green']);
    expect([...cloudflareRecords.colours!(cloudflareRecords.schema.parse([SPEC[0]]))]).toEqual([]);
  });
});

describe('cloudflareRecords.invariants', () => {
  const cf = cfPart({ records: [desired({ target: { kind: 'colour', colour: 'green', value: '192.0.2.20' } }), desired({ id: 'down', target: { kind: 'downPage', value: DOWN } })] });
  test.each(titled<[string, ColourName[], string[]]>([
    ['green runs', ['green'], []],
    ['green does not run', ['blue'], ['record www.example.com points at green, which is not running']],
  ]))('GIVEN a record on green and one on the down page WHEN $what THEN the broken rules are $expected', ({ row: [, running, expected] }) => {
    expect(cloudflareRecords.invariants!(cf, (c) => running.includes(c))).toEqual(expected);
  });
});

describe('cloudflareRecords.identity', () => {
  test.each(identityCases(cloudflareRecords))('GIVEN the %s estate WHEN resolved in every mode state it supports (%s) THEN every record keeps its identity', (_name, _states, ids) => {
    for (const other of ids) expect(other).toEqual(ids[0]);
  });

  test.each<[string, boolean, Partial<DesiredCloudflareRecord>]>([
    ['the target, proxying and TTL (a hard-down)', true, { proxied: false, ttl: 60, target: { kind: 'downPage', value: DOWN } }],
    ['the type', false, { type: 'A' }],
    ['the zone', false, { zoneId: 'b'.repeat(32) }],
  ])('GIVEN a change of %s THEN keeping the identity is %s', (_what, same, more) => {
    expect(JSON.stringify(cloudflareRecords.identity(desired(more))) === JSON.stringify(cloudflareRecords.identity(desired()))).toBe(same);
  });

  test('GIVEN the zone facts WHEN resolved THEN the record carries its zone\'s Cloudflare id', () => {
    expect(cloudflareRecords.resolve(cloudflareRecords.schema.parse([SPEC[0]]), ctxIn('normalBlue', FACTS)).records![0]!.zoneId).toBe('a'.repeat(32));
  });
});
