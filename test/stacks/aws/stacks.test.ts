import { Template, Match } from 'aws-cdk-lib/assertions';
import { fullDiff, ResourceImpact } from '@aws-cdk/cloudformation-diff';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { resolve } from '../../../modes/resolve';
import type { Estate, ModeState } from '../../../modes/schema';
import { modeStateSlug, supportedModeStates } from '../../../modes/state';
import { buildAwsApp, synthApp } from '../../../stacks/aws/app';
import { synthAws, type SynthesizedStack } from '../../../stacks/aws/synth';
import { estateModeCases, estateNamed } from '../../support/estates';

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

describe('every example estate in every mode', () => {
  test.each(withAws)('%s %s: template snapshot', (_name, _slug, estate, state) => {
    // GIVEN an example estate WHEN it is synthesized in a mode THEN the template is the reviewed one
    for (const s of synth(estate, state)) expect(scrub(s.template)).toMatchSnapshot(s.stackName);
  });

  test.each(withAws)('%s %s: cdk-nag passes and logical ids match normal mode', (_name, _slug, estate, state) => {
    // GIVEN the same estate in normal mode and in this mode (synthesis runs cdk-nag and throws on a finding)
    const base = synth(estate, supportedModeStates(estate)[0]!);
    const other = synth(estate, state);
    // THEN the same stacks hold the same logical ids and physical names
    expect(other.map((s) => s.stackName)).toEqual(base.map((s) => s.stackName));
    other.forEach((s, i) => {
      expect(Object.keys(s.template.Resources).sort()).toEqual(Object.keys(base[i]!.template.Resources).sort());
    });
  });
});

describe('no mode switch replaces or removes a resource', () => {
  const pairs = withAws.flatMap(([name, fromSlug, estate, from]) =>
    supportedModeStates(estate)
      .filter((to) => modeStateSlug(to) !== fromSlug)
      .map((to): [string, string, string, Estate, ModeState, ModeState] => [name, fromSlug, modeStateSlug(to), estate, from, to]),
  );
  test.each(pairs)('%s: %s -> %s', (_n, _f, _t, estate, from, to) => {
    // GIVEN the templates of two modes WHEN cloudformation-diff reads the change THEN nothing is replaced or removed
    const a = synth(estate, from);
    const b = synth(estate, to);
    a.forEach((stack, i) => {
      const diff = fullDiff(stack.template, b[i]!.template);
      const unsafe: string[] = [];
      diff.resources.forEachDifference((id, change) => {
        if (change.isRemoval || [ResourceImpact.WILL_REPLACE, ResourceImpact.MAY_REPLACE, ResourceImpact.WILL_DESTROY, ResourceImpact.WILL_ORPHAN].includes(change.changeImpact)) {
          unsafe.push(`${id} (${change.resourceType}): ${change.changeImpact}`);
        }
      });
      expect(unsafe).toEqual([]);
    });
  });

  test('GIVEN a renamed target group WHEN diffed THEN cloudformation-diff reports a replacement (the check can fail)', () => {
    const estate = estateNamed('shop');
    const renamed: Estate = { ...estate, aws: { ...estate.aws!, targetGroups: estate.aws!.targetGroups.map((t) => (t.id === 'web-blue' ? { ...t, name: 'shop-web-v2' } : t)) } };
    const diff = fullDiff(synth(estate, normal)[0]!.template, synthAws(renamed, normal).stacks[0]!.template);
    const impacts: string[] = [];
    diff.resources.forEachDifference((_id, c) => impacts.push(`${c.resourceType}:${c.changeImpact}`));
    expect(impacts).toContain(`AWS::ElasticLoadBalancingV2::TargetGroup:${ResourceImpact.WILL_REPLACE}`);
  });
});

describe('round trip', () => {
  test.each(estateModeCases((e) => !!e.aws).filter(([, slug]) => slug === 'normal-blue'))(
    '%s: normal -> maintenance -> normal synthesizes byte-identical templates',
    (_n, _s, estate, state) => {
      const first = JSON.stringify(synthAws(estate, state).stacks);
      synthAws(estate, { ...state, mode: 'maintenance' });
      expect(JSON.stringify(synthAws(estate, state).stacks)).toBe(first);
    },
  );
});

