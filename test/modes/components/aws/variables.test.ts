import type { DesiredBeanstalkEnvironment } from '../../../../modes/desired';
import { beanstalk } from '../../../../modes/components/aws/beanstalk';
import { sameVariable, variableText, variableValue } from '../../../../modes/components/aws/variables';
import type { ModeState } from '../../../../modes/fields';
import { estateItems, itemsIn, S, titled, type StateName } from '../../../support/components';
import { databasesIn, DB_SECRET, env, perColour, spec } from './beanstalk-fixtures';
import { STAGED, stateNamed, type StagedName } from './staged';

const greenVariables = (state: ModeState) => (itemsIn(beanstalk, perColour(), state, { databases: databasesIn(state) }) as DesiredBeanstalkEnvironment[])[1]!.variables;

describe('beanstalk per-colour variables', () => {
  // Until the restore stage creates green's database, green keeps its `otherwise` (a test database); then it points at the new instance.
  test.each<[StagedName | StateName, unknown, unknown]>([
    ['normalBlue', 'test-db.example.org', '5432'],
    ['cutover:prepare', 'test-db.example.org', '5432'],
    ['cutover:freeze', 'test-db.example.org', '5432'],
    ['cutover:restore', { database: 'db-green', identifier: 'cobalt-production-green', attribute: 'address' }, { database: 'db-green', identifier: 'cobalt-production-green', attribute: 'port' }],
    ['cutover:move', { database: 'db-green', identifier: 'cobalt-production-green', attribute: 'address' }, { database: 'db-green', identifier: 'cobalt-production-green', attribute: 'port' }],
    ['normalGreen', { database: 'db-green', identifier: 'cobalt-production-green', attribute: 'address' }, { database: 'db-green', identifier: 'cobalt-production-green', attribute: 'port' }],
  ])('GIVEN green referring to its database (restored: false) WHEN resolved in %s THEN RDS_HOSTNAME is %j and RDS_PORT %j', (name, host, port) => {
    const state = stateNamed(name);
    expect([greenVariables(state).RDS_HOSTNAME, greenVariables(state).RDS_PORT]).toEqual([host, port]);
  });

  test('GIVEN variables of the application and of each colour WHEN resolved THEN each environment has the application\'s, overridden by its own, and the password as a secret reference', () => {
    const [blue, green] = itemsIn(beanstalk, perColour(), 'normalGreen', { databases: databasesIn(S.normalGreen) }) as DesiredBeanstalkEnvironment[];
    expect(blue!.variables).toMatchObject({
      APP_ENV: 'production',
      RDS_DB_NAME: 'ebdb',
      RDS_USERNAME: 'postgres',
      RDS_HOSTNAME: { database: 'db-blue', identifier: 'production-blue', attribute: 'address' },
    });
    expect(blue!.variables).not.toHaveProperty('RDS_PASSWORD');
    expect(green!.variables).toMatchObject({ APP_ENV: 'production', RDS_DB_NAME: 'ebdb_green', RDS_PASSWORD: { secret: DB_SECRET, field: 'password' } });
  });

  test('GIVEN a reference to a database that does not exist and no otherwise WHEN resolved THEN it is refused naming the variable', () => {
    const bad = spec({ environments: [env('blue'), env('green', { variables: { RDS_HOSTNAME: { database: 'db-green', attribute: 'address' } } })] });
    expect(() => itemsIn(beanstalk, bad, 'normalBlue', { databases: databasesIn(S.normalBlue) })).toThrow(
      'aws.beanstalk.environments[1].variables.RDS_HOSTNAME: database db-green does not exist in this state; add otherwise: <the value until it does>',
    );
  });
});

describe('the bridge estate\'s per-colour settings (runbook 004, two applications)', () => {
  const GREEN_DB = { database: 'production-green', identifier: 'cobalt-production-green', attribute: 'address' };
  const BLUE_DB = { database: 'production-blue', identifier: 'production-blue', attribute: 'address' };
  const TEST_DB = 'cobalt-test.c1a2b3c4d5e6.ap-southeast-2.rds.amazonaws.com';
  const hosts = (state: ModeState) => Object.fromEntries(estateItems<DesiredBeanstalkEnvironment>(beanstalk, 'bridge', state).map((e) => [e.id, e.variables.RDS_HOSTNAME]));

  // Green (and the SES app's green side) are built against a test database; the restore stage points both at green's own.
  test.each(titled<[string, ModeState, unknown]>([
    ['normal, blue live', S.normalBlue, TEST_DB],
    ['cutover:freeze', STAGED['cutover:freeze'], TEST_DB],
    ['cutover:restore', STAGED['cutover:restore'], GREEN_DB],
    ['cutover:move', STAGED['cutover:move'], GREEN_DB],
    ['normal, green live', S.normalGreen, GREEN_DB],
  ]))('GIVEN the bridge estate WHEN resolved in $what THEN blue\'s environments use blue\'s database and green\'s use $expected', ({ row: [, state, green] }) => {
    expect(hosts(state)).toEqual({ 'production-blue': BLUE_DB, 'production-green': green, 'ses-blue': BLUE_DB, 'ses-green': green });
  });

  test('GIVEN the bridge estate WHEN resolved THEN every environment takes the application\'s settings and its password as a Secrets Manager reference', () => {
    for (const e of estateItems<DesiredBeanstalkEnvironment>(beanstalk, 'bridge', S.normalBlue)) {
      expect(e.variables).toMatchObject({ DJANGO_SETTINGS_MODULE: 'cobalt.settings', RDS_DB_NAME: 'ebdb', RDS_USERNAME: 'postgres', RDS_PASSWORD: { secret: expect.stringMatching(/^arn:aws:secretsmanager:ap-southeast-2:456789012345:secret:/), field: 'password' } });
    }
  });

  test('GIVEN an application of the list without otherwise on a database still to be restored WHEN resolved THEN it is refused at that application\'s environment', () => {
    const bad = [spec({ id: 'production' }), spec({ id: 'ses', application: 'bridge-ses', environments: [env('blue', { id: 'ses-blue', name: 'ses-blue', cnamePrefix: 'ses-blue' }), env('green', { id: 'ses-green', name: 'ses-green', cnamePrefix: 'ses-green', variables: { RDS_HOSTNAME: { database: 'db-green', attribute: 'address' } } })] })];
    expect(() => itemsIn(beanstalk, bad, 'normalBlue', { databases: databasesIn(S.normalBlue) })).toThrow(
      'aws.beanstalk[1].environments[1].variables.RDS_HOSTNAME: database db-green does not exist in this state; add otherwise: <the value until it does>',
    );
  });
});

