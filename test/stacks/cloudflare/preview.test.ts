import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { servingColour } from '../../../modes/colours';
import { diffPulumi } from '../../../modes/diff';
import { DrawbridgeError } from '../../../modes/errors';
import { GATE_SECRET_BINDING } from '../../../modes/gate-contract';
import { movePolicy } from '../../../modes/resolve';
import type { Estate, ModeState } from '../../../modes/schema';
import { modeStateSlug } from '../../../modes/state';
import { gateBundle, readGateBundle } from '../../../stacks/cloudflare/bundle';
import { SECRET_PLACEHOLDER } from '../../../stacks/cloudflare/mocks';
import { cloudflareResources, type CloudflareResource } from '../../../stacks/cloudflare/preview';
import { REPLACE_ON_CHANGE } from '../../../stacks/cloudflare/replacement';
import { normalOf } from '../states';
import { parseModeWord } from '../../../modes/words';
import { binding, cases, cloudflareEstates, cutover, estateNamed, exampleStagedCases, hardDown, maintenance, normal, only, ROOT, scrub, shortType, TEST_SECRET, withStages } from './cases';

const renders = new Map<string, Promise<CloudflareResource[]>>();
/** Renders once per (estate, state); every test of that pair reads the same result. */
function render(estate: Estate, state: ModeState): Promise<CloudflareResource[]> {
  const key = `${estate.name}/${modeStateSlug(state)}`;
  if (!renders.has(key)) renders.set(key, cloudflareResources(estate, state, { bypassSecret: TEST_SECRET }));
  return renders.get(key)!;
}


/**
 * What the public sees in a complete state (a cutover at its default stage, move), in the mode
 * table's words: the page in maintenance, and in a cutover while the target is held behind it for
 * staff tests (the default with a gate) or the source is frozen with the page; reads only while the
 * source is frozen read-only and the public is not held.
 */
