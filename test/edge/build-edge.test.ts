/**
 * scripts/build-edge.ts: what it writes, and that a bad estate writes nothing.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { GATE_COMPATIBILITY_DATE, GATE_PLAIN_TEXT_BINDINGS, type GateManifest } from '../../edge/contract';
import { GATE_SECRET_BINDING } from '../../modes/gate-contract';
import { stop as stopEsbuild } from 'esbuild';
import { buildEdge, parseArgs } from '../../scripts/build-edge';
import { ROOT } from './harness';

const run = promisify(execFile);
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const SCRIPT = join(ROOT, 'scripts/build-edge.ts');
const tmp = mkdtempSync(join(tmpdir(), 'drawbridge-build-'));

afterAll(async () => {
  rmSync(tmp, { recursive: true, force: true });
  await stopEsbuild(); // its service process would keep jest from exiting
});

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(TSX, [SCRIPT, ...args], { cwd: ROOT });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('GIVEN the default estate', () => {
  const out = join(tmp, 'default');
  let manifest: GateManifest;
  let gate: string;

  beforeAll(async () => {
    const result = await buildEdge({ outDir: out, log: () => undefined });
    manifest = result.manifest;
    gate = readFileSync(result.gate, 'utf8');
  });

  test('WHEN built THEN the gate is one ES module with a default export and no Node imports', () => {
    expect(gate).toMatch(/export\s*\{\s*\w+ as default\s*\};?\s*$/);
    expect(gate).not.toMatch(/\brequire\(|from\s*["']node:/);
  });

  test('WHEN built THEN the manifest states the upload contract and the real hash', () => {
    expect(manifest).toEqual({
      file: 'gate.js',
      mainModule: 'gate.js',
      compatibilityDate: GATE_COMPATIBILITY_DATE,
      format: 'esm',
      sha256: createHash('sha256').update(readFileSync(join(out, 'edge/gate.js'))).digest('hex'),
      bytes: readFileSync(join(out, 'edge/gate.js')).byteLength,
      plainTextBindings: [...GATE_PLAIN_TEXT_BINDINGS],
      secretTextBindings: [GATE_SECRET_BINDING],
    });
    expect(JSON.parse(readFileSync(join(out, 'edge/manifest.json'), 'utf8'))).toEqual(manifest);
  });

  test('WHEN built THEN the gate bundle never contains the bypass secret binding value or any estate value', () => {
    // The gate is estate-independent: every value arrives as a binding at deploy time.
    expect(gate).not.toContain('Example Shop');
    expect(gate).not.toContain('203.0.113.10');
  });

  test.each([
    [['--estate', 'estates/default.yaml'], { estateFile: 'estates/default.yaml' }],
    [['--estate=estates/default.yaml'], { estateFile: 'estates/default.yaml' }],
    [[], {}],
  ])('WHEN the arguments are %p THEN they parse to %p', (argv, expected) => {
    expect(parseArgs(argv)).toEqual(expected);
  });
});

describe('GIVEN a bad estate or bad arguments', () => {
  test.each([
    ['a missing file', (f: string) => f, 'not found'],
    ['a YAML syntax error', (f: string) => (writeFileSync(f, 'name: [unclosed\n'), f), 'YAML syntax error'],
    ['a schema error', (f: string) => (writeFileSync(f, 'name: shop\nsite: {url: https://x.example}\nbrand: {name: X, colour: blue}\n'), f), 'brand.colour'],
  ])('WHEN the estate is %s THEN the script prints one clear message, exits 1 and writes nothing', async (_what, make, text) => {
    const file = make(join(tmp, `bad-${Math.random().toString(36).slice(2)}.yaml`));
    const out = join(tmp, `out-${Math.random().toString(36).slice(2)}`);
    const { code, stdout, stderr } = await cli(['--estate', file, '--out', out]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^drawbridge: /);
    expect(stderr).toContain(text);
    expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(existsSync(out)).toBe(false);
  });

  test.each([[['--bogus']], [['--estate']], [['--out', '']]])('WHEN the arguments are %p THEN the script says so and exits 1', async (args) => {
    const { code, stderr } = await cli(args);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^drawbridge: .*usage: build-edge/);
  });
});