describe('variableValue', () => {
  const DBS = [
    { id: 'db-blue', identifier: 'production-blue', exists: true },
    { id: 'db-green', identifier: 'cobalt-production-green', exists: false },
  ];
  test.each(titled<[string, Parameters<typeof variableValue>[0], unknown]>([
    ['plain text', 'ebdb', 'ebdb'],
    ['a secret reference', { secret: DB_SECRET, field: 'password' }, { secret: DB_SECRET, field: 'password' }],
    ['a database that exists', { database: 'db-blue', attribute: 'port', otherwise: '5432' }, { database: 'db-blue', identifier: 'production-blue', attribute: 'port' }],
    ['a database that does not exist yet', { database: 'db-green', attribute: 'address', otherwise: 'test-db' }, 'test-db'],
  ]))('GIVEN $what THEN its desired value is $expected', ({ row: [, value, expected] }) => {
    expect(variableValue(value, DBS, 'at')).toEqual(expected);
  });

  test('GIVEN a database that does not exist and no otherwise THEN it is refused at its place', () => {
    expect(() => variableValue({ database: 'db-green', attribute: 'address' }, DBS, 'aws.beanstalk.variables.RDS_HOSTNAME')).toThrow(
      'aws.beanstalk.variables.RDS_HOSTNAME: database db-green does not exist in this state; add otherwise: <the value until it does>',
    );
  });
});

describe('variableText', () => {
  test.each(titled<[string, string, Parameters<typeof variableText>[1], string]>([
    ['plain text', 'RDS_DB_NAME', 'ebdb', 'ebdb'],
    ['an empty value', 'FEATURE', '', '""'],
    ['no value', 'FEATURE', undefined, '(none)'],
    ['a credential-like name with a value', 'RDS_PASSWORD', 'hunter2', '(set)'],
    ['a secret reference', 'RDS_PASSWORD', { secret: DB_SECRET, field: 'password' }, '[secret] (Secrets Manager)'],
    ['a database reference', 'RDS_HOSTNAME', { database: 'db-green', identifier: 'cobalt-production-green', attribute: 'address' }, 'cobalt-production-green endpoint address'],
  ]))('GIVEN $what THEN it reads $expected in a change line', ({ row: [, name, value, expected] }) => {
    expect(variableText(name, value)).toBe(expected);
  });

  test('GIVEN a secret reference THEN its text never carries the ARN', () => {
    expect(variableText('X', { secret: DB_SECRET, field: 'password' })).not.toContain('arn:');
  });

  test.each(titled<[string, Parameters<typeof sameVariable>[0], Parameters<typeof sameVariable>[1], boolean]>([
    ['two equal references', { secret: DB_SECRET, field: 'password' }, { secret: DB_SECRET, field: 'password' }, true],
    ['another field', { secret: DB_SECRET, field: 'password' }, { secret: DB_SECRET, field: 'username' }, false],
    ['text and a reference', 'x', { secret: DB_SECRET, field: 'password' }, false],
  ]))('GIVEN $what THEN sameVariable is $expected', ({ row: [, a, b, expected] }) => {
    expect(sameVariable(a, b)).toBe(expected);
  });
});

describe('beanstalk variables of the application and of a colour', () => {
  test('GIVEN the same name on the application and on green WHEN resolved THEN green\'s wins on green only', () => {
    const input = spec({ variables: { LEVEL: 'app' }, environments: [env('blue'), env('green', { variables: { LEVEL: 'green' } })] });
    expect((itemsIn(beanstalk, input, S.normalBlue) as DesiredBeanstalkEnvironment[]).map((e) => e.variables.LEVEL)).toEqual(['app', 'green']);
  });
});
