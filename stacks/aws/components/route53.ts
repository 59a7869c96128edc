/**
 * Route53 records (modes/components/aws/route53.ts) in the imported hosted zone: an alias to the
 * load balancer or to the serving Beanstalk environment (at the apex too), an A record or a CNAME,
 * each under one logical id in every mode so a move edits its value in place.
 */
import { Duration } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as route53Targets from 'aws-cdk-lib/aws-route53-targets';
import { route53 as route53Component } from '../../../modes/components/aws/route53';
import { logicalId } from '../names';
import { defineAwsRenderer } from '../renderer';

export const route53Renderer = defineAwsRenderer({
  component: route53Component,
  part: 'traffic',
  replaceOnChange: { 'AWS::Route53::RecordSet': ['HostedZoneId', 'Name'] },
  render(scope, desired, ctx) {
    const dns = desired.dns;
    if (!dns) return;
    const zone = route53.HostedZone.fromHostedZoneAttributes(scope, 'HostedZone', {
      hostedZoneId: dns.hostedZone.id,
      zoneName: dns.hostedZone.name,
    });
    for (const r of dns.records) {
      const id = logicalId('Record', r.id);
      const ttl = Duration.seconds(r.ttl);
      if (r.target.kind === 'loadBalancer' && r.type === 'A') {
        const loadBalancer = ctx.loadBalancer();
        if (!loadBalancer) throw new Error(`record ${r.name} targets the load balancer, but the estate has none`);
        new route53.ARecord(scope, id, {
          zone,
          recordName: r.name,
          target: route53.RecordTarget.fromAlias(new route53Targets.LoadBalancerTarget(loadBalancer)),
        });
        continue;
      }
      if (r.target.kind === 'beanstalk' && r.type === 'A') {
        // An alias to the serving environment's endpoint, in the hosted zone Elastic Beanstalk has in the endpoint's region.
        new route53.ARecord(scope, id, {
          zone,
          recordName: r.name,
          target: route53.RecordTarget.fromAlias(new route53Targets.ElasticBeanstalkEnvironmentEndpointTarget(r.target.value)),
        });
        continue;
      }
      const value = r.target.value;
      if (r.type === 'A') {
        new route53.ARecord(scope, id, { zone, recordName: r.name, ttl, target: route53.RecordTarget.fromIpAddresses(value) });
      } else {
        new route53.CnameRecord(scope, id, { zone, recordName: r.name, ttl, domainName: value });
      }
    }
  },
});
