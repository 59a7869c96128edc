/**
 * An estate written from runbook 004 with what the example estates may not show: the production
 * and SES pairs moved together (the SES environments' names are the other colour's), per-colour
 * database settings with the password from Secrets Manager, green's database restored from the
 * snapshot taken after the freeze, and the zone apex as an alias to the serving environment.
 */
import { parseEstate } from '../../../../modes/load';
import type { Estate } from '../../../../modes/schema';

export const PASSWORD_SECRET = 'arn:aws:secretsmanager:ap-southeast-2:456789012345:secret:cobalt/rds-XyZ123';
export const STRIPE_SECRET = 'arn:aws:secretsmanager:ap-southeast-2:456789012345:secret:cobalt/stripe-AbCdEf';

const application = (application: string, environments: object[], more: object = {}) => ({
  application,
  solutionStackName: '64bit Amazon Linux 2023 v4.3.0 running Python 3.11',
  instanceProfile: 'aws-elasticbeanstalk-ec2-role',
  serviceRole: 'aws-elasticbeanstalk-service-role',
  min: 2,
  max: 4,
  variables: { RDS_DB_NAME: 'ebdb', RDS_USERNAME: 'postgres' },
  environments,
  ...more,
});

/** RDS_* of one colour: its own database's endpoint, green's `otherwise` until it is restored, the password from the secret. */
const rds = (colour: 'blue' | 'green') => ({
  RDS_HOSTNAME: { database: `db-${colour}`, attribute: 'address', ...(colour === 'green' ? { otherwise: 'cobalt-test.abc123.ap-southeast-2.rds.amazonaws.com' } : {}) },
  RDS_PORT: { database: `db-${colour}`, attribute: 'port', ...(colour === 'green' ? { otherwise: '5432' } : {}) },
  RDS_PASSWORD: { secret: PASSWORD_SECRET, field: 'password' },
});

const env = (id: string, colour: 'blue' | 'green', name: string) => ({ id, colour, name, cnamePrefix: name, variables: rds(colour) });

/** The estate; `restored` is green's database's `restored` (false: it is created by the restore stage of the cutover to green). */
export function cobaltEstate(restored: boolean): Estate {
  return parseEstate({
    name: 'cobalt',
    site: { url: 'https://www.cobalt-example.org', healthPath: '/health/' },
    brand: { name: 'Cobalt' },
    aws: {
      account: '456789012345',
      region: 'ap-southeast-2',
      vpc: { id: 'vpc-0aaaabbbbccccdddd', availabilityZones: ['ap-southeast-2a', 'ap-southeast-2b'], privateSubnetIds: ['subnet-0aaaabbbbcccc0001', 'subnet-0aaaabbbbcccc0002'], publicSubnetIds: ['subnet-0aaaabbbbcccc0101', 'subnet-0aaaabbbbcccc0102'] },
      beanstalk: [
        // no id: the logical ids of the single form (an estate that adds a second application keeps its first one's)
        application('cobalt', [env('production-blue', 'blue', 'cobalt-production-blue'), env('production-green', 'green', 'cobalt-production-green')], {
          paymentSecret: { variable: 'STRIPE_SECRET_ARN', secretArn: STRIPE_SECRET },
        }),
        { id: 'ses', ...application('cobalt-ses', [env('ses-blue', 'blue', 'cobalt-ses-production-green'), env('ses-green', 'green', 'cobalt-ses-production-blue')], { min: 1, max: 2 }) },
      ],
      databases: [
        { id: 'db-blue', colour: 'blue', identifier: 'production-blue', engineVersion: '16.4', instanceClass: 'db.t3.small', masterUsername: 'postgres', masterSecretArn: PASSWORD_SECRET },
        { id: 'db-green', colour: 'green', identifier: 'cobalt-production-green', engineVersion: '16.4', instanceClass: 'db.t3.small', snapshotIdentifier: 'production-blue-after-freeze', restored },
      ],
      // the read-only flag of runbook 004's migrations (and something for the operations stack of the split variant)
      parameters: [{ id: 'read-only-green', name: '/cobalt/green/read-only', flag: 'readOnly', colour: 'green' }],
      dns: {
        hostedZone: { id: 'Z0987654321ZYXWVUTSRQ', name: 'cobalt-example.org' },
        records: [
          { id: 'apex', name: 'cobalt-example.org', type: 'A', target: { beanstalk: true } },
          { id: 'www', name: 'www.cobalt-example.org', type: 'CNAME', target: { beanstalk: true } },
          { id: 'ses', name: 'ses.cobalt-example.org', type: 'CNAME', target: { beanstalk: 'ses' } },
        ],
      },
    },
  });
}
