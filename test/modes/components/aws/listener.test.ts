import type { DesiredAws, DesiredListener } from '../../../../modes/desired';
import { LIVE_WEIGHT, listener } from '../../../../modes/components/aws/listener';
import type { ColourName } from '../../../../modes/fields';
import type { ModeState } from '../../../../modes/fields';
import { awsPart, brief, changes, ctxIn, estateItems, identityCases, runRule, type StateName, titled } from '../../../support/components';
import { STAGED, stateNamed, type StagedName } from './staged';

const TARGET_GROUPS = [
  { id: 'web-blue', colour: 'blue' as const, healthPath: '/ok', maintenanceHealthPath: '/m' },
  { id: 'web-green', colour: 'green' as const, healthPath: '/ok', maintenanceHealthPath: '/m' },
  { id: 'admin', healthPath: '/ok', maintenanceHealthPath: '/m' },
];

const LB = {
  arn: 'arn:aws:elasticloadbalancing:eu-west-2:123456789012:loadbalancer/app/web/1',
  dnsName: 'web-1.eu-west-2.elb.amazonaws.com',
  canonicalHostedZoneId: 'ZHURV8PSTC4K8',
  securityGroupId: 'sg-0123456789abcdef0',
};
const listenerSpec = (more: object = {}) => ({
  certificateArn: 'arn:aws:acm:eu-west-2:123456789012:certificate/x',
  default: { targetGroups: ['web-blue', 'web-green'] },
  rules: [{ priority: 10, hosts: ['admin.example.com'], targetGroups: ['admin'] }],
  ...more,
});

const FULL = { ...LB, listener: listenerSpec() };

function resolved(state: StateName | ModeState, spec: unknown): Partial<DesiredAws> {
  return listener.resolve(listener.schema.parse(spec), ctxIn(state, { targetGroups: TARGET_GROUPS }));
}

const weights = (l: DesiredListener | undefined) => [...(l?.default.targets ?? []), ...(l?.rules.flatMap((r) => r.targets) ?? [])].map((t) => `${t.targetGroup} ${t.weight}`);

const forward = (blue: number, green: number) => ({ targets: [{ targetGroup: 'web-blue', weight: blue }, { targetGroup: 'web-green', weight: green }] });
const desired = (more: Partial<DesiredListener> = {}): DesiredListener => ({ port: 443, protocol: 'HTTPS', sslPolicy: 'p', default: forward(100, 0), rules: [], ...more });
const PART = awsPart({ targetGroups: [{ id: 'web-blue', name: 'shop-web-blue' }, { id: 'web-green', name: 'shop-web-green' }] });

describe('listener.resolve', () => {
  test.each<[StateName, string[]]>([
    ['normalBlue', ['web-blue 100', 'web-green 0', 'admin 100']],
    ['maintenance', ['web-blue 100', 'web-green 0', 'admin 100']],
    ['hardDown', ['web-blue 100', 'web-green 0', 'admin 100']],
    ['cutoverBlueGreen', ['web-blue 0', 'web-green 100', 'admin 100']],
    ['normalGreen', ['web-blue 0', 'web-green 100', 'admin 100']],
    ['cutoverGreenBlue', ['web-blue 100', 'web-green 0', 'admin 100']],
  ])('GIVEN a blue/green default action and a one-group rule WHEN resolved in %s THEN the weights are %j', (state, expected) => {
    expect(weights(resolved(state, FULL).listener)).toEqual(expected);
  });

  // Traffic moves at the move stage only: the target is prepared, the source frozen and the database restored first.
  test.each<[StagedName, string[]]>([
    ['cutover:prepare', ['web-blue 100', 'web-green 0', 'admin 100']],
    ['cutover:freeze', ['web-blue 100', 'web-green 0', 'admin 100']],
    ['cutover:restore', ['web-blue 100', 'web-green 0', 'admin 100']],
    ['cutover:move', ['web-blue 0', 'web-green 100', 'admin 100']],
    ['maintenance:ahead', ['web-blue 100', 'web-green 0', 'admin 100']],
    ['maintenance:page', ['web-blue 100', 'web-green 0', 'admin 100']],
    ['normal:behind', ['web-blue 100', 'web-green 0', 'admin 100']],
    ['normal:page', ['web-blue 100', 'web-green 0', 'admin 100']],
  ])('GIVEN a blue/green default action and a one-group rule WHEN resolved at %s THEN the weights are %j', (stage, expected) => {
    expect(weights(resolved(STAGED[stage], FULL).listener)).toEqual(expected);
  });

  // Runbook 002 (freeze: none, tested before the move): the weight flips at the move stage only, after
  // green was scaled up and tested at prepare; blue keeps its capacity at weight 0 while its sessions end.
  test.each<[StagedName | StateName, string[]]>([
    ['normalBlue', ['app-blue 100', 'app-green 0']],
    ['cutover:prepare', ['app-blue 100', 'app-green 0']],
    ['cutover:freeze', ['app-blue 100', 'app-green 0']],
    ['cutover:restore', ['app-blue 100', 'app-green 0']],
    ['cutover:move', ['app-blue 0', 'app-green 100']],
    ['normalGreen', ['app-blue 0', 'app-green 100']],
  ])('GIVEN the rolling estate WHEN resolved at %s THEN the weights are %j', (state, expected) => {
    expect(weights(estateItems<DesiredListener>(listener, 'rolling', stateNamed(state))[0])).toEqual(expected);
  });

  test('GIVEN a listener with defaults WHEN resolved THEN port, protocol, policy and the rule are kept, the shape the same in every mode', () => {
    expect(resolved('normalBlue', FULL)).toEqual({
      loadBalancer: LB,
      listener: {
        port: 443,
        protocol: 'HTTPS',
        sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
        certificateArn: 'arn:aws:acm:eu-west-2:123456789012:certificate/x',
        default: forward(LIVE_WEIGHT, 0),
        rules: [{ priority: 10, hosts: ['admin.example.com'], targets: [{ targetGroup: 'admin', weight: LIVE_WEIGHT }] }],
      },
    });
  });

  test.each<[string, unknown, Partial<DesiredAws>]>([
    ['no load balancer', undefined, {}],
    ['a load balancer without a listener', LB, { loadBalancer: LB }],
  ])('GIVEN %s WHEN resolved THEN only what is declared is set', (_what, spec, expected) => {
    expect(resolved('normalBlue', spec)).toEqual(expected);
  });
});

