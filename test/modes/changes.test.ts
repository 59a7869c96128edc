/**
 * The one loop over the registry that says what a move changes: records in registry order, each
 * component's own, the texts the plan shows.
 */
import { describeChanges, describePart, hasEffect } from '../../modes/changes';
import { resolve } from '../../modes/resolve';
import type { ModeState } from '../../modes/schema';
import { S } from '../support/components';
import { estateNamed } from '../support/estates';

const shop = estateNamed('shop');
const MOVES = ' [moves traffic]';

describe('describeChanges', () => {
  test.each<[string, ModeState, ModeState, { aws: string[]; cloudflare: string[] }]>([
    [
      'normal -> hard-down',
      S.normalBlue,
      S.hardDown,
      {
        aws: [
          // green, idle, was on its maintenance path already
          'target group shop-web-blue health check /healthz -> /healthz-maintenance',
          'target group shop-api-blue health check /api/healthz -> /api/healthz-maintenance',
          'rule shop-order-export disabled',
          'rule shop-nightly-report disabled',
          'DB firewall rule "Shop app to PostgreSQL" (shop-db-app-access) closed: port 5432 no longer open to sg-0a1b2c3d4e5f60100',
          'parameter /shop/flags/maintenance false -> true',
        ],
        cloudflare: [
          'MAINTENANCE 0 -> 1 on shop-gate',
          'verified bots blocked on example-shop.com',
          `DNS record www.example-shop.com CNAME the load balancer (shop-web-1234567890.eu-west-2.elb.amazonaws.com) -> CNAME example-shop-down.pages.dev (static down page)${MOVES}`,
        ],
      },
    ],
    [
      'normal -> cutover blue -> green (straight to the move stage)',
      S.normalBlue,
      S.cutoverBlueGreen,
      {
        aws: [
          // blue is frozen read-only and keeps its capacity (its sessions drain); green is ready and has the traffic
          'target group shop-web-blue health check /healthz -> /healthz-maintenance',
          'target group shop-web-green health check /healthz-maintenance -> /healthz',
          'target group shop-api-blue health check /api/healthz -> /api/healthz-maintenance',
          'target group shop-api-green health check /api/healthz-maintenance -> /api/healthz',
          `listener default action weights: shop-web-blue 100 -> 0, shop-web-green 0 -> 100${MOVES}`,
          `listener rule 10 weights: shop-api-blue 100 -> 0, shop-api-green 0 -> 100${MOVES}`,
          'auto scaling group shop-web-green min/max 1/1 -> 2/6',
          'rule shop-order-export disabled',
          'rule shop-nightly-report disabled',
          'DB firewall rule "Shop app to PostgreSQL" (shop-db-app-access) port 5432: sg-0a1b2c3d4e5f60100 -> sg-0a1b2c3d4e5f60100, sg-0a1b2c3d4e5f60101',
          'parameter /shop/blue/read-only false -> true',
          'parameter /shop/green/read-only true -> false',
        ],
        // staff test green behind the page (cutover.test defaults to behind-page with a gate)
        cloudflare: ['MAINTENANCE 0 -> 1 on shop-gate', 'verified bots blocked on example-shop.com'],
      },
    ],
    [
      'normal -> cutover:freeze (the source frozen, traffic not moved)',
      S.normalBlue,
      { mode: 'cutover', live: 'blue', target: 'green', hardDown: false, stage: 'freeze' },
      {
        aws: [
          'target group shop-web-blue health check /healthz -> /healthz-maintenance',
          'target group shop-web-green health check /healthz-maintenance -> /healthz',
          'target group shop-api-blue health check /api/healthz -> /api/healthz-maintenance',
          'target group shop-api-green health check /api/healthz-maintenance -> /api/healthz',
          'auto scaling group shop-web-green min/max 1/1 -> 2/6',
          'rule shop-order-export disabled',
          'rule shop-nightly-report disabled',
          'DB firewall rule "Shop app to PostgreSQL" (shop-db-app-access) port 5432: sg-0a1b2c3d4e5f60100 -> sg-0a1b2c3d4e5f60100, sg-0a1b2c3d4e5f60101',
          'parameter /shop/blue/read-only false -> true',
        ],
        cloudflare: ['READ_ONLY 0 -> 1 on shop-gate', 'verified bots blocked on example-shop.com'],
      },
    ],
  ])('GIVEN the shop WHEN it moves %s THEN the changes are these lines, in this order', (_what, from, to, expected) => {
    const changes = describeChanges(resolve(shop, from), resolve(shop, to));
    const lines = (p: 'aws' | 'cloudflare') => changes[p].map((c) => `${c.text}${c.effects.includes('moves-traffic') ? MOVES : ''}`);
    expect({ aws: lines('aws'), cloudflare: lines('cloudflare') }).toEqual(expected);
  });

  test('GIVEN a state and itself THEN nothing changes', () => {
    const d = resolve(shop, S.maintenance);
    expect(describeChanges(d, d)).toEqual({ aws: [], cloudflare: [] });
  });
});

describe('describePart', () => {
  const cf = resolve(shop, S.normalBlue).cloudflare!;
  test.each<[string, typeof cf | undefined, typeof cf | undefined, string[]]>([
    ['neither state has the part', undefined, undefined, []],
    ['the part appears', undefined, cf, ['add the Cloudflare program is added']],
    ['the part disappears', cf, undefined, ['remove the Cloudflare program is removed']],
  ])('GIVEN %s THEN it is said in one line', (_what, a, b, expected) => {
    expect(describePart('cloudflare', a, b).map((c) => `${c.action} ${c.text}`)).toEqual(expected);
  });
});

describe('hasEffect', () => {
  test.each<[ModeState, ModeState, boolean]>([
    [S.normalBlue, S.maintenance, false],
    [S.normalBlue, S.hardDown, true],
    [S.normalBlue, S.cutoverBlueGreen, true],
  ])('GIVEN the shop moving from %j to %j THEN some change moves traffic: %s', (from, to, moves) => {
    const changes = describeChanges(resolve(shop, from), resolve(shop, to));
    expect(hasEffect([...changes.aws, ...changes.cloudflare], 'moves-traffic')).toBe(moves);
  });
});
