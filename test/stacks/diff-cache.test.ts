/**
 * stacks/diff-cache.ts and its use by diffEngines: a diff made again is read back, and every input
 * a synthesis depends on (the estate, the mode state, the code, the built-in validation flag, the
 * Pulumi stack, the engines' environment) makes a miss and a fresh result, never a stale one.
 * Corrupt entries are ignored and written again; a failed synthesis is never stored; no secret
 * reaches a cache file. Whether a side came from the cache is read from the result's `synthesis`
 * record, never from timing.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { buildSync } from 'esbuild';
import { DrawbridgeError } from '../../modes/errors';
import type { Estate, ModeState } from '../../modes/schema';
import { diffEngines, type DiffEnginesInput, type EngineDiff } from '../../stacks/diff';
import { codeFingerprint, DiffCache, engineEnvironment, exactJson, fingerprintFiles, keyText, projectRoot, Uncacheable } from '../../stacks/diff-cache';
import { estateNamed, ROOT } from '../support/estates';

const shop = estateNamed('shop');
const at = (mode: ModeState['mode'], more: Partial<ModeState> = {}): ModeState => ({ mode, live: 'blue', hardDown: false, ...more });
const normal = at('normal');
const maintenance = at('maintenance');
const base: DiffEnginesInput = { fromEstate: shop, from: normal, estate: shop, to: maintenance, pulumiStack: 'production' };

/** Everything a caller sees of a diff (the texts both ways). */
function view(d: EngineDiff) {
  return {
    aws: d.aws?.stacks.map((s) => ({ stack: s.stack, changes: s.changes, plain: s.format(false), colour: s.format(true) })),
    cloudflare: d.cloudflare,
    unsafe: d.unsafe,
    disruptive: d.disruptive,
    safe: d.safe,
  };
}

const allCached = (d: EngineDiff) => [...d.synthesis.aws, ...d.synthesis.cloudflare].every((s) => s.cached) && d.synthesis.awsComparisonCached;
const noneCached = (d: EngineDiff) => [...d.synthesis.aws, ...d.synthesis.cloudflare].every((s) => !s.cached) && !d.synthesis.awsComparisonCached;
const entries = (dir: string) => {
  try {
    return readdirSync(dir).filter((n) => n.endsWith('.json'));
  } catch {
    return [];
  }
};

let fingerprint = 'code-1';
const cacheIn = (dir: string, env: Record<string, string> = {}) => new DiffCache({ dir, fingerprint: () => fingerprint, env });
const fresh = () => mkdtempSync(join(tmpdir(), 'drawbridge-diff-cache-'));

/** Without a cache: what every cached result must equal. */
const expected = new Map<string, ReturnType<typeof view>>();
async function uncached(input: DiffEnginesInput, name: string) {
  if (!expected.has(name)) expected.set(name, view(await diffEngines(input)));
  return expected.get(name)!;
}

