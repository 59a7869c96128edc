import fc from 'fast-check';
import { isDrawbridgeError } from '../../modes/errors';
import type { ModeState } from '../../modes/schema';
import { USAGE_EXIT } from '../../modes/errors';
import { formatModeWord, parseModeWord, parseMove } from '../../modes/words';
import { supportedModeStates } from '../../modes/state';
import { estateNamed } from '../support/estates';

const bridge = estateNamed('bridge');

describe('parseModeWord', () => {
  test.each<[string, ModeState]>([
    ['normal', { mode: 'normal', live: 'blue', hardDown: false }],
    ['normal@green', { mode: 'normal', live: 'green', hardDown: false }],
    ['maintenance', { mode: 'maintenance', live: 'blue', hardDown: false }],
    ['maintenance@green', { mode: 'maintenance', live: 'green', hardDown: false }],
    ['maintenance:hard-down', { mode: 'maintenance', live: 'blue', hardDown: true }],
    ['maintenance:hard-down@green', { mode: 'maintenance', live: 'green', hardDown: true }],
    ['cutover', { mode: 'cutover', live: 'blue', target: 'green', hardDown: false }],
    ['cutover@blue->green', { mode: 'cutover', live: 'blue', target: 'green', hardDown: false }],
    ['cutover@green->blue', { mode: 'cutover', live: 'green', target: 'blue', hardDown: false }],
    ['cutover@blue..green', { mode: 'cutover', live: 'blue', target: 'green', hardDown: false }],
    ['committed', { mode: 'normal', live: 'blue', hardDown: false }],
    ['maintenance:ahead', { mode: 'maintenance', live: 'blue', hardDown: false, stage: 'ahead' }],
    ['maintenance:hard-down:page@green', { mode: 'maintenance', live: 'green', hardDown: true, stage: 'page' }],
    ['normal:behind@blue', { mode: 'normal', live: 'blue', hardDown: false, stage: 'behind' }],
    ['cutover:freeze@blue->green', { mode: 'cutover', live: 'blue', target: 'green', hardDown: false, stage: 'freeze' }],
    ['cutover:restore', { mode: 'cutover', live: 'blue', target: 'green', hardDown: false, stage: 'restore' }],
  ])('GIVEN the word %s WHEN parsed THEN it is the state %j', (word, expected) => {
    expect(parseModeWord(word, bridge)).toEqual(expected);
  });

  test.each<[string, RegExp]>([
    ['', /^empty mode word; allowed: normal, maintenance/],
    ['maint', /^unknown mode "maint" \(did you mean maintenance\?\); allowed: /],
    ['down', /^unknown mode "down" \(did you mean maintenance:hard-down\?\)/],
    ['offline', /^unknown mode "offline"; allowed: normal, maintenance, maintenance:hard-down, cutover/],
    ['normal@red', /^mode "normal@red": live colour "red" is not a colour; allowed colours: blue, green$/],
    ['cutover:hard-down@blue->green', /^mode "cutover:hard-down@blue->green": "hard-down" is not a stage of cutover; cutover's stages: prepare, freeze, restore, move, written cutover:STAGE$/],
    ['normal@blue->green', /only cutover names two colours; write normal@blue or normal@green$/],
    ['cutover@blue', /a cutover names both colours, live then target: cutover@blue->green or cutover@green->blue$/],
    ['cutover@blue-', /the shell took '>' as a redirection .*quote the word \('cutover@blue->green'\) or write cutover@blue\.\.green$/],
    ['cutover@blue->purple', /target colour "purple" is not a colour; allowed colours: blue, green$/],
    ['maintenance:a:b', /^mode "maintenance:a:b": "a" is not the variant hard-down or a stage of maintenance; maintenance's stages: ahead, page/],
    ['maintenance:page:ahead', /"ahead" is not the variant hard-down or a stage of maintenance/],
    ['cutover:ahead@blue->green', /"ahead" is not a stage of cutover; cutover's stages: prepare, freeze, restore, move/],
  ])('GIVEN the bad word %j WHEN parsed THEN a usage error (exit 2) says %s', (word, message) => {
    let error: unknown;
    try {
      parseModeWord(word, bridge);
    } catch (e) {
      error = e;
    }
    expect(isDrawbridgeError(error)).toBe(true);
    if (!isDrawbridgeError(error)) return;
    expect(error.exitCode).toBe(USAGE_EXIT);
    expect(error.problems).toHaveLength(1);
    expect(error.message).toMatch(message);
  });

  test('GIVEN any mode state WHEN formatted and parsed again THEN it is the same state', () => {
    const state = fc.oneof(
      fc.record({ mode: fc.constantFrom('normal' as const), live: fc.constantFrom('blue' as const, 'green' as const), hardDown: fc.constant(false) }),
      fc.record({ mode: fc.constantFrom('maintenance' as const), live: fc.constantFrom('blue' as const, 'green' as const), hardDown: fc.boolean() }),
      fc.constantFrom<ModeState>({ mode: 'cutover', live: 'blue', target: 'green', hardDown: false }, { mode: 'cutover', live: 'green', target: 'blue', hardDown: false }),
    );
    fc.assert(fc.property(state, (s) => expect(parseModeWord(formatModeWord(s), bridge)).toEqual(s)));
  });
});

describe('parseMove', () => {
  test.each<[string | undefined, string | undefined, string, string]>([
    [undefined, 'maintenance', 'normal@blue', 'maintenance@blue'],
    ['normal@blue', 'cutover@blue->green', 'normal@blue', 'cutover@blue->green'],
    // TO without a colour keeps the colour serving customers in FROM: the target after a cutover.
    ['cutover@blue->green', 'normal', 'cutover@blue->green', 'normal@green'],
    ['cutover@blue->green', 'normal@blue', 'cutover@blue->green', 'normal@blue'],
    ['normal@green', 'maintenance', 'normal@green', 'maintenance@green'],
    [undefined, undefined, 'normal@blue', 'normal@blue'],
  ])('GIVEN FROM %s and TO %s WHEN parsed THEN the move is %s -> %s', (from, to, fromWord, toWord) => {
    const move = parseMove(bridge, from, to);
    expect([formatModeWord(move.from), formatModeWord(move.to)]).toEqual([fromWord, toWord]);
  });
});

describe('supportedModeStates (the states a mode word can name)', () => {
  test.each<[string, string[]]>([
    ['shop', ['normal@blue', 'maintenance@blue', 'maintenance:hard-down@blue', 'cutover@blue->green', 'normal@green', 'maintenance@green', 'maintenance:hard-down@green', 'cutover@green->blue']],
    ['bridge', ['normal@blue', 'maintenance@blue', 'cutover@blue->green', 'normal@green', 'maintenance@green', 'cutover@green->blue']],
    ['ticketing', ['normal@blue', 'maintenance@blue']],
  ])('GIVEN the %s estate WHEN listing the states its mode words can name THEN a hard-down follows each maintenance only where there is a down page', (name, words) => {
    expect(supportedModeStates(estateNamed(name)).map(formatModeWord)).toEqual(words);
  });
});
