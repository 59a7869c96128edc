/**
 * Databases (modes/components/aws/databases.ts): one RDS instance per colour, kept with a snapshot
 * on removal and deletion protection. A database declared with a snapshot is restored from it; an
 * adopted one takes its password from the secret that already holds it; a new one gets a generated
 * secret.
 */
import { Duration, RemovalPolicy, SecretValue, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import type { Construct } from 'constructs';
import { databases } from '../../../modes/components/aws/databases';
import type { DesiredDatabase } from '../../../modes/desired';
import { logicalId } from '../names';
import { defineAwsRenderer } from '../renderer';

/** The engine of a database, its major version taken from the declared version. */
export function databaseEngine(db: Pick<DesiredDatabase, 'engine' | 'engineVersion'>): rds.IInstanceEngine {
  return db.engine === 'postgres'
    ? rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.of(db.engineVersion, db.engineVersion.split('.')[0]!) })
    : rds.DatabaseInstanceEngine.mysql({ version: rds.MysqlEngineVersion.of(db.engineVersion, db.engineVersion.split('.').slice(0, 2).join('.')) });
}

/** The master user: the declared one, else the engine's usual (postgres, admin). */
export function masterUsername(db: Pick<DesiredDatabase, 'engine' | 'masterUsername'>): string {
  return db.masterUsername ?? (db.engine === 'postgres' ? 'postgres' : 'admin');
}

/**
 * Why the master secret Drawbridge generates (a new database, no masterSecretArn) has no rotation:
 * single-user rotation needs a rotation Lambda in the VPC (from the Serverless Application
 * Repository), which these stacks do not deploy. What is true of the secret is said instead.
 */
export const GENERATED_SECRET_UNROTATED =
  'Generated master credential of a new database (the estate gives no masterSecretArn); no rotation is attached, because single-user rotation needs a rotation Lambda in the VPC that these stacks do not deploy. ' +
  'Drawbridge passes it to nothing it deploys (application settings take secrets by an ARN the estate names), and IAM database authentication is on, so applications need not use the master user. ' +
  'To rotate it: attach a rotation function to this secret, or keep the password in a secret your rotation manages and set masterSecretArn.';

/** Why a database on its engine's standard port is acceptable. */
export const STANDARD_PORT =
  'The estate keeps the engine\'s standard port; another port would hide nothing from anyone inside the VPC. Who may connect is decided by security groups: the instance\'s own group, created here, admits no one.';

function database(scope: Construct, db: DesiredDatabase, vpc: ec2.IVpc): void {
  const common = {
    engine: databaseEngine(db),
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
  const username = masterUsername(db);
  const credentials = db.masterSecretArn
    ? rds.Credentials.fromPassword(username, SecretValue.secretsManager(db.masterSecretArn, { jsonField: 'password' }))
    : rds.Credentials.fromGeneratedSecret(username);
  const instance = db.snapshotIdentifier
    ? new rds.DatabaseInstanceFromSnapshot(scope, id, { ...common, snapshotIdentifier: db.snapshotIdentifier })
    : new rds.DatabaseInstance(scope, id, { ...common, storageEncrypted: true, credentials });
  if (db.snapshotIdentifier) {
    Validations.of(instance).acknowledge({
      id: 'AwsSolutions-RDS2',
      reason: 'Restored from a snapshot: encryption is inherited from the snapshot and cannot be set on restore.',
    });
  } else if (!db.masterSecretArn) {
    Validations.of(instance).acknowledge({ id: 'AwsSolutions-SMG4', reason: GENERATED_SECRET_UNROTATED });
  }
  if (db.port === 5432 || db.port === 3306) {
    Validations.of(instance).acknowledge({ id: 'AwsSolutions-RDS11', reason: STANDARD_PORT });
  }
}

export const databasesRenderer = defineAwsRenderer({
  component: databases,
  part: 'blueGreen',
  stateful: true,
  // the blue/green part's stack has always imported the VPC, whatever it renders
  importsVpc: () => true,
  replaceOnChange: {
    'AWS::RDS::DBInstance': [
      'AutoMinorVersionUpgrade',
      'BackupRetentionPeriod',
      'DBInstanceIdentifier',
      'DBSnapshotIdentifier',
      'DBSubnetGroupName',
      'Engine',
      'MasterUsername',
      'MultiAZ',
      'Port',
      'StorageEncrypted',
      'StorageType',
    ],
    'AWS::RDS::DBSubnetGroup': [],
    // the group CDK makes for each instance
    'AWS::EC2::SecurityGroup': ['GroupDescription', 'VpcId'],
  },
  render(scope, desired, ctx) {
    for (const db of desired.databases) database(scope, db, ctx.vpc('databases'));
  },
});
