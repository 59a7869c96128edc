/**
 * The Pulumi program (bin/pulumi.ts) as `pulumi preview|up` runs it, offline: mocks first, then the
 * program, which reads the stack configuration when it runs.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import type { CloudflareStackOutputs } from '../../../stacks/cloudflare/edge';
import { settleRegistrations, useDrawbridgeMocks, withoutEngineSecrets, type DrawbridgeMocks } from '../../../stacks/cloudflare/mocks';
import { resolveOutputs } from '../../../stacks/cloudflare/preview';
import { runCloudflareStack } from '../../../stacks/cloudflare/program';
import { ROOT, TEST_SECRET } from './cases';

const SECRET_KEY = 'drawbridge:bypassSecret';
type Config = Record<string, string>;

interface Run {
  readonly mocks: DrawbridgeMocks;
  readonly result: Promise<CloudflareStackOutputs>;
  readonly warnings: string[];
  readonly infos: string[];
}

/** Sets the mocks and the stack config, then imports and runs the program. */
async function runProgram(config: Config, secretKeys: string[] = [SECRET_KEY]): Promise<Run> {
  const mocks = await useDrawbridgeMocks({ config, secretKeys, stack: 'production' });
  const warnings: string[] = [];
  const infos: string[] = [];
  jest.spyOn(pulumi.log, 'warn').mockImplementation(async (msg: string) => void warnings.push(msg));
  jest.spyOn(pulumi.log, 'info').mockImplementation(async (msg: string) => void infos.push(msg));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const program = require('../../../bin/pulumi') as () => Promise<CloudflareStackOutputs>;
  // Like the engine, wait for every registration before looking at what was declared.
  const result = program().finally(settleRegistrations);
  result.catch(() => undefined);
  return { mocks, result, warnings, infos };
}

const withSecret = (config: Config = {}): Config => ({ [SECRET_KEY]: TEST_SECRET, ...config });

afterEach(() => jest.restoreAllMocks());