function publicSees(estate: Estate, state: ModeState): { page: boolean; readOnly: boolean } {
  const { freeze, test } = movePolicy(estate);
  const cutover = state.mode === 'cutover';
  const page = state.mode === 'maintenance' || (cutover && (test === 'behind-page' || freeze === 'maintenance'));
  return { page, readOnly: cutover && !page && freeze === 'read-only' };
}
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

  test.each(cases)('%s %s: the gate flags are what the public sees; script, content and routes do not change', async (_name, _slug, estate, state) => {
    const resources = await render(estate, state);
    const [script] = only(resources, 'WorkersScript');
    const cf = estate.cloudflare!;
    const gate = cf.gate;
    if (!gate) {
      // THEN an estate without a gate declares no Worker of Drawbridge's
      expect([...only(resources, 'WorkersScript'), ...only(resources, 'WorkersRoute')]).toEqual([]);
      return;
    }
    // THEN MAINTENANCE is on while the public sees the page, READ_ONLY while it may only read
    const sees = publicSees(estate, state);
    expect(binding(resources, 'MAINTENANCE')).toBe(sees.page ? '1' : '0');
    expect(binding(resources, 'READ_ONLY')).toBe(sees.readOnly ? '1' : '0');
    // AND the bypass key is bound as a secret whose value never leaves the program
    expect(script!.inputs.bindings).toContainEqual({ name: GATE_SECRET_BINDING, type: 'secret_text', text: SECRET_PLACEHOLDER });
    // AND the script is the built bundle under the estate's script name, on every declared route
    expect(script!.inputs).toMatchObject({ accountId: cf.accountId, scriptName: gate.scriptName, content: readGateBundle(ROOT).script, mainModule: 'gate.js' });
    const zoneIds = new Map(cf.zones.map((z) => [z.id, z.zoneId]));
    expect(only(resources, 'WorkersRoute').map((r) => r.inputs)).toEqual(
      gate.routes.map((r) => ({ pattern: r.pattern, zoneId: zoneIds.get(r.zone), script: gate.scriptName })),
    );
  });

  test.each(cases)('%s %s: verified bots are blocked while the public is held or reads only (Bot Fight Mode on free plans)', async (_name, _slug, estate, state) => {
    const sees = publicSees(estate, state);
    const closed = sees.page || sees.readOnly;
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

describe('every stage of every move of each example Cloudflare estate', () => {
  test.each(exampleStagedCases)('GIVEN %s %s WHEN rendered THEN the URNs are normal mode\'s, no input that forces a replacement differs, and the bypass secret appears nowhere', async (_name, _slug, estate, state) => {
    const [base, other] = [await render(estate, normalOf(estate)), await render(estate, state)];
    expect(other.map((r) => r.urn)).toEqual(base.map((r) => r.urn));
    expect(replaced(base, other)).toEqual([]);
    expect(JSON.stringify(other)).not.toContain(TEST_SECRET);
  });

  test.each<[string, string, string, Record<string, string>]>([
    // the shop's bots switch with the page; its gate puts the page up, and holds the public while staff test the target
    ['shop', 'maintenance:ahead@blue', 'MAINTENANCE=0 READ_ONLY=0', { shop: 'allow' }],
    ['shop', 'maintenance:page@blue', 'MAINTENANCE=1 READ_ONLY=0', { shop: 'block' }],
    ['shop', 'normal:behind@blue', 'MAINTENANCE=1 READ_ONLY=0', { shop: 'block' }],
    ['shop', 'normal:page@blue', 'MAINTENANCE=0 READ_ONLY=0', { shop: 'allow' }],
    ['shop', 'cutover:prepare@blue->green', 'MAINTENANCE=0 READ_ONLY=0', { shop: 'allow' }],
    ['shop', 'cutover:freeze@blue->green', 'MAINTENANCE=0 READ_ONLY=1', { shop: 'block' }],
    ['shop', 'cutover:restore@blue->green', 'MAINTENANCE=0 READ_ONLY=1', { shop: 'block' }],
    ['shop', 'cutover@blue->green', 'MAINTENANCE=1 READ_ONLY=0', { shop: 'block' }],
    // runbook 000: the bots switch minutes before (timing ahead) and come back with the page; the Workers hold the page
    ['ticketing', 'maintenance:ahead@blue', 'web/MAINTENANCE=0 web-services/MAINTENANCE=0', { com: 'block', couk: 'block' }],
    ['ticketing', 'maintenance:page@blue', 'web/MAINTENANCE=1 web-services/MAINTENANCE=1', { com: 'block', couk: 'block' }],
    ['ticketing', 'normal:behind@blue', 'web/MAINTENANCE=1 web-services/MAINTENANCE=1', { com: 'block', couk: 'block' }],
    ['ticketing', 'normal:page@blue', 'web/MAINTENANCE=0 web-services/MAINTENANCE=0', { com: 'allow', couk: 'allow' }],
  ])('GIVEN %s at %s WHEN rendered THEN the flags are %s and the verified bots %j', async (name, word, flags, bots) => {
    const estate = estateNamed(name);
    const resources = await render(estate, parseModeWord(word, estate));
    const kv = only(resources, 'WorkersKv').filter((r) => !String(r.inputs.keyName).includes('COMPLETION_TIME')).map((r) => `${String(r.inputs.keyName)}=${String(r.inputs.value)}`);
    const gate = ['MAINTENANCE', 'READ_ONLY'].filter(() => estate.cloudflare!.gate).map((b) => `${b}=${String(binding(resources, b))}`);
    expect([...gate, ...kv].join(' ')).toBe(flags);
    const zones = new Map(estate.cloudflare!.zones.map((z) => [z.zoneId, z.id]));
    expect(Object.fromEntries(only(resources, 'BotManagement').map((r) => [zones.get(String(r.inputs.zoneId)), r.inputs.sbfmVerifiedBots]))).toEqual(bots);
  });
});

describe('round trip', () => {
  const withMaintenance = cloudflareEstates.map(({ estate }): [string, Estate] => [estate.name, estate]);
  test.each(withMaintenance)('GIVEN %s WHEN it goes normal -> maintenance -> normal THEN maintenance changed something and normal gives back exactly its inputs', async (_name, estate) => {
    // GIVEN the estate in normal mode, then in maintenance, then in normal mode again (fresh runs, one process)
    const state = normalOf(estate);
    const first = await cloudflareResources(estate, state, { bypassSecret: TEST_SECRET });
    const closed = await cloudflareResources(estate, { ...state, mode: 'maintenance' }, { bypassSecret: TEST_SECRET });
    const again = await cloudflareResources(estate, state, { bypassSecret: TEST_SECRET });
    // THEN maintenance changed something, and leaving it restored every input
    expect(closed).not.toEqual(first);
    expect(again).toEqual(first);
  });

  const paths = cloudflareEstates.flatMap(({ estate }): [string, string, Estate, string[]][] => [
    [estate.name, 'enters and leaves maintenance', estate, ['normal@blue', 'maintenance:ahead@blue', 'maintenance:page@blue', 'maintenance@blue', 'normal:behind@blue', 'normal:page@blue', 'normal@blue']],
    ...(estate.cloudflare!.records.some((r) => r.downPageOnHardDown) ? [[estate.name, 'goes hard down and back', estate, ['normal@blue', 'maintenance:hard-down:ahead@blue', 'maintenance:hard-down:page@blue', 'maintenance:hard-down@blue', 'normal:hard-down:behind@blue', 'normal:hard-down:page@blue', 'normal@blue']] as [string, string, Estate, string[]]] : []),
    ...(withStages(estate).some((s) => s.mode === 'cutover')
      ? [[estate.name, 'cuts over to green stage by stage and fails back', estate, ['normal@blue', 'cutover:prepare@blue->green', 'cutover:freeze@blue->green', 'cutover:restore@blue->green', 'cutover@blue->green', 'normal@blue']] as [string, string, Estate, string[]]]
      : []),
  ]);
  test.each(paths)('GIVEN %s WHEN it %s THEN every step only updates in place and the last state gives back exactly the first one\'s inputs', async (_name, _what, estate, words) => {
    const states = words.map((w) => parseModeWord(w, estate));
    const rendered: CloudflareResource[][] = [];
    for (const s of states) rendered.push(await cloudflareResources(estate, s, { bypassSecret: TEST_SECRET }));
    for (let i = 1; i < rendered.length; i++) {
      const changes = diffPulumi(rendered[i - 1]!, rendered[i]!, REPLACE_ON_CHANGE).filter((c) => c.replacement || c.action !== 'modify');
      expect([words[i], changes]).toEqual([words[i], []]);
    }
    expect(rendered[rendered.length - 1]).toEqual(rendered[0]);
    expect(rendered.some((r) => JSON.stringify(r) !== JSON.stringify(rendered[0]))).toBe(true);
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
    expect(up.inputs).toMatchObject({ type: 'CNAME', content: 'shop-web-1234567890.eu-west-2.elb.amazonaws.com', proxied: true, ttl: 1 });
    // AND it is the same record (same URN), edited in place
    expect(down.urn).toBe(up.urn);
    expect(diffPulumi([up], [down], REPLACE_ON_CHANGE)).toEqual([expect.objectContaining({ id: up.urn, action: 'modify', replacement: false })]);
  });

  test.each([
    ['maintenance:hard-down:ahead@blue', 'shop-web-1234567890.eu-west-2.elb.amazonaws.com'],
    ['maintenance:hard-down:page@blue', 'example-shop-down.pages.dev'],
    ['normal:hard-down:behind@blue', 'example-shop-down.pages.dev'],
    ['normal:hard-down:page@blue', 'shop-web-1234567890.eu-west-2.elb.amazonaws.com'],
  ])('GIVEN the shop going hard down and back, at %s WHEN rendered THEN www points at %s (it moves with the page)', async (word, content) => {
    const shop = estateNamed('shop');
    const www = only(await render(shop, parseModeWord(word, shop)), 'DnsRecord').find((r) => r.inputs.name === 'www.example-shop.com')!;
    expect(www.inputs).toMatchObject({ type: 'CNAME', content, proxied: true, ttl: 1 });
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

  // whimsy has no gate: its hosts' flag files (AWS) hold the freeze; Cloudflare has its proxied record and the bots.
  test('GIVEN whimsy WHEN it freezes blue THEN the proxied A record stays on the old host, verified bots are blocked (Bot Fight Mode, free plan) and no Worker is declared', async () => {
    const resources = await render(estateNamed('whimsy'), { ...cutover, stage: 'freeze' });
    expect(only(resources, 'DnsRecord')[0]!.inputs).toMatchObject({ type: 'A', content: '192.0.2.10', proxied: true, ttl: 1 });
    expect(only(resources, 'BotManagement')[0]!.inputs).toEqual({ zoneId: 'ffeeddccbbaa00998877665544332211', fightMode: true });
    expect(resources.map((r) => shortType(r.type)).sort()).toEqual(['BotManagement', 'DnsRecord']);
  });

  test('GIVEN whimsy WHEN traffic moves to green THEN the A record points at the new host, edited in place', async () => {
    const [before, after] = [await render(estateNamed('whimsy'), { ...cutover, stage: 'freeze' }), await render(estateNamed('whimsy'), cutover)];
    expect(only(after, 'DnsRecord')[0]!.inputs).toMatchObject({ type: 'A', content: '192.0.2.20', proxied: true, ttl: 1 });
    expect(diffPulumi(only(before, 'DnsRecord'), only(after, 'DnsRecord'), REPLACE_ON_CHANGE)).toEqual([expect.objectContaining({ action: 'modify', replacement: false })]);
  });

  test('GIVEN makerepo WHEN traffic moves to the new server THEN both records follow it while the gate holds the public on the page for the staff checks', async () => {
    const resources = await render(estateNamed('makerepo'), cutover);
    expect(only(resources, 'DnsRecord').map((r) => [r.inputs.name, r.inputs.content])).toEqual([
      ['makerepo.example.ca', 'rails-2.hosting-example.net'],
      ['direct.makerepo.example.ca', '198.51.100.24'],
      ['down.makerepo.example.ca', 'makerepo-is-down.pages.dev'],
    ]);
    expect([binding(resources, 'MAINTENANCE'), binding(resources, 'READ_ONLY')]).toEqual(['1', '0']);
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
    await expect(cloudflareResources(estateNamed('ticketing'), cutover)).rejects.toThrow(DrawbridgeError);
    await expect(cloudflareResources(shop, normal, { bypassSecret: TEST_SECRET })).resolves.toEqual(await render(shop, normal));
  });
});

describe('refusals and edges', () => {
  test('GIVEN a state the estate does not support (a cutover on ticketing, which has no colours) THEN the model refuses it with its message', async () => {
    await expect(cloudflareResources(estateNamed('ticketing'), cutover)).rejects.toThrow(/mode cutover needs an estate with blue and green parts/);
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
