import { byKind, unionTable, type RegisteredRenderer } from '../../stacks/registry';

const renderer = (kind: string, replaceOnChange: Record<string, readonly string[]>): RegisteredRenderer => ({ kind, replaceOnChange });

describe('byKind', () => {
  test('GIVEN renderers THEN they are keyed by kind in the order given', () => {
    expect([...byKind([renderer('gate', {}), renderer('bots', {})]).keys()]).toEqual(['gate', 'bots']);
  });

  test('GIVEN two renderers of one kind THEN the registry is refused', () => {
    expect(() => byKind([renderer('gate', {}), renderer('gate', {})])).toThrow(/two renderers for component kind 'gate'/);
  });
});

describe('unionTable', () => {
  test.each<[string, RegisteredRenderer[], Record<string, readonly string[]>]>([
    ['distinct types', [renderer('a', { T1: ['x'] }), renderer('b', { T2: ['y'] })], { T1: ['x'], T2: ['y'] }],
    ['one type listed alike (in any order)', [renderer('a', { T: ['x', 'y'] }), renderer('b', { T: ['y', 'x'] })], { T: ['x', 'y'] }],
    ['a type nothing replaces', [renderer('a', { T: [] })], { T: [] }],
  ])('GIVEN %s THEN the union is %j', (_label, renderers, expected) => {
    expect(unionTable(renderers)).toEqual(expected);
  });

  test('GIVEN two renderers that disagree on a type THEN the union is refused, naming both', () => {
    expect(() => unionTable([renderer('records', { T: ['zoneId'] }), renderer('downPage', { T: ['zoneId', 'name'] })])).toThrow(/renderers records and downPage disagree on what replaces a T/);
  });
});
