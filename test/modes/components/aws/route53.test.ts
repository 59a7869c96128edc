import type { DesiredRoute53Record } from '../../../../modes/desired';
import { route53 } from '../../../../modes/components/aws/route53';
import type { ColourName, Window } from '../../../../modes/fields';
import { awsPart, brief, changes, ctxIn, facts, identityCases, itemsIn, runRule, S, SOURCES, type StateName } from '../../../support/components';

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

  test.each<[string, Window | undefined, number[]]>([
    ['no window declared', undefined, [600, 300, 300, 300]],
    ['a window declared', WINDOW, [60, 300, 300, 300]],
  ])('GIVEN %s WHEN resolved THEN the TTLs are %j (the transition TTL only while a window is declared)', (_what, window, ttls) => {
    const part = route53.resolve(route53.schema.parse(SPEC), ctxIn('normalBlue', window ? { window } : {}));
    expect(part.dns!.records.map((r) => r.ttl)).toEqual(ttls);
    expect(part.dns!.hostedZone).toEqual(ZONE);
  });

  test('GIVEN a load balancer target and no load balancer WHEN resolved THEN it is refused naming the record', () => {
    const noLoadBalancer = { state: S.normalBlue, facts: facts(S.normalBlue, {}, { beanstalk: [] }) };
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
  test.each<[string, string, unknown, { hasLoadBalancer?: boolean; hasBeanstalk?: boolean }, string[]]>([
    ['uniqueRecords', 'distinct ids', SPEC, {}, []],
    ['uniqueRecords', 'a duplicate id', dns(record('a', 'A', { value: '192.0.2.1' }), record('a', 'A', { value: '192.0.2.2' })), {}, ["aws.dns.records[1].id: duplicate id 'a' (already used at aws.dns.records[0]); each id must be unique"]],
    ['recordsInTheZoneWithTargetsTheyCanHave', 'records the estate can serve', SPEC, {}, []],
    ['recordsInTheZoneWithTargetsTheyCanHave', 'a record outside the zone', dns({ ...record('a', 'A', { value: '192.0.2.1' }), name: 'www.other.com' }), {}, ["aws.dns.records[0].name: 'www.other.com' is not in the hosted zone example.com"]],
    ['recordsInTheZoneWithTargetsTheyCanHave', 'the zone apex', dns({ ...record('a', 'A', { value: '192.0.2.1' }), name: 'example.com' }), {}, []],
    ['recordsInTheZoneWithTargetsTheyCanHave', 'a load balancer target and no load balancer', dns(record('a', 'A', { loadBalancer: true })), { hasLoadBalancer: false }, ['aws.dns.records[0].target: target loadBalancer needs aws.loadBalancer']],
    [
      'recordsInTheZoneWithTargetsTheyCanHave',
      'a Beanstalk target on an A record and no Beanstalk',
      dns(record('a', 'A', { beanstalk: true })),
      { hasBeanstalk: false },
      ['aws.dns.records[0].target: target beanstalk needs aws.beanstalk', 'aws.dns.records[0].target: a beanstalk target needs type CNAME; got A'],
    ],
    [
      'recordsInTheZoneWithTargetsTheyCanHave',
      'an A record per colour with a host name',
      dns(record('a', 'A', { colours: { blue: '192.0.2.1', green: 'green.example.com' } })),
      {},
      ["aws.dns.records[0].target.colours.green: 'green.example.com' is not an IPv4 address, which an A record needs"],
    ],
  ])('WHEN %s runs on %s THEN it reports the listed problems', (rule, _what, spec, facts, expected) => {
    expect(runRule(route53, rule, spec, facts)).toEqual(expected);
  });

  test('GIVEN records per colour THEN the estate has both colours; fixed targets name none', () => {
    expect([...route53.colours!(route53.schema.parse(SPEC))]).toEqual(['blue', 'green']);
    expect([...route53.colours!(route53.schema.parse(dns(record('a', 'A', { value: '192.0.2.1' }))))]).toEqual([]);
  });
});

describe('route53.invariants', () => {
  const aws = awsPart({ dns: { hostedZone: ZONE, records: [desired(), desired({ id: 'fixed', name: 'fixed.example.com', target: { kind: 'value', value: '192.0.2.1' } })] } });
  test.each<[string, ColourName[], string[]]>([
    ['blue runs', ['blue'], []],
    ['blue does not run', ['green'], ['record host.example.com points at blue, which is not running']],
  ])('GIVEN a record on blue and a fixed one WHEN %s THEN the broken rules are %j', (_what, running, expected) => {
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
