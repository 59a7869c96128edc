import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { servingColour } from '../../../modes/colours';
import { diffPulumi } from '../../../modes/diff';
import { DrawbridgeError } from '../../../modes/errors';
import { GATE_SECRET_BINDING } from '../../../modes/gate-contract';
import type { Estate, ModeState } from '../../../modes/schema';
import { modeStateSlug, supportedModeStates } from '../../../modes/state';
import { gateBundle, readGateBundle } from '../../../stacks/cloudflare/bundle';
import { SECRET_PLACEHOLDER } from '../../../stacks/cloudflare/mocks';
import { cloudflareResources, type CloudflareResource } from '../../../stacks/cloudflare/preview';
import { REPLACE_ON_CHANGE } from '../../../stacks/cloudflare/replacement';
import { binding, cases, cloudflareEstates, cutover, estateNamed, hardDown, maintenance, normal, only, ROOT, scrub, TEST_SECRET } from './cases';

const renders = new Map<string, Promise<CloudflareResource[]>>();
/** Renders once per (estate, state); every test of that pair reads the same result. */
function render(estate: Estate, state: ModeState): Promise<CloudflareResource[]> {
  const key = `${estate.name}/${modeStateSlug(state)}`;
  if (!renders.has(key)) renders.set(key, cloudflareResources(estate, state, { bypassSecret: TEST_SECRET }));
  return renders.get(key)!;
}

const normalOf = (estate: Estate): ModeState => supportedModeStates(estate)[0]!;
/** The resources a move from `before` to `after` replaces, with the inputs that force it. */
const replaced = (before: readonly CloudflareResource[], after: readonly CloudflareResource[]) =>
  diffPulumi(before, after, REPLACE_ON_CHANGE)
    .filter((c) => c.replacement)
    .map((c) => [c.id, c.replacedBecause]);

test('the example estates include Cloudflare ones to render', () => {
  expect(cloudflareEstates.length).toBeGreaterThan(0);
  expect(cases.length).toBeGreaterThanOrEqual(cloudflareEstates.length * 2);
});

