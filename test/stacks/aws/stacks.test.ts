/**
 * The AWS stacks of every example estate: one reviewed snapshot per stack and complete mode state,
 * and targeted assertions on what each mode and each stage of a move (modes/stages.ts) changes.
 * What keeps every switch safe (logical ids, no replacement or removal, round trips) is in
 * safety.test.ts.
 */
import { Template, Match } from 'aws-cdk-lib/assertions';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { resolve } from '../../../modes/resolve';
import type { Estate, ModeState } from '../../../modes/schema';
import { modeStateSlug } from '../../../modes/state';
import { parseModeWord } from '../../../modes/words';
import { buildAwsApp, synthApp } from '../../../stacks/aws/app';
import { synthAws, type SynthesizedStack } from '../../../stacks/aws/synth';
import { estateModeCases, estateNamed } from '../../support/estates';
import { acknowledgements, findingsIgnoringAcknowledgements } from '../../support/nag';
import { cobaltEstate } from './components/fixtures';
import { stagedStates } from '../states';

const cache = new Map<string, readonly SynthesizedStack[]>();
function synth(estate: Estate, state: ModeState): readonly SynthesizedStack[] {
  const key = `${estate.name}/${modeStateSlug(state)}`;
  if (!cache.has(key)) cache.set(key, synthAws(estate, state).stacks);
  return cache.get(key)!;
}
function template(estate: Estate, state: ModeState): Template {
  const stacks = synth(estate, state);
  expect(stacks).toHaveLength(1);
  return Template.fromJSON(stacks[0]!.template);
}

/** Drops what is not ours to review (the bootstrap check CDK adds); logical ids stay. */
function scrub(t: Record<string, unknown>): Record<string, unknown> {
  const { Parameters: _p, Rules: _r, ...rest } = t as { Parameters?: unknown; Rules?: unknown };
  return JSON.parse(JSON.stringify(rest).replace(/[0-9a-f]{64}/g, '<hash>'));
}

const normal: ModeState = { mode: 'normal', live: 'blue', hardDown: false };
const maintenance: ModeState = { mode: 'maintenance', live: 'blue', hardDown: false };
const cutoverToGreen: ModeState = { mode: 'cutover', live: 'blue', target: 'green', hardDown: false };
const greenLive: ModeState = { mode: 'normal', live: 'green', hardDown: false };

const withAws = estateModeCases((e) => !!e.aws);

/** Target group name -> health check path. */
function healthPaths(t: Template): Record<string, string> {
  return Object.fromEntries(Object.values(t.findResources('AWS::ElasticLoadBalancingV2::TargetGroup')).map((g) => [g.Properties.Name, g.Properties.HealthCheckPath]));
}

describe('every example estate in every mode', () => {
  test.each(withAws)('%s %s: template snapshot', (_name, _slug, estate, state) => {
    // GIVEN an example estate WHEN it is synthesized in a mode THEN the template is the reviewed one
    for (const s of synth(estate, state)) expect(scrub(s.template)).toMatchSnapshot(s.stackName);
  });
});