describe('keyText and exactJson', () => {
  test.each<[string, unknown, unknown]>([
    ['a missing and an undefined property', {}, { a: undefined }],
    ['0 and -0', [0], [-0]],
    ['key order', { a: 1, b: 2 }, { b: 2, a: 1 }],
    ['a string and a number', ['1'], [1]],
    ['null and a missing property', { a: null }, {}],
  ])('GIVEN %s THEN their key texts differ', (_what, a, b) => {
    expect(keyText(a)).not.toBe(keyText(b));
  });

  test.each<[string, unknown]>([
    ['a Map', { zones: new Map() }],
    ['a Date', { at: new Date(0) }],
    ['NaN', [Number.NaN]],
    ['a function', { f: () => 1 }],
    ['a hole', [1, , 3]],
    ['a class instance', { x: new (class Thing {})() }],
  ])('GIVEN %s THEN it is uncacheable', (_what, value) => {
    expect(() => keyText(value)).toThrow(Uncacheable);
    expect(() => exactJson(value)).toThrow(Uncacheable);
  });

  test.each<[string, unknown]>([
    ['an undefined property', { a: undefined }],
    ['-0', { a: -0 }],
  ])('GIVEN %s THEN it is not written (JSON would change it)', (_what, value) => {
    expect(() => exactJson(value)).toThrow(Uncacheable);
  });

  test('GIVEN plain data THEN exactJson parses back to the same value in the same order', () => {
    const value = { b: [1, 'x', null, true, { z: 0.1, a: -2 }], a: { '': 'empty key', 'quote"': '\u2028' } };
    expect(JSON.parse(exactJson(value))).toEqual(value);
    expect(JSON.stringify(JSON.parse(exactJson(value)))).toBe(JSON.stringify(value));
  });

  test('GIVEN the engines WHEN taking their environment THEN each reads its own prefixes and never a credential', () => {
    const env = { CDK_CONTEXT_JSON: '{}', JSII_DEPRECATED: 'fail', PULUMI_CONFIG: '{}', PULUMI_ACCESS_TOKEN: 'pul-x', PULUMI_CONFIG_PASSPHRASE: 'p', HOME: '/root' };
    expect(engineEnvironment('aws', env)).toEqual({ CDK_CONTEXT_JSON: '{}', JSII_DEPRECATED: 'fail' });
    expect(engineEnvironment('cloudflare', env)).toEqual({ PULUMI_CONFIG: '{}' });
  });
});

describe('the code fingerprint', () => {
  let copy: string;
  beforeAll(() => {
    copy = fresh();
    for (const file of fingerprintFiles(ROOT)) {
      try {
        mkdirSync(dirname(join(copy, file)), { recursive: true });
        cpSync(join(ROOT, file), join(copy, file));
      } catch {
        // a file the list names that this checkout lacks (e.g. no node_modules/.package-lock.json)
      }
    }
    mkdirSync(join(copy, 'test'), { recursive: true });
    writeFileSync(join(copy, 'test', 'unrelated.test.ts'), 'test("x", () => undefined);\n');
  });
  afterAll(() => rmSync(copy, { recursive: true, force: true }));
  const running = () => join(copy, 'stacks', 'diff-cache.ts');

  test('GIVEN a copy of the sources THEN it has the fingerprint of the checkout', () => {
    expect(codeFingerprint(copy, running())).toBe(codeFingerprint(ROOT, join(ROOT, 'stacks', 'diff-cache.ts')));
  });

  test.each(['stacks/aws/app.ts', 'modes/resolve.ts', 'edge/contract.ts', 'bin/compiled.js', 'package-lock.json', 'stacks/cloudflare/components/gate.ts'])(
    'GIVEN one byte of %s changed THEN the fingerprint changes, and back again',
    (file) => {
      const before = codeFingerprint(copy, running());
      const original = readFileSync(join(copy, file));
      const changed = Buffer.from(original);
      changed[changed.length - 2] = changed[changed.length - 2]! ^ 1;
      writeFileSync(join(copy, file), changed);
      expect(codeFingerprint(copy, running())).not.toBe(before);
      writeFileSync(join(copy, file), original);
      expect(codeFingerprint(copy, running())).toBe(before);
    },
  );

  test('GIVEN a new source file THEN the fingerprint changes; GIVEN a touched file or a test THEN it does not', () => {
    const before = codeFingerprint(copy, running());
    const t = new Date(Date.now() - 60_000);
    utimesSync(join(copy, 'modes', 'resolve.ts'), t, t);
    writeFileSync(join(copy, 'test', 'unrelated.test.ts'), 'test("y", () => undefined);\n');
    expect(codeFingerprint(copy, running())).toBe(before);
    writeFileSync(join(copy, 'stacks', 'aws', 'components', 'extra.ts'), 'export const X = 1;\n');
    expect(codeFingerprint(copy, running())).not.toBe(before);
    rmSync(join(copy, 'stacks', 'aws', 'components', 'extra.ts'));
  });

  test('GIVEN every project file the diff is built from (as esbuild bundles it) THEN each is fingerprinted', () => {
    const result = buildSync({
      absWorkingDir: ROOT,
      entryPoints: ['stacks/diff.ts', 'stacks/aws/diff-work.ts', 'stacks/aws/synth.ts', 'stacks/cloudflare/preview.ts', 'stacks/cloudflare/replacement.ts', 'bin/aws-worker.ts', 'bin/drawbridge.ts'],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      packages: 'external',
      write: false,
      metafile: true,
      outdir: join(tmpdir(), 'unused'),
      logLevel: 'silent',
    });
    const sources = Object.keys(result.metafile.inputs).filter((f) => !f.startsWith('node_modules/'));
    expect(sources.length).toBeGreaterThan(50);
    const covered = new Set(fingerprintFiles(ROOT));
    expect(sources.filter((f) => !covered.has(f))).toEqual([]);
  });

  test('GIVEN the bundle directory dist/bin THEN the project root is found above it', () => {
    expect(projectRoot(join(ROOT, 'dist', 'bin'))).toBe(ROOT);
    expect(projectRoot(join(ROOT, 'stacks'))).toBe(ROOT);
  });
});

