import { describePart } from '../../../modes/changes';
import type { Provider } from '../../../modes/engines';
import type { PhaseName } from '../../../modes/fields';
import { commitGroups, keepingStateful, legsOf, moveStates, type Leg } from '../../../modes/plan/legs';
import { holderOf } from '../../../modes/plan/order';
import { resolve } from '../../../modes/resolve';
import { supportedModeStates } from '../../../modes/state';
import { formatModeWord } from '../../../modes/words';
import { estateNamed, estates } from '../../support/estates';
import { statePairs, word } from './support';

const shop = estateNamed('shop');
const words = (from: string, to: string, held = false) => moveStates(word(shop, from), word(shop, to), held).map(formatModeWord);

describe('moveStates: the declared states a move passes through', () => {
  test.each<[string, string, string, boolean, string[]]>([
    ['maintenance', 'normal@blue', 'maintenance@blue', false, ['maintenance:ahead@blue', 'maintenance:page@blue', 'maintenance@blue']],
    ['a hard-down', 'normal@blue', 'maintenance:hard-down@blue', false, ['maintenance:hard-down:ahead@blue', 'maintenance:hard-down:page@blue', 'maintenance:hard-down@blue']],
    ['leaving maintenance', 'maintenance@blue', 'normal@blue', false, ['normal:behind@blue', 'normal:page@blue', 'normal@blue']],
    ['leaving a hard-down (the records stay on the down page until the page stage)', 'maintenance:hard-down@blue', 'normal@blue', false, ['normal:hard-down:behind@blue', 'normal:page@blue', 'normal@blue']],
    ['entering up to the page only', 'normal@blue', 'maintenance:page@blue', false, ['maintenance:ahead@blue', 'maintenance:page@blue']],
    ['entering up to what goes ahead only', 'normal@blue', 'maintenance:ahead@blue', false, ['maintenance:ahead@blue']],
    ['leaving up to behind the page only', 'maintenance@blue', 'normal:behind@blue', false, ['normal:behind@blue']],
    ['resuming an entry from ahead', 'maintenance:ahead@blue', 'maintenance@blue', false, ['maintenance:page@blue', 'maintenance@blue']],
    ['resuming an entry from the page', 'maintenance:page@blue', 'maintenance@blue', false, ['maintenance@blue']],
    ['resuming a way out from behind', 'normal:behind@blue', 'normal@blue', false, ['normal:page@blue', 'normal@blue']],
    ['resuming a way out from the page', 'normal:page@blue', 'normal@blue', false, ['normal@blue']],
    ['a cutover', 'normal@blue', 'cutover@blue->green', false, ['cutover:prepare@blue->green', 'cutover:freeze@blue->green', 'cutover:restore@blue->green', 'cutover@blue->green']],
    ['a cutover up to the freeze', 'normal@blue', 'cutover:freeze@blue->green', false, ['cutover:prepare@blue->green', 'cutover:freeze@blue->green']],
    ['resuming a cutover from the freeze', 'cutover:freeze@blue->green', 'cutover@blue->green', false, ['cutover:restore@blue->green', 'cutover@blue->green']],
    ['resuming a cutover from prepare to the restore', 'cutover:prepare@blue->green', 'cutover:restore@blue->green', false, ['cutover:freeze@blue->green', 'cutover:restore@blue->green']],
    ['a whole cutover', 'normal@blue', 'normal@green', false, ['cutover:prepare@blue->green', 'cutover:freeze@blue->green', 'cutover:restore@blue->green', 'cutover@blue->green', 'normal@green']],
    ['completing a cutover', 'cutover@blue->green', 'normal@green', false, ['normal@green']],
    ['completing a cutover from the restore', 'cutover:restore@blue->green', 'normal@green', false, ['cutover@blue->green', 'normal@green']],
    ['a fail-back from a held target', 'cutover@blue->green', 'normal@blue', true, ['normal@blue']],
    ['a fail-back before traffic moved', 'cutover:freeze@blue->green', 'normal@blue', false, ['normal@blue']],
    ['a fail-back from an open target (the reverse cutover)', 'cutover@blue->green', 'normal@blue', false, ['cutover:prepare@green->blue', 'cutover:freeze@green->blue', 'cutover:restore@green->blue', 'cutover@green->blue', 'normal@blue']],
    ['a cutover from behind the page (no prepare: it would open the source)', 'maintenance@blue', 'cutover@blue->green', false, ['cutover:freeze@blue->green', 'cutover:restore@blue->green', 'cutover@blue->green']],
    ['a whole cutover from behind the page', 'maintenance@blue', 'normal@green', false, ['cutover:freeze@blue->green', 'cutover:restore@blue->green', 'cutover@blue->green', 'normal@green']],
    ['maintenance on the other colour (a cutover first)', 'normal@blue', 'maintenance@green', false, ['cutover:prepare@blue->green', 'cutover:freeze@blue->green', 'cutover:restore@blue->green', 'cutover@blue->green', 'maintenance@green']],
    ['an escalation to a hard-down', 'maintenance@blue', 'maintenance:hard-down@blue', false, ['maintenance:hard-down@blue']],
    ['no move', 'normal@blue', 'normal@blue', false, []],
  ])('GIVEN %s WHEN moving %s -> %s (held: %s) THEN the move passes through %j', (_label, from, to, held, expected) => {
    expect(words(from, to, held)).toEqual(expected);
  });

  test.each(estates.flatMap(({ estate }) => statePairs(supportedModeStates(estate)).map(([a, b]): [string, string, string] => [estate.name, a, b])))(
    'GIVEN %s WHEN moving %s -> %s THEN the states end in TO and none repeats',
    (name, from, to) => {
      const estate = estateNamed(name);
      const states = moveStates(word(estate, from), word(estate, to)).map(formatModeWord);
      expect(states[states.length - 1]).toBe(to);
      expect(new Set(states).size).toBe(states.length);
      expect(states).not.toContain(from);
    },
  );
});

