/**
 * Elastic Beanstalk blue/green (modes/components/aws/beanstalk.ts, runbook 004): each application
 * and one environment per colour. Names and CNAME prefixes never change (a new prefix replaces the
 * environment); only option values do, and every managed option is set in every mode because
 * CloudFormation keeps an OptionSetting that is removed from the template. A variable that refers
 * to a database is its instance's endpoint (Fn::GetAtt); a secret is a dynamic reference that
 * CloudFormation resolves at deploy time, so no credential is ever in the template.
 */
import { Lazy, RemovalPolicy, SecretValue } from 'aws-cdk-lib';
import * as elasticbeanstalk from 'aws-cdk-lib/aws-elasticbeanstalk';
import type * as rds from 'aws-cdk-lib/aws-rds';
import type { Construct } from 'constructs';
import { beanstalk } from '../../../modes/components/aws/beanstalk';
import type { DesiredAws, DesiredBeanstalkApplication, DesiredBeanstalkEnvironment, DesiredVariable } from '../../../modes/desired';
import { logicalId } from '../names';
import { defineAwsRenderer } from '../renderer';

type Option = elasticbeanstalk.CfnEnvironment.OptionSettingProperty;

/** How a variable's value is written in the template: plain text as it is, references as tokens. */
export type VariableRenderer = (value: DesiredVariable) => string;

/**
 * The value of a variable in `scope` (the part that renders the databases too): a database
 * reference is its instance's endpoint address or port, a secret a `{{resolve:secretsmanager:...}}`
 * dynamic reference.
 */
export function variableRenderer(scope: Construct): VariableRenderer {
  return (value) => {
    if (typeof value === 'string') return value;
    if ('secret' in value) return SecretValue.secretsManager(value.secret, { jsonField: value.field }).unsafeUnwrap();
    // The databases render after Beanstalk (in registry order): look the instance up when the template is written.
    return Lazy.string({
      produce: () => {
        const db = scope.node.tryFindChild(logicalId('Database', value.database)) as rds.IDatabaseInstance | undefined;
        if (!db) throw new Error(`a Beanstalk variable refers to database ${value.database}, which this stack does not render`);
        return value.attribute === 'address' ? db.dbInstanceEndpointAddress : db.dbInstanceEndpointPort;
      },
    });
  };
}

/** The application an environment belongs to. */
export function applicationOf(desired: DesiredAws, env: DesiredBeanstalkEnvironment): DesiredBeanstalkApplication {
  const app = desired.beanstalk?.applications.find((a) => a.name === env.application);
  if (!app) throw new Error(`environment ${env.name} belongs to no application of the estate (${env.application})`);
  return app;
}

/** Beanstalk option settings of one environment: the same namespaces and names in every mode. */
export function environmentOptions(desired: DesiredAws, env: DesiredBeanstalkEnvironment, value: VariableRenderer = plainOnly): Option[] {
  const app = applicationOf(desired, env);
  const vpc = desired.vpc!;
  const subnets = vpc.privateSubnetIds.join(',');
  // the schema requires public subnets with Beanstalk: the load balancer faces the internet
  const elbSubnets = (vpc.publicSubnetIds ?? vpc.privateSubnetIds).join(',');
  const o = (namespace: string, optionName: string, v: string): Option => ({ namespace, optionName, value: v });
  return [
    o('aws:autoscaling:asg', 'MinSize', String(env.min)),
    o('aws:autoscaling:asg', 'MaxSize', String(env.max)),
    o('aws:autoscaling:launchconfiguration', 'IamInstanceProfile', app.instanceProfile),
    o('aws:ec2:instances', 'InstanceTypes', app.instanceType),
    o('aws:ec2:vpc', 'VPCId', vpc.id),
    o('aws:ec2:vpc', 'Subnets', subnets),
    o('aws:ec2:vpc', 'ELBSubnets', elbSubnets),
    o('aws:ec2:vpc', 'ELBScheme', 'public'),
    o('aws:elasticbeanstalk:environment', 'EnvironmentType', 'LoadBalanced'),
    o('aws:elasticbeanstalk:environment', 'LoadBalancerType', 'application'),
    o('aws:elasticbeanstalk:environment', 'ServiceRole', app.serviceRole),
    // managed platform updates need enhanced health reporting
    o('aws:elasticbeanstalk:healthreporting:system', 'SystemType', 'enhanced'),
    o('aws:elasticbeanstalk:managedactions', 'ManagedActionsEnabled', 'true'),
    o('aws:elasticbeanstalk:managedactions', 'PreferredStartTime', 'Sun:03:00'),
    o('aws:elasticbeanstalk:managedactions:platformupdate', 'UpdateLevel', 'minor'),
    o('aws:elasticbeanstalk:cloudwatch:logs', 'StreamLogs', 'true'),
    o('aws:elasticbeanstalk:hostmanager', 'LogPublicationControl', 'true'),
    ...Object.keys(env.variables)
      .sort()
      .map((name) => o('aws:elasticbeanstalk:application:environment', name, value(env.variables[name]!))),
  ];
}

/** Without a scope only plain values can be written. */
function plainOnly(value: DesiredVariable): string {
  if (typeof value !== 'string') throw new Error('a variable that refers to a database or a secret needs variableRenderer(scope)');
  return value;
}

/** Logical id of an application: `Application` for the single form (and the listed one without an id). */
export function applicationLogicalId(app: DesiredBeanstalkApplication): string {
  return app.id ? logicalId('Application', app.id) : 'Application';
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
    const value = variableRenderer(scope);
    for (const application of bs.applications) {
      const app = new elasticbeanstalk.CfnApplication(scope, applicationLogicalId(application), { applicationName: application.name });
      app.applyRemovalPolicy(RemovalPolicy.RETAIN);
      for (const env of bs.environments.filter((e) => e.application === application.name)) {
        const resource = new elasticbeanstalk.CfnEnvironment(scope, logicalId('Environment', env.id), {
          applicationName: application.name,
          environmentName: env.name,
          cnamePrefix: env.cnamePrefix,
          solutionStackName: application.solutionStackName,
          optionSettings: environmentOptions(desired, env, value),
        });
        resource.node.addDependency(app);
        resource.applyRemovalPolicy(RemovalPolicy.RETAIN);
      }
    }
  },
});
