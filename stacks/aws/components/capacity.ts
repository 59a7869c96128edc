/**
 * Auto Scaling capacity (modes/components/aws/capacity.ts): one group per estate group whose
 * min/max is what a mode changes. L1 on purpose: the launch template lives outside Drawbridge, and
 * only min/max may change between modes (never DesiredCapacity, which CloudFormation would reset on
 * every deploy).
 */
import { Validations } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import { capacity } from '../../../modes/components/aws/capacity';
import { logicalId } from '../names';
import { defineAwsRenderer } from '../renderer';

export const capacityRenderer = defineAwsRenderer({
  component: capacity,
  part: 'operations',
  chunk: { key: 'autoScalingGroups' },
  replaceOnChange: { 'AWS::AutoScaling::AutoScalingGroup': ['AutoScalingGroupName'] },
  render(scope, desired, ctx) {
    for (const g of desired.autoScalingGroups) {
      const asg = new autoscaling.CfnAutoScalingGroup(scope, logicalId('Group', g.id), {
        autoScalingGroupName: g.name,
        minSize: String(g.min),
        maxSize: String(g.max),
        launchTemplate: { launchTemplateId: g.launchTemplateId, version: g.launchTemplateVersion },
        vpcZoneIdentifier: [...g.subnetIds],
        targetGroupArns: g.targetGroups.map((t) => {
          const tg = ctx.targetGroups.get(t);
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
  },
});
