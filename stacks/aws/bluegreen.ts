/**
 * Blue/green parts (runbook 004): the Elastic Beanstalk application with one environment per colour
 * and one database per colour. Names and CNAME prefixes never change (a new prefix replaces the
 * environment); only option values do, and every managed option is set in every mode because
 * CloudFormation keeps an OptionSetting that is removed from the template.
 */
import { Duration, RemovalPolicy, SecretValue, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elasticbeanstalk from 'aws-cdk-lib/aws-elasticbeanstalk';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Construct } from 'constructs';
import type { DesiredAws, DesiredBeanstalkEnvironment, DesiredDatabase } from '../../modes/resolve';
import { logicalId } from './names';

export interface BlueGreenProps {
  readonly desired: DesiredAws;
  readonly vpc: ec2.IVpc;
}

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

export class BlueGreen extends Construct {
  constructor(scope: Construct, id: string, props: BlueGreenProps) {
    super(scope, id);
    const { desired, vpc } = props;
    const bs = desired.beanstalk;
    if (bs) {
      const app = new elasticbeanstalk.CfnApplication(this, 'Application', { applicationName: bs.application });
      app.applyRemovalPolicy(RemovalPolicy.RETAIN);
      for (const env of bs.environments) {
        const resource = new elasticbeanstalk.CfnEnvironment(this, logicalId('Environment', env.id), {
          applicationName: bs.application,
          environmentName: env.name,
          cnamePrefix: env.cnamePrefix,
          solutionStackName: bs.solutionStackName,
          optionSettings: environmentOptions(desired, env),
        });
        resource.node.addDependency(app);
        resource.applyRemovalPolicy(RemovalPolicy.RETAIN);
      }
    }
    for (const db of desired.databases) this.database(db, vpc);
  }

  private database(db: DesiredDatabase, vpc: ec2.IVpc): void {
    const engine =
      db.engine === 'postgres'
        ? rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.of(db.engineVersion, db.engineVersion.split('.')[0]!) })
        : rds.DatabaseInstanceEngine.mysql({ version: rds.MysqlEngineVersion.of(db.engineVersion, db.engineVersion.split('.').slice(0, 2).join('.')) });
    const common = {
      engine,
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      instanceIdentifier: db.identifier,
      instanceType: new ec2.InstanceType(db.instanceClass.replace(/^db\./, '')),
      allocatedStorage: db.allocatedStorageGiB,
      port: db.port,
      multiAz: true,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.SNAPSHOT,
      backupRetention: Duration.days(7),
      iamAuthentication: true,
      autoMinorVersionUpgrade: true,
      cloudwatchLogsExports: db.engine === 'postgres' ? ['postgresql'] : ['error', 'general', 'slowquery'],
    };
    const id = logicalId('Database', db.id);
    const username = db.masterUsername ?? (db.engine === 'postgres' ? 'postgres' : 'admin');
    // An adopted database keeps its password: it comes from the secret that already holds it. A new
    // one gets a generated secret.
    const credentials = db.masterSecretArn
      ? rds.Credentials.fromPassword(username, SecretValue.secretsManager(db.masterSecretArn, { jsonField: 'password' }))
      : rds.Credentials.fromGeneratedSecret(username);
    const instance = db.snapshotIdentifier
      ? new rds.DatabaseInstanceFromSnapshot(this, id, { ...common, snapshotIdentifier: db.snapshotIdentifier })
      : new rds.DatabaseInstance(this, id, { ...common, storageEncrypted: true, credentials });
    if (db.snapshotIdentifier) {
      Validations.of(instance).acknowledge({
        id: 'AwsSolutions-RDS2',
        reason: 'Restored from a snapshot: encryption is inherited from the snapshot and cannot be set on restore.',
      });
    } else if (!db.masterSecretArn) {
      Validations.of(instance).acknowledge({
        id: 'AwsSolutions-SMG4',
        reason: 'The master secret is rotated by the team\'s rotation schedule outside this stack; the app uses IAM authentication.',
      });
    }
    if (db.port === 5432 || db.port === 3306) {
      Validations.of(instance).acknowledge({
        id: 'AwsSolutions-RDS11',
        reason: 'The application expects the engine\'s standard port; access is limited to the application security groups.',
      });
    }
  }
}