describe('what maintenance changes (default estate, runbook 000)', () => {
  const shop = estateNamed('shop');

  test('target groups carry the maintenance health path in maintenance, the app path in normal', () => {
    for (const colour of ['blue', 'green']) {
      template(shop, normal).hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', { Name: `shop-web-${colour}`, HealthCheckPath: '/healthz' });
      template(shop, maintenance).hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', { Name: `shop-web-${colour}`, HealthCheckPath: '/healthz-maintenance' });
      template(shop, maintenance).hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', { Name: `shop-api-${colour}`, HealthCheckPath: '/api/healthz-maintenance' });
    }
  });

  test.each([
    ['normal', normal, 'ENABLED'],
    ['maintenance', maintenance, 'DISABLED'],
  ] as const)('scheduled jobs in %s are %s', (_label, state, expected) => {
    const rules = template(shop, state).findResources('AWS::Events::Rule');
    expect(Object.values(rules).map((r) => r.Properties.State)).toEqual([expected, expected]);
  });

  test('the database rule lets the live app in in normal mode and nothing in maintenance', () => {
    template(shop, normal).hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupName: 'shop-db-app-access',
      SecurityGroupIngress: [Match.objectLike({ SourceSecurityGroupId: 'sg-0a1b2c3d4e5f60100', FromPort: 5432, ToPort: 5432, IpProtocol: 'tcp' })],
    });
    template(shop, maintenance).hasResourceProperties('AWS::EC2::SecurityGroup', { GroupName: 'shop-db-app-access', SecurityGroupIngress: [] });
  });

  test('SSM flags follow the mode', () => {
    template(shop, normal).hasResourceProperties('AWS::SSM::Parameter', { Name: '/shop/flags/maintenance', Value: 'false' });
    template(shop, maintenance).hasResourceProperties('AWS::SSM::Parameter', { Name: '/shop/flags/maintenance', Value: 'true' });
    template(shop, maintenance).hasResourceProperties('AWS::SSM::Parameter', { Name: '/shop/blue/read-only', Value: 'false' });
    template(shop, cutoverToGreen).hasResourceProperties('AWS::SSM::Parameter', { Name: '/shop/blue/read-only', Value: 'true' });
  });

  test('capacity is unchanged by maintenance and never uses DesiredCapacity', () => {
    for (const state of [normal, maintenance]) {
      template(shop, state).hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', { AutoScalingGroupName: 'shop-web-blue', MinSize: '2', MaxSize: '6', DesiredCapacity: Match.absent() });
      template(shop, state).hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', { AutoScalingGroupName: 'shop-web-green', MinSize: '1', MaxSize: '1', DesiredCapacity: Match.absent() });
    }
  });

  test('imported parts stay imported: no VPC, load balancer or hosted zone is created', () => {
    const t = template(shop, maintenance);
    t.resourceCountIs('AWS::EC2::VPC', 0);
    t.resourceCountIs('AWS::ElasticLoadBalancingV2::LoadBalancer', 0);
    t.resourceCountIs('AWS::Route53::HostedZone', 0);
  });
});

