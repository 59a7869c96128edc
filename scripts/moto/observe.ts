/**
 * Every property a mode manages, two ways: `expectedView` from the desired state Drawbridge
 * resolves, and `observedView` read back from the deployed account through the AWS SDK. After a
 * deploy the two must be equal. A part the emulator cannot deploy (`MOTO_GAPS`) is left out of both.
 */
import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { CloudFormationClient, DescribeStackResourcesCommand, DescribeStacksCommand, GetTemplateCommand } from '@aws-sdk/client-cloudformation';
import { DescribeSecurityGroupsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DescribeListenersCommand, DescribeRulesCommand, DescribeTargetGroupsCommand, ElasticLoadBalancingV2Client, type Action } from '@aws-sdk/client-elastic-load-balancing-v2';
import { DescribeRuleCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { ListResourceRecordSetsCommand, Route53Client } from '@aws-sdk/client-route-53';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import type { DesiredAws, WeightedForward } from '../../modes/desired';
import { clientConfig, type Endpoint } from './parts';

/** A flat record of managed properties: `kind name property` -> value. */
export type View = Record<string, string | number | boolean | string[]>;

/** What the deploy loop leaves out because moto cannot deploy it (the function that refuses it). */
export interface MotoGap {
  readonly what: string;
  readonly refusedBy: string;
  /** The resource types the loop leaves out of the deployed template for it (none: states not deployed). */
  readonly types?: readonly string[];
}

/**
 * Updates moto's CloudFormation applies differently from AWS. On AWS each is an in-place update
 * (`drawbridge diff` says so, and `cdk diff` agrees); on moto:
 * - skipped: the type has no update handler, so the update is not applied and the resource drops out
 *   of the stack's resource list; the loop checks the deployed template holds the desired value.
 * - recreated: the handler deletes the resource and creates a new one (a new physical id).
 */
export interface UpdateGap {
  readonly type: string;
  readonly effect: 'skipped' | 'recreated';
  readonly refusedBy: string;
}

export const MOTO_UPDATE_GAPS: readonly UpdateGap[] = [
  {
    type: 'AWS::ElasticLoadBalancingV2::TargetGroup',
    effect: 'skipped',
    refusedBy: 'moto/elbv2/models.py FakeTargetGroup has no update_from_cloudformation_json, so moto/cloudformation/parsing.py parse_and_update_resource skips it',
  },
  {
    type: 'AWS::EC2::SecurityGroup',
    effect: 'recreated',
    refusedBy: 'moto/ec2/models/security_groups.py SecurityGroup.update_from_cloudformation_json deletes the group and creates another (new group id)',
  },
];

/** The view key prefix of the properties of a resource type, for the types with an update gap. */
export const VIEW_KIND_OF_TYPE: Readonly<Record<string, string>> = { 'AWS::ElasticLoadBalancingV2::TargetGroup': 'target-group', 'AWS::EC2::SecurityGroup': 'security-group' };

/** Listener forwards moto's CloudFormation handler can create: one target group, no weights. */
const plainForward = (f: WeightedForward) => f.targets.length === 1;

/** What moto cannot deploy in `aws`: the resource types the loop leaves out of the template it deploys (and of the views). */
export function motoGaps(aws: DesiredAws): MotoGap[] {
  const gaps: MotoGap[] = [];
  if (aws.listener && ![aws.listener.default, ...aws.listener.rules].every(plainForward)) {
    gaps.push({
      what: 'AWS::ElasticLoadBalancingV2::Listener and ::ListenerRule with weighted forwards (ForwardConfig): the blue/green listener',
      refusedBy: 'moto/elbv2/models.py ELBv2Backend.convert_and_validate_properties (reads only TargetGroupArn: KeyError)',
      types: ['AWS::ElasticLoadBalancingV2::Listener', 'AWS::ElasticLoadBalancingV2::ListenerRule'],
    });
  }
  if (aws.beanstalk) {
    gaps.push({
      what: 'AWS::ElasticBeanstalk::Application and ::Environment',
      refusedBy: 'moto/cloudformation/parsing.py parse_resource (no CloudFormation model for Elastic Beanstalk: skipped)',
      types: ['AWS::ElasticBeanstalk::Application', 'AWS::ElasticBeanstalk::Environment'],
    });
  }
  return gaps;
}

/** Whether the listener is deployable on moto (else the loop leaves it out). */
export const motoDeploysListener = (aws: DesiredAws) => !aws.listener || [aws.listener.default, ...aws.listener.rules].every(plainForward);

function forwardView(f: WeightedForward, tgName: (id: string) => string): string[] {
  return f.targets.filter((t) => t.weight > 0 || f.targets.length === 1).map((t) => tgName(t.targetGroup)).sort();
}

/** The managed properties `aws` says the account should have. */
export function expectedView(aws: DesiredAws): View {
  const v: View = {};
  const tgName = (id: string) => aws.targetGroups.find((t) => t.id === id)?.name ?? id;
  for (const tg of aws.targetGroups) {
    v[`target-group ${tg.name} health-path`] = tg.healthPath;
    v[`target-group ${tg.name} port`] = tg.port;
  }
  if (aws.listener && motoDeploysListener(aws)) {
    v[`listener ${aws.listener.port} default`] = forwardView(aws.listener.default, tgName);
    for (const r of aws.listener.rules) v[`listener ${aws.listener.port} rule ${r.priority}`] = forwardView(r, tgName);
  }
  for (const g of aws.autoScalingGroups) {
    v[`auto-scaling-group ${g.name} min`] = g.min;
    v[`auto-scaling-group ${g.name} max`] = g.max;
  }
  for (const j of aws.scheduledJobs) {
    v[`rule ${j.name} state`] = j.enabled ? 'ENABLED' : 'DISABLED';
    v[`rule ${j.name} schedule`] = j.schedule;
  }
  for (const a of aws.databaseAccess) v[`security-group ${a.name} ingress ${a.port}`] = a.open.map((o) => o.securityGroupId).sort();
  for (const p of aws.parameters) v[`parameter ${p.name}`] = p.value;
  for (const r of aws.dns?.records ?? []) {
    if (r.target.kind === 'beanstalk' && aws.beanstalk) continue;
    v[`record ${r.name}. ${r.type}`] = r.target.value.toLowerCase().replace(/\.$/, '');
  }
  return v;
}

/** The managed properties as the account has them, read back through the SDK. */
export async function observedView(aws: DesiredAws, at: Endpoint): Promise<View> {
  const cfg = clientConfig(at);
  const v: View = {};
  const elb = new ElasticLoadBalancingV2Client(cfg);
  const tgNames = new Map<string, string>();
  if (aws.targetGroups.length > 0) {
    const tgs = await elb.send(new DescribeTargetGroupsCommand({ Names: aws.targetGroups.map((t) => t.name) }));
    for (const tg of tgs.TargetGroups ?? []) {
      tgNames.set(tg.TargetGroupArn!, tg.TargetGroupName!);
      v[`target-group ${tg.TargetGroupName} health-path`] = tg.HealthCheckPath!;
      v[`target-group ${tg.TargetGroupName} port`] = tg.Port!;
    }
  }
  if (aws.listener && aws.loadBalancer && motoDeploysListener(aws)) {
    const forwarded = (actions: Action[] | undefined) =>
      (actions ?? [])
        .filter((a) => a.Type === 'forward')
        .flatMap((a) => (a.ForwardConfig?.TargetGroups ? a.ForwardConfig.TargetGroups.filter((t) => (t.Weight ?? 1) > 0).map((t) => t.TargetGroupArn!) : [a.TargetGroupArn!]))
        .map((arn) => tgNames.get(arn) ?? arn)
        .sort();
    const listeners = await elb.send(new DescribeListenersCommand({ LoadBalancerArn: aws.loadBalancer.arn }));
    const listener = listeners.Listeners?.find((l) => l.Port === aws.listener!.port);
    if (listener) {
      v[`listener ${listener.Port} default`] = forwarded(listener.DefaultActions);
      const rules = await elb.send(new DescribeRulesCommand({ ListenerArn: listener.ListenerArn }));
      for (const r of rules.Rules ?? []) if (!r.IsDefault) v[`listener ${listener.Port} rule ${r.Priority}`] = forwarded(r.Actions);
    }
  }
  if (aws.autoScalingGroups.length > 0) {
    const groups = await new AutoScalingClient(cfg).send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: aws.autoScalingGroups.map((g) => g.name) }));
    for (const g of groups.AutoScalingGroups ?? []) {
      v[`auto-scaling-group ${g.AutoScalingGroupName} min`] = g.MinSize!;
      v[`auto-scaling-group ${g.AutoScalingGroupName} max`] = g.MaxSize!;
    }
  }
  const events = new EventBridgeClient(cfg);
  for (const j of aws.scheduledJobs) {
    const rule = await events.send(new DescribeRuleCommand({ Name: j.name }));
    v[`rule ${j.name} state`] = rule.State!;
    v[`rule ${j.name} schedule`] = rule.ScheduleExpression!;
  }
  if (aws.databaseAccess.length > 0) {
    const groups = await new EC2Client(cfg).send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-name', Values: aws.databaseAccess.map((a) => a.name) }] }));
    for (const a of aws.databaseAccess) {
      const g = groups.SecurityGroups?.find((s) => s.GroupName === a.name);
      if (!g) continue;
      v[`security-group ${a.name} ingress ${a.port}`] = (g.IpPermissions ?? [])
        .filter((p) => p.FromPort === a.port && p.ToPort === a.port)
        .flatMap((p) => (p.UserIdGroupPairs ?? []).map((u) => u.GroupId!))
        .sort();
    }
  }
  const ssm = new SSMClient(cfg);
  for (const p of aws.parameters) {
    const got = await ssm.send(new GetParameterCommand({ Name: p.name }));
    v[`parameter ${p.name}`] = got.Parameter!.Value!;
  }
  if (aws.dns) {
    const sets = await new Route53Client(cfg).send(new ListResourceRecordSetsCommand({ HostedZoneId: aws.dns.hostedZone.id }));
    for (const r of aws.dns.records) {
      if (r.target.kind === 'beanstalk' && aws.beanstalk) continue;
      const name = `${r.name}.`.toLowerCase();
      const set = sets.ResourceRecordSets?.find((s) => s.Name?.toLowerCase() === name && s.Type === r.type);
      if (!set) continue;
      const value = set.AliasTarget?.DNSName ?? set.ResourceRecords?.map((x) => x.Value).join(',') ?? '';
      v[`record ${r.name}. ${r.type}`] = value.toLowerCase().replace(/\.$/, '').replace(/^dualstack\./, '');
    }
  }
  return v;
}