describe('every Cloudflare estate in every mode it supports', () => {
  test.each(cases)('%s %s: resources and inputs are the reviewed ones', async (_name, _slug, estate, state) => {
    // GIVEN an example estate WHEN its Cloudflare side is rendered in a mode
    const resources = await render(estate, state);
    // THEN the declared resources and their inputs are the reviewed snapshot
    expect(scrub(resources)).toMatchSnapshot();
  });

  test.each(cases)('%s %s: the gate flags follow the mode; script, content and routes do not', async (_name, _slug, estate, state) => {
    const resources = await render(estate, state);
    const [script] = only(resources, 'WorkersScript');
    const cf = estate.cloudflare!;
    // THEN MAINTENANCE is on in maintenance only and READ_ONLY in a cutover only
    expect(binding(resources, 'MAINTENANCE')).toBe(state.mode === 'maintenance' ? '1' : '0');
    expect(binding(resources, 'READ_ONLY')).toBe(state.mode === 'cutover' ? '1' : '0');
    // AND the bypass key is bound as a secret whose value never leaves the program
    expect(script!.inputs.bindings).toContainEqual({ name: GATE_SECRET_BINDING, type: 'secret_text', text: SECRET_PLACEHOLDER });
    // AND the script is the built bundle under the estate's script name, on every declared route
    expect(script!.inputs).toMatchObject({ accountId: cf.accountId, scriptName: cf.gate.scriptName, content: readGateBundle(ROOT).script, mainModule: 'gate.js' });
    const zoneIds = new Map(cf.zones.map((z) => [z.id, z.zoneId]));
    expect(only(resources, 'WorkersRoute').map((r) => r.inputs)).toEqual(
      cf.gate.routes.map((r) => ({ pattern: r.pattern, zoneId: zoneIds.get(r.zone), script: cf.gate.scriptName })),
    );
  });

  test.each(cases)('%s %s: verified bots are blocked while closed (Bot Fight Mode on free plans)', async (_name, _slug, estate, state) => {
    const closed = state.mode !== 'normal';
    const resources = await render(estate, state);
    // THEN each zone gets the setting its plan has: SBFM's verified-bots action on Pro and up, Bot Fight Mode on free
    expect(only(resources, 'BotManagement').map((r) => r.inputs)).toEqual(
      estate.cloudflare!.zones.map((z) =>
        z.plan === 'free' ? { zoneId: z.zoneId, fightMode: closed } : { zoneId: z.zoneId, sbfmVerifiedBots: closed ? 'block' : 'allow' },
      ),
    );
  });

  test.each(cases)('%s %s: records point where the mode says; proxied ones use automatic TTL', async (_name, _slug, estate, state) => {
    const resources = await render(estate, state);
    const cf = estate.cloudflare!;
    const records = new Map(only(resources, 'DnsRecord').map((r) => [r.inputs.name, r.inputs]));
    for (const spec of cf.records) {
      const inputs = records.get(spec.name)!;
      const down = state.hardDown && spec.downPageOnHardDown;
      const t = spec.target;
      const origin = 'value' in t ? t.value : 'loadBalancer' in t ? estate.aws!.loadBalancer!.dnsName : 'colours' in t ? t.colours[servingColour(state)] : undefined;
      if (down) {
        // THEN in a hard-down the site record is a proxied CNAME to the down page's Pages domain
        expect(inputs).toMatchObject({ type: 'CNAME', content: `${cf.downPage!.projectName}.pages.dev`, proxied: true, ttl: 1 });
      } else if (origin !== undefined) {
        // THEN otherwise it points at its origin (the serving colour's during a cutover)
        expect(inputs).toMatchObject({ type: spec.type, content: origin, proxied: spec.proxied });
      }
      // AND a proxied record always has automatic TTL; an unproxied one its TTL (the transition TTL while a window is declared)
      if (inputs.proxied) expect(inputs.ttl).toBe(1);
      else expect(inputs.ttl).toBe(estate.window && spec.transitionTtl !== undefined ? spec.transitionTtl : (spec.ttl ?? 300));
    }
  });

  test.each(cases)('%s %s: same URNs as normal mode and no input that forces a replacement changes', async (_name, _slug, estate, state) => {
    // GIVEN the estate rendered in normal mode and in this mode
    const base = await render(estate, normalOf(estate));
    const other = await render(estate, state);
    // THEN the same resources exist under the same URNs, in the same order
    expect(other.map((r) => r.urn)).toEqual(base.map((r) => r.urn));
    // AND none of the inputs the provider cannot change in place differs: a mode switch only updates
    expect(replaced(base, other)).toEqual([]);
  });

  test.each(cases)('%s %s: the bypass secret appears in no rendering', async (_name, _slug, estate, state) => {
    const resources = await render(estate, state);
    expect(JSON.stringify(resources)).not.toContain(TEST_SECRET);
    expect(JSON.stringify(scrub(resources))).not.toContain(TEST_SECRET);
  });
});

describe('round trip', () => {
  const withMaintenance = cloudflareEstates.map(({ estate }): [string, Estate] => [estate.name, estate]);
  test.each(withMaintenance)('%s: normal -> maintenance -> normal gives back exactly the normal inputs', async (_name, estate) => {
    // GIVEN the estate in normal mode, then in maintenance, then in normal mode again (fresh runs, one process)
    const state = normalOf(estate);
    const first = await cloudflareResources(estate, state, { bypassSecret: TEST_SECRET });
    const closed = await cloudflareResources(estate, { ...state, mode: 'maintenance' }, { bypassSecret: TEST_SECRET });
    const again = await cloudflareResources(estate, state, { bypassSecret: TEST_SECRET });
    // THEN maintenance changed something, and leaving it restored every input
    expect(closed).not.toEqual(first);
    expect(again).toEqual(first);
  });
});

