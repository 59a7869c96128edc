import type { DesiredRoute53Record } from '../../../../modes/desired';
import { route53 } from '../../../../modes/components/aws/route53';
import type { ResolveContext } from '../../../../modes/component';
import type { ColourName, ModeState, Window } from '../../../../modes/fields';
import { ModeTable } from '../../../../modes/mode-table';
import type { TargetSources } from '../../../../modes/targets';
import { awsPart, brief, changes, ctxIn, estateItems, facts, identityCases, itemsIn, runRule, S, SOURCES, type StateName, titled } from '../../../support/components';
import { STAGED, stateNamed, type StagedName } from './staged';

const WINDOW: Window = { reason: 'Upgrade', announce: '2030-01-01T00:00:00Z', start: '2030-01-02T00:00:00Z', end: '2030-01-02T02:00:00Z', timeZones: ['UTC'] };
const ZONE = { id: 'Z0123456789ABCDEFGHIJ', name: 'example.com' };
const record = (id: string, type: 'A' | 'CNAME', target: object, more: object = {}) => ({ id, name: `${id}.example.com`, type, target, ...more });
const SPEC = {
  hostedZone: ZONE,
  records: [
    record('fixed', 'CNAME', { value: 'origin.example.com' }, { ttl: 600, transitionTtl: 60 }),
    record('lb', 'A', { loadBalancer: true }),
    record('app', 'CNAME', { beanstalk: true }),
    record('host', 'A', { colours: { blue: '192.0.2.10', green: '192.0.2.20' } }),
  ],
};

/** A resolve context whose record targets point at `sources`. */
function ctxWith(state: ModeState, sources: TargetSources): ResolveContext {
  const f = facts(state, {}, sources);
  return { state, facts: f, table: new ModeTable(state, f.policy) };
}

/** Runbook 004: the production pair and the SES pair, whose environments' names are the other colour's. */
const TWO_APPS: TargetSources = {
  beanstalk: [
    { application: 'production', colour: 'blue', cname: 'cobalt-production-blue.eu-west-2.elasticbeanstalk.com' },
    { application: 'production', colour: 'green', cname: 'cobalt-production-green.eu-west-2.elasticbeanstalk.com' },
    { application: 'ses', colour: 'blue', cname: 'cobalt-ses-production-green.eu-west-2.elasticbeanstalk.com' },
    { application: 'ses', colour: 'green', cname: 'cobalt-ses-production-blue.eu-west-2.elasticbeanstalk.com' },
  ],
};

const desired = (more: Partial<DesiredRoute53Record> = {}): DesiredRoute53Record => ({
  id: 'host',
  name: 'host.example.com',
  type: 'A',
  ttl: 300,
  target: { kind: 'colour', colour: 'blue', value: '192.0.2.10' },
  ...more,
});