describe('what maintenance changes (the default estate, shop)', () => {
  const shop = estateNamed('shop');

  test.each<[string, ModeState, Record<string, string>]>([
    // an idle colour answers on its maintenance path too (its database access is closed): its standby is not replaced over and over
    ['normal, blue live', normal, { 'shop-web-blue': '/healthz', 'shop-api-blue': '/api/healthz', 'shop-web-green': '/healthz-maintenance', 'shop-api-green': '/api/healthz-maintenance' }],
    ['maintenance', maintenance, { 'shop-web-blue': '/healthz-maintenance', 'shop-api-blue': '/api/healthz-maintenance', 'shop-web-green': '/healthz-maintenance', 'shop-api-green': '/api/healthz-maintenance' }],
    ['normal, green live', greenLive, { 'shop-web-blue': '/healthz-maintenance', 'shop-api-blue': '/api/healthz-maintenance', 'shop-web-green': '/healthz', 'shop-api-green': '/api/healthz' }],
  ])('GIVEN %s WHEN synthesized THEN each target group checks %j', (_label, state, expected) => {
    expect(healthPaths(template(shop, state))).toEqual(expected);
  });

  test.each([
    ['normal', normal, 'ENABLED'],
    ['maintenance', maintenance, 'DISABLED'],
  ] as const)('GIVEN %s WHEN synthesized THEN the scheduled jobs are %s', (_label, state, expected) => {
    const rules = template(shop, state).findResources('AWS::Events::Rule');
    expect(Object.values(rules).map((r) => r.Properties.State)).toEqual([expected, expected]);
  });

  test('GIVEN normal and maintenance WHEN synthesized THEN the database rule lets the live app in, then nothing', () => {
    template(shop, normal).hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupName: 'shop-db-app-access',
      SecurityGroupIngress: [Match.objectLike({ SourceSecurityGroupId: 'sg-0a1b2c3d4e5f60100', FromPort: 5432, ToPort: 5432, IpProtocol: 'tcp' })],
    });
    template(shop, maintenance).hasResourceProperties('AWS::EC2::SecurityGroup', { GroupName: 'shop-db-app-access', SecurityGroupIngress: [] });
  });

  test('GIVEN each mode WHEN synthesized THEN the SSM flags follow it', () => {
    template(shop, normal).hasResourceProperties('AWS::SSM::Parameter', { Name: '/shop/flags/maintenance', Value: 'false' });
    template(shop, maintenance).hasResourceProperties('AWS::SSM::Parameter', { Name: '/shop/flags/maintenance', Value: 'true' });
    template(shop, maintenance).hasResourceProperties('AWS::SSM::Parameter', { Name: '/shop/blue/read-only', Value: 'false' });
    template(shop, cutoverToGreen).hasResourceProperties('AWS::SSM::Parameter', { Name: '/shop/blue/read-only', Value: 'true' });
  });

  test('GIVEN normal and maintenance WHEN synthesized THEN capacity is unchanged and never uses DesiredCapacity', () => {
    for (const state of [normal, maintenance]) {
      template(shop, state).hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', { AutoScalingGroupName: 'shop-web-blue', MinSize: '2', MaxSize: '6', DesiredCapacity: Match.absent() });
      template(shop, state).hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', { AutoScalingGroupName: 'shop-web-green', MinSize: '1', MaxSize: '1', DesiredCapacity: Match.absent() });
    }
  });

  test('GIVEN maintenance WHEN synthesized THEN imported parts stay imported: no VPC, load balancer or hosted zone is created', () => {
    const t = template(shop, maintenance);
    t.resourceCountIs('AWS::EC2::VPC', 0);
    t.resourceCountIs('AWS::ElasticLoadBalancingV2::LoadBalancer', 0);
    t.resourceCountIs('AWS::Route53::HostedZone', 0);
  });
});

