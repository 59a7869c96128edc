import type { DesiredDatabaseAccess } from '../../../../modes/desired';
import { databaseAccess } from '../../../../modes/components/aws/database-access';
import { brief, changes, identityCases, itemsIn, runRule, type StateName } from '../../../support/components';

const BLUE = 'sg-0000000000000000b';
const GREEN = 'sg-0000000000000000c';
const OPS = 'sg-0000000000000000d';
const rule = (id: string, more: object = {}) => ({
  id,
  name: `shop-${id}`,
  description: 'App to PostgreSQL',
  port: 5432,
  allowFrom: [
    { securityGroupId: BLUE, colour: 'blue', description: 'blue app' },
    { securityGroupId: GREEN, colour: 'green' },
    { securityGroupId: OPS },
  ],
  ...more,
});

const desired = (open: string[], more: Partial<DesiredDatabaseAccess> = {}): DesiredDatabaseAccess => ({
  id: 'db',
  name: 'shop-db',
  description: 'App to PostgreSQL',
  port: 5432,
  open: open.map((securityGroupId) => ({ securityGroupId, description: 'x' })),
  ...more,
});

describe('databaseAccess.resolve', () => {
  test.each<[StateName, string[]]>([
    ['normalBlue', [BLUE, OPS]],
    ['maintenance', []],
    ['hardDown', []],
    ['cutoverBlueGreen', [GREEN]],
    ['normalGreen', [GREEN, OPS]],
    ['maintenanceGreen', []],
    ['cutoverGreenBlue', [BLUE]],
  ])('GIVEN access from blue, green and a shared group WHEN resolved in %s THEN the rule is open to %j', (state, expected) => {
    const [item] = itemsIn(databaseAccess, [rule('db')], state) as DesiredDatabaseAccess[];
    expect(item!.open.map((o) => o.securityGroupId)).toEqual(expected);
  });

  test('GIVEN sources with and without a description WHEN resolved THEN each opening carries its own or the rule\'s', () => {
    expect(itemsIn(databaseAccess, [rule('db')], 'normalBlue')).toEqual([
      {
        id: 'db',
        name: 'shop-db',
        description: 'App to PostgreSQL',
        port: 5432,
        open: [
          { securityGroupId: BLUE, description: 'blue app' },
          { securityGroupId: OPS, description: 'App to PostgreSQL' },
        ],
      },
    ]);
  });
});

describe('databaseAccess.describe', () => {
  const RULE = 'DB firewall rule "App to PostgreSQL" (shop-db)';
  test.each<[string, DesiredDatabaseAccess | undefined, DesiredDatabaseAccess | undefined, ReturnType<typeof brief>[]]>([
    ['the same groups', desired([BLUE]), desired([BLUE]), []],
    ['the rule closing', desired([BLUE, OPS]), desired([]), [{ text: `${RULE} closed: port 5432 no longer open to ${BLUE}, ${OPS}`, action: 'modify', field: 'ingress', effects: ['closes-access'] }]],
    ['the rule opening', desired([]), desired([GREEN]), [{ text: `${RULE} opened: port 5432 open to ${GREEN}`, action: 'modify', field: 'ingress', effects: ['opens-access'] }]],
    ['the rule moving to another colour', desired([BLUE]), desired([GREEN]), [{ text: `${RULE} port 5432: ${BLUE} -> ${GREEN}`, action: 'modify', field: 'ingress', effects: ['opens-access', 'closes-access'] }]],
    ['the rule dropping one group', desired([BLUE, OPS]), desired([BLUE]), [{ text: `${RULE} port 5432: ${BLUE}, ${OPS} -> ${BLUE}`, action: 'modify', field: 'ingress', effects: ['closes-access'] }]],
    ['the rule added', undefined, desired([BLUE]), [{ text: 'DB firewall rule "App to PostgreSQL" added', action: 'add', effects: [] }]],
    ['the rule removed', desired([BLUE]), undefined, [{ text: 'DB firewall rule "App to PostgreSQL" removed', action: 'remove', effects: [] }]],
  ])('GIVEN %s WHEN described THEN the change records say so', (_what, before, after, expected) => {
    expect(changes(databaseAccess, before, after).map(brief)).toEqual(expected);
  });

  test('GIVEN the rule moving WHEN described THEN from and to are the security groups', () => {
    expect(changes(databaseAccess, desired([BLUE]), desired([GREEN]))).toEqual([expect.objectContaining({ component: 'databaseAccess', id: 'db', name: 'shop-db', from: [BLUE], to: [GREEN] })]);
  });
});

describe('databaseAccess rules', () => {
  test.each<[string, unknown, string[]]>([
    ['distinct rules', [rule('a'), rule('b')], []],
    ['a duplicate id', [rule('a'), rule('a')], ["aws.databaseAccess[1].id: duplicate id 'a' (already used at aws.databaseAccess[0]); each id must be unique"]],
  ])('GIVEN %s WHEN uniqueRules runs THEN it reports the listed problems', (_what, spec, expected) => {
    expect(runRule(databaseAccess, 'uniqueRules', spec)).toEqual(expected);
  });

  test('GIVEN access rules THEN they need a VPC, and their colours are those of their sources', () => {
    expect(databaseAccess.needsVpc!.when(databaseAccess.schema.parse([rule('a')]))).toBe(true);
    expect(databaseAccess.needsVpc!.when(databaseAccess.schema.parse([]))).toBe(false);
    expect([...databaseAccess.colours!(databaseAccess.schema.parse([rule('a')]))]).toEqual(['blue', 'green']);
  });
});

describe('databaseAccess.identity', () => {
  test.each(identityCases(databaseAccess))('GIVEN the %s estate WHEN resolved in every mode state it supports (%s) THEN every rule keeps its identity', (_name, _states, ids) => {
    for (const other of ids) expect(other).toEqual(ids[0]);
  });

  test('GIVEN only the open groups change THEN the identity is the same; a new port is not', () => {
    expect(databaseAccess.identity(desired([]))).toEqual(databaseAccess.identity(desired([BLUE])));
    expect(databaseAccess.identity(desired([], { port: 5433 }))).not.toEqual(databaseAccess.identity(desired([])));
  });
});