describe('route53.resolve', () => {
  test.each<[StateName, string, string]>([
    ['normalBlue', 'app-blue.eu-west-2.elasticbeanstalk.com', '192.0.2.10'],
    ['maintenance', 'app-blue.eu-west-2.elasticbeanstalk.com', '192.0.2.10'],
    ['cutoverBlueGreen', 'app-green.eu-west-2.elasticbeanstalk.com', '192.0.2.20'],
    ['normalGreen', 'app-green.eu-west-2.elasticbeanstalk.com', '192.0.2.20'],
    ['cutoverGreenBlue', 'app-blue.eu-west-2.elasticbeanstalk.com', '192.0.2.10'],
  ])('GIVEN records on a value, the load balancer, Beanstalk and a host per colour WHEN resolved in %s THEN they point at origin, the load balancer, %s and %s', (state, env, host) => {
    expect((itemsIn(route53, SPEC, state) as DesiredRoute53Record[]).map((r) => r.target.value)).toEqual(['origin.example.com', SOURCES.loadBalancerDnsName, env, host]);
  });

  test('GIVEN the records WHEN resolved THEN each target says what it points at', () => {
    expect((itemsIn(route53, SPEC, 'cutoverBlueGreen') as DesiredRoute53Record[]).map((r) => r.target)).toEqual([
      { kind: 'value', value: 'origin.example.com' },
      { kind: 'loadBalancer', value: SOURCES.loadBalancerDnsName },
      { kind: 'beanstalk', colour: 'green', value: 'app-green.eu-west-2.elasticbeanstalk.com' },
      { kind: 'colour', colour: 'green', value: '192.0.2.20' },
    ]);
  });

  test.each(titled<[string, Window | undefined, number[]]>([
    ['no window declared', undefined, [600, 300, 300, 300]],
    ['a window declared', WINDOW, [60, 300, 300, 300]],
  ]))('GIVEN $what WHEN resolved THEN the TTLs are $expected (the transition TTL only while a window is declared)', ({ row: [, window, ttls] }) => {
    const part = route53.resolve(route53.schema.parse(SPEC), ctxIn('normalBlue', window ? { window } : {}));
    expect(part.dns!.records.map((r) => r.ttl)).toEqual(ttls);
    expect(part.dns!.hostedZone).toEqual(ZONE);
  });

  // DNS follows traffic: it moves at the move stage, never before the target is restored and prepared.
  test.each<[StagedName, string]>([
    ['cutover:prepare', 'blue'],
    ['cutover:freeze', 'blue'],
    ['cutover:restore', 'blue'],
    ['cutover:move', 'green'],
    ['maintenance:ahead', 'blue'],
    ['maintenance:page', 'blue'],
    ['normal:behind', 'blue'],
    ['normal:page', 'blue'],
  ])('GIVEN the same records WHEN resolved at %s THEN the Beanstalk and per-colour records point at %s', (stage, colour) => {
    const [fixed, lb, app, host] = (itemsIn(route53, SPEC, STAGED[stage]) as DesiredRoute53Record[]).map((r) => r.target.value);
    expect([fixed, lb]).toEqual(['origin.example.com', SOURCES.loadBalancerDnsName]);
    expect([app, host]).toEqual([`app-${colour}.eu-west-2.elasticbeanstalk.com`, colour === 'blue' ? '192.0.2.10' : '192.0.2.20']);
  });

  test.each<[StateName, string, string]>([
    ['normalBlue', 'cobalt-production-blue', 'cobalt-ses-production-green'],
    ['cutoverBlueGreen', 'cobalt-production-green', 'cobalt-ses-production-blue'],
    ['normalGreen', 'cobalt-production-green', 'cobalt-ses-production-blue'],
  ])('GIVEN records on the first application and on the SES one (colours swapped) WHEN resolved in %s THEN they point at %s and %s', (state, production, ses) => {
    const dns = { hostedZone: ZONE, records: [record('www', 'CNAME', { beanstalk: true }), record('ses', 'CNAME', { beanstalk: 'ses' }), { ...record('apex', 'A', { beanstalk: 'production' }), name: 'example.com' }] };
    const part = route53.resolve(route53.schema.parse(dns), ctxWith(S[state], TWO_APPS));
    expect(part.dns!.records.map((r) => r.target.value)).toEqual([production, ses, production].map((n) => `${n}.eu-west-2.elasticbeanstalk.com`));
  });

  // Runbook 004: bridge-example.org (the apex, an A alias) and www follow the first application (no id), ses the SES one.
  test.each<[StateName | StagedName, string, string]>([
    ['normalBlue', 'cobalt-production-blue', 'cobalt-ses-production-green'],
    ['cutover:restore', 'cobalt-production-blue', 'cobalt-ses-production-green'],
    ['cutover:move', 'cobalt-production-green', 'cobalt-ses-production-blue'],
    ['normalGreen', 'cobalt-production-green', 'cobalt-ses-production-blue'],
  ])('GIVEN the bridge estate WHEN resolved in %s THEN the apex alias and www point at %s, ses at %s', (state, production, ses) => {
    const records = estateItems<DesiredRoute53Record>(route53, 'bridge', stateNamed(state));
    const at = (name: string) => `${name}.ap-southeast-2.elasticbeanstalk.com`;
    expect(records.map((r) => `${r.name} ${r.type} ${r.target.kind} ${r.target.value}`)).toEqual([
      `bridge-example.org A beanstalk ${at(production)}`,
      `www.bridge-example.org CNAME beanstalk ${at(production)}`,
      `ses.bridge-example.org CNAME beanstalk ${at(ses)}`,
    ]);
  });

  test('GIVEN the bridge estate WHEN the cutover moves DNS THEN the apex alias waits 60 s and the CNAMEs their lowered TTL of 60 s', () => {
    const before = estateItems<DesiredRoute53Record>(route53, 'bridge', STAGED['cutover:restore']);
    const after = estateItems<DesiredRoute53Record>(route53, 'bridge', STAGED['cutover:move']);
    expect(before.map((r, i) => changes(route53, r, after[i]).map((c) => `${c.name} ${c.waitSeconds}`)).flat()).toEqual([
      'bridge-example.org 60',
      'www.bridge-example.org 60',
      'ses.bridge-example.org 60',
    ]);
    // The CNAMEs' 60 s is their transition TTL, in force while the window is declared.
    expect(before.filter((r) => r.type === 'CNAME').map((r) => r.ttl)).toEqual([60, 60]);
  });

  test('GIVEN a record on an application the sources do not have WHEN resolved THEN it is refused naming the record', () => {
    const dns = { hostedZone: ZONE, records: [record('ses', 'CNAME', { beanstalk: 'nope' })] };
    expect(() => route53.resolve(route53.schema.parse(dns), ctxWith(S.normalBlue, TWO_APPS))).toThrow('aws.dns.records[ses].target: no beanstalk environment of colour blue in application nope for a record target');
  });

  test('GIVEN a load balancer target and no load balancer WHEN resolved THEN it is refused naming the record', () => {
    const noLoadBalancer = ctxWith(S.normalBlue, { beanstalk: [] });
    expect(() => route53.resolve(route53.schema.parse({ hostedZone: ZONE, records: [record('lb', 'A', { loadBalancer: true })] }), noLoadBalancer)).toThrow(
      'aws.dns.records[lb].target: loadBalancer needs aws.loadBalancer.dnsName in the estate',
    );
  });

  test('GIVEN no hosted zone in the estate WHEN resolved THEN nothing is set', () => {
    expect(route53.resolve(undefined, ctxIn('normalBlue'))).toEqual({});
  });
});

