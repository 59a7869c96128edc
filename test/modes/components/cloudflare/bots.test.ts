import type { DesiredBots } from '../../../../modes/desired';
import type { ModeState } from '../../../../modes/fields';
import type { MovePolicy } from '../../../../modes/mode-table';
import { bots } from '../../../../modes/components/cloudflare/bots';
import { brief, changes, estateItems, identityCases, itemsIn, runRule, type StateName, titled } from '../../../support/components';

const zone = (id: string, plan: string) => ({ id, zoneId: id.padEnd(32, '0').replace(/[^0-9a-f]/g, 'a'), name: `${id}.example.com`, plan });
const SPEC = [zone('shop', 'pro'), zone('blog', 'free')];

const desired = (more: Partial<DesiredBots> = {}): DesiredBots & { id: string } => ({
  id: 'blog',
  zone: 'blog',
  zoneId: 'b'.repeat(32),
  zoneName: 'blog.example.com',
  plan: 'free',
  verifiedBots: 'allow',
  fightMode: false,
  ...more,
});

describe('bots.resolve', () => {
  test.each<[StateName, string[]]>([
    ['normalBlue', ['allow/off', 'allow/off']],
    ['maintenance', ['block/off', 'block/on']],
    ['hardDown', ['block/off', 'block/on']],
    ['cutoverBlueGreen', ['block/off', 'block/on']],
    ['normalGreen', ['allow/off', 'allow/off']],
  ])('GIVEN a Pro zone and a free zone WHEN resolved in %s THEN verified bots / bot fight mode are %j', (state, expected) => {
    expect((itemsIn(bots, SPEC, state) as DesiredBots[]).map((b) => `${b.verifiedBots}/${b.fightMode ? 'on' : 'off'}`)).toEqual(expected);
  });

  const blue = (mode: ModeState['mode'], stage?: ModeState['stage']): ModeState => ({ mode, live: 'blue', hardDown: false, ...(mode === 'cutover' ? { target: 'green' as const } : {}), ...(stage ? { stage } : {}) });
  // Bots switch with the page (what the public sees): blocked while it is held or read-only.
  test.each(titled<[string, ModeState, MovePolicy | undefined, string]>([
    ['maintenance:ahead', blue('maintenance', 'ahead'), undefined, 'allow/off'],
    ['maintenance:page', blue('maintenance', 'page'), undefined, 'block/on'],
    ['normal:behind', blue('normal', 'behind'), undefined, 'block/on'],
    ['normal:page', blue('normal', 'page'), undefined, 'allow/off'],
    ['cutover:prepare', blue('cutover', 'prepare'), undefined, 'allow/off'],
    ['cutover:freeze (read-only)', blue('cutover', 'freeze'), undefined, 'block/on'],
    ['cutover:restore', blue('cutover', 'restore'), undefined, 'block/on'],
    ['cutover:move (held behind the page)', blue('cutover', 'move'), undefined, 'block/on'],
    ['cutover:move without a freeze, tested before the move', blue('cutover', 'move'), { freeze: 'none', test: 'before-move' }, 'allow/off'],
  ]))('GIVEN a free zone WHEN resolved in $what THEN verified bots / bot fight mode are $expected', ({ row: [, state, policy, expected] }) => {
    const [b] = itemsIn(bots, [SPEC[1]], state, policy ? { policy } : {}) as DesiredBots[];
    expect(`${b!.verifiedBots}/${b!.fightMode ? 'on' : 'off'}`).toBe(expected);
  });

  test.each(titled<[string, ModeState, string]>([
    ['maintenance:ahead', blue('maintenance', 'ahead'), 'block'],
    ['maintenance:page', blue('maintenance', 'page'), 'block'],
    ['normal:behind', blue('normal', 'behind'), 'block'],
    ['normal:page', blue('normal', 'page'), 'block'],
    ['normal', blue('normal'), 'allow'],
  ]))('GIVEN a zone blocking bots ahead of the page and allowing them after it WHEN resolved in $what THEN they are $expected', ({ row: [, state, expected] }) => {
    const early = { ...SPEC[0], timing: { enter: 'ahead', leave: 'ahead' } };
    expect((itemsIn(bots, [early], state) as DesiredBots[]).map((b) => b.verifiedBots)).toEqual([expected]);
  });

  // Runbook 000: "Allow verified bots" off minutes before the start, on again at the end.
  test.each(titled<[string, ModeState, string]>([
    ['maintenance:ahead', blue('maintenance', 'ahead'), 'block'],
    ['maintenance:page', blue('maintenance', 'page'), 'block'],
    ['maintenance', blue('maintenance'), 'block'],
    ['normal:behind', blue('normal', 'behind'), 'block'],
    ['normal:page', blue('normal', 'page'), 'allow'],
  ]))('GIVEN a zone blocking bots ahead of the page and allowing them as it comes down WHEN resolved in $what THEN they are $expected', ({ row: [, state, expected] }) => {
    const ticketing = { ...SPEC[0], timing: { enter: 'ahead', leave: 'page' } };
    expect((itemsIn(bots, [ticketing], state) as DesiredBots[]).map((b) => b.verifiedBots)).toEqual([expected]);
  });

  test('GIVEN the ticketing estate WHEN it enters and leaves maintenance THEN both zones block verified bots from ahead until the page comes down', () => {
    const states = [blue('maintenance', 'ahead'), blue('maintenance', 'page'), blue('maintenance'), blue('normal', 'behind'), blue('normal', 'page')];
    const at = (state: ModeState) => estateItems<DesiredBots>(bots, 'ticketing', state).map((b) => `${b.zone} ${b.verifiedBots}`).join(', ');
    expect(states.map(at)).toEqual(['com block, couk block', 'com block, couk block', 'com block, couk block', 'com block, couk block', 'com allow, couk allow']);
  });

  // Runbook 003 has no gate: the free zone still closes to crawlers while the source is read-only, and opens on normal at the target.
  test.each(titled<[string, ModeState, string]>([
    ['normal, blue live', blue('normal'), 'allow/off'],
    ['cutover:prepare', blue('cutover', 'prepare'), 'allow/off'],
    ['cutover:freeze', blue('cutover', 'freeze'), 'block/on'],
    ['cutover:move', blue('cutover', 'move'), 'block/on'],
    ['normal, green live', { mode: 'normal', live: 'green', hardDown: false }, 'allow/off'],
  ]))('GIVEN the whimsy estate WHEN resolved in $what THEN verified bots / bot fight mode are $expected', ({ row: [, state, expected] }) => {
    expect(estateItems<DesiredBots>(bots, 'whimsy', state).map((b) => `${b.verifiedBots}/${b.fightMode ? 'on' : 'off'}`)).toEqual([expected]);
  });

  test('GIVEN a zone WHEN resolved THEN its item carries the estate id, the Cloudflare id, its name and plan', () => {
    const [shop] = SPEC;
    expect(itemsIn(bots, [shop], 'maintenance')).toEqual([{ id: 'shop', zone: 'shop', zoneId: shop!.zoneId, zoneName: 'shop.example.com', plan: 'pro', verifiedBots: 'block', fightMode: false }]);
  });
});