describe('a stack configuration that disagrees with the estate or the schema is refused before anything is declared', () => {
  const refusals: [string, Config, string[], RegExp][] = [
    ['an unknown mode', withSecret({ 'drawbridge:mode': 'bogus' }), [SECRET_KEY], /drawbridge:mode=bogus is not allowed; allowed values: normal, maintenance, cutover/],
    [
      'an unknown drawbridge key',
      withSecret({ 'drawbridge:moed': 'maintenance' }),
      [SECRET_KEY],
      /drawbridge:moed is not a Drawbridge setting \(did you mean drawbridge:mode\?\); allowed keys: drawbridge:estate, drawbridge:mode, drawbridge:live, drawbridge:target, drawbridge:hardDown, drawbridge:stage, drawbridge:bypassSecret/,
    ],
    ['a hardDown that is not a boolean', withSecret({ 'drawbridge:hardDown': 'yes' }), [SECRET_KEY], /drawbridge:hardDown=yes is not allowed; allowed values: true, false/],
    ['an unknown colour', withSecret({ 'drawbridge:live': 'purple' }), [SECRET_KEY], /drawbridge:live=purple is not allowed; allowed values: blue, green/],
    ['no bypass secret', {}, [], /drawbridge:bypassSecret is not set; .*pulumi config set --secret drawbridge:bypassSecret/],
    ['a bypass secret in plain text', withSecret(), [], /drawbridge:bypassSecret is stored in plain text in Pulumi.<stack>.yaml; set it with `pulumi config set --secret/],
    ['a short bypass secret', { [SECRET_KEY]: 'short' }, [SECRET_KEY], /drawbridge:bypassSecret is 5 characters; use at least 32/],
    ['an API token in plain text', withSecret({ 'cloudflare:apiToken': 'tok' }), [SECRET_KEY], /cloudflare:apiToken is stored in plain text/],
    [
      'a cutover on an estate without colours',
      withSecret({ 'drawbridge:estate': 'estates/ticketing.yaml', 'drawbridge:mode': 'cutover', 'drawbridge:target': 'green' }),
      [SECRET_KEY],
      /mode cutover needs an estate with blue and green parts/,
    ],
    ['a hard-down outside maintenance', withSecret({ 'drawbridge:hardDown': 'true' }), [SECRET_KEY], /hardDown=true only applies to mode maintenance/],
    ['a missing estate file', withSecret({ 'drawbridge:estate': 'estates/nope.yaml' }), [SECRET_KEY], /estate file .*nope\.yaml.* not found/],
    ['an estate without a cloudflare part', withSecret({ 'drawbridge:estate': 'estates/beanstalk.yaml' }), [SECRET_KEY], /estates\/beanstalk\.yaml: the estate has no cloudflare part/],
  ];

  test.each(refusals)('GIVEN %s WHEN the program runs THEN it stops with the reason', async (_what, config, secretKeys, message) => {
    const { mocks, result } = await runProgram(config, secretKeys);
    // THEN the run fails with a message only (Pulumi prints a RunError without a stack trace)
    const error = await result.then(() => undefined, (e: unknown) => e);
    expect(pulumi.RunError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(message);
    // AND the secret is never repeated in the message
    expect((error as Error).message).not.toContain(TEST_SECRET);
    // AND no resource was registered
    expect(mocks.resources).toEqual([]);
  });

  test('GIVEN several mistakes THEN each is reported in one message', async () => {
    const { result } = await runProgram({ 'drawbridge:mode': 'bogus', 'drawbridge:colour': 'green' }, []);
    const message = await result.then(() => '', (e: Error) => e.message);
    expect(message.split('\n')).toEqual([
      expect.stringMatching(/^drawbridge:colour is not a Drawbridge setting/),
      expect.stringMatching(/^drawbridge:mode=bogus is not allowed/),
      expect.stringMatching(/^drawbridge:bypassSecret is not set/),
    ]);
  });
});

describe('a valid stack', () => {
  test('GIVEN only the bypass secret WHEN the program runs THEN the committed mode is rendered without any override warning', async () => {
    const { mocks, result, warnings, infos } = await runProgram(withSecret());
    const outputs = await resolveOutputs(await result);
    expect(outputs).toEqual({
      estate: 'shop',
      mode: 'normal (blue live)',
      gateScriptName: 'shop-gate',
      routes: ['www.example-shop.com/*', 'api.example-shop.com/*'],
      records: { 'www.example-shop.com': 'shop-web-1234567890.eu-west-2.elb.amazonaws.com', 'api.example-shop.com': 'shop-web-1234567890.eu-west-2.elb.amazonaws.com' },
      downPageUrl: 'https://example-shop-down.pages.dev/',
    });
    expect(warnings).toEqual([]);
    expect(infos).toEqual(['drawbridge: shop: normal (blue live)']);
    // (registrations arrive in no fixed order: the routes wait for the script's name)
    expect(mocks.resources.filter((r) => r.custom).map((r) => `${r.type.split(':').pop()} ${r.name}`).sort()).toEqual([
      'BotManagement shop-bots-shop',
      'DnsRecord shop-dns-api',
      'DnsRecord shop-dns-www',
      'PagesDomain shop-down-page-site-www',
      'PagesProject shop-down-page',
      'Ruleset shop-gate-ratelimit-shop',
      'WorkersRoute shop-gate-route-api.example-shop.com/*',
      'WorkersRoute shop-gate-route-www.example-shop.com/*',
      'WorkersScript shop-gate',
    ]);
  });

  test('GIVEN drawbridge:mode=maintenance WHEN the program runs THEN the override is announced and the gate closes', async () => {
    const { mocks, result, warnings } = await runProgram(withSecret({ 'drawbridge:mode': 'maintenance' }));
    await result;
    expect(warnings).toEqual([expect.stringContaining('OVERRIDE for this stack: mode=maintenance (estate has normal)')]);
    const script = mocks.resources.find((r) => r.type === 'cloudflare:index/workersScript:WorkersScript')!;
    expect(withoutEngineSecrets(script.inputs)).toMatchObject({ bindings: '[secret]' });
    const bots = mocks.resources.find((r) => r.type === 'cloudflare:index/botManagement:BotManagement')!;
    expect(bots.inputs).toEqual({ zoneId: '3b1e4b2a9c8d7e6f5a4b3c2d1e0f9a8b', sbfmVerifiedBots: 'block' });
  });

  test('GIVEN drawbridge:estate WHEN the program runs THEN that estate is rendered', async () => {
    const { result } = await runProgram(withSecret({ 'drawbridge:estate': 'estates/makerepo.yaml', 'drawbridge:mode': 'maintenance', 'drawbridge:hardDown': 'true' }));
    const outputs = (await resolveOutputs(await result)) as CloudflareStackOutputs;
    expect(outputs.estate).toBe('makerepo');
    expect(outputs.records).toEqual({ 'makerepo.example.ca': 'makerepo-is-down.pages.dev', 'direct.makerepo.example.ca': '198.51.100.23' });
    expect(outputs.downPageUrl).toBe('https://down.makerepo.example.ca/');
  });

  test('GIVEN the bypass secret WHEN the program runs THEN it reaches the engine marked secret and nowhere in clear', async () => {
    const { mocks, result, warnings, infos } = await runProgram(withSecret({ 'drawbridge:mode': 'maintenance' }));
    const outputs = await resolveOutputs(await result);
    const sent = mocks.resources.map((r) => r.inputs);
    // THEN the engine receives the key (so the Worker gets it) ...
    expect(JSON.stringify(sent)).toContain(TEST_SECRET);
    // ... only inside values marked secret (encrypted in state, [secret] in previews)
    expect(JSON.stringify(withoutEngineSecrets(sent))).not.toContain(TEST_SECRET);
    // AND neither the stack outputs nor the log lines hold it
    expect(JSON.stringify(outputs)).not.toContain(TEST_SECRET);
    expect([...warnings, ...infos].join('\n')).not.toContain(TEST_SECRET);
  });

  test('GIVEN no gate bundle WHEN the program runs THEN it says to build the edge and declares nothing', async () => {
    const mocks = await useDrawbridgeMocks({ config: withSecret({ 'drawbridge:estate': join(ROOT, 'estates', 'default.yaml') }), secretKeys: [SECRET_KEY] });
    const projectRoot = mkdtempSync(join(tmpdir(), 'drawbridge-project-'));
    await expect(runCloudflareStack({ projectRoot })).rejects.toThrow(/dist\/edge\/gate\.js does not exist; run `npm run build:edge` first/);
    await settleRegistrations();
    expect(mocks.resources).toEqual([]);
  });
});