describe('route53.describe', () => {
  test.each<[string, DesiredRoute53Record | undefined, DesiredRoute53Record | undefined, ReturnType<typeof brief>[]]>([
    ['nothing changed', desired(), desired(), []],
    [
      'the host moving to green',
      desired(),
      desired({ target: { kind: 'colour', colour: 'green', value: '192.0.2.20' } }),
      [{ text: 'Route 53 record host.example.com A 192.0.2.10 (blue) -> A 192.0.2.20 (green)', action: 'modify', field: 'target', effects: ['moves-traffic'], waitSeconds: 300 }],
    ],
    ['the TTL lowered for a window', desired(), desired({ ttl: 60 }), [{ text: 'Route 53 record host.example.com TTL 300s -> 60s', action: 'modify', field: 'ttl', effects: [] }]],
    [
      'a move with a lowered TTL',
      desired({ ttl: 60 }),
      desired({ ttl: 60, target: { kind: 'loadBalancer', value: 'web.elb.amazonaws.com' } }),
      [{ text: 'Route 53 record host.example.com A 192.0.2.10 (blue) -> A the load balancer (web.elb.amazonaws.com)', action: 'modify', field: 'target', effects: ['moves-traffic'], waitSeconds: 60 }],
    ],
    [
      'an alias to Beanstalk moving to green (no TTL of its own: Route 53 answers with the target\'s 60 seconds)',
      desired({ target: { kind: 'beanstalk', colour: 'blue', value: 'app-blue.eu-west-2.elasticbeanstalk.com' } }),
      desired({ target: { kind: 'beanstalk', colour: 'green', value: 'app-green.eu-west-2.elasticbeanstalk.com' } }),
      [{ text: 'Route 53 record host.example.com A app-blue.eu-west-2.elasticbeanstalk.com (blue) -> A app-green.eu-west-2.elasticbeanstalk.com (green)', action: 'modify', field: 'target', effects: ['moves-traffic'], waitSeconds: 60 }],
    ],
    [
      'a CNAME to Beanstalk moving to green (clients wait out its TTL)',
      desired({ type: 'CNAME', target: { kind: 'beanstalk', colour: 'blue', value: 'app-blue.eu-west-2.elasticbeanstalk.com' } }),
      desired({ type: 'CNAME', target: { kind: 'beanstalk', colour: 'green', value: 'app-green.eu-west-2.elasticbeanstalk.com' } }),
      [{ text: 'Route 53 record host.example.com CNAME app-blue.eu-west-2.elasticbeanstalk.com (blue) -> CNAME app-green.eu-west-2.elasticbeanstalk.com (green)', action: 'modify', field: 'target', effects: ['moves-traffic'], waitSeconds: 300 }],
    ],
    ['an alias to the load balancer removed', desired({ target: { kind: 'loadBalancer', value: 'web.elb.amazonaws.com' } }), undefined, [{ text: 'Route 53 record host.example.com removed', action: 'remove', effects: ['moves-traffic'], waitSeconds: 60 }]],
    ['the record added', undefined, desired(), [{ text: 'Route 53 record host.example.com added', action: 'add', effects: ['moves-traffic'] }]],
    ['the record removed', desired(), undefined, [{ text: 'Route 53 record host.example.com removed', action: 'remove', effects: ['moves-traffic'], waitSeconds: 300 }]],
  ])('GIVEN %s WHEN described THEN the change records say so', (_what, before, after, expected) => {
    expect(changes(route53, before, after).map(brief)).toEqual(expected);
  });

  test('GIVEN a move WHEN described THEN from and to are type and value', () => {
    expect(changes(route53, desired(), desired({ target: { kind: 'colour', colour: 'green', value: '192.0.2.20' } }))).toEqual([
      expect.objectContaining({ component: 'route53Record', id: 'host', name: 'host.example.com', from: 'A 192.0.2.10', to: 'A 192.0.2.20' }),
    ]);
  });
});

