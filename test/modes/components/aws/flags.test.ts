import type { DesiredParameter } from '../../../../modes/desired';
import { flags } from '../../../../modes/components/aws/flags';
import type { ModeState, Window } from '../../../../modes/fields';
import { awsPart, brief, changes, estateItems, identityCases, itemsIn, runRule, S, type StateName, titled, verifyCtx } from '../../../support/components';
import { AHEAD_BACK_WITH_PAGE, BEFORE_MOVE, FROZEN_WITH_PAGE, STAGED, stateNamed, WITH_PAGE, type StagedName, THROUGH_MAINTENANCE } from './staged';

const param = (id: string, flag: 'maintenance' | 'readOnly' | 'notice', more: object = {}) => ({ id, name: `/shop/${id}`, flag, ...more });
const SPEC = [
  param('maint', 'maintenance', { on: 'on', off: 'off' }),
  param('maint-blue', 'maintenance', { colour: 'blue' }),
  param('ro', 'readOnly'),
  param('ro-blue', 'readOnly', { colour: 'blue' }),
  param('ro-green', 'readOnly', { colour: 'green' }),
];

const desired = (more: Partial<DesiredParameter> = {}): DesiredParameter => ({ id: 'maint', name: '/shop/maint', flag: 'maintenance', value: 'false', set: false, ...more });
const values = (spec: object[], state: StateName | ModeState, more: object = {}) => (itemsIn(flags, spec, state, more) as DesiredParameter[]).map((p) => p.value);
const WINDOW: Window = { reason: 'Upgrade', announce: '2030-01-01T00:00:00Z', start: '2030-01-02T00:00:00Z', end: '2030-01-02T02:00:00Z', timeZones: ['UTC'] };

/** Runbook 003 without a gate: maintenance.txt (access stopped) and migrating.txt (writes frozen) per host, notice.txt once a window is announced. */
const HOSTS = [
  param('maint-blue', 'maintenance', { colour: 'blue' }),
  param('maint-green', 'maintenance', { colour: 'green' }),
  param('ro-blue', 'readOnly', { colour: 'blue' }),
  param('ro-green', 'readOnly', { colour: 'green' }),
  param('notice', 'notice'),
];

