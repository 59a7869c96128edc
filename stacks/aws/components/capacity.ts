/**
 * Auto Scaling capacity (modes/components/aws/capacity.ts): one group per estate group whose
 * min/max is what a mode changes. L1 on purpose: the launch template lives outside Drawbridge, and
 * only min/max may change between modes (never DesiredCapacity, which CloudFormation would reset on
 * every deploy). Scaling notifications go where the estate says (cdk-nag's AwsSolutions-AS3 is then
 * met), or the group carries the estate's reason for having none as that rule's acknowledgement.
 */
import { Validations } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import { capacity } from '../../../modes/components/aws/capacity';
import type { DesiredCapacity } from '../../../modes/desired';
import { logicalId } from '../names';
import { defineAwsRenderer } from '../renderer';

/** The events a notification topic gets: every launch and termination, and their failures (what AwsSolutions-AS3 asks for). */
export const SCALING_EVENTS: readonly string[] = [
  autoscaling.ScalingEvent.INSTANCE_LAUNCH,
  autoscaling.ScalingEvent.INSTANCE_LAUNCH_ERROR,
  autoscaling.ScalingEvent.INSTANCE_TERMINATE,
  autoscaling.ScalingEvent.INSTANCE_TERMINATE_ERROR,
];

/** The group's notification configurations: its topic with every scaling event, or none. */
export function notificationConfigurations(g: Pick<DesiredCapacity, 'notifications'>): autoscaling.CfnAutoScalingGroup.NotificationConfigurationProperty[] | undefined {
  return 'topicArn' in g.notifications ? [{ topicArn: g.notifications.topicArn, notificationTypes: [...SCALING_EVENTS] }] : undefined;
}

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
        notificationConfigurations: notificationConfigurations(g),
      });
      if ('none' in g.notifications) {
        Validations.of(asg).acknowledge({
          id: 'AwsSolutions-AS3',
          reason: `No scaling notifications, as the estate declares for this group (notifications.none): ${g.notifications.none}`,
        });
      }
    }
  },
});