describe('route53 rules', () => {
  const dns = (...records: object[]) => ({ hostedZone: ZONE, records });
  test.each<[string, string, unknown, { hasLoadBalancer?: boolean; hasBeanstalk?: boolean; beanstalkApplications?: string[] }, string[]]>([
    ['uniqueRecords', 'distinct ids', SPEC, {}, []],
    ['uniqueRecords', 'a duplicate id', dns(record('a', 'A', { value: '192.0.2.1' }), { ...record('a', 'A', { value: '192.0.2.2' }), name: 'b.example.com' }), {}, ["aws.dns.records[1].id: duplicate id 'a' (already used at aws.dns.records[0]); each id must be unique"]],
    [
      'uniqueRecords',
      'two records of one name (an A and a CNAME)',
      dns(record('a', 'A', { value: '192.0.2.1' }), { ...record('b', 'CNAME', { value: 'x.example.net' }), name: 'a.example.com' }),
      {},
      ["aws.dns.records[1].name: duplicate name 'a.example.com' (already used at aws.dns.records[0]); each name must be unique"],
    ],
    ['recordsInTheZoneWithTargetsTheyCanHave', 'records the estate can serve', SPEC, {}, []],
    ['recordsInTheZoneWithTargetsTheyCanHave', 'a record outside the zone', dns({ ...record('a', 'A', { value: '192.0.2.1' }), name: 'www.other.com' }), {}, ["aws.dns.records[0].name: 'www.other.com' is not in the hosted zone example.com"]],
    ['recordsInTheZoneWithTargetsTheyCanHave', 'the zone apex', dns({ ...record('a', 'A', { value: '192.0.2.1' }), name: 'example.com' }), {}, []],
    ['recordsInTheZoneWithTargetsTheyCanHave', 'a load balancer target and no load balancer', dns(record('a', 'A', { loadBalancer: true })), { hasLoadBalancer: false }, ['aws.dns.records[0].target: target loadBalancer needs aws.loadBalancer']],
    ['recordsInTheZoneWithTargetsTheyCanHave', 'a Beanstalk target on an A record (an alias)', dns(record('a', 'A', { beanstalk: true })), {}, []],
    ['recordsInTheZoneWithTargetsTheyCanHave', 'a Beanstalk target and no Beanstalk', dns(record('a', 'A', { beanstalk: true })), { hasBeanstalk: false }, ['aws.dns.records[0].target: target beanstalk needs aws.beanstalk']],
    ['recordsInTheZoneWithTargetsTheyCanHave', 'a Beanstalk target naming a listed application', dns(record('a', 'CNAME', { beanstalk: 'ses' })), { beanstalkApplications: ['production', 'ses'] }, []],
    [
      'recordsInTheZoneWithTargetsTheyCanHave',
      'a Beanstalk target naming an application the estate does not have',
      dns(record('a', 'CNAME', { beanstalk: 'sms' })),
      { beanstalkApplications: ['production', 'ses'] },
      ["aws.dns.records[0].target.beanstalk: unknown Beanstalk application 'sms'; allowed: true (the first application), production, ses"],
    ],
    ['noCnameAtTheApex', 'records below the apex and an A alias at it', dns(record('www', 'CNAME', { beanstalk: true }), { ...record('apex', 'A', { loadBalancer: true }), name: 'example.com' }), {}, []],
    [
      'noCnameAtTheApex',
      'a CNAME at the apex to the Beanstalk environment',
      dns({ ...record('apex', 'CNAME', { beanstalk: true }), name: 'example.com' }),
      {},
      ['aws.dns.records[0].type: record apex (example.com) is a CNAME to the Beanstalk environment at the zone apex, which Route 53 refuses; use type: A with this target, an alias record, which Route 53 allows at the apex'],
    ],
    [
      'noCnameAtTheApex',
      'a CNAME at the apex to a host name',
      dns({ ...record('apex', 'CNAME', { value: 'shop.example.net' }), name: 'example.com' }),
      {},
      ['aws.dns.records[0].type: record apex (example.com) is a CNAME to shop.example.net at the zone apex, which Route 53 refuses; use an A record with IPv4 addresses, or an A alias with target { loadBalancer: true } or { beanstalk: true }'],
    ],
    [
      'recordsInTheZoneWithTargetsTheyCanHave',
      'an A record per colour with a host name',
      dns(record('a', 'A', { colours: { blue: '192.0.2.1', green: 'green.example.com' } })),
      {},
      ["aws.dns.records[0].target.colours.green: 'green.example.com' is not an IPv4 address, which an A record needs"],
    ],
  ])('WHEN %s runs on %s THEN it reports the listed problems', (rule, _what, spec, facts: object, expected) => {
    expect(runRule(route53, rule, spec, facts)).toEqual(expected);
  });

  test('GIVEN records per colour THEN the estate has both colours; fixed targets name none', () => {
    expect([...route53.colours!(route53.schema.parse(SPEC))]).toEqual(['blue', 'green']);
    expect([...route53.colours!(route53.schema.parse(dns(record('a', 'A', { value: '192.0.2.1' }))))]).toEqual([]);
  });
});

