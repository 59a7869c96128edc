import type { DesiredDatabase } from '../../../../modes/desired';
import { databases } from '../../../../modes/components/aws/databases';
import { exists } from '../../../../modes/components/aws/databases';
import type { ModeState } from '../../../../modes/fields';
import { brief, changes, estateItems, identityCases, itemsIn, runRule, S, type StateName, titled } from '../../../support/components';
import { STAGED } from './staged';

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

describe('a database waiting to be restored (restored: false)', () => {
  const PENDING = [db('blue'), db('green', { snapshotIdentifier: 'after-freeze', restored: false })];
  const ids = (state: ModeState) => (itemsIn(databases, PENDING, state) as DesiredDatabase[]).map((d) => d.id).join(' ');
  // Created by the restore stage of the cutover to its colour, from the snapshot taken after the freeze; kept whenever its colour is live.
  test.each(titled<[string, ModeState, string]>([
    ['normal, blue live', S.normalBlue, 'db-blue'],
    ['maintenance, blue live', S.maintenance, 'db-blue'],
    ['cutover:prepare', STAGED['cutover:prepare'], 'db-blue'],
    ['cutover:freeze', STAGED['cutover:freeze'], 'db-blue'],
    ['cutover:restore', STAGED['cutover:restore'], 'db-blue db-green'],
    ['cutover:move', STAGED['cutover:move'], 'db-blue db-green'],
    ['normal, green live', S.normalGreen, 'db-blue db-green'],
    ['maintenance, green live', S.maintenanceGreen, 'db-blue db-green'],
    ['leaving maintenance with green live (normal:behind)', { ...STAGED['normal:behind'], live: 'green' }, 'db-blue db-green'],
    ['entering maintenance with green live (maintenance:ahead)', { ...STAGED['maintenance:ahead'], live: 'green' }, 'db-blue db-green'],
    ['the fail-back green -> blue', S.cutoverGreenBlue, 'db-blue db-green'],
    ['entering maintenance with blue live (maintenance:page)', STAGED['maintenance:page'], 'db-blue'],
    ['leaving maintenance with blue live (normal:page)', STAGED['normal:page'], 'db-blue'],
  ]))('GIVEN a green database waiting to be restored WHEN resolved in $what THEN the databases are $expected', ({ row: [, state, expected] }) => {
    expect(ids(state)).toBe(expected);
  });

  test.each(titled<[string, object, boolean]>([
    ['no snapshot', {}, true],
    ['a snapshot, already restored', { snapshotIdentifier: 's', restored: true }, true],
    ['a snapshot, restored not said', { snapshotIdentifier: 's' }, true],
    ['a snapshot, waiting', { snapshotIdentifier: 's', restored: false }, false],
  ]))('GIVEN a green database with $what WHEN blue is live in normal mode THEN it exists: $expected', ({ row: [, more, expected] }) => {
    expect(exists({ colour: 'green', ...more }, S.normalBlue)).toBe(expected);
  });
});

describe('the bridge estate\'s databases (runbook 004)', () => {
  const cutover = (stage?: ModeState['stage']): ModeState => ({ mode: 'cutover', live: 'blue', target: 'green', hardDown: false, ...(stage ? { stage } : {}) });
  // Green's database is declared with restored: false: the restore stage creates it from the snapshot taken after the freeze.
  test.each(titled<[string, ModeState, string]>([
    ['normal, blue live', S.normalBlue, 'production-blue'],
    ['maintenance, blue live', S.maintenance, 'production-blue'],
    ['cutover:prepare', cutover('prepare'), 'production-blue'],
    ['cutover:freeze', cutover('freeze'), 'production-blue'],
    ['cutover:restore', cutover('restore'), 'production-blue cobalt-production-green'],
    ['cutover:move', cutover('move'), 'production-blue cobalt-production-green'],
    ['normal, green live', S.normalGreen, 'production-blue cobalt-production-green'],
    ['the fail-back green -> blue', S.cutoverGreenBlue, 'production-blue cobalt-production-green'],
  ]))('GIVEN the bridge estate WHEN resolved in $what THEN its RDS instances are $expected', ({ row: [, state, expected] }) => {
    expect(estateItems<DesiredDatabase>(databases, 'bridge', state).map((d) => d.identifier).join(' ')).toBe(expected);
  });

  test('GIVEN the bridge estate WHEN green\'s database is restored THEN it comes from the declared snapshot, without credentials of its own', () => {
    const green = estateItems<DesiredDatabase>(databases, 'bridge', cutover('restore')).find((d) => d.colour === 'green');
    expect(green).toEqual({
      id: 'production-green',
      colour: 'green',
      identifier: 'cobalt-production-green',
      engine: 'postgres',
      engineVersion: '16.9',
      instanceClass: 'db.t3.small',
      allocatedStorageGiB: 20,
      port: 5432,
      snapshotIdentifier: 'production-blue-before-green',
    });
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
    ['uniqueDatabases', 'a duplicate id', [db('blue'), db('green', { id: 'db-blue', identifier: 'x' })], ["aws.databases[1].id: duplicate id 'db-blue' (already used at aws.databases[0]); each id must be unique"]],
    [
      'uniqueDatabases',
      'a duplicate identifier (one RDS instance name)',
      [db('blue'), db('green', { identifier: 'bridge-blue' })],
      ["aws.databases[1].identifier: duplicate identifier 'bridge-blue' (already used at aws.databases[0]); each identifier must be unique"],
    ],
    ['restoredKeepsSnapshotCredentials', 'restored without a snapshot', [db('green', { restored: false })], ['aws.databases[0].restored: only a database restored from a snapshot (snapshotIdentifier) can be waiting to be restored; remove restored']],
    ['secretsInTheEstate', 'a master secret of the estate', SPEC, []],
    [
      'secretsInTheEstate',
      'a master secret of another region',
      [db('blue', { masterSecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf' })],
      ["aws.databases[0].masterSecretArn: master secret arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf is in region eu-west-1, not the estate's region eu-west-2 (aws.region); use one in eu-west-2, or move the estate"],
    ],
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
    expect(runRule(databases, rule, spec, { account: '123456789012', region: 'eu-west-2' })).toEqual(expected);
  });

  test('GIVEN databases THEN they need a VPC and name their colours', () => {
    expect(databases.needsVpc!.when(databases.schema.parse(SPEC))).toBe(true);
    expect(databases.needsVpc!.when(databases.schema.parse([]))).toBe(false);
    expect([...databases.colours!(databases.schema.parse(SPEC))]).toEqual(['blue', 'green']);
  });
});

describe('databases.identity', () => {
  // A database waiting to be restored (bridge's green) is absent until the cutover to its colour
  // restores it: each database is compared in the states where it exists.
  test.each(identityCases(databases))('GIVEN the %s estate WHEN resolved in every mode state it supports (%s) THEN every database keeps its identity wherever it exists', (_name, _states, ids) => {
    const first = new Map<unknown, unknown>();
    for (const identity of (ids as unknown[][][]).flat()) {
      if (!first.has(identity[0])) first.set(identity[0], identity);
      expect(identity).toEqual(first.get(identity[0]));
    }
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
