import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GATE_COMPATIBILITY_DATE, GATE_MAIN_MODULE, GATE_PLAIN_TEXT_BINDINGS } from '../../../edge/contract';
import { readGateBundle } from '../../../stacks/cloudflare/bundle';

const SCRIPT = 'export default { async fetch() { return new Response("ok"); } };\n';
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** A project directory with dist/edge/gate.js and, optionally, a manifest. */
function project(script: string | undefined, manifest?: Record<string, unknown>): string {
  const root = mkdtempSync(join(tmpdir(), 'drawbridge-bundle-'));
  mkdirSync(join(root, 'dist', 'edge'), { recursive: true });
  if (script !== undefined) writeFileSync(join(root, 'dist', 'edge', 'gate.js'), script);
  if (manifest) writeFileSync(join(root, 'dist', 'edge', 'manifest.json'), JSON.stringify(manifest));
  return root;
}

const manifest = (extra: Record<string, unknown> = {}) => ({
  bundle: 'dist/edge/gate.js',
  mainModule: 'gate.js',
  compatibilityDate: '2026-04-20',
  format: 'esm',
  sha256: sha256(SCRIPT),
  bytes: SCRIPT.length,
  plainTextBindings: [...GATE_PLAIN_TEXT_BINDINGS],
  secretTextBindings: ['BYPASS_SECRET'],
  ...extra,
});

describe('readGateBundle', () => {
  test('GIVEN a build with its manifest THEN the script, main module and compatibility date come from it', () => {
    expect(readGateBundle(project(SCRIPT, manifest({ compatibilityDate: '2026-01-02' })), GATE_PLAIN_TEXT_BINDINGS)).toEqual({
      script: SCRIPT,
      mainModule: 'gate.js',
      compatibilityDate: '2026-01-02',
    });
  });

  test('GIVEN a bundle without a manifest THEN the edge contract supplies the rest', () => {
    expect(readGateBundle(project(SCRIPT))).toEqual({ script: SCRIPT, mainModule: GATE_MAIN_MODULE, compatibilityDate: GATE_COMPATIBILITY_DATE });
  });

  test.each<[string, string | undefined, Record<string, unknown> | undefined, RegExp]>([
    ['no bundle', undefined, undefined, /dist\/edge\/gate\.js does not exist; run `npm run build:edge` first/],
    ['an empty bundle', '  \n', undefined, /is empty; run `npm run build:edge` again/],
    ['a bundle newer than its manifest', `${SCRIPT}// edited\n`, manifest(), /does not match dist\/edge\/manifest\.json .*run `npm run build:edge` again/],
    ['a bundle built for other bindings', SCRIPT, manifest({ plainTextBindings: ['MAINTENANCE'] }), /reads plain_text bindings MAINTENANCE, but the model sets/],
    ['a bundle that ignores the bypass secret', SCRIPT, manifest({ secretTextBindings: [] }), /does not read the BYPASS_SECRET secret binding/],
  ])('GIVEN %s THEN the user is told how to rebuild', (_what, script, m, message) => {
    expect(() => readGateBundle(project(script, m), GATE_PLAIN_TEXT_BINDINGS)).toThrow(message);
  });
});
