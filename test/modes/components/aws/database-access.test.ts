import type { DesiredDatabaseAccess } from '../../../../modes/desired';
import { databaseAccess } from '../../../../modes/components/aws/database-access';
import type { ModeState } from '../../../../modes/fields';
import { brief, changes, estateItems, identityCases, itemsIn, runRule, S, type StateName, titled } from '../../../support/components';
import { FROZEN_WITH_PAGE, NO_FREEZE, STAGED, stateNamed, WITH_PAGE, type StagedName, THROUGH_MAINTENANCE } from './staged';

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

const openTo = (state: StateName | ModeState, more: object = {}, spec: object = {}) =>
  (itemsIn(databaseAccess, [rule('db', spec)], state, more) as DesiredDatabaseAccess[])[0]!.open.map((o) => o.securityGroupId);

describe('databaseAccess.resolve', () => {
  // A source frozen read-only still reads: the rule stays open to it (and to shared sources) until the target is open.
  test.each<[StateName, string[]]>([
    ['normalBlue', [BLUE, OPS]],
    ['maintenance', []],
    ['hardDown', []],
    ['cutoverBlueGreen', [BLUE, GREEN, OPS]],
    ['normalGreen', [GREEN, OPS]],
    ['maintenanceGreen', []],
    ['cutoverGreenBlue', [BLUE, GREEN, OPS]],
  ])('GIVEN access from blue, green and a shared group WHEN resolved in %s THEN the rule is open to %j', (state, expected) => {
    expect(openTo(state)).toEqual(expected);
  });

  // The target is opened from the prepare stage (staff test it before traffic moves); the rule closes only behind the page.
  test.each<[StagedName, string[]]>([
    ['cutover:prepare', [BLUE, GREEN, OPS]],
    ['cutover:freeze', [BLUE, GREEN, OPS]],
    ['cutover:restore', [BLUE, GREEN, OPS]],
    ['cutover:move', [BLUE, GREEN, OPS]],
    ['maintenance:ahead', [BLUE, OPS]],
    ['maintenance:page', [BLUE, OPS]],
    ['normal:behind', [BLUE, OPS]],
    ['normal:page', [BLUE, OPS]],
  ])('GIVEN the same rule WHEN resolved at %s THEN it is open to %j', (stage, expected) => {
    expect(openTo(STAGED[stage])).toEqual(expected);
  });

  test.each(titled<[string, ModeState, string[]]>([
    ['prepared', STAGED['cutover:prepare'], [BLUE, GREEN, OPS]],
    ['frozen', STAGED['cutover:freeze'], [GREEN]],
    ['moved', S.cutoverBlueGreen, [GREEN]],
  ]))('GIVEN a cutover whose source is frozen with the page WHEN $what THEN the rule is open to $expected (the source is down, shared sources wait)', ({ row: [, state, expected] }) => {
    expect(openTo(state, { policy: FROZEN_WITH_PAGE })).toEqual(expected);
  });

  // Runbook 002 never freezes writes: the rule stays open to blue while it drains, and closes to it once green is live.
  test.each<[StagedName | StateName, string[]]>([
    ['cutover:prepare', [BLUE, GREEN, OPS]],
    ['cutover:freeze', [BLUE, GREEN, OPS]],
    ['cutover:move', [BLUE, GREEN, OPS]],
    ['normalGreen', [GREEN, OPS]],
  ])('GIVEN a cutover that does not freeze (freeze: none) WHEN resolved at %s THEN the rule is open to %j', (state, expected) => {
    expect(openTo(stateNamed(state), { policy: NO_FREEZE })).toEqual(expected);
  });

  test('GIVEN the ticketing estate WHEN it enters and leaves maintenance THEN the SQL Anywhere rule closes behind the page and opens first on the way out', () => {
    const at = (state: ModeState) => estateItems<DesiredDatabaseAccess>(databaseAccess, 'ticketing', state)[0]!.open.map((o) => o.description).join(', ') || 'closed';
    const open = 'web instances, web-services instances';
    expect(THROUGH_MAINTENANCE.map(at)).toEqual([open, open, 'closed', open, open]);
  });

  test.each<[StagedName | StateName, string]>([
    ['normalBlue', 'blue app servers'],
    ['cutover:prepare', 'blue app servers, green app servers'],
    ['cutover:move', 'blue app servers, green app servers'],
    ['normalGreen', 'green app servers'],
  ])('GIVEN the rolling estate WHEN resolved at %s THEN the master database is open to %s', (state, expected) => {
    expect(estateItems<DesiredDatabaseAccess>(databaseAccess, 'rolling', stateNamed(state))[0]!.open.map((o) => o.description).join(', ')).toBe(expected);
  });

  test.each(titled<[string, object, string]>([
    ['behind the page (the default)', {}, 'open open closed open open'],
    ['with the page (runbook 000: the firewall closes once the page is up)', { timing: WITH_PAGE }, 'open closed closed closed open'],
  ]))('GIVEN a rule closing $what WHEN resolved at maintenance:ahead, maintenance:page, maintenance, normal:behind and normal:page THEN it is $expected', ({ row: [, spec, expected] }) => {
    expect(THROUGH_MAINTENANCE.map((s) => (openTo(s, {}, spec).length ? 'open' : 'closed')).join(' ')).toBe(expected);
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
    ['the rule adding one group (a target prepared)', desired([BLUE, OPS]), desired([BLUE, GREEN, OPS]), [{ text: `${RULE} port 5432: ${BLUE}, ${OPS} -> ${BLUE}, ${GREEN}, ${OPS}`, action: 'modify', field: 'ingress', effects: ['opens-access'] }]],
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
    ['a duplicate id', [rule('a'), rule('a', { name: 'shop-b' })], ["aws.databaseAccess[1].id: duplicate id 'a' (already used at aws.databaseAccess[0]); each id must be unique"]],
    ['a duplicate security-group name', [rule('a'), rule('b', { name: 'shop-a' })], ["aws.databaseAccess[1].name: duplicate name 'shop-a' (already used at aws.databaseAccess[0]); each name must be unique"]],
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
