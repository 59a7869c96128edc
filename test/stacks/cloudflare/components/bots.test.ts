import type { DesiredBots } from '../../../../modes/desired';
import { botManagementArgs } from '../../../../stacks/cloudflare/components/bots';

const zone = (plan: DesiredBots['plan'], closed: boolean): DesiredBots => ({
  zone: 'main',
  zoneId: '3b1e4b2a9c8d7e6f5a4b3c2d1e0f9a8b',
  zoneName: 'example.com',
  plan,
  verifiedBots: closed ? 'block' : 'allow',
  fightMode: closed,
});

describe('botManagementArgs', () => {
  test.each<[DesiredBots['plan'], boolean, Record<string, unknown>]>([
    ['free', false, { fightMode: false }],
    ['free', true, { fightMode: true }],
    ['pro', false, { sbfmVerifiedBots: 'allow' }],
    ['pro', true, { sbfmVerifiedBots: 'block' }],
    ['business', true, { sbfmVerifiedBots: 'block' }],
    ['enterprise', false, { sbfmVerifiedBots: 'allow' }],
  ])('GIVEN a %s zone, closed=%s THEN the inputs set only %j besides the zone', (plan, closed, expected) => {
    expect(botManagementArgs(zone(plan, closed))).toEqual({ zoneId: '3b1e4b2a9c8d7e6f5a4b3c2d1e0f9a8b', ...expected });
  });
});
