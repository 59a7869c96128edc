import type { DesiredBots } from '../../../../modes/desired';
import { bots } from '../../../../modes/components/cloudflare/bots';
import { brief, changes, identityCases, itemsIn, runRule, type StateName } from '../../../support/components';

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