describe('legsOf: a leg per stage that deploys something', () => {
  test('GIVEN a cutover without a freeze (runbook 002) WHEN taking its legs THEN the stages with nothing to deploy are dropped and the last leg reaches the end', () => {
    const rolling = estateNamed('rolling');
    const legs = legsOf(rolling, rolling, word(rolling, 'normal@blue'), word(rolling, 'normal@green'), holderOf(rolling));
    expect(legs.map((l) => formatModeWord(l.to))).toEqual(['cutover:prepare@blue->green', 'cutover@blue->green', 'normal@green']);
    expect(legs.map((l) => [l.phase, l.kind])).toEqual([['minutes-before', 'work'], ['start', 'move'], ['end', 'release']]);
    legs.slice(1).forEach((l, i) => expect(l.before).toBe(legs[i]!.after));
  });

  test('GIVEN a gate in front WHEN entering maintenance THEN the page leg deploys the gate before the work behind it, and leaving it the gate comes last', () => {
    const enter = legsOf(shop, shop, word(shop, 'normal'), word(shop, 'maintenance'), holderOf(shop));
    const leave = legsOf(shop, shop, word(shop, 'maintenance'), word(shop, 'normal'), holderOf(shop));
    expect(enter.map((l) => [l.stage, l.kind, l.order])).toEqual([['page', 'hold', ['cloudflare']], ['complete', 'work', ['aws']]]);
    // nothing goes ahead on this estate: the page stage's leg already reaches normal
    expect(leave.map((l) => [l.stage, formatModeWord(l.to), l.kind, l.order])).toEqual([['behind', 'normal:behind@blue', 'work', ['aws']], ['page', 'normal@blue', 'release', ['cloudflare']]]);
  });
});

const leg = (order: Provider[], phase: PhaseName = 'start') => ({ order, phase }) as unknown as Leg;

describe('commitGroups: the legs one commit of the state can carry', () => {
  test.each<[string, Leg[], number[]]>([
    ['the page on Cloudflare, then the work behind it on AWS', [leg(['cloudflare']), leg(['aws'])], [2]],
    ['the same engine twice', [leg(['aws']), leg(['aws'])], [1, 1]],
    ['both engines, then one of them again', [leg(['cloudflare', 'aws']), leg(['aws'])], [1, 1]],
    ['one engine, then the other in another phase', [leg(['aws'], 'minutes-before'), leg(['cloudflare'])], [1, 1]],
    ['three legs: Cloudflare, AWS, Cloudflare', [leg(['cloudflare']), leg(['aws']), leg(['cloudflare'])], [2, 1]],
  ])('GIVEN %s WHEN grouping THEN the groups have %j legs', (_label, legs, sizes) => {
    const groups = commitGroups(legs);
    expect(groups.map((g) => g.length)).toEqual(sizes);
    expect(groups.flat()).toEqual(legs);
  });

  const cases = estates.flatMap(({ estate }) => statePairs(supportedModeStates(estate)).map(([a, b]): [string, string, string] => [estate.name, a, b]));
  test.each(cases)('GIVEN %s WHEN moving %s -> %s THEN each engine deploys once per commit, and the commit\'s state gives each engine exactly its leg\'s state', (name, from, to) => {
    const estate = estateNamed(name);
    const legs = legsOf(estate, estate, word(estate, from), word(estate, to), holderOf(estate));
    for (const group of commitGroups(legs)) {
      const providers = group.flatMap((l) => l.order);
      expect(new Set(providers).size).toBe(providers.length);
      expect(new Set(group.map((l) => l.phase)).size).toBe(1);
      const committed = resolve(estate, group[group.length - 1]!.to);
      for (const l of group) for (const p of l.order) expect(describePart(p, committed[p], l.after[p]).map((c) => c.text)).toEqual([]);
    }
  });
});

describe('keepingStateful: the way back keeps what the way in created', () => {
  const bridge = estateNamed('bridge');
  const green = (e: typeof bridge) => e.aws!.databases.find((d) => d.colour === 'green')!;

  test.each([
    ['normal@blue', false],
    ['cutover:prepare@blue->green', false],
    ['cutover:freeze@blue->green', false],
    ['cutover:restore@blue->green', true],
    ['cutover@blue->green', true],
    ['normal@green', true],
  ])('GIVEN green\'s database waiting to be restored WHEN the estate stands at %s THEN it is kept (marked restored): %s', (at, kept) => {
    const estate = keepingStateful(bridge, word(bridge, at));
    expect(green(estate).restored).toBe(kept ? true : false);
    if (!kept) expect(estate).toBe(bridge);
    expect({ ...green(estate), restored: false }).toEqual(green(bridge));
  });

  test('GIVEN an estate without databases WHEN keeping THEN it is the same estate', () => {
    expect(keepingStateful(shop, word(shop, 'cutover'))).toBe(shop);
  });

  test('GIVEN a cutover that restored green WHEN going back to blue THEN the legs of the kept estate never remove the database, which the estate as written would', () => {
    const [from, to] = [word(bridge, 'cutover@blue->green'), word(bridge, 'normal@blue')];
    const removals = (e: typeof bridge) => legsOf(e, e, from, to, 'aws').flatMap((l) => l.changes.aws).filter((c) => c.component === 'database' && c.action === 'remove');
    expect(removals(bridge).map((c) => c.text)).toEqual(['RDS database cobalt-production-green removed']);
    expect(removals(keepingStateful(bridge, from))).toEqual([]);
  });
});
