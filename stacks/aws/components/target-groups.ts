/**
 * Target groups (modes/components/aws/target-groups.ts): one ApplicationTargetGroup per group,
 * whose health check path is what a mode changes. Registers each in the context for the listener
 * and the Auto Scaling groups.
 */
import { Duration } from 'aws-cdk-lib';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { targetGroups } from '../../../modes/components/aws/target-groups';
import { logicalId } from '../names';
import { defineAwsRenderer } from '../renderer';

export const targetGroupsRenderer = defineAwsRenderer({
  component: targetGroups,
  part: 'traffic',
  importsVpc: (desired) => desired.targetGroups.length > 0,
  replaceOnChange: { 'AWS::ElasticLoadBalancingV2::TargetGroup': ['Name', 'Port', 'Protocol', 'TargetType', 'VpcId'] },
  render(scope, desired, ctx) {
    for (const tg of desired.targetGroups) {
      ctx.targetGroups.set(
        tg.id,
        new elbv2.ApplicationTargetGroup(scope, logicalId('TargetGroup', tg.id), {
          targetGroupName: tg.name,
          vpc: ctx.vpc('target groups'),
          port: tg.port,
          protocol: protocol(tg.protocol),
          targetType: elbv2.TargetType.INSTANCE,
          deregistrationDelay: Duration.seconds(tg.deregistrationDelaySeconds),
          healthCheck: {
            path: tg.healthPath,
            healthyHttpCodes: '200',
            interval: Duration.seconds(15),
            timeout: Duration.seconds(5),
            healthyThresholdCount: 2,
            unhealthyThresholdCount: 3,
          },
        }),
      );
    }
  },
});

/** The ELBv2 protocol of an estate protocol. */
export function protocol(p: 'HTTP' | 'HTTPS'): elbv2.ApplicationProtocol {
  return p === 'HTTPS' ? elbv2.ApplicationProtocol.HTTPS : elbv2.ApplicationProtocol.HTTP;
}