describe('flags.resolve', () => {
  test.each<[StateName, string[]]>([
    ['normalBlue', ['off', 'false', 'false', 'false', 'true']],
    ['maintenance', ['on', 'true', 'false', 'false', 'true']],
    ['hardDown', ['on', 'true', 'false', 'false', 'true']],
    ['cutoverBlueGreen', ['off', 'false', 'true', 'true', 'false']],
    ['normalGreen', ['off', 'false', 'false', 'true', 'false']],
    ['maintenanceGreen', ['on', 'false', 'false', 'true', 'false']],
    ['cutoverGreenBlue', ['off', 'false', 'true', 'false', 'true']],
  ])('GIVEN shared and blue maintenance flags and shared, blue and green read-only flags WHEN resolved in %s THEN their values are %j', (state, expected) => {
    expect(values(SPEC, state)).toEqual(expected);
  });

  // Behind a gate: the shared read-only flag rises with the freeze; the target takes writes once traffic is on it.
  test.each<[StagedName, string[]]>([
    ['cutover:prepare', ['off', 'false', 'false', 'false', 'true']],
    ['cutover:freeze', ['off', 'false', 'true', 'true', 'true']],
    ['cutover:restore', ['off', 'false', 'true', 'true', 'true']],
    ['cutover:move', ['off', 'false', 'true', 'true', 'false']],
    ['maintenance:ahead', ['off', 'false', 'false', 'false', 'true']],
    ['maintenance:page', ['off', 'false', 'false', 'false', 'true']],
    ['normal:behind', ['off', 'false', 'false', 'false', 'true']],
    ['normal:page', ['off', 'false', 'false', 'false', 'true']],
  ])('GIVEN the same flags WHEN resolved at %s THEN their values are %j', (stage, expected) => {
    expect(values(SPEC, STAGED[stage])).toEqual(expected);
  });

  // Without a gate the application's own page keeps the public off a host that is not open (idle, or a target not yet tested).
  test.each(titled<[string, ModeState, string[]]>([
    ['normal, blue live', S.normalBlue, ['false', 'true', 'false', 'true', 'false']],
    ['cutover:prepare', STAGED['cutover:prepare'], ['false', 'true', 'false', 'true', 'false']],
    ['cutover:freeze', STAGED['cutover:freeze'], ['false', 'true', 'true', 'true', 'false']],
    ['cutover:move (tested before it)', STAGED['cutover:move'], ['false', 'false', 'true', 'false', 'false']],
    ['normal, green live', S.normalGreen, ['true', 'false', 'true', 'false', 'false']],
    ['maintenance, blue live', S.maintenance, ['true', 'true', 'false', 'true', 'false']],
  ]))('GIVEN runbook 003\'s host flags and no gate WHEN resolved in $what THEN maintenance blue, green, read-only blue, green and notice are $expected', ({ row: [, state, expected] }) => {
    expect(values(HOSTS, state, { hasGate: false, policy: BEFORE_MOVE })).toEqual(expected);
  });

  test.each(titled<[string, object, string]>([
    ['no window', {}, 'false false false'],
    ['a window declared', { window: WINDOW }, 'true true true'],
  ]))('GIVEN a notice flag and $what WHEN resolved in normal, maintenance and a cutover THEN it is $expected', ({ row: [, more, expected] }) => {
    const notice = [param('notice', 'notice')];
    expect([S.normalBlue, S.maintenance, S.cutoverBlueGreen].map((s) => values(notice, s, more)[0]).join(' ')).toBe(expected);
  });

  test.each(titled<[string, object, string]>([
    ['behind the page (the default)', {}, 'false false true false false'],
    ['with the page', { timing: WITH_PAGE }, 'false true true true false'],
    ['ahead of the page and back with it (ticketing\'s print-server block)', { timing: AHEAD_BACK_WITH_PAGE }, 'true true true true false'],
  ]))('GIVEN a shared maintenance flag switching $what WHEN resolved at maintenance:ahead, maintenance:page, maintenance, normal:behind and normal:page THEN it is $expected', ({ row: [, more, expected] }) => {
    expect(THROUGH_MAINTENANCE.map((s) => values([param('m', 'maintenance', more)], s)[0]).join(' ')).toBe(expected);
  });

  test('GIVEN the ticketing estate WHEN it enters and leaves maintenance THEN the print server is blocked from ahead, the maintenance flag behind the page, both cleared by the page coming down', () => {
    const at = (state: ModeState) => estateItems<DesiredParameter>(flags, 'ticketing', state).map((p) => `${p.id}=${p.value}`).join(' ');
    expect(THROUGH_MAINTENANCE.map(at)).toEqual([
      'maintenance=0 print-server-blocked=1',
      'maintenance=0 print-server-blocked=1',
      'maintenance=1 print-server-blocked=1',
      'maintenance=0 print-server-blocked=1',
      'maintenance=0 print-server-blocked=0',
    ]);
  });

  // Runbook 003 without a gate: the target host is closed (maintenance.txt) until traffic moves to it
  // after staff tested it on its own name; migrating.txt freezes writes on the source; notice.txt is on while the window is declared.
  test.each<[StagedName | StateName, string]>([
    ['normalBlue', 'read-only-blue=false read-only-green=true maintenance-blue=false maintenance-green=true notice=true'],
    ['cutover:prepare', 'read-only-blue=false read-only-green=true maintenance-blue=false maintenance-green=true notice=true'],
    ['cutover:freeze', 'read-only-blue=true read-only-green=true maintenance-blue=false maintenance-green=true notice=true'],
    ['cutover:move', 'read-only-blue=true read-only-green=false maintenance-blue=false maintenance-green=false notice=true'],
    ['normalGreen', 'read-only-blue=true read-only-green=false maintenance-blue=true maintenance-green=false notice=true'],
  ])('GIVEN the whimsy estate WHEN resolved at %s THEN its host flags are %s', (state, expected) => {
    expect(estateItems<DesiredParameter>(flags, 'whimsy', stateNamed(state)).map((p) => `${p.id}=${p.value}`).join(' ')).toBe(expected);
  });

  test('GIVEN a cutover frozen with the page WHEN frozen THEN the shared and the source\'s maintenance flags are on', () => {
    expect(values(SPEC, STAGED['cutover:freeze'], { policy: FROZEN_WITH_PAGE })).toEqual(['on', 'true', 'true', 'true', 'true']);
  });

  test('GIVEN flags WHEN resolved THEN each keeps its id, name, flag and colour, and says whether it is set', () => {
    expect(itemsIn(flags, SPEC.slice(0, 2), 'maintenance')).toEqual([
      { id: 'maint', name: '/shop/maint', flag: 'maintenance', value: 'on', set: true },
      { id: 'maint-blue', name: '/shop/maint-blue', flag: 'maintenance', value: 'true', set: true, colour: 'blue' },
    ]);
    expect(itemsIn(flags, SPEC.slice(0, 1), 'normalBlue')).toEqual([{ id: 'maint', name: '/shop/maint', flag: 'maintenance', value: 'off', set: false }]);
  });
});