describe('listener.describe', () => {
  test.each<[string, DesiredListener | undefined, DesiredListener | undefined, ReturnType<typeof brief>[]]>([
    ['the same weights', desired(), desired(), []],
    [
      'the default action moving to green',
      desired(),
      desired({ default: forward(0, 100) }),
      [{ text: 'listener default action weights: shop-web-blue 100 -> 0, shop-web-green 0 -> 100', action: 'modify', field: 'default action weights', effects: ['moves-traffic'] }],
    ],
    [
      'a rule moving and a rule added',
      desired({ rules: [{ priority: 1, paths: ['/a'], ...forward(100, 0) }] }),
      desired({ rules: [{ priority: 1, paths: ['/a'], ...forward(0, 100) }, { priority: 2, paths: ['/b'], ...forward(0, 100) }] }),
      [
        { text: 'listener rule 1 weights: shop-web-blue 100 -> 0, shop-web-green 0 -> 100', action: 'modify', field: 'rule 1 weights', effects: ['moves-traffic'] },
        { text: 'listener rule 2 added', action: 'modify', field: 'rule 2', effects: [] },
      ],
    ],
    [
      'a target group new to the action',
      desired({ default: { targets: [{ targetGroup: 'web-blue', weight: 100 }] } }),
      desired(),
      [{ text: 'listener default action weights: shop-web-green none -> 0', action: 'modify', field: 'default action weights', effects: ['moves-traffic'] }],
    ],
    ['the listener added', undefined, desired(), [{ text: 'listener added', action: 'add', effects: ['moves-traffic'] }]],
    ['the listener removed', desired(), undefined, [{ text: 'listener removed', action: 'remove', effects: ['moves-traffic'] }]],
  ])('GIVEN %s WHEN described THEN the change records say so', (_what, before, after, expected) => {
    const item = (l: DesiredListener | undefined) => l && { ...l, id: 'listener' };
    expect(changes(listener, item(before), item(after), { before: PART, after: PART }).map(brief)).toEqual(expected);
  });

  test('GIVEN the weights move WHEN described THEN from and to give each moved group its weight', () => {
    const [change] = changes(listener, { ...desired(), id: 'listener' }, { ...desired({ default: forward(0, 100) }), id: 'listener' }, { before: PART, after: PART });
    expect(change).toMatchObject({ provider: 'aws', component: 'listener', id: 'listener', from: { 'web-blue': 100, 'web-green': 0 }, to: { 'web-blue': 0, 'web-green': 100 } });
  });

  test('GIVEN a desired part with a listener THEN its one item has the id listener; without one, no item', () => {
    expect(listener.items(awsPart({ listener: desired() })).map((i) => i.id)).toEqual(['listener']);
    expect(listener.items(awsPart({}))).toEqual([]);
  });
});

