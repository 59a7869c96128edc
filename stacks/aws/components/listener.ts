/**
 * The listener (modes/components/aws/listener.ts) on the imported load balancer: its default
 * action and rules forward to the target groups with the weights the mode gives each colour. The
 * shape of every action is the same in every mode, only the weights change, so the listener and
 * its rules are updated in place. A split estate past one traffic stack (app.ts, trafficChunks)
 * creates the listener in its first traffic stack; the later ones add their rules to it. No cdk-nag
 * acknowledgement here: the load balancer is imported, so its rules (access logs, AwsSolutions-ELB2)
 * apply to no resource of these stacks.
 */
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { listener } from '../../../modes/components/aws/listener';
import type { Construct } from 'constructs';
import type { DesiredListener, WeightedForward } from '../../../modes/desired';
import { defineAwsRenderer, type RenderContext } from '../renderer';
import { protocol } from './target-groups';

/** The listener action of a forward: plain for one group, weighted for the colours of one service. */
export function forwardAction(forward: WeightedForward, targetGroups: RenderContext['targetGroups']): elbv2.ListenerAction {
  const group = (id: string) => {
    const tg = targetGroups.get(id);
    if (!tg) throw new Error(`listener refers to unknown target group ${id}`);
    return tg;
  };
  if (forward.targets.length === 1) return elbv2.ListenerAction.forward([group(forward.targets[0]!.targetGroup)]);
  return elbv2.ListenerAction.weightedForward(forward.targets.map((t) => ({ targetGroup: group(t.targetGroup), weight: t.weight })));
}

export const listenerRenderer = defineAwsRenderer({
  component: listener,
  part: 'traffic',
  replaceOnChange: {
    'AWS::ElasticLoadBalancingV2::Listener': ['LoadBalancerArn'],
    'AWS::ElasticLoadBalancingV2::ListenerRule': ['ListenerArn'],
  },
  render(scope, desired, ctx) {
    const spec = desired.listener;
    if (!spec) return;
    const resource = ctx.listener.current ?? createListener(scope, spec, ctx);
    if (!resource) return;
    for (const rule of spec.rules) {
      const conditions: elbv2.ListenerCondition[] = [];
      if (rule.hosts) conditions.push(elbv2.ListenerCondition.hostHeaders([...rule.hosts]));
      if (rule.paths) conditions.push(elbv2.ListenerCondition.pathPatterns([...rule.paths]));
      new elbv2.ApplicationListenerRule(scope, `Rule${rule.priority}`, {
        listener: resource,
        priority: rule.priority,
        conditions,
        action: forwardAction(rule, ctx.targetGroups),
      });
    }
  },
});

/** The listener on the imported load balancer with its default action (none without a load balancer), set as the context's. */
function createListener(scope: Construct, spec: DesiredListener, ctx: RenderContext): elbv2.ApplicationListener | undefined {
  const loadBalancer = ctx.loadBalancer();
  if (!loadBalancer) return undefined;
  const resource = new elbv2.ApplicationListener(scope, 'Listener', {
    loadBalancer,
    port: spec.port,
    protocol: protocol(spec.protocol),
    ...(spec.certificateArn ? { certificates: [elbv2.ListenerCertificate.fromArn(spec.certificateArn)] } : {}),
    ...(spec.protocol === 'HTTPS' ? { sslPolicy: spec.sslPolicy as elbv2.SslPolicy } : {}),
    // The load balancer's own security group already admits clients; Drawbridge does not touch it.
    open: false,
    defaultAction: forwardAction(spec.default, ctx.targetGroups),
  });
  ctx.listener.current = resource;
  return resource;
}