describe('flags.describe', () => {
  test.each<[string, DesiredParameter | undefined, DesiredParameter | undefined, ReturnType<typeof brief>[]]>([
    ['the same value', desired(), desired(), []],
    ['the flag switched on', desired(), desired({ value: 'true' }), [{ text: 'parameter /shop/maint false -> true', action: 'modify', field: 'value', effects: ['flips-flag'] }]],
    ['an empty value set', desired({ value: '' }), desired({ value: 'x' }), [{ text: 'parameter /shop/maint "" -> x', action: 'modify', field: 'value', effects: ['flips-flag'] }]],
    [
      'a credential-like parameter changing',
      desired({ name: '/shop/api-token', value: '' }),
      desired({ name: '/shop/api-token', value: 'hunter2' }),
      [{ text: 'parameter /shop/api-token (empty) -> (set)', action: 'modify', field: 'value', effects: ['flips-flag'] }],
    ],
    ['the parameter added', undefined, desired(), [{ text: 'parameter /shop/maint added', action: 'add', effects: [] }]],
    ['the parameter removed', desired(), undefined, [{ text: 'parameter /shop/maint removed', action: 'remove', effects: [] }]],
  ])('GIVEN %s WHEN described THEN the change records say so', (_what, before, after, expected) => {
    expect(changes(flags, before, after).map(brief)).toEqual(expected);
  });

  test('GIVEN a credential-like parameter WHEN described THEN its value never shows in the record', () => {
    const records = changes(flags, desired({ name: '/shop/secret', value: 'old-value' }), desired({ name: '/shop/secret', value: 'new-value' }));
    expect(records).toEqual([expect.objectContaining({ from: '(set)', to: '(set)' })]);
    expect(JSON.stringify(records)).not.toMatch(/old-value|new-value/);
  });
});

describe('flags rules', () => {
  test.each<[string, unknown, string[]]>([
    ['distinct flags', SPEC, []],
    ['a duplicate id', [param('a', 'readOnly'), param('a', 'readOnly', { name: '/x' })], ["aws.parameters[1].id: duplicate id 'a' (already used at aws.parameters[0]); each id must be unique"]],
    ['a duplicate name', [param('a', 'readOnly'), param('b', 'readOnly', { name: '/shop/a' })], ["aws.parameters[1].name: duplicate name '/shop/a' (already used at aws.parameters[0]); each name must be unique"]],
  ])('GIVEN %s WHEN uniqueParameters runs THEN it reports the listed problems', (_what, spec, expected) => {
    expect(runRule(flags, 'uniqueParameters', spec)).toEqual(expected);
  });

  test('GIVEN coloured and shared flags THEN their colours are the coloured ones', () => {
    expect([...flags.colours!(flags.schema.parse(SPEC))]).toEqual(['blue', 'blue', 'green']);
  });
});

describe('flags.verify', () => {
  const part = (state: StateName) => awsPart({ parameters: itemsIn(flags, SPEC, state) });
  const check = (name: string, value: string) => ({ what: `parameter ${name} is ${value}`, command: `aws ssm get-parameter --name ${name} --query Parameter.Value --output text --region eu-west-2`, output: value });
  test.each<[StateName, StateName, ReturnType<typeof check>[]]>([
    ['normalBlue', 'normalBlue', []],
    ['normalBlue', 'maintenance', [check('/shop/maint', 'on'), check('/shop/maint-blue', 'true')]],
    ['normalBlue', 'cutoverBlueGreen', [check('/shop/ro', 'true'), check('/shop/ro-blue', 'true')]],
  ])('GIVEN a move from %s to %s THEN the first two flags that changed are checked', (from, to, expected) => {
    expect(flags.verify!(part(from), part(to), verifyCtx(to))).toEqual(expected);
  });
});

describe('flags.identity', () => {
  test.each(identityCases(flags))('GIVEN the %s estate WHEN resolved in every mode state it supports (%s) THEN every flag keeps its identity', (_name, _states, ids) => {
    for (const other of ids) expect(other).toEqual(ids[0]);
  });

  test('GIVEN only the value changes THEN the identity is the same; a new name is not', () => {
    expect(flags.identity(desired({ value: 'true' }))).toEqual(flags.identity(desired()));
    expect(flags.identity(desired({ name: '/other' }))).not.toEqual(flags.identity(desired()));
  });
});
