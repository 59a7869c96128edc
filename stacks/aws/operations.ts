/**
 * What runs behind the traffic: Auto Scaling capacity, scheduled jobs, the database firewall rule and
 * the SSM flags the application reads. Renders `DesiredAws`; decides nothing about modes.
 */
import { Validations } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import type { DesiredAws } from '../../modes/resolve';
import { logicalId } from './names';

export interface OperationsProps {
  readonly desired: DesiredAws;
  /** Target groups by estate id, for the groups' attachments. */
  readonly targetGroups: ReadonlyMap<string, elbv2.ApplicationTargetGroup>;
}

export class Operations extends Construct {
  constructor(scope: Construct, id: string, props: OperationsProps) {
    super(scope, id);
    const { desired, targetGroups } = props;

    for (const g of desired.autoScalingGroups) {
      // L1 on purpose: the group's launch template lives outside Drawbridge, and only min/max may
      // change between modes (never DesiredCapacity, which CloudFormation would reset on every deploy).
      const asg = new autoscaling.CfnAutoScalingGroup(this, logicalId('Group', g.id), {
        autoScalingGroupName: g.name,
        minSize: String(g.min),
        maxSize: String(g.max),
        launchTemplate: { launchTemplateId: g.launchTemplateId, version: g.launchTemplateVersion },
        vpcZoneIdentifier: [...g.subnetIds],
        targetGroupArns: g.targetGroups.map((t) => {
          const tg = targetGroups.get(t);
          if (!tg) throw new Error(`group ${g.name} refers to unknown target group ${t}`);
          return tg.targetGroupArn;
        }),
        healthCheckType: g.targetGroups.length > 0 ? 'ELB' : 'EC2',
        healthCheckGracePeriod: 300,
        metricsCollection: [{ granularity: '1Minute' }],
      });
      Validations.of(asg).acknowledge({
        id: 'AwsSolutions-AS3',
        reason: 'Scaling notifications go to the team\'s existing alerting; Drawbridge manages capacity per mode only.',
      });
    }

    for (const job of desired.scheduledJobs) {
      const rule = new events.Rule(this, logicalId('Job', job.id), {
        ruleName: job.name,
        schedule: events.Schedule.expression(job.schedule),
        enabled: job.enabled,
        ...(job.description ? { description: job.description } : {}),
      });
      if (job.targetArn) {
        rule.addTarget(new targets.LambdaFunction(lambda.Function.fromFunctionArn(this, logicalId('JobFunction', job.id), job.targetArn)));
      }
    }

    for (const access of desired.databaseAccess) {
      // A security group Drawbridge owns and the database carries: closing the rule empties the
      // group's ingress list (an in-place update) instead of deleting a rule resource.
      new ec2.CfnSecurityGroup(this, logicalId('DatabaseAccess', access.id), {
        groupName: access.name,
        groupDescription: access.description,
        vpcId: desired.vpc!.id,
        securityGroupIngress: access.open.map((o) => ({
          ipProtocol: 'tcp',
          fromPort: access.port,
          toPort: access.port,
          sourceSecurityGroupId: o.securityGroupId,
          description: o.description,
        })),
      });
    }

    for (const p of desired.parameters) {
      new ssm.StringParameter(this, logicalId('Flag', p.id), {
        parameterName: p.name,
        stringValue: p.value,
        description: `Drawbridge ${p.flag} flag${p.colour ? ` (${p.colour})` : ''}`,
      });
    }
  }
}
