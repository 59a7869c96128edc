/**
 * Traffic: target groups (health checks per mode), the listener (weights per colour) and Route53
 * records. Renders `DesiredAws`; decides nothing about modes.
 */
import { Duration, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as route53Targets from 'aws-cdk-lib/aws-route53-targets';
import { Construct } from 'constructs';
import type { DesiredAws, DesiredListener, WeightedForward } from '../../modes/resolve';
import { logicalId } from './names';

export interface TrafficProps {
  /** The AWS part of the desired state. */
  readonly desired: DesiredAws;
  /** The estate's VPC, imported by attributes; needed when the estate has target groups. */
  readonly vpc?: ec2.IVpc;
}

/** Target groups, listener and records of one estate. */
export class Traffic extends Construct {
  /** Target groups by estate id. */
  readonly targetGroups: ReadonlyMap<string, elbv2.ApplicationTargetGroup>;
  readonly loadBalancer?: elbv2.IApplicationLoadBalancer;

  constructor(scope: Construct, id: string, props: TrafficProps) {
    super(scope, id);
    const { desired, vpc } = props;

    const groups = new Map<string, elbv2.ApplicationTargetGroup>();
    for (const tg of desired.targetGroups) {
      if (!vpc) throw new Error('target groups need aws.vpc (the schema requires it)');
      groups.set(
        tg.id,
        new elbv2.ApplicationTargetGroup(this, logicalId('TargetGroup', tg.id), {
          targetGroupName: tg.name,
          vpc,
          port: tg.port,
          protocol: tg.protocol === 'HTTPS' ? elbv2.ApplicationProtocol.HTTPS : elbv2.ApplicationProtocol.HTTP,
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
    this.targetGroups = groups;

    if (desired.loadBalancer) {
      const lb = desired.loadBalancer;
      this.loadBalancer = elbv2.ApplicationLoadBalancer.fromApplicationLoadBalancerAttributes(this, 'LoadBalancer', {
        loadBalancerArn: lb.arn,
        securityGroupId: lb.securityGroupId,
        loadBalancerDnsName: lb.dnsName,
        loadBalancerCanonicalHostedZoneId: lb.canonicalHostedZoneId,
      });
      if (desired.listener) this.listener(desired.listener, this.loadBalancer);
    }

    if (desired.dns) this.records(desired);
  }

  private action(forward: WeightedForward): elbv2.ListenerAction {
    const group = (id: string) => {
      const tg = this.targetGroups.get(id);
      if (!tg) throw new Error(`listener refers to unknown target group ${id}`);
      return tg;
    };
    // One group: a plain forward. Colours of one service: a weighted forward whose shape never
    // changes between modes, only its weights, so the listener is updated in place.
    if (forward.targets.length === 1) return elbv2.ListenerAction.forward([group(forward.targets[0]!.targetGroup)]);
    return elbv2.ListenerAction.weightedForward(forward.targets.map((t) => ({ targetGroup: group(t.targetGroup), weight: t.weight })));
  }

  private listener(spec: DesiredListener, loadBalancer: elbv2.IApplicationLoadBalancer): void {
    const listener = new elbv2.ApplicationListener(this, 'Listener', {
      loadBalancer,
      port: spec.port,
      protocol: spec.protocol === 'HTTPS' ? elbv2.ApplicationProtocol.HTTPS : elbv2.ApplicationProtocol.HTTP,
      ...(spec.certificateArn ? { certificates: [elbv2.ListenerCertificate.fromArn(spec.certificateArn)] } : {}),
      ...(spec.protocol === 'HTTPS' ? { sslPolicy: spec.sslPolicy as elbv2.SslPolicy } : {}),
      // The load balancer's own security group already admits clients; Drawbridge does not touch it.
      open: false,
      defaultAction: this.action(spec.default),
    });
    for (const rule of spec.rules) {
      const conditions: elbv2.ListenerCondition[] = [];
      if (rule.hosts) conditions.push(elbv2.ListenerCondition.hostHeaders([...rule.hosts]));
      if (rule.paths) conditions.push(elbv2.ListenerCondition.pathPatterns([...rule.paths]));
      new elbv2.ApplicationListenerRule(this, `Rule${rule.priority}`, {
        listener,
        priority: rule.priority,
        conditions,
        action: this.action(rule),
      });
    }
    if (spec.protocol === 'HTTP') {
      Validations.of(listener).acknowledge({
        id: 'AwsSolutions-ELB2',
        reason: 'The estate declares a plain HTTP listener (TLS ends in front of it, at Cloudflare); access logs belong to the imported load balancer.',
      });
    }
  }

  private records(desired: DesiredAws): void {
    const dns = desired.dns!;
    const zone = route53.HostedZone.fromHostedZoneAttributes(this, 'HostedZone', {
      hostedZoneId: dns.hostedZone.id,
      zoneName: dns.hostedZone.name,
    });
    for (const r of dns.records) {
      const id = logicalId('Record', r.id);
      const ttl = Duration.seconds(r.ttl);
      if (r.target.kind === 'loadBalancer' && r.type === 'A') {
        if (!this.loadBalancer) throw new Error(`record ${r.name} targets the load balancer, but the estate has none`);
        new route53.ARecord(this, id, {
          zone,
          recordName: r.name,
          target: route53.RecordTarget.fromAlias(new route53Targets.LoadBalancerTarget(this.loadBalancer)),
        });
        continue;
      }
      const value = r.target.value;
      if (r.type === 'A') {
        new route53.ARecord(this, id, { zone, recordName: r.name, ttl, target: route53.RecordTarget.fromIpAddresses(value) });
      } else {
        new route53.CnameRecord(this, id, { zone, recordName: r.name, ttl, domainName: value });
      }
    }
  }
}