describe('bots.describe', () => {
  test.each<[string, ReturnType<typeof desired> | undefined, ReturnType<typeof desired> | undefined, ReturnType<typeof brief>[]]>([
    ['nothing changed', desired(), desired(), []],
    [
      'a free zone closing',
      desired(),
      desired({ verifiedBots: 'block', fightMode: true }),
      [
        { text: 'verified bots blocked on blog.example.com', action: 'modify', field: 'verifiedBots', effects: [] },
        { text: 'bot fight mode switched on for blog.example.com', action: 'modify', field: 'fightMode', effects: [] },
      ],
    ],
    ['a Pro zone opening', desired({ plan: 'pro', verifiedBots: 'block' }), desired({ plan: 'pro' }), [{ text: 'verified bots allowed on blog.example.com', action: 'modify', field: 'verifiedBots', effects: [] }]],
    ['a zone added with the estate', undefined, desired(), []],
    ['a zone removed with the estate', desired(), undefined, []],
  ])('GIVEN %s WHEN described THEN the change records say so', (_what, before, after, expected) => {
    expect(changes(bots, before, after).map(brief)).toEqual(expected);
  });

  test('GIVEN bots blocked WHEN described THEN the record names the zone by its estate id and its name', () => {
    expect(changes(bots, desired(), desired({ verifiedBots: 'block' }))).toEqual([
      expect.objectContaining({ provider: 'cloudflare', component: 'bots', id: 'blog', name: 'blog.example.com', from: 'allow', to: 'block' }),
    ]);
  });
});

describe('bots rules', () => {
  test.each<[string, unknown, string[]]>([
    ['distinct zones', SPEC, []],
    ['a duplicate zone id', [zone('shop', 'pro'), zone('shop', 'free')], ["cloudflare.zones[1].id: duplicate id 'shop' (already used at cloudflare.zones[0]); each id must be unique"]],
  ])('GIVEN %s WHEN uniqueZones runs THEN it reports the listed problems', (_what, spec, expected) => {
    expect(runRule(bots, 'uniqueZones', spec)).toEqual(expected);
  });
});

describe('bots.identity', () => {
  test.each(identityCases(bots))('GIVEN the %s estate WHEN resolved in every mode state it supports (%s) THEN every zone keeps its identity', (_name, _states, ids) => {
    for (const other of ids) expect(other).toEqual(ids[0]);
  });

  test('GIVEN only the bot settings change THEN the identity is the same; another zone id is not', () => {
    expect(bots.identity(desired({ verifiedBots: 'block', fightMode: true }))).toEqual(bots.identity(desired()));
    expect(bots.identity(desired({ zoneId: 'c'.repeat(32) }))).not.toEqual(bots.identity(desired()));
  });
});
