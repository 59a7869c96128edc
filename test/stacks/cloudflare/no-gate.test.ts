/**
 * An estate without Drawbridge's gate (runbook 000's site with its own Workers, fixtures/workers.yaml):
 * it renders without a gate bundle, its app Workers' keys carry the mode, and every supported mode
 * state and stage is an update of the same resources, never a replacement.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diffPulumi } from '../../../modes/diff';
import type { Estate, ModeState } from '../../../modes/schema';
import { modeStateSlug } from '../../../modes/state';
import { diffEngines } from '../../../stacks/diff';
import { settleRegistrations, useDrawbridgeMocks } from '../../../stacks/cloudflare/mocks';
import { cloudflareResources, resolveOutputs, type CloudflareResource } from '../../../stacks/cloudflare/preview';
import { runCloudflareStack } from '../../../stacks/cloudflare/program';
import { REPLACE_ON_CHANGE } from '../../../stacks/cloudflare/replacement';
import { estateNamed, fixtureEstates, hardDown, normal, only, TEST_SECRET, withStages } from './cases';

const tickets = estateNamed('tickets');
/** A project root with no dist/: no gate bundle was ever built. */
const NO_BUNDLE = mkdtempSync(join(tmpdir(), 'drawbridge-no-bundle-'));
const render = (estate: Estate, state: ModeState) => cloudflareResources(estate, state, { projectRoot: NO_BUNDLE });
const kv = (rs: CloudflareResource[]) => Object.fromEntries(only(rs, 'WorkersKv').map((r) => [r.inputs.keyName, r.inputs.value]));
const at = (mode: ModeState['mode'], stage?: ModeState['stage'], more: Partial<ModeState> = {}): ModeState => ({
  mode,
  live: 'blue',
  hardDown: false,
  ...(mode === 'cutover' ? { target: 'green' as const } : {}),
  ...(stage ? { stage } : {}),
  ...more,
});

const stateCases = fixtureEstates.flatMap(({ estate }) => withStages(estate).map((s): [string, string, Estate, ModeState] => [estate.name, modeStateSlug(s), estate, s]));

test('the fixture has no gate, app Workers and states of every mode with their stages', () => {
  expect(tickets.cloudflare!.gate).toBeUndefined();
  expect(tickets.cloudflare!.appWorkers!.workers.map((w) => w.scriptName)).toEqual(['web', 'web-services']);
  expect(new Set(stateCases.map(([, slug]) => slug.split('-')[0]))).toEqual(new Set(['normal', 'maintenance', 'cutover']));
  expect(stateCases.some(([, , , s]) => s.stage)).toBe(true);
});

describe.each(stateCases)('%s %s', (_name, _slug, estate, state) => {
  test('renders without a gate bundle, and declares no Worker of Drawbridge\'s', async () => {
    const resources = await render(estate, state);
    expect([...only(resources, 'WorkersScript'), ...only(resources, 'WorkersRoute')]).toEqual([]);
    expect(only(resources, 'WorkersKvNamespace')).toHaveLength(1);
  });

  test('keeps the URNs of normal mode and replaces nothing', async () => {
    const [base, other] = [await render(estate, normal), await render(estate, state)];
    expect(other.map((r) => r.urn)).toEqual(base.map((r) => r.urn));
    expect(diffPulumi(base, other, REPLACE_ON_CHANGE).filter((c) => c.replacement || c.action !== 'modify')).toEqual([]);
  });

  test('drawbridge diff from normal calls it safe', async () => {
    const diff = await diffEngines({ fromEstate: estate, from: normal, estate, to: state, pulumiStack: 'test' });
    expect([diff.safe, diff.unsafe, diff.aws]).toEqual([true, [], undefined]);
  });
});

