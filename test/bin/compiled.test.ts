/**
 * bin/compiled.js: the entry points run as bundled JavaScript that is never older than the
 * TypeScript. Built in a copy of the project's layout in a temporary directory, so the real
 * dist/bin is not touched while other tests run the CLI.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

function age(file: string, secondsAgo: number): void {
  const t = new Date(Date.now() - secondsAgo * 1000);
  utimesSync(file, t, t);
}

describe('bin/compiled.js', () => {
  let dir: string;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  let compiled: { load(name: string): { value(): string }; fresh(stamp: string): boolean; build(name: string): string };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'drawbridge-compiled-'));
    mkdirSync(join(dir, 'bin'));
    mkdirSync(join(dir, 'lib'));
    cpSync(join(ROOT, 'bin', 'compiled.js'), join(dir, 'bin', 'compiled.js'));
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ dependencies: {}, devDependencies: {} }));
    // The bundle gets a whole `require` (resolve included, as aws-cdk-lib's diff formatter uses it).
    writeFileSync(join(dir, 'bin', 'probe.ts'), "import { WORD } from '../lib/word';\nexport function value(): string { return require.resolve('node:fs') === 'node:fs' ? WORD : 'no require.resolve'; }\n");
    writeFileSync(join(dir, 'lib', 'word.ts'), "export const WORD: string = 'first';\n");
    // How the bundle is built is an input too.
    for (const f of ['package.json', 'bin/compiled.js']) age(join(dir, f), 60);
    jest.resetModules();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    compiled = require(join(dir, 'bin', 'compiled.js'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const run = (): string => {
    // A fresh module registry each time, as a new process would have.
    jest.resetModules();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require(join(dir, 'bin', 'compiled.js')) as typeof compiled).load('probe').value();
  };

  it('bundles the entry point with its imports to dist/bin and records every project input', () => {
    age(join(dir, 'bin', 'probe.ts'), 60);
    age(join(dir, 'lib', 'word.ts'), 60);
    expect(run()).toBe('first');
    const stamp = JSON.parse(readFileSync(join(dir, 'dist', 'bin', 'probe.inputs.json'), 'utf8')) as { inputs: Record<string, [number, number]> };
    expect(Object.keys(stamp.inputs).sort()).toEqual(['bin/compiled.js', 'bin/probe.ts', 'lib/word.ts', 'package.json']);
    expect(compiled.fresh(join(dir, 'dist', 'bin', 'probe.inputs.json'))).toBe(true);
  });

  it('rebuilds when an imported file changes, even to the same size', () => {
    age(join(dir, 'bin', 'probe.ts'), 60);
    age(join(dir, 'lib', 'word.ts'), 60);
    expect(run()).toBe('first');
    writeFileSync(join(dir, 'lib', 'word.ts'), "export const WORD: string = 'other';\n");
    age(join(dir, 'lib', 'word.ts'), 30);
    expect(compiled.fresh(join(dir, 'dist', 'bin', 'probe.inputs.json'))).toBe(false);
    expect(run()).toBe('other');
  });

  it('treats a file written during the build as stale, and a deleted input as stale', () => {
    // Just written (as if during the build): recorded so the next run builds again.
    expect(run()).toBe('first');
    expect(compiled.fresh(join(dir, 'dist', 'bin', 'probe.inputs.json'))).toBe(false);
    age(join(dir, 'lib', 'word.ts'), 60);
    age(join(dir, 'bin', 'probe.ts'), 60);
    expect(run()).toBe('first');
    expect(compiled.fresh(join(dir, 'dist', 'bin', 'probe.inputs.json'))).toBe(true);
    rmSync(join(dir, 'lib', 'word.ts'));
    expect(compiled.fresh(join(dir, 'dist', 'bin', 'probe.inputs.json'))).toBe(false);
  });

  it('removes the code caches of an older bundle when it builds, so V8 never runs old functions', () => {
    age(join(dir, 'bin', 'probe.ts'), 60);
    age(join(dir, 'lib', 'word.ts'), 60);
    expect(run()).toBe('first');
    const old = join(dir, 'dist', 'bin', 'probe.js.check.123-456.cache');
    writeFileSync(old, 'stale');
    writeFileSync(join(dir, 'lib', 'word.ts'), "export const WORD: string = 'later';\n");
    age(join(dir, 'lib', 'word.ts'), 30);
    expect(run()).toBe('later');
    expect(() => readFileSync(old)).toThrow();
  });

  it('builds again when the bundle beside the stamp is not the one the stamp names (two builds racing)', () => {
    age(join(dir, 'bin', 'probe.ts'), 60);
    age(join(dir, 'lib', 'word.ts'), 60);
    expect(run()).toBe('first');
    const stamp = join(dir, 'dist', 'bin', 'probe.inputs.json');
    expect(compiled.fresh(stamp)).toBe(true);
    // Another build's older bundle renamed over this one after the stamp was written.
    writeFileSync(join(dir, 'dist', 'bin', 'probe.js'), readFileSync(join(dir, 'dist', 'bin', 'probe.js')));
    age(join(dir, 'dist', 'bin', 'probe.js'), 5);
    expect(compiled.fresh(stamp)).toBe(false);
  });

  it('builds again when how it builds changes (bin/compiled.js, package.json) or the stamp is not one it wrote', () => {
    age(join(dir, 'bin', 'probe.ts'), 60);
    age(join(dir, 'lib', 'word.ts'), 60);
    expect(run()).toBe('first');
    const stamp = join(dir, 'dist', 'bin', 'probe.inputs.json');
    age(join(dir, 'package.json'), 30);
    expect(compiled.fresh(stamp)).toBe(false);
    expect(run()).toBe('first');
    expect(compiled.fresh(stamp)).toBe(true);
    writeFileSync(stamp, '{"entry":"bin/probe.ts"}');
    expect(compiled.fresh(stamp)).toBe(false);
    writeFileSync(stamp, 'null');
    expect(compiled.fresh(stamp)).toBe(false);
  });

  it('runs the TypeScript as is when the bundle cannot be written', () => {
    age(join(dir, 'bin', 'probe.ts'), 60);
    age(join(dir, 'lib', 'word.ts'), 60);
    writeFileSync(join(dir, 'dist'), 'not a directory');
    expect(run()).toBe('first');
  });
});