describe('entering and leaving maintenance stage by stage (ticketing, runbook 000)', () => {
  const ticketing = estateNamed('ticketing');
  /** What runbook 000 switches: health checks, the monitor and the tasks rule, the print-server block, the database rule, the tasks machine. */
  const switched = (word: string) => {
    const t = template(ticketing, parseModeWord(word, ticketing));
    const rule = (name: string) => Object.values(t.findResources('AWS::Events::Rule', { Properties: { Name: name } }))[0]!.Properties.State;
    const flag = (name: string) => Object.values(t.findResources('AWS::SSM::Parameter', { Properties: { Name: name } }))[0]!.Properties.Value;
    const group = (name: string) => Object.values(t.findResources('AWS::AutoScaling::AutoScalingGroup', { Properties: { AutoScalingGroupName: name } }))[0]!.Properties;
    const db = Object.values(t.findResources('AWS::EC2::SecurityGroup', { Properties: { GroupName: 'ticketing-sql-anywhere-access' } }))[0]!.Properties;
    return [
      healthPaths(t)['Web-target-group'],
      rule('ticketing-response-time-monitor'),
      rule('ticketing-scheduled-tasks'),
      `print ${flag('/ticketing/print-server/blocked')}`,
      `maintenance ${flag('/ticketing/maintenance')}`,
      `db ${db.SecurityGroupIngress.length}`,
      `tasks ${group('ticketing-scheduled-tasks').MinSize}/${group('ticketing-scheduled-tasks').MaxSize}`,
    ].join(', ');
  };

  test.each([
    ['normal@blue', '/uptime-monitor, ENABLED, ENABLED, print 0, maintenance 0, db 2, tasks 1/1'],
    // minutes before: health checks, the monitor and the print-server block
    ['maintenance:ahead@blue', '/uptime-monitor-maintenance, DISABLED, ENABLED, print 1, maintenance 0, db 2, tasks 1/1'],
    // the page goes up in the Workers (Cloudflare): nothing more on AWS
    ['maintenance:page@blue', '/uptime-monitor-maintenance, DISABLED, ENABLED, print 1, maintenance 0, db 2, tasks 1/1'],
    // behind the page: the tasks stop, the database closes, the tasks machine stops
    ['maintenance@blue', '/uptime-monitor-maintenance, DISABLED, DISABLED, print 1, maintenance 1, db 0, tasks 0/0'],
    // on the way out the database opens first (after the cache is restored) and the machines start
    ['normal:behind@blue', '/uptime-monitor-maintenance, DISABLED, DISABLED, print 1, maintenance 0, db 2, tasks 1/1'],
    // with the page: health checks, the print-server block and the tasks; the monitor only after the window
    ['normal:page@blue', '/uptime-monitor, DISABLED, ENABLED, print 0, maintenance 0, db 2, tasks 1/1'],
  ])('GIVEN %s WHEN synthesized THEN health path, monitor, tasks rule, print-server block, maintenance flag, database ingress and tasks machine are: %s', (word, expected) => {
    expect(switched(word)).toBe(expected);
  });
});