describe('route53.invariants', () => {
  const aws = awsPart({ dns: { hostedZone: ZONE, records: [desired(), desired({ id: 'fixed', name: 'fixed.example.com', target: { kind: 'value', value: '192.0.2.1' } })] } });
  test.each(titled<[string, ColourName[], string[]]>([
    ['blue runs', ['blue'], []],
    ['blue does not run', ['green'], ['record host.example.com points at blue, which is not running']],
  ]))('GIVEN a record on blue and a fixed one WHEN $what THEN the broken rules are $expected', ({ row: [, running, expected] }) => {
    expect(route53.invariants!(aws, (c) => running.includes(c))).toEqual(expected);
  });
});

describe('route53.identity', () => {
  test.each(identityCases(route53))('GIVEN the %s estate WHEN resolved in every mode state it supports (%s) THEN every record keeps its identity', (_name, _states, ids) => {
    for (const other of ids) expect(other).toEqual(ids[0]);
  });

  test('GIVEN only target and TTL change THEN the identity is the same; a new type is not', () => {
    expect(route53.identity(desired({ ttl: 60, target: { kind: 'value', value: 'x' } }))).toEqual(route53.identity(desired()));
    expect(route53.identity(desired({ type: 'CNAME' }))).not.toEqual(route53.identity(desired()));
  });
});
