/**
 * Elastic Beanstalk blue/green (modes/components/aws/beanstalk.ts, runbook 004): the application
 * and one environment per colour. Names and CNAME prefixes never change (a new prefix replaces the
 * environment); only option values do, and every managed option is set in every mode because
 * CloudFormation keeps an OptionSetting that is removed from the template.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import * as elasticbeanstalk from 'aws-cdk-lib/aws-elasticbeanstalk';
import { beanstalk } from '../../../modes/components/aws/beanstalk';
import type { DesiredAws, DesiredBeanstalkEnvironment } from '../../../modes/desired';
import { logicalId } from '../names';
import { defineAwsRenderer } from '../renderer';

type Option = elasticbeanstalk.CfnEnvironment.OptionSettingProperty;

/** Beanstalk option settings of one environment: the same namespaces and names in every mode. */
export function environmentOptions(desired: DesiredAws, env: DesiredBeanstalkEnvironment): Option[] {
  const bs = desired.beanstalk!;
  const vpc = desired.vpc!;
  const subnets = vpc.privateSubnetIds.join(',');
  const o = (namespace: string, optionName: string, value: string): Option => ({ namespace, optionName, value });
  return [
    o('aws:autoscaling:asg', 'MinSize', String(env.min)),
    o('aws:autoscaling:asg', 'MaxSize', String(env.max)),
    o('aws:autoscaling:launchconfiguration', 'IamInstanceProfile', bs.instanceProfile),
    o('aws:ec2:instances', 'InstanceTypes', bs.instanceType),
    o('aws:ec2:vpc', 'VPCId', vpc.id),
    o('aws:ec2:vpc', 'Subnets', subnets),
    o('aws:elasticbeanstalk:environment', 'EnvironmentType', 'LoadBalanced'),
    o('aws:elasticbeanstalk:environment', 'LoadBalancerType', 'application'),
    o('aws:elasticbeanstalk:environment', 'ServiceRole', bs.serviceRole),
    o('aws:elasticbeanstalk:managedactions', 'ManagedActionsEnabled', 'true'),
    o('aws:elasticbeanstalk:managedactions', 'PreferredStartTime', 'Sun:03:00'),
    o('aws:elasticbeanstalk:managedactions:platformupdate', 'UpdateLevel', 'minor'),
    o('aws:elasticbeanstalk:cloudwatch:logs', 'StreamLogs', 'true'),
    o('aws:elasticbeanstalk:hostmanager', 'LogPublicationControl', 'true'),
    ...Object.keys(env.variables)
      .sort()
      .map((name) => o('aws:elasticbeanstalk:application:environment', name, env.variables[name]!)),
  ];
}

export const beanstalkRenderer = defineAwsRenderer({
  component: beanstalk,
  part: 'blueGreen',
  stateful: true,
  // the blue/green part's stack has always imported the VPC, whatever it renders
  importsVpc: () => true,
  replaceOnChange: {
    'AWS::ElasticBeanstalk::Application': ['ApplicationName'],
    'AWS::ElasticBeanstalk::Environment': ['ApplicationName', 'CNAMEPrefix', 'EnvironmentName', 'SolutionStackName'],
  },
  render(scope, desired) {
    const bs = desired.beanstalk;
    if (!bs) return;
    const app = new elasticbeanstalk.CfnApplication(scope, 'Application', { applicationName: bs.application });
    app.applyRemovalPolicy(RemovalPolicy.RETAIN);
    for (const env of bs.environments) {
      const resource = new elasticbeanstalk.CfnEnvironment(scope, logicalId('Environment', env.id), {
        applicationName: bs.application,
        environmentName: env.name,
        cnamePrefix: env.cnamePrefix,
        solutionStackName: bs.solutionStackName,
        optionSettings: environmentOptions(desired, env),
      });
      resource.node.addDependency(app);
      resource.applyRemovalPolicy(RemovalPolicy.RETAIN);
    }
  },
});
