import type { DesiredParameter } from '../../../../modes/desired';
import { flags } from '../../../../modes/components/aws/flags';
import { awsPart, brief, changes, identityCases, itemsIn, runRule, verifyCtx, type StateName } from '../../../support/components';

const param = (id: string, flag: 'maintenance' | 'readOnly', more: object = {}) => ({ id, name: `/shop/${id}`, flag, ...more });
const SPEC = [
  param('maint', 'maintenance', { on: 'on', off: 'off' }),
  param('maint-blue', 'maintenance', { colour: 'blue' }),
  param('ro', 'readOnly'),
  param('ro-blue', 'readOnly', { colour: 'blue' }),
  param('ro-green', 'readOnly', { colour: 'green' }),
];

const desired = (more: Partial<DesiredParameter> = {}): DesiredParameter => ({ id: 'maint', name: '/shop/maint', flag: 'maintenance', value: 'false', ...more });

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
    expect((itemsIn(flags, SPEC, state) as DesiredParameter[]).map((p) => p.value)).toEqual(expected);
  });

  test('GIVEN flags WHEN resolved THEN each keeps its id, name, flag and colour', () => {
    expect(itemsIn(flags, SPEC.slice(0, 2), 'normalBlue')).toEqual([
      { id: 'maint', name: '/shop/maint', flag: 'maintenance', value: 'off' },
      { id: 'maint-blue', name: '/shop/maint-blue', flag: 'maintenance', value: 'false', colour: 'blue' },
    ]);
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