describe('worked examples', () => {
  test('GIVEN the shop WHEN it enters maintenance THEN the gate closes and verified bots are blocked', async () => {
    const shop = estateNamed('shop');
    const resources = await render(shop, maintenance);
    expect(binding(resources, 'MAINTENANCE')).toBe('1');
    expect(binding(resources, 'READ_ONLY')).toBe('0');
    expect(only(resources, 'BotManagement')[0]!.inputs).toEqual({ zoneId: '3b1e4b2a9c8d7e6f5a4b3c2d1e0f9a8b', sbfmVerifiedBots: 'block' });
    // AND DNS is unchanged: the gate answers in front of the origin
    expect(only(resources, 'DnsRecord').map((r) => r.inputs)).toEqual(only(await render(shop, normal), 'DnsRecord').map((r) => r.inputs));
  });

  test('GIVEN the shop WHEN it is hard down THEN www is a proxied CNAME to the Pages domain, and normal mode brings the origin back', async () => {
    const shop = estateNamed('shop');
    const www = (rs: CloudflareResource[]) => only(rs, 'DnsRecord').find((r) => r.inputs.name === 'www.example-shop.com')!;
    const down = www(await render(shop, hardDown));
    const up = www(await render(shop, normal));
    expect(down.inputs).toMatchObject({ type: 'CNAME', content: 'example-shop-down.pages.dev', proxied: true, ttl: 1 });
    expect(up.inputs).toMatchObject({ type: 'CNAME', content: 'origin.example-shop.com', proxied: true, ttl: 1 });
    // AND it is the same record (same URN), edited in place
    expect(down.urn).toBe(up.urn);
    expect(diffPulumi([up], [down], REPLACE_ON_CHANGE)).toEqual([expect.objectContaining({ id: up.urn, action: 'modify', replacement: false })]);
  });

  test('GIVEN a site record that a hard-down moves THEN its host is a custom domain of the Pages project in every mode (Pages answers 522 for hosts it does not know)', async () => {
    const shop = estateNamed('shop');
    const site = (rs: CloudflareResource[]) => only(rs, 'PagesDomain').filter((r) => r.inputs.name === 'www.example-shop.com');
    const [normalDomains, downDomains] = [site(await render(shop, normal)), site(await render(shop, hardDown))];
    expect(normalDomains.map((r) => r.inputs)).toEqual([{ accountId: '0123456789abcdef0123456789abcdef', projectName: 'example-shop-down', name: 'www.example-shop.com' }]);
    expect(downDomains.map((r) => [r.urn, r.inputs])).toEqual(normalDomains.map((r) => [r.urn, r.inputs]));
  });

  test('GIVEN an estate with a load balancer target THEN the record content is the ALB DNS name from the estate', async () => {
    const api = only(await render(estateNamed('shop'), normal), 'DnsRecord').find((r) => r.inputs.name === 'api.example-shop.com')!;
    expect(api.inputs.content).toBe(estateNamed('shop').aws!.loadBalancer!.dnsName);
  });

  test('GIVEN makerepo (free plan, down page on its own domain) WHEN it is hard down THEN Bot Fight Mode is on and the down page domain is served by Pages', async () => {
    const resources = await render(estateNamed('makerepo'), hardDown);
    expect(only(resources, 'BotManagement')[0]!.inputs).toEqual({ zoneId: '9f8e7d6c5b4a3928170f6e5d4c3b2a19', fightMode: true });
    expect(only(resources, 'PagesProject')[0]!.inputs).toEqual({ accountId: '0a1b2c3d4e5f60718293a4b5c6d7e8f9', name: 'makerepo-is-down', productionBranch: 'main' });
    expect(only(resources, 'PagesDomain')[0]!.inputs).toEqual({ accountId: '0a1b2c3d4e5f60718293a4b5c6d7e8f9', projectName: 'makerepo-is-down', name: 'down.makerepo.example.ca' });
    expect(only(resources, 'DnsRecord').map((r) => [r.inputs.name, r.inputs.content, r.inputs.proxied, r.inputs.ttl])).toEqual([
      ['makerepo.example.ca', 'makerepo-is-down.pages.dev', true, 1],
      ['direct.makerepo.example.ca', '198.51.100.23', false, 60],
      ['down.makerepo.example.ca', 'makerepo-is-down.pages.dev', true, 1],
    ]);
  });

  test('GIVEN whimsy WHEN it cuts over from blue to green THEN the site is read-only and the proxied A record moves to the new host', async () => {
    const whimsy = estateNamed('whimsy');
    const resources = await render(whimsy, cutover);
    expect(binding(resources, 'READ_ONLY')).toBe('1');
    expect(binding(resources, 'MAINTENANCE')).toBe('0');
    expect(only(resources, 'DnsRecord')[0]!.inputs).toMatchObject({ type: 'A', content: '192.0.2.20', proxied: true, ttl: 1 });
  });

  test('GIVEN makerepo with a window declared THEN its DNS-only record carries the transition TTL', async () => {
    const direct = only(await render(estateNamed('makerepo'), normal), 'DnsRecord').find((r) => r.inputs.name === 'direct.makerepo.example.ca')!;
    expect(direct.inputs).toMatchObject({ type: 'A', content: '198.51.100.23', proxied: false, ttl: 60 });
  });
});