describe('the app Workers\' keys through the moves', () => {
  test.each<[string, ModeState, Record<string, string>]>([
    ['normal', normal, { 'web/MAINTENANCE': '0', 'web/READ_ONLY': '0', 'web-services/MAINTENANCE': '0' }],
    ['maintenance:ahead', at('maintenance', 'ahead'), { 'web/MAINTENANCE': '0', 'web/READ_ONLY': '0', 'web-services/MAINTENANCE': '0' }],
    ['maintenance:page', at('maintenance', 'page'), { 'web/MAINTENANCE': '1', 'web/READ_ONLY': '0', 'web-services/MAINTENANCE': '1' }],
    ['maintenance', at('maintenance'), { 'web/MAINTENANCE': '1', 'web/READ_ONLY': '0', 'web-services/MAINTENANCE': '1' }],
    ['normal:behind', at('normal', 'behind'), { 'web/MAINTENANCE': '1', 'web/READ_ONLY': '0', 'web-services/MAINTENANCE': '1' }],
    ['normal:page', at('normal', 'page'), { 'web/MAINTENANCE': '0', 'web/READ_ONLY': '0', 'web-services/MAINTENANCE': '0' }],
    ['cutover:prepare', at('cutover', 'prepare'), { 'web/MAINTENANCE': '0', 'web/READ_ONLY': '0', 'web-services/MAINTENANCE': '0' }],
    ['cutover:freeze', at('cutover', 'freeze'), { 'web/MAINTENANCE': '0', 'web/READ_ONLY': '1', 'web-services/MAINTENANCE': '0' }],
    // without a gate, staff test before the move: the public stays read-only until normal on green
    ['cutover:move', at('cutover', 'move'), { 'web/MAINTENANCE': '0', 'web/READ_ONLY': '1', 'web-services/MAINTENANCE': '0' }],
    ['normal on green', at('normal', undefined, { live: 'green' }), { 'web/MAINTENANCE': '0', 'web/READ_ONLY': '0', 'web-services/MAINTENANCE': '0' }],
  ])('GIVEN %s THEN the flags are %j and the completion times are the window\'s end', async (_what, state, flags) => {
    const keys = kv(await render(tickets, state));
    expect(keys).toMatchObject(flags);
    expect([keys['web/COMPLETION_TIME_UK'], keys['web/COMPLETION_TIME_ET'], keys['web/COMPLETION_TIME_PT']]).toEqual([
      'Sun 17 Mar 2030, 09:00 GMT',
      'Sun 17 Mar 2030, 05:00 EDT',
      'Sun 17 Mar 2030, 02:00 PDT',
    ]);
  });

  test.each<[string, ModeState[]]>([
    ['entering and leaving maintenance', [normal, at('maintenance', 'ahead'), at('maintenance', 'page'), at('maintenance'), at('normal', 'behind'), at('normal', 'page'), normal]],
    ['a cutover and opening the target', [normal, at('cutover', 'prepare'), at('cutover', 'freeze'), at('cutover', 'restore'), at('cutover', 'move'), at('normal', undefined, { live: 'green' })]],
  ])('GIVEN %s stage by stage THEN each step only updates in place, and the way back gives the inputs back', async (_what, states) => {
    const rendered = [];
    for (const s of states) rendered.push(await render(tickets, s));
    for (let i = 1; i < rendered.length; i++) {
      expect([modeStateSlug(states[i]!), diffPulumi(rendered[i - 1]!, rendered[i]!, REPLACE_ON_CHANGE).filter((c) => c.replacement || c.action !== 'modify')]).toEqual([modeStateSlug(states[i]!), []]);
    }
    if (states[states.length - 1] === normal) expect(rendered[rendered.length - 1]).toEqual(rendered[0]);
  });

  test('GIVEN a hard-down without a gate THEN the site record moves to the down page and the Workers show their page', async () => {
    const resources = await render(tickets, hardDown);
    expect(only(resources, 'DnsRecord').find((r) => r.inputs.name === 'www.tickets-example.com')!.inputs).toMatchObject({ type: 'CNAME', content: 'tickets-down.pages.dev', proxied: true, ttl: 1 });
    expect(kv(resources)).toMatchObject({ 'web/MAINTENANCE': '1', 'web-services/MAINTENANCE': '1' });
    expect(only(resources, 'PagesProject').map((r) => r.inputs.name)).toEqual(['tickets-down']);
  });
});

describe('the Pulumi program', () => {
  test('GIVEN an estate without a gate and no built bundle WHEN the program runs THEN it declares the estate and exports the namespace id, not a gate', async () => {
    const secret = 'drawbridge:bypassSecret';
    await useDrawbridgeMocks({ config: { [secret]: TEST_SECRET, 'drawbridge:estate': fixtureEstates[0]!.file, 'drawbridge:mode': 'maintenance' }, secretKeys: [secret] });
    jest.spyOn(require('@pulumi/pulumi').log, 'warn').mockImplementation(async () => undefined);
    jest.spyOn(require('@pulumi/pulumi').log, 'info').mockImplementation(async () => undefined);
    const outputs = await runCloudflareStack({ projectRoot: NO_BUNDLE }).finally(settleRegistrations);
    expect(await resolveOutputs(outputs)).toEqual({
      estate: 'tickets',
      mode: 'maintenance (blue live)',
      appWorkersNamespaceId: 'tickets-app-workers-id',
      records: { 'www.tickets-example.com': 'web-blue.tickets-origin.net', 'www.tickets-example.co.uk': 'web.tickets-origin.net' },
      downPageUrl: 'https://tickets-down.pages.dev/',
    });
    jest.restoreAllMocks();
  });
});