describe('cutover and fail-back (runbooks 002 and 004)', () => {
  const rolling = estateNamed('rolling');
  const bridge = estateNamed('bridge');

  const weights = (t: Template) => {
    const listener = Object.values(t.findResources('AWS::ElasticLoadBalancingV2::Listener'))[0]!;
    return listener.Properties.DefaultActions[0].ForwardConfig.TargetGroups.map((g: { Weight: number }) => g.Weight);
  };
  const groups = (t: Template) => Object.values(t.findResources('AWS::AutoScaling::AutoScalingGroup')).map((g) => `${g.Properties.AutoScalingGroupName} ${g.Properties.MinSize}/${g.Properties.MaxSize}`);

  test.each<[string, ModeState, number[]]>([
    ['normal, blue live', normal, [100, 0]],
    ['the prepare stage', { ...cutoverToGreen, stage: 'prepare' }, [100, 0]],
    ['cutover blue -> green', cutoverToGreen, [0, 100]],
    ['normal, green live', greenLive, [0, 100]],
  ])('GIVEN rolling in %s WHEN synthesized THEN the listener weights (blue, green) are %j', (_label, state, expected) => {
    expect(weights(template(rolling, state))).toEqual(expected);
  });

  test.each<[string, ModeState, string[], Record<string, string>]>([
    // green is launched and tested before any traffic reaches it
    ['the prepare stage', { ...cutoverToGreen, stage: 'prepare' }, ['app-blue 2/6', 'app-green 2/6'], { 'app-blue': '/health', 'app-green': '/health' }],
    // cutover.freeze: none: blue keeps its capacity while its sessions end, on its maintenance path (out of the weights, still in service)
    ['the move', cutoverToGreen, ['app-blue 2/6', 'app-green 2/6'], { 'app-blue': '/health-maintenance', 'app-green': '/health' }],
    // only normal on green scales blue down to its idle capacity
    ['normal, green live', greenLive, ['app-blue 1/1', 'app-green 2/6'], { 'app-blue': '/health-maintenance', 'app-green': '/health' }],
  ])('GIVEN rolling (cutover.freeze: none) at %s WHEN synthesized THEN the groups are %j and the health paths %j', (_label, state, sizes, paths) => {
    const t = template(rolling, state);
    expect(groups(t)).toEqual(sizes);
    expect(healthPaths(t)).toEqual(paths);
    // writes are never frozen: the database is open to both colours from the prepare stage until normal on green
    const ingress = Object.values(t.findResources('AWS::EC2::SecurityGroup', { Properties: { GroupName: 'app-master-db-access' } }))[0]!.Properties.SecurityGroupIngress;
    expect(ingress.map((i: { SourceSecurityGroupId: string }) => i.SourceSecurityGroupId)).toEqual(state.mode === 'cutover' ? ['sg-0fedcba9876543216', 'sg-0fedcba9876543217'] : ['sg-0fedcba9876543217']);
  });

  // The shop with its source frozen behind the page (what runbook 004 does): blue is scaled to 1/1 and shut out of the database.
  const frozenWithPage: Estate = { ...estateNamed('shop'), name: 'shop-frozen-with-page', cutover: { freeze: 'maintenance', test: 'behind-page' } };
  test.each<[string, ModeState, string[], string[], string]>([
    ['the prepare stage', { ...cutoverToGreen, stage: 'prepare' }, ['shop-web-blue 2/6', 'shop-web-green 2/6'], ['sg-0a1b2c3d4e5f60100', 'sg-0a1b2c3d4e5f60101'], 'false'],
    ['the freeze', { ...cutoverToGreen, stage: 'freeze' }, ['shop-web-blue 1/1', 'shop-web-green 2/6'], ['sg-0a1b2c3d4e5f60101'], 'true'],
    ['the move', cutoverToGreen, ['shop-web-blue 1/1', 'shop-web-green 2/6'], ['sg-0a1b2c3d4e5f60101'], 'true'],
  ])('GIVEN a cutover that freezes the source with the page, at %s WHEN synthesized THEN min/max are %j, the database lets in %j, and the shared maintenance flag is %s', (_label, state, sizes, open, flag) => {
    const t = template(frozenWithPage, state);
    expect(groups(t)).toEqual(sizes);
    for (const g of Object.values(t.findResources('AWS::AutoScaling::AutoScalingGroup'))) expect(g.Properties.DesiredCapacity).toBeUndefined();
    const ingress = Object.values(t.findResources('AWS::EC2::SecurityGroup', { Properties: { GroupName: 'shop-db-app-access' } }))[0]!.Properties.SecurityGroupIngress;
    expect(ingress.map((i: { SourceSecurityGroupId: string }) => i.SourceSecurityGroupId)).toEqual(open);
    t.hasResourceProperties('AWS::SSM::Parameter', { Name: '/shop/flags/maintenance', Value: flag });
  });

  const option = (t: Template, envName: string, name: string): string | undefined => {
    const env = Object.values(t.findResources('AWS::ElasticBeanstalk::Environment')).find((r) => r.Properties.EnvironmentName === envName)!;
    return env.Properties.OptionSettings.find((o: { OptionName: string }) => o.OptionName === name)?.Value;
  };

  test.each([
    ['normal, blue live', 'cobalt-production-blue', normal],
    ['cutover blue -> green', 'cobalt-production-green', cutoverToGreen],
    ['normal, green live', 'cobalt-production-green', greenLive],
    ['fail-back green -> blue', 'cobalt-production-blue', { mode: 'cutover', live: 'green', target: 'blue', hardDown: false } as ModeState],
  ] as const)('GIVEN bridge in %s WHEN synthesized THEN the payment secret and DNS are on %s only', (_label, holder, state) => {
    const t = template(bridge, state);
    const other = holder.endsWith('blue') ? 'cobalt-production-green' : 'cobalt-production-blue';
    expect(option(t, holder, 'STRIPE_SECRET_ARN')).toMatch(/^arn:aws:secretsmanager:/);
    // The option is set, empty, on the other colour: CloudFormation keeps a deleted OptionSetting.
    expect(option(t, other, 'STRIPE_SECRET_ARN')).toBe('');
    t.hasResourceProperties('AWS::Route53::RecordSet', { Name: 'www.bridge-example.org.', Type: 'CNAME', ResourceRecords: [`${holder}.ap-southeast-2.elasticbeanstalk.com`] });
  });

  // Runbook 004 stage by stage (cutover.freeze: maintenance, staff test behind the page):
  // environment min/max, DRAWBRIDGE_MAINTENANCE, DRAWBRIDGE_READ_ONLY, payment secret held; green's database; where www points.
  test.each([
    ['normal@blue', 'blue 2/4 m0 r0 $, green 1/1 m1 r1', false, 'blue'],
    ['cutover:prepare@blue->green', 'blue 2/4 m0 r0 $, green 2/4 m1 r1', false, 'blue'],
    // blue frozen behind its page and scaled to 1/1; no colour holds the payment credentials while writes are stopped
    ['cutover:freeze@blue->green', 'blue 1/1 m1 r1, green 2/4 m1 r1', false, 'blue'],
    ['cutover:restore@blue->green', 'blue 1/1 m1 r1, green 2/4 m1 r1', true, 'blue'],
    // DNS and the credentials on green while the public is still held behind its page for the staff tests
    ['cutover@blue->green', 'blue 1/1 m1 r1, green 2/4 m1 r0 $', true, 'green'],
    ['normal@green', 'blue 1/1 m1 r1, green 2/4 m0 r0 $', true, 'green'],
  ])('GIVEN bridge at %s WHEN synthesized THEN the production environments are "%s", green\'s database exists: %s, and www points at %s', (word, envs, database, www) => {
    const t = template(bridge, parseModeWord(word, bridge));
    const env = (colour: string) => {
      const name = `cobalt-production-${colour}`;
      const secret = option(t, name, 'STRIPE_SECRET_ARN') ? ' $' : '';
      return `${colour} ${option(t, name, 'MinSize')}/${option(t, name, 'MaxSize')} m${option(t, name, 'DRAWBRIDGE_MAINTENANCE')} r${option(t, name, 'DRAWBRIDGE_READ_ONLY')}${secret}`;
    };
    expect(`${env('blue')}, ${env('green')}`).toBe(envs);
    const green = Object.entries(t.findResources('AWS::RDS::DBInstance', { Properties: { DBInstanceIdentifier: 'cobalt-production-green' } }));
    expect(green.length === 1).toBe(database);
    // green points at its own database once it exists, at the test database before
    expect(option(t, 'cobalt-production-green', 'RDS_HOSTNAME')).toEqual(database ? { 'Fn::GetAtt': [green[0]![0], 'Endpoint.Address'] } : 'cobalt-test.c1a2b3c4d5e6.ap-southeast-2.rds.amazonaws.com');
    t.hasResourceProperties('AWS::Route53::RecordSet', { Name: 'www.bridge-example.org.', ResourceRecords: [`cobalt-production-${www}.ap-southeast-2.elasticbeanstalk.com`] });
  });

  test('GIVEN bridge WHEN synthesized in every state and stage THEN its environments keep their names, CNAME prefixes and every option', () => {
    const keysOf = (t: Template) =>
      Object.values(t.findResources('AWS::ElasticBeanstalk::Environment')).map((r) => ({
        name: r.Properties.EnvironmentName,
        prefix: r.Properties.CNAMEPrefix,
        options: r.Properties.OptionSettings.map((o: { Namespace: string; OptionName: string }) => `${o.Namespace}:${o.OptionName}`),
      }));
    const base = keysOf(template(bridge, normal));
    expect(base).toHaveLength(4);
    for (const state of stagedStates(bridge)) expect([modeStateSlug(state), keysOf(template(bridge, state))]).toEqual([modeStateSlug(state), base]);
  });

  test('GIVEN bridge once green\'s database exists WHEN synthesized THEN both databases are kept: snapshot on removal, deletion protection, green restored from the named snapshot', () => {
    const t = template(bridge, cutoverToGreen);
    const dbs = t.findResources('AWS::RDS::DBInstance');
    expect(Object.values(dbs)).toHaveLength(2);
    for (const db of Object.values(dbs)) {
      expect(db.DeletionPolicy).toBe('Snapshot');
      expect(db.UpdateReplacePolicy).toBe('Snapshot');
      expect(db.Properties.DeletionProtection).toBe(true);
    }
    t.hasResourceProperties('AWS::RDS::DBInstance', { DBInstanceIdentifier: 'cobalt-production-green', DBSnapshotIdentifier: 'production-blue-before-green' });
    for (const env of Object.values(t.findResources('AWS::ElasticBeanstalk::Environment'))) expect(env.DeletionPolicy).toBe('Retain');
    // before the restore stage green's database (restored: false) is not declared at all
    expect(Object.values(template(bridge, normal).findResources('AWS::RDS::DBInstance')).map((d) => d.Properties.DBInstanceIdentifier)).toEqual(['production-blue']);
  });

  test('GIVEN bridge WHEN synthesized THEN an adopted database keeps its user and takes its password from the existing secret (no reset, no generated secret)', () => {
    const t = template(bridge, cutoverToGreen);
    t.hasResourceProperties('AWS::RDS::DBInstance', {
      DBInstanceIdentifier: 'production-blue',
      MasterUsername: 'postgres',
      MasterUserPassword: '{{resolve:secretsmanager:arn:aws:secretsmanager:ap-southeast-2:456789012345:secret:cobalt/rds-production-blue-XyZ123:SecretString:password::}}',
    });
    t.resourceCountIs('AWS::SecretsManager::Secret', 0);
    // the restored database keeps the snapshot's credentials: none are set
    t.hasResourceProperties('AWS::RDS::DBInstance', { DBInstanceIdentifier: 'cobalt-production-green', MasterUsername: Match.absent(), MasterUserPassword: Match.absent() });
  });
});