describe('running many times in one process', () => {
  test('GIVEN several renderings started at once THEN each equals its rendering run alone', async () => {
    const all = cases.slice(0, 6);
    const together = await Promise.all(all.map(([, , estate, state]) => cloudflareResources(estate, state, { bypassSecret: TEST_SECRET })));
    for (const [i, [, , estate, state]] of all.entries()) expect(together[i]).toEqual(await render(estate, state));
  });

  test('GIVEN a failing run THEN the next one still works', async () => {
    const shop = estateNamed('shop');
    await expect(cloudflareResources(estateNamed('makerepo'), cutover)).rejects.toThrow(DrawbridgeError);
    await expect(cloudflareResources(shop, normal, { bypassSecret: TEST_SECRET })).resolves.toEqual(await render(shop, normal));
  });
});

describe('refusals and edges', () => {
  test('GIVEN a state the estate does not support THEN the model refuses it with its message', async () => {
    await expect(cloudflareResources(estateNamed('makerepo'), cutover)).rejects.toThrow(/mode cutover needs an estate with blue and green parts/);
  });

  test('GIVEN no gate bundle THEN the user is told to run npm run build:edge', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'drawbridge-no-dist-'));
    await expect(cloudflareResources(estateNamed('shop'), normal, { projectRoot: empty })).rejects.toThrow(/npm run build:edge/);
  });

  test('GIVEN an estate without a cloudflare part THEN there is nothing to render', async () => {
    const shop = estateNamed('shop');
    const { cloudflare: _cf, ...withoutCloudflare } = shop;
    await expect(cloudflareResources(withoutCloudflare as Estate, normal)).resolves.toEqual([]);
  });

  test('GIVEN a bundle passed in THEN it is uploaded as given', async () => {
    const resources = await cloudflareResources(estateNamed('shop'), normal, { gate: gateBundle('export default { fetch() {} };') });
    expect(only(resources, 'WorkersScript')[0]!.inputs).toMatchObject({ content: 'export default { fetch() {} };', mainModule: 'gate.js' });
  });
});

afterAll(() => {
  // The committed snapshot itself must not hold the test secret either.
  const snap = join(__dirname, '__snapshots__', 'preview.test.ts.snap');
  if (existsSync(snap)) expect(readFileSync(snap, 'utf8')).not.toContain(TEST_SECRET);
});