describe('listener rules', () => {
  const facts = { targetGroups: [{ id: 'web-blue', colour: 'blue' as const }, { id: 'web-green', colour: 'green' as const }, { id: 'admin' }, { id: 'admin-2' }] };
  test.each<[string, string, unknown, string[]]>([
    ['httpsNeedsCertificate', 'an HTTPS listener with a certificate', listenerSpec(), []],
    ['httpsNeedsCertificate', 'an HTTPS listener without one', listenerSpec({ certificateArn: undefined }), ['aws.loadBalancer.listener.certificateArn: an HTTPS listener needs certificateArn (arn:aws:acm:...)']],
    ['httpsNeedsCertificate', 'an HTTP listener without one', listenerSpec({ certificateArn: undefined, protocol: 'HTTP', port: 80 }), []],
    ['actionsForwardToKnownColourPairs', 'known groups, one per colour', listenerSpec(), []],
    [
      'actionsForwardToKnownColourPairs',
      'an unknown group',
      listenerSpec({ default: { targetGroups: ['nope'] } }),
      ["aws.loadBalancer.listener.default.targetGroups[0]: unknown target group 'nope'; allowed: web-blue, web-green, admin, admin-2"],
    ],
    [
      'actionsForwardToKnownColourPairs',
      'two shared groups in one rule',
      listenerSpec({ rules: [{ priority: 1, paths: ['/a'], targetGroups: ['admin', 'admin-2'] }] }),
      ['aws.loadBalancer.listener.rules[0].targetGroups: several target groups in one action must be one per colour (blue, green); got admin, admin-2'],
    ],
    [
      'actionsForwardToKnownColourPairs',
      'the same colour twice',
      listenerSpec({ default: { targetGroups: ['web-blue', 'web-blue'] } }),
      ['aws.loadBalancer.listener.default.targetGroups: several target groups in one action must be one per colour (blue, green); got web-blue, web-blue'],
    ],
    ['rulesHavePrioritiesAndConditions', 'rules with their own priorities and conditions', listenerSpec(), []],
    [
      'rulesHavePrioritiesAndConditions',
      'a duplicate priority and a rule that matches nothing',
      listenerSpec({ rules: [{ priority: 5, paths: ['/a'], targetGroups: ['admin'] }, { priority: 5, targetGroups: ['admin'] }] }),
      ['aws.loadBalancer.listener.rules[1].priority: duplicate priority 5; each rule needs its own', 'aws.loadBalancer.listener.rules[1]: a rule needs hosts or paths to match'],
    ],
  ])('WHEN %s runs on %s THEN it reports the listed problems', (rule, _what, spec, expected) => {
    expect(runRule(listener, rule, { ...LB, listener: spec }, facts)).toEqual(expected);
  });

  const ESTATE = { account: '123456789012', region: 'eu-west-2' };
  test.each(titled<[string, object, string[]]>([
    ['the load balancer and the certificate in the estate\'s account and region', {}, []],
    [
      'a certificate in another region (CloudFront\'s us-east-1, say)',
      { listener: listenerSpec({ certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/x' }) },
      [
        "aws.loadBalancer.listener.certificateArn: listener certificate arn:aws:acm:us-east-1:123456789012:certificate/x is in region us-east-1, not the estate's region eu-west-2 (aws.region); use one in eu-west-2, or move the estate",
      ],
    ],
    [
      'a load balancer of another account',
      { arn: 'arn:aws:elasticloadbalancing:eu-west-2:999999999999:loadbalancer/app/web/1' },
      [
        "aws.loadBalancer.arn: load balancer arn:aws:elasticloadbalancing:eu-west-2:999999999999:loadbalancer/app/web/1 is in account 999999999999, not the estate's account 123456789012 (aws.account); use one in account 123456789012",
      ],
    ],
  ]))('GIVEN $what WHEN arnsInTheEstate runs THEN it reports $expected', ({ row: [, more, expected] }) => {
    expect(runRule(listener, 'arnsInTheEstate', { ...FULL, ...more }, { ...facts, ...ESTATE })).toEqual(expected);
  });

  test.each(['arnsInTheEstate', 'httpsNeedsCertificate', 'actionsForwardToKnownColourPairs', 'rulesHavePrioritiesAndConditions'])('GIVEN no load balancer WHEN %s runs THEN there is nothing to report', (rule) => {
    expect(runRule(listener, rule, undefined, facts)).toEqual([]);
  });
});

describe('listener.invariants', () => {
  const aws = awsPart({ targetGroups: [{ id: 'web-blue', colour: 'blue' }, { id: 'web-green', colour: 'green' }, { id: 'admin' }], listener: desired({ rules: [{ priority: 1, paths: ['/a'], targets: [{ targetGroup: 'admin', weight: 100 }] }] }) });
  test.each(titled<[string, ColourName[], string[]]>([
    ['blue runs', ['blue'], []],
    ['only green runs', ['green'], ['listener sends traffic to web-blue (blue), which is not running']],
    ['nothing runs', [], ['listener sends traffic to web-blue (blue), which is not running']],
  ]))('GIVEN traffic on blue and a shared group WHEN $what THEN the broken rules are $expected', ({ row: [, running, expected] }) => {
    expect(listener.invariants!(aws, (c) => running.includes(c))).toEqual(expected);
  });
});

describe('listener.identity', () => {
  test.each(identityCases(listener))('GIVEN the %s estate WHEN resolved in every mode state it supports (%s) THEN the listener keeps its identity', (_name, _states, ids) => {
    for (const other of ids) expect(other).toEqual(ids[0]);
  });

  test('GIVEN only the weights change THEN the identity is the same; a new port is not', () => {
    expect(listener.identity({ ...desired({ default: forward(0, 100) }), id: 'listener' })).toEqual(listener.identity({ ...desired(), id: 'listener' }));
    expect(listener.identity({ ...desired({ port: 8443 }), id: 'listener' })).not.toEqual(listener.identity({ ...desired(), id: 'listener' }));
  });
});