describe('diffEngines with a cache', () => {
  let dir: string;
  let first: EngineDiff;
  let second: EngineDiff;

  beforeAll(async () => {
    fingerprint = 'code-1';
    dir = fresh();
    first = await diffEngines({ ...base, cache: cacheIn(dir) });
    second = await diffEngines({ ...base, cache: cacheIn(dir) });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('GIVEN an empty cache WHEN diffing THEN everything is synthesized, and the result is the uncached one', async () => {
    expect(noneCached(first)).toBe(true);
    expect(view(first)).toEqual(await uncached(base, 'base'));
    // Two AWS sides, their comparison, two Cloudflare sides and the replace-forcing table.
    expect(entries(dir)).toHaveLength(6);
  });

  test('GIVEN the same diff again WHEN diffing THEN every part is read from the cache, with the same result', async () => {
    expect(allCached(second)).toBe(true);
    expect(view(second)).toEqual(await uncached(base, 'base'));
  });

  test('GIVEN parallel off WHEN diffing THEN the result is the same as with the default (jest runs TypeScript: no worker either way)', async () => {
    const d = await diffEngines({ ...base, parallel: false, cache: cacheIn(fresh()) });
    expect(d.synthesis.parallel).toBe(false);
    expect(view(d)).toEqual(view(first));
  });

  test('GIVEN one estate field changed WHEN diffing THEN the changed side is a miss with the fresh result, the other side a hit', async () => {
    const edited: Estate = structuredClone(shop);
    const group = edited.aws!.targetGroups[0]!;
    (group as { maintenanceHealthPath: string }).maintenanceHealthPath = '/healthz-closed';
    const input = { ...base, estate: edited };
    const d = await diffEngines({ ...input, cache: cacheIn(dir) });
    expect(d.synthesis.aws.map((s) => s.cached)).toEqual([true, false]);
    expect(d.synthesis.awsComparisonCached).toBe(false);
    expect(d.synthesis.cloudflare.map((s) => s.cached)).toEqual([true, false]);
    expect(view(d)).toEqual(await uncached(input, 'edited'));
    const healthChange = d.aws!.stacks.flatMap((s) => s.changes).flatMap((c) => c.properties).find((p) => p.path === 'HealthCheckPath' && p.old === '/healthz');
    expect(healthChange?.new).toBe('/healthz-closed');
  });

  test('GIVEN another mode state WHEN diffing THEN that side is a miss with the fresh result', async () => {
    const input = { ...base, to: at('maintenance', { hardDown: true }) };
    const d = await diffEngines({ ...input, cache: cacheIn(dir) });
    expect(d.synthesis.aws.map((s) => s.cached)).toEqual([true, false]);
    expect(d.synthesis.cloudflare.map((s) => s.cached)).toEqual([true, false]);
    expect(view(d)).toEqual(await uncached(input, 'hard-down'));
    expect(view(d)).not.toEqual(view(first));
  });

  test('GIVEN the code fingerprint changed WHEN diffing THEN nothing is read from the cache', async () => {
    fingerprint = 'code-2';
    try {
      const d = await diffEngines({ ...base, cache: cacheIn(dir) });
      expect(noneCached(d)).toBe(true);
      expect(view(d)).toEqual(await uncached(base, 'base'));
      // ... and the entries of the new code are then there.
      expect(allCached(await diffEngines({ ...base, cache: cacheIn(dir) }))).toBe(true);
    } finally {
      fingerprint = 'code-1';
    }
  });

  test('GIVEN the code changing while synthesizing WHEN diffing THEN nothing is stored', async () => {
    const empty = fresh();
    let calls = 0;
    const cache = new DiffCache({ dir: empty, fingerprint: () => `moving-${calls++}`, env: {} });
    await diffEngines({ ...base, cache });
    expect(entries(empty)).toEqual([]);
    expect(cache.stats.skipped).toBeGreaterThan(0);
  });

  test('GIVEN built-in validation turned on WHEN diffing THEN the AWS sides are misses, the Cloudflare ones hits', async () => {
    const input = { ...base, builtinValidation: true };
    const d = await diffEngines({ ...input, cache: cacheIn(dir) });
    expect(d.synthesis.aws.map((s) => s.cached)).toEqual([false, false]);
    expect(d.synthesis.cloudflare.map((s) => s.cached)).toEqual([true, true]);
    expect(view(d)).toEqual(await uncached(base, 'base'));
  });

  test('GIVEN another Pulumi stack WHEN diffing THEN the Cloudflare sides are misses with its URNs, the AWS ones hits', async () => {
    const input = { ...base, pulumiStack: 'staging' };
    const d = await diffEngines({ ...input, cache: cacheIn(dir) });
    expect(d.synthesis.aws.map((s) => s.cached)).toEqual([true, true]);
    expect(d.synthesis.awsComparisonCached).toBe(true);
    expect(d.synthesis.cloudflare.map((s) => s.cached)).toEqual([false, false]);
    expect(d.cloudflare!.changes.length).toBeGreaterThan(0);
    expect(d.cloudflare!.changes.every((c) => c.id.startsWith('urn:pulumi:staging::'))).toBe(true);
    expect(view(d)).toEqual(await uncached(input, 'staging'));
  });

  test('GIVEN a CDK variable in the environment WHEN diffing THEN the AWS sides are misses', async () => {
    const d = await diffEngines({ ...base, cache: cacheIn(dir, { CDK_CONTEXT_JSON: '{"unrelated":"value"}' }) });
    expect(d.synthesis.aws.map((s) => s.cached)).toEqual([false, false]);
    expect(d.synthesis.cloudflare.map((s) => s.cached)).toEqual([true, true]);
    expect(view(d)).toEqual(await uncached(base, 'base'));
  });
});

describe('what is never stored or served', () => {
  test('GIVEN corrupt entries (truncated, edited, not JSON, empty) WHEN diffing THEN they are ignored, recomputed and written again', async () => {
    fingerprint = 'code-1';
    const dir = fresh();
    await diffEngines({ ...base, cache: cacheIn(dir) });
    const files = entries(dir).sort();
    expect(files).toHaveLength(6);
    const damage = [
      (t: string) => t.slice(0, Math.floor(t.length / 2)),
      (t: string) => t.replace(/healthz/g, 'healthy').replace(/"0"/g, '"9"').replace(/allow/g, 'block'),
      () => 'not json at all',
      () => '',
      (t: string) => t.replace(/"format":\d+/, '"format":0'),
      (t: string) => t.replace(/"key":"[0-9a-f]+"/, `"key":"${'0'.repeat(64)}"`),
    ];
    files.forEach((f, i) => writeFileSync(join(dir, f), damage[i % damage.length]!(readFileSync(join(dir, f), 'utf8'))));
    const cache = cacheIn(dir);
    const d = await diffEngines({ ...base, cache });
    expect(cache.stats.corrupt).toBeGreaterThan(0);
    expect(view(d)).toEqual(await uncached(base, 'base'));
    // Rewritten: the next run reads everything back.
    expect(allCached(await diffEngines({ ...base, cache: cacheIn(dir) }))).toBe(true);
  });

  test('GIVEN a synthesis that fails WHEN diffing twice THEN the error comes out both times and nothing is stored', async () => {
    const dir = fresh();
    // A full temporary directory: the CDK app cannot write its assembly.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const fs = require('node:fs') as typeof import('node:fs');
    const real = fs.writeFileSync;
    const spy = jest.spyOn(fs, 'writeFileSync').mockImplementation((file, data, options) => {
      if (String(file).includes('drawbridge-synth-')) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });
      return real(file, data, options);
    });
    try {
      for (let i = 0; i < 2; i++) {
        const error = await diffEngines({ ...base, cache: cacheIn(dir) }).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(DrawbridgeError);
        expect((error as DrawbridgeError).message).toMatch(/^no space left on device/);
      }
      expect(entries(dir)).toEqual([]);
    } finally {
      spy.mockRestore();
    }
    expect(noneCached(await diffEngines({ ...base, cache: cacheIn(dir) }))).toBe(true);
    expect(entries(dir)).toHaveLength(6);
  });

  test('GIVEN an estate with secrets and a bypass key in the Pulumi config WHEN cached THEN no secret value is in a cache file', async () => {
    const dir = fresh();
    const bridge = estateNamed('bridge');
    const bypass = 'an-actual-bypass-key-0123456789abcdef0123456789abcdef';
    const cache = cacheIn(dir, { PULUMI_CONFIG: JSON.stringify({ 'drawbridge:bypassSecret': bypass }), PULUMI_ACCESS_TOKEN: 'pul-0123456789abcdef' });
    await diffEngines({ fromEstate: bridge, from: normal, estate: bridge, to: at('cutover', { target: 'green' }), pulumiStack: 'production', cache });
    await diffEngines({ ...base, cache });
    const text = entries(dir)
      .map((f) => readFileSync(join(dir, f), 'utf8'))
      .join('\n');
    expect(text.length).toBeGreaterThan(1000);
    for (const secret of [bypass, 'pul-0123456789abcdef', 'drawbridge-preview-placeholder-bypass-secret']) expect(text).not.toContain(secret);
    // The gate's secret binding is there, masked.
    expect(text).toContain('"name":"BYPASS_SECRET"');
    expect(text).toContain('{"name":"BYPASS_SECRET","type":"secret_text","text":"[secret]"}');
    // Beanstalk's database password is a Secrets Manager reference, resolved by CloudFormation.
    expect(text).toContain('{{resolve:secretsmanager:');
  });

  test('GIVEN more entries than the limit WHEN writing THEN the least recently used go', () => {
    const dir = fresh();
    const cache = new DiffCache({ dir, fingerprint: () => 'x', env: {}, maxEntries: 3 });
    const keys = ['a', 'b', 'c', 'd', 'e'].map((k) => cache.key({ engine: 'aws', inputs: { k } })!);
    keys.forEach((key, i) => {
      cache.write([{ key, engine: 'aws', value: { i } }]);
      const t = new Date(Date.now() - (10 - i) * 60_000);
      utimesSync(join(dir, `${key}.json`), t, t);
    });
    // Reading 'c' makes it the most recent.
    expect(cache.read(keys[2]!)).toEqual({ value: { i: 2 } });
    cache.write([{ key: cache.key({ engine: 'aws', inputs: { k: 'f' } })!, engine: 'aws', value: { i: 5 } }]);
    const left = entries(dir).map((f) => f.replace('.json', ''));
    expect(left).toHaveLength(3);
    expect(left).toContain(keys[2]);
    expect(left).not.toContain(keys[0]);
  });

  test('GIVEN an unwritable cache directory WHEN diffing THEN the diff still succeeds', async () => {
    const parent = fresh();
    writeFileSync(join(parent, 'file'), 'not a directory');
    const cache = cacheIn(join(parent, 'file', 'diff'));
    const d = await diffEngines({ ...base, cache });
    expect(view(d)).toEqual(await uncached(base, 'base'));
    expect(cache.stats.writes).toBe(0);
  });
});