/** The target groups' health-check paths as the deployed templates declare them (where moto skips the update). */
export async function deployedTemplateView(stackNames: readonly string[], at: Endpoint): Promise<View> {
  const cfn = new CloudFormationClient(clientConfig(at));
  const v: View = {};
  for (const StackName of stackNames) {
    const body = (await cfn.send(new GetTemplateCommand({ StackName }))).TemplateBody ?? '{}';
    const template = JSON.parse(body) as { Resources?: Record<string, { Type: string; Properties?: Record<string, unknown> }> };
    for (const r of Object.values(template.Resources ?? {})) {
      if (r.Type === 'AWS::ElasticLoadBalancingV2::TargetGroup' && typeof r.Properties?.Name === 'string') v[`target-group ${r.Properties.Name} health-path`] = String(r.Properties.HealthCheckPath);
    }
  }
  return v;
}

/** The stacks deployed in the account (the bootstrap stack aside). */
export async function deployedStacks(at: Endpoint): Promise<string[]> {
  const r = await new CloudFormationClient(clientConfig(at)).send(new DescribeStacksCommand({}));
  return (r.Stacks ?? []).map((s) => s.StackName!).filter((n) => n !== 'CDKToolkit').sort();
}

/** Logical id -> physical id of every resource of the stacks. */
export async function physicalIds(stackNames: readonly string[], at: Endpoint): Promise<Record<string, string>> {
  const cfn = new CloudFormationClient(clientConfig(at));
  const out: Record<string, string> = {};
  for (const stackName of stackNames) {
    const r = await cfn.send(new DescribeStackResourcesCommand({ StackName: stackName }));
    // moto lists resources it does not model (AWS::CDK::Metadata) without a logical id
    for (const res of (r.StackResources ?? []).filter((x) => x.LogicalResourceId && x.ResourceType !== 'AWS::CDK::Metadata')) out[`${stackName}/${res.LogicalResourceId} ${res.ResourceType}`] = res.PhysicalResourceId ?? '';
  }
  return out;
}
