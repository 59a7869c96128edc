/**
 * Beanstalk specs for the component tables (beanstalk, its rules, its variables): one application
 * in today's form, runbook 004's per-colour database settings, and its two pairs moved together.
 */
import type { EstateFacts } from '../../../../modes/component';
import { exists } from '../../../../modes/components/aws/databases';
import type { ModeState } from '../../../../modes/fields';
import { ctxIn } from '../../../support/components';

export const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-2:123456789012:secret:pay-AbCdEf';
export const DB_SECRET = 'arn:aws:secretsmanager:eu-west-2:123456789012:secret:rds-green-XyZ123';
export const env = (colour: 'blue' | 'green', more: object = {}) => ({ id: `app-${colour}`, colour, name: `bridge-${colour}`, cnamePrefix: `bridge-${colour}`, ...more });
export const spec = (more: object = {}) => ({
  application: 'bridge',
  solutionStackName: '64bit Amazon Linux 2023 v4.3.0 running Python 3.11',
  instanceProfile: 'ec2-role',
  serviceRole: 'service-role',
  min: 2,
  max: 4,
  variables: { APP_ENV: 'production' },
  paymentSecret: { variable: 'PAYMENT_SECRET_ARN', secretArn: SECRET_ARN },
  // Green first: resolve lists the environments by colour.
  environments: [env('green'), env('blue')],
  ...more,
});

/** Runbook 004: green points at the database restored from the snapshot, blue at today's; the password comes from Secrets Manager. */
export const DATABASES = [
  { id: 'db-blue', identifier: 'production-blue', colour: 'blue' as const },
  { id: 'db-green', identifier: 'cobalt-production-green', colour: 'green' as const, snapshotIdentifier: 'after-freeze', restored: false },
];
export const perColour = () =>
  spec({
    variables: { APP_ENV: 'production', RDS_DB_NAME: 'ebdb', RDS_USERNAME: 'postgres' },
    environments: [
      env('blue', { variables: { RDS_HOSTNAME: { database: 'db-blue', attribute: 'address' }, RDS_PORT: { database: 'db-blue', attribute: 'port' } } }),
      env('green', {
        variables: {
          RDS_HOSTNAME: { database: 'db-green', attribute: 'address', otherwise: 'test-db.example.org' },
          RDS_PORT: { database: 'db-green', attribute: 'port', otherwise: '5432' },
          RDS_PASSWORD: { secret: DB_SECRET, field: 'password' },
          RDS_DB_NAME: 'ebdb_green',
        },
      }),
    ],
  });
export const databasesIn = (state: ModeState) => DATABASES.map((d) => ({ id: d.id, identifier: d.identifier, colour: d.colour, exists: exists(d, state) }));
/** A resolve context whose databases exist as they would in `state`. */
export const ctxOf = (state: ModeState, more: Partial<EstateFacts> = {}) => ctxIn(state, { databases: databasesIn(state), ...more });

/** Runbook 004's two pairs moved together: the SES environments' names are the other colour's ("colours swapped"). */
export const TWO_APPS = [
  { id: 'production', ...spec({ application: 'cobalt', environments: [env('blue', { id: 'production-blue', name: 'cobalt-production-blue', cnamePrefix: 'cobalt-production-blue' }), env('green', { id: 'production-green', name: 'cobalt-production-green', cnamePrefix: 'cobalt-production-green' })] }) },
  {
    id: 'ses',
    ...spec({
      application: 'cobalt-ses',
      min: 1,
      max: 2,
      paymentSecret: undefined,
      environments: [
        env('blue', { id: 'ses-blue', name: 'cobalt-ses-production-green', cnamePrefix: 'cobalt-ses-production-green' }),
        env('green', { id: 'ses-green', name: 'cobalt-ses-production-blue', cnamePrefix: 'cobalt-ses-production-blue' }),
      ],
    }),
  },
];
