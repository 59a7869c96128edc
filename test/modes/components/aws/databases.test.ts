import type { DesiredDatabase } from '../../../../modes/desired';
import { databases } from '../../../../modes/components/aws/databases';
import { brief, changes, identityCases, itemsIn, runRule, S, type StateName } from '../../../support/components';

const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-2:123456789012:secret:db-AbCdEf';
const db = (colour: 'blue' | 'green', more: object = {}) => ({ id: `db-${colour}`, colour, identifier: `bridge-${colour}`, engineVersion: '16.4', instanceClass: 'db.t3.small', ...more });
const SPEC = [db('blue', { masterUsername: 'bridge', masterSecretArn: SECRET_ARN }), db('green', { snapshotIdentifier: 'before-cutover', engine: 'mysql', port: 3306 })];

const desired = (more: Partial<DesiredDatabase> = {}): DesiredDatabase => ({
  id: 'db-blue',
  colour: 'blue',
  identifier: 'bridge-blue',
  engine: 'postgres',
  engineVersion: '16.4',
  instanceClass: 'db.t3.small',
  allocatedStorageGiB: 20,
  port: 5432,
  ...more,
});

describe('databases.resolve', () => {
  test('GIVEN a database adopted with its credentials and one restored from a snapshot WHEN resolved THEN defaults are filled and only declared fields set', () => {
    expect(itemsIn(databases, SPEC, 'normalBlue')).toEqual([
      desired({ masterUsername: 'bridge', masterSecretArn: SECRET_ARN }),
      desired({ id: 'db-green', colour: 'green', identifier: 'bridge-green', engine: 'mysql', port: 3306, snapshotIdentifier: 'before-cutover' }),
    ]);
  });

  test.each(Object.keys(S) as StateName[])('GIVEN the databases WHEN resolved in %s THEN they are exactly as in normal blue (a mode never touches a database)', (state) => {
    expect(itemsIn(databases, SPEC, state)).toEqual(itemsIn(databases, SPEC, 'normalBlue'));
  });
});

describe('databases.describe', () => {
  test.each<[string, DesiredDatabase | undefined, DesiredDatabase | undefined, ReturnType<typeof brief>[]]>([
    ['nothing changed', desired(), desired(), []],
    ['a new engine version', desired(), desired({ engineVersion: '16.5' }), [{ text: 'RDS database bridge-blue engineVersion 16.4 -> 16.5', action: 'modify', field: 'engineVersion', effects: [] }]],
    ['a larger instance class', desired(), desired({ instanceClass: 'db.m6g.large' }), [{ text: 'RDS database bridge-blue instanceClass db.t3.small -> db.m6g.large', action: 'modify', field: 'instanceClass', effects: [] }]],
    ['more storage', desired(), desired({ allocatedStorageGiB: 50 }), [{ text: 'RDS database bridge-blue allocatedStorageGiB 20 -> 50', action: 'modify', field: 'allocatedStorageGiB', effects: [] }]],
    ['a new port (CloudFormation replaces the instance)', desired(), desired({ port: 5433 }), [{ text: 'RDS database bridge-blue port 5432 -> 5433 (replaces the database)', action: 'modify', field: 'port', effects: ['replaces'] }]],
    ['a new identifier', desired(), desired({ identifier: 'bridge-b' }), [{ text: 'RDS database bridge-b identifier bridge-blue -> bridge-b (replaces the database)', action: 'modify', field: 'identifier', effects: ['replaces'] }]],
    ['another engine', desired(), desired({ engine: 'mysql' }), [{ text: 'RDS database bridge-blue engine postgres -> mysql (replaces the database)', action: 'modify', field: 'engine', effects: ['replaces'] }]],
    [
      'a snapshot declared on an existing database',
      desired(),
      desired({ snapshotIdentifier: 'snap-1' }),
      [{ text: 'RDS database bridge-blue snapshotIdentifier (none) -> snap-1 (replaces the database)', action: 'modify', field: 'snapshotIdentifier', effects: ['replaces'] }],
    ],
    ['a database added', undefined, desired(), [{ text: 'RDS database bridge-blue added', action: 'add', effects: ['creates-stateful'] }]],
    ['a database restored from a snapshot', undefined, desired({ snapshotIdentifier: 'snap-1' }), [{ text: 'RDS database bridge-blue added (restored from snapshot snap-1)', action: 'add', effects: ['creates-stateful'] }]],
    ['a database removed', desired(), undefined, [{ text: 'RDS database bridge-blue removed', action: 'remove', effects: [] }]],
  ])('GIVEN %s WHEN described THEN the change records say so', (_what, before, after, expected) => {
    expect(changes(databases, before, after).map(brief)).toEqual(expected);
  });

  test('GIVEN a field that was not set WHEN it is set THEN from is null and to is the value', () => {
    expect(changes(databases, desired(), desired({ snapshotIdentifier: 'snap-1' }))).toEqual([
      expect.objectContaining({ component: 'database', id: 'db-blue', name: 'bridge-blue', from: null, to: 'snap-1' }),
    ]);
  });
});

describe('databases rules', () => {
  test.each<[string, string, unknown, string[]]>([
    ['uniqueDatabases', 'distinct ids', SPEC, []],
    ['uniqueDatabases', 'a duplicate id', [db('blue'), db('green', { id: 'db-blue' })], ["aws.databases[1].id: duplicate id 'db-blue' (already used at aws.databases[0]); each id must be unique"]],
    ['restoredKeepsSnapshotCredentials', 'a restored database without credentials', SPEC, []],
    [
      'restoredKeepsSnapshotCredentials',
      'a restored database with a master secret',
      [db('green', { snapshotIdentifier: 's', masterSecretArn: SECRET_ARN, masterUsername: 'x' })],
      ["aws.databases[0].masterSecretArn: a database restored from a snapshot keeps the snapshot's master user and password; remove it"],
    ],
    [
      'restoredKeepsSnapshotCredentials',
      'a restored database with a master user',
      [db('green', { snapshotIdentifier: 's', masterUsername: 'x' })],
      ["aws.databases[0].masterUsername: a database restored from a snapshot keeps the snapshot's master user and password; remove it"],
    ],
  ])('WHEN %s runs on %s THEN it reports the listed problems', (rule, _what, spec, expected) => {
    expect(runRule(databases, rule, spec)).toEqual(expected);
  });

  test('GIVEN databases THEN they need a VPC and name their colours', () => {
    expect(databases.needsVpc!.when(databases.schema.parse(SPEC))).toBe(true);
    expect(databases.needsVpc!.when(databases.schema.parse([]))).toBe(false);
    expect([...databases.colours!(databases.schema.parse(SPEC))]).toEqual(['blue', 'green']);
  });
});

describe('databases.identity', () => {
  test.each(identityCases(databases))('GIVEN the %s estate WHEN resolved in every mode state it supports (%s) THEN every database keeps its identity', (_name, _states, ids) => {
    for (const other of ids) expect(other).toEqual(ids[0]);
  });

  test.each<[string, boolean, Partial<DesiredDatabase>]>([
    ['the instance class', true, { instanceClass: 'db.m6g.large' }],
    ['the identifier', false, { identifier: 'other' }],
    ['the snapshot', false, { snapshotIdentifier: 'snap' }],
    ['the engine', false, { engine: 'mysql' }],
  ])('GIVEN a change of %s THEN keeping the identity is %s', (_what, same, more) => {
    expect(JSON.stringify(databases.identity(desired(more))) === JSON.stringify(databases.identity(desired()))).toBe(same);
  });
});