describe('host cutover (runbook 003): flags per host through blue -> green -> blue', () => {
  const whimsy = estateNamed('whimsy');
  const flags = (state: ModeState) => {
    const params = template(whimsy, state).findResources('AWS::SSM::Parameter');
    return Object.fromEntries(Object.values(params).map((p) => [p.Properties.Name, p.Properties.Value]));
  };
  test.each([
    // migrating.txt (write freeze) on every host that does not take writes; maintenance.txt on the
    // host that is not open to the public (no gate in front: its own page keeps the public off)
    ['normal, blue live', normal, { blue: ['false', 'false'], green: ['true', 'true'] }],
    ['maintenance', maintenance, { blue: ['false', 'true'], green: ['true', 'true'] }],
    ['the prepare stage', { ...cutoverToGreen, stage: 'prepare' } as ModeState, { blue: ['false', 'false'], green: ['true', 'true'] }],
    ['the freeze', { ...cutoverToGreen, stage: 'freeze' } as ModeState, { blue: ['true', 'false'], green: ['true', 'true'] }],
    // staff tested green on its own address before the move (cutover.test: before-move): it opens with the move
    ['cutover blue -> green', cutoverToGreen, { blue: ['true', 'false'], green: ['false', 'false'] }],
    ['normal, green live', greenLive, { blue: ['true', 'true'], green: ['false', 'false'] }],
    ['fail-back green -> blue', { mode: 'cutover', live: 'green', target: 'blue', hardDown: false } as ModeState, { blue: ['false', 'false'], green: ['true', 'false'] }],
  ] as const)('GIVEN whimsy in %s WHEN synthesized THEN migrating and maintenance per host are %j, and the notice is up for the declared window', (_label, state, expected) => {
    const f = flags(state);
    for (const colour of ['blue', 'green'] as const) {
      expect([f[`/whimsy/${colour}/migrating`], f[`/whimsy/${colour}/maintenance`]]).toEqual(expected[colour]);
    }
    expect(f['/whimsy/notice']).toBe('true');
  });
});

