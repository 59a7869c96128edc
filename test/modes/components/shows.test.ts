/**
 * What the public sees (each component's `shows`, and the plan's publicView over them): the edge
 * decides when Cloudflare is in front (the gate, else the application's Workers, else a hard-down's
 * records); otherwise the worst of what the serving colour's environment and flags say.
 */
import { publicView } from '../../../modes/plan/checks';
import { resolve } from '../../../modes/resolve';
import type { Estate, ModeState } from '../../../modes/schema';
import { parseModeWord } from '../../../modes/words';
import { estateNamed } from '../../support/estates';

const at = (estate: Estate, word: string): ModeState => parseModeWord(word, estate);

describe('publicView: what the public sees in each state of each example estate', () => {
  test.each<[string, string, 'open' | 'read-only' | 'down']>([
    // the gate in front (shop)
    ['shop', 'normal@blue', 'open'],
    ['shop', 'maintenance:ahead@blue', 'open'],
    ['shop', 'maintenance:page@blue', 'down'],
    ['shop', 'maintenance@blue', 'down'],
    ['shop', 'normal:behind@blue', 'down'],
    ['shop', 'normal:page@blue', 'open'],
    ['shop', 'cutover:prepare@blue->green', 'open'],
    ['shop', 'cutover:freeze@blue->green', 'read-only'],
    ['shop', 'cutover@blue->green', 'down'],
    // the application's own Workers (ticketing: no gate)
    ['ticketing', 'maintenance:ahead@blue', 'open'],
    ['ticketing', 'maintenance:page@blue', 'down'],
    ['ticketing', 'normal:page@blue', 'open'],
    // a hard-down on a gate estate, still down while it is left behind the page
    ['makerepo', 'maintenance:hard-down@blue', 'down'],
    // no Cloudflare in front: the serving environment's own maintenance mode (bridge, freeze: maintenance)
    ['bridge', 'normal@blue', 'open'],
    ['bridge', 'cutover:prepare@blue->green', 'open'],
    ['bridge', 'cutover:freeze@blue->green', 'down'],
    ['bridge', 'cutover@blue->green', 'down'],
    ['bridge', 'normal@green', 'open'],
    // the hosts' flag files (whimsy, no gate, freeze: read-only, test before the move)
    ['whimsy', 'cutover:freeze@blue->green', 'read-only'],
    ['whimsy', 'cutover@blue->green', 'open'],
    // nothing decides for rolling's flags in normal mode but its flags: open
    ['rolling', 'normal@blue', 'open'],
    ['rolling', 'maintenance@blue', 'down'],
  ])('GIVEN %s in %s THEN the public sees the site %s', (name, word, view) => {
    const estate = estateNamed(name);
    expect(publicView(resolve(estate, at(estate, word)))).toBe(view);
  });
});

describe('the edge decides before the origin', () => {
  test('GIVEN the shop frozen read-only at the gate WHEN the origin\'s flags say otherwise THEN the gate is what the public meets', () => {
    const shop = estateNamed('shop');
    const d = resolve(shop, at(shop, 'cutover:freeze@blue->green'));
    const flagsDown = { ...d, aws: { ...d.aws!, parameters: d.aws!.parameters.map((p) => (p.flag === 'maintenance' ? { ...p, set: true } : p)) } };
    expect(publicView(flagsDown)).toBe('read-only');
  });

  test('GIVEN an estate without Cloudflare WHEN the environment is open but a shared maintenance flag is on THEN the worst of the two wins', () => {
    const bridge = estateNamed('bridge');
    const d = resolve(bridge, at(bridge, 'normal@blue'));
    const withFlag = { ...d, aws: { ...d.aws!, parameters: [{ id: 'm', name: '/x/maintenance', flag: 'maintenance' as const, value: 'true', set: true }] } };
    expect(publicView(withFlag)).toBe('down');
  });
});