describe('cutover and fail-back (runbooks 002 and 004)', () => {
  const rolling = estateNamed('rolling');
  const bridge = estateNamed('bridge');

  const weights = (t: Template) => {
    const listener = Object.values(t.findResources('AWS::ElasticLoadBalancingV2::Listener'))[0]!;
    return listener.Properties.DefaultActions[0].ForwardConfig.TargetGroups.map((g: { Weight: number }) => g.Weight);
  };

  test.each([
    ['normal, blue live', normal, [100, 0]],
    ['cutover blue -> green', cutoverToGreen, [0, 100]],
    ['normal, green live', greenLive, [0, 100]],
  ] as const)('listener weights (blue, green) in %s', (_label, state, expected) => {
    expect(weights(template(rolling, state))).toEqual(expected);
  });

  test('cutover scales the source to min/max 1 and drains it through the maintenance health path', () => {
    const t = template(rolling, cutoverToGreen);
    t.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', { AutoScalingGroupName: 'app-blue', MinSize: '1', MaxSize: '1' });
    t.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', { AutoScalingGroupName: 'app-green', MinSize: '2', MaxSize: '6' });
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', { Name: 'app-blue', HealthCheckPath: '/health-maintenance' });
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', { Name: 'app-green', HealthCheckPath: '/health' });
  });

  test('cutover freezes writes on the source and opens the database to the target only', () => {
    const t = template(rolling, cutoverToGreen);
    t.hasResourceProperties('AWS::SSM::Parameter', { Name: '/app/blue/read-only', Value: 'true' });
    t.hasResourceProperties('AWS::SSM::Parameter', { Name: '/app/green/read-only', Value: 'false' });
    t.hasResourceProperties('AWS::EC2::SecurityGroup', { SecurityGroupIngress: [Match.objectLike({ SourceSecurityGroupId: 'sg-0fedcba9876543217' })] });
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
  ] as const)('Beanstalk %s: payment secret and DNS on %s only', (_label, holder, state) => {
    const t = template(bridge, state);
    const other = holder.endsWith('blue') ? 'cobalt-production-green' : 'cobalt-production-blue';
    expect(option(t, holder, 'STRIPE_SECRET_ARN')).toMatch(/^arn:aws:secretsmanager:/);
    // The option is set, empty, on the other colour: CloudFormation keeps a deleted OptionSetting.
    expect(option(t, other, 'STRIPE_SECRET_ARN')).toBe('');
    t.hasResourceProperties('AWS::Route53::RecordSet', { Name: 'www.bridge-example.org.', Type: 'CNAME', ResourceRecords: [`${holder}.ap-southeast-2.elasticbeanstalk.com`] });
  });

  test('Beanstalk environments keep their names and CNAME prefixes and every option in every mode', () => {
    const keysOf = (t: Template) =>
      Object.values(t.findResources('AWS::ElasticBeanstalk::Environment')).map((r) => ({
        name: r.Properties.EnvironmentName,
        prefix: r.Properties.CNAMEPrefix,
        options: r.Properties.OptionSettings.map((o: { Namespace: string; OptionName: string }) => `${o.Namespace}:${o.OptionName}`),
      }));
    const base = keysOf(template(bridge, normal));
    for (const state of supportedModeStates(bridge)) expect(keysOf(template(bridge, state))).toEqual(base);
  });

  test('cutover scales the source environment to 1 with min/max', () => {
    const t = template(bridge, cutoverToGreen);
    expect([option(t, 'cobalt-production-blue', 'MinSize'), option(t, 'cobalt-production-blue', 'MaxSize')]).toEqual(['1', '1']);
    expect([option(t, 'cobalt-production-green', 'MinSize'), option(t, 'cobalt-production-green', 'MaxSize')]).toEqual(['2', '4']);
  });

  test('databases are kept: snapshot on removal, deletion protection, green restored from the named snapshot', () => {
    const t = template(bridge, normal);
    const dbs = t.findResources('AWS::RDS::DBInstance');
    expect(Object.values(dbs)).toHaveLength(2);
    for (const db of Object.values(dbs)) {
      expect(db.DeletionPolicy).toBe('Snapshot');
      expect(db.UpdateReplacePolicy).toBe('Snapshot');
      expect(db.Properties.DeletionProtection).toBe(true);
    }
    t.hasResourceProperties('AWS::RDS::DBInstance', { DBInstanceIdentifier: 'cobalt-production-green', DBSnapshotIdentifier: 'production-blue-before-green' });
    for (const env of Object.values(t.findResources('AWS::ElasticBeanstalk::Environment'))) expect(env.DeletionPolicy).toBe('Retain');
  });

  test('an adopted database keeps its user and takes its password from the existing secret (no reset, no generated secret)', () => {
    const t = template(bridge, normal);
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
    // migrating.txt (write freeze) on every host that is not serving, kept after the move too;
    // maintenance.txt on the live host in maintenance
    ['normal, blue live', normal, { blue: ['false', 'false'], green: ['true', 'false'] }],
    ['maintenance', maintenance, { blue: ['false', 'true'], green: ['true', 'false'] }],
    ['cutover blue -> green', cutoverToGreen, { blue: ['true', 'false'], green: ['false', 'false'] }],
    ['normal, green live', greenLive, { blue: ['true', 'false'], green: ['false', 'false'] }],
    ['fail-back green -> blue', { mode: 'cutover', live: 'green', target: 'blue', hardDown: false } as ModeState, { blue: ['false', 'false'], green: ['true', 'false'] }],
  ] as const)('%s', (_label, state, expected) => {
    const f = flags(state);
    for (const colour of ['blue', 'green'] as const) {
      expect([f[`/whimsy/${colour}/migrating`], f[`/whimsy/${colour}/maintenance`]]).toEqual(expected[colour]);
    }
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
});