describe('cdk-nag runs on every synthesis of the app', () => {
  /** The app as bin/cdk.ts builds it, for the default estate in normal mode. */
  const shopApp = () => buildAwsApp(resolve(estateNamed('shop'), normal), new App({ outdir: mkdtempSync(join(tmpdir(), 'nag-')) }));

  test.each([
    ['as built', 'succeeds', false, undefined],
    ['with a security group open to the world on port 22 added to its stack', 'fails with AwsSolutions-EC23', true, /AwsSolutions-EC23/],
  ] as const)('GIVEN the app %s WHEN synthesized THEN synthesis %s', (_label, _outcome, addFinding, error) => {
    // GIVEN the app's own wiring (stacks/aws/app.ts registers cdk-nag) on an example estate
    const app = shopApp();
    if (addFinding) {
      // AND an unacknowledged finding in one of the stacks it made
      const stack = app.node.children.find((c): c is Stack => Stack.isStack(c))!;
      const sg = new ec2.SecurityGroup(stack, 'OpenToTheWorld', { vpc: ec2.Vpc.fromVpcAttributes(stack, 'NagTestVpc', { vpcId: 'vpc-12345678', availabilityZones: ['eu-west-2a'] }) });
      sg.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(22));
    }
    // THEN cdk-nag refuses the finding, and only the finding
    if (error) expect(() => synthApp(app)).toThrow(error);
    else expect(synthApp(app).stacks.map((st) => st.stackName)).toEqual(['shop-aws']);
  });

  /** cobalt with blue's database new: Drawbridge generates its master secret (SMG4). */
  const cobaltWithNewDatabase = (): Estate => {
    const estate = structuredClone(cobaltEstate(false)) as Estate & { aws: { databases: Record<string, unknown>[] } };
    const { masterSecretArn: _secret, masterUsername: _user, ...blue } = estate.aws.databases[0]!;
    estate.aws.databases[0] = blue;
    return estate;
  };
  const everyApp: [string, string, Estate, ModeState][] = [
    ...withAws,
    ...[cobaltEstate(false), cobaltWithNewDatabase()].flatMap((e, i) => [normal, cutoverToGreen, greenLive].map((s): [string, string, Estate, ModeState] => [i ? 'cobalt (new blue database)' : 'cobalt', modeStateSlug(s), e, s])),
  ];

  test.each(everyApp)('GIVEN the %s app in %s WHEN cdk-nag runs with acknowledgements ignored THEN every AwsSolutions acknowledgement covers a finding of its rule on its resource, and every finding is acknowledged', (_name, _slug, estate, state) => {
    const app = buildAwsApp(resolve(estate, state), new App({ builtinCloudFormationValidation: false }));
    const findings = findingsIgnoringAcknowledgements(app);
    const acks = acknowledgements(app).filter((a) => a.id.startsWith('AwsSolutions-'));
    const covers = (a: { id: string; path: string }, f: { rule: string; path: string }) => f.rule === a.id && (f.path === a.path || f.path.startsWith(`${a.path}/`));
    // an acknowledgement that suppresses nothing says nothing true (the ELB2 one on a listener of an imported load balancer did that)
    expect(acks.filter((a) => !findings.some((f) => covers(a, f)))).toEqual([]);
    expect(findings.filter((f) => !acks.some((a) => covers(a, f)))).toEqual([]);
  });
});
