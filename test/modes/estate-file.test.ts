/**
 * modes/estate-file.ts: the one resolver of the estate file every entry point reads, with and
 * without a cdk.json naming the default estate.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DrawbridgeError } from '../../modes/errors';
import { cdkDefaultEstate, ESTATE_ENTRY_POINTS, readCdkEstate, resolveEstateFile, type EstateEntryPoint } from '../../modes/estate-file';

/** A fresh directory holding `cdkJson` as cdk.json (none when undefined). */
function project(cdkJson?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'estate-file-'));
  if (cdkJson !== undefined) writeFileSync(join(dir, 'cdk.json'), cdkJson);
  return dir;
}

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof DrawbridgeError) return e.message;
    throw e;
  }
  throw new Error('expected a DrawbridgeError');
}

const NAMING = '{ "app": "npx tsx bin/cdk.ts", "context": { "estate": "estates/shop.yaml" } }';

describe('readCdkEstate / cdkDefaultEstate', () => {
  test.each<[string, string | undefined, { estate: string } | { problem: string }]>([
    ['a cdk.json naming an estate', NAMING, { estate: 'estates/shop.yaml' }],
    ['no cdk.json', undefined, { problem: 'there is no ROOT/cdk.json to name a default estate' }],
    ['a cdk.json without context', '{ "app": "x" }', { problem: 'ROOT/cdk.json names no default estate (context.estate)' }],
    ['an empty context.estate', '{ "context": { "estate": "" } }', { problem: 'ROOT/cdk.json names no default estate (context.estate)' }],
    ['a context.estate that is not a string', '{ "context": { "estate": 42 } }', { problem: 'ROOT/cdk.json names no default estate (context.estate)' }],
    ['a cdk.json that is null', 'null', { problem: 'ROOT/cdk.json names no default estate (context.estate)' }],
  ])('GIVEN %s THEN %j', (_what, cdkJson, expected) => {
    const root = project(cdkJson);
    const got = readCdkEstate(root);
    expect('problem' in got ? { problem: got.problem.replace(root, 'ROOT') } : got).toEqual(expected);
    expect(cdkDefaultEstate(root)).toBe('estate' in expected ? expected.estate : undefined);
  });

  test.each([
    ['a directory', (file: string) => mkdirSync(file)],
    ['a named pipe with no writer (not opened, so no hang)', (file: string) => spawnSync('mkfifo', [file])],
  ])('GIVEN a cdk.json that is %s THEN it names no estate, and says why', (_what, make) => {
    const root = project();
    make(join(root, 'cdk.json'));
    expect(readCdkEstate(root)).toEqual({ problem: `${root}/cdk.json is not a regular file, so it names no default estate` });
  });

  test('GIVEN a cdk.json that is not JSON THEN the problem says so', () => {
    const root = project('{ "context": ');
    expect(readCdkEstate(root)).toEqual({ problem: expect.stringMatching(new RegExp(`^${root}/cdk\\.json is not valid JSON \\(.+\\)$`)) });
  });
});

describe('resolveEstateFile', () => {
  test('GIVEN a file WHEN resolving THEN it is used as given, relative to cwd, and is not the default', () => {
    const root = project(NAMING);
    expect(resolveEstateFile('other.yaml', { root, cwd: '/work', entry: 'cli' })).toEqual({ file: 'other.yaml', path: '/work/other.yaml', isDefault: false });
  });

  test('GIVEN no cdk.json and a file WHEN resolving THEN the file is used (cdk.json is only needed for the default)', () => {
    const root = project();
    expect(resolveEstateFile('/abs/e.yaml', { root, entry: 'pulumi' })).toEqual({ file: '/abs/e.yaml', path: '/abs/e.yaml', isDefault: false });
  });

  test.each(['estates/shop.yaml', './estates/shop.yaml', 'estates/../estates/shop.yaml'])('GIVEN %s, the estate cdk.json names, however spelt THEN it is the default', (given) => {
    const root = project(NAMING);
    expect(resolveEstateFile(given, { root, entry: 'cli' })).toEqual({ file: given, path: join(root, 'estates/shop.yaml'), isDefault: true });
  });

  test('GIVEN no file and a cdk.json naming one WHEN resolving THEN it is cdk.json\'s, relative to root', () => {
    const root = project(NAMING);
    expect(resolveEstateFile(undefined, { root, cwd: '/elsewhere', entry: 'build-edge' })).toEqual({ file: 'estates/shop.yaml', path: join(root, 'estates/shop.yaml'), isDefault: true });
  });

  const entries = Object.keys(ESTATE_ENTRY_POINTS) as EstateEntryPoint[];
  const how: Record<EstateEntryPoint, [unset: string, pass: string, empty: string]> = {
    cli: ['no --estate given', 'pass one with `--estate FILE`', '--estate'],
    cdk: ['no --context estate given', 'pass one with `--context estate=FILE`', '--context estate='],
    pulumi: ['drawbridge:estate is not set', 'set one with `pulumi config set drawbridge:estate FILE`', 'drawbridge:estate'],
    'build-edge': ['no --estate given', 'pass one with `npm run build:edge -- --estate FILE`', '--estate'],
    'bypass-link': ['no --estate given', 'pass one with `--estate FILE`', '--estate'],
  };

  test.each(entries)('GIVEN no file and no cdk.json WHEN %s resolves THEN it refuses, saying how to pass one there', (entry) => {
    const root = project();
    const [unset, pass] = how[entry];
    expect(refusal(() => resolveEstateFile(undefined, { root, entry }))).toBe(`${unset} and there is no ${root}/cdk.json to name a default estate; ${pass}`);
  });

  test.each(entries)('GIVEN no file and a cdk.json naming none WHEN %s resolves THEN it refuses, saying how to pass one there', (entry) => {
    const root = project('{ "app": "x" }');
    const [unset, pass] = how[entry];
    expect(refusal(() => resolveEstateFile(undefined, { root, entry }))).toBe(`${unset} and ${root}/cdk.json names no default estate (context.estate); ${pass}`);
  });

  test.each(entries)('GIVEN an empty file name WHEN %s resolves THEN it refuses, naming cdk.json\'s estate as the way to leave it out', (entry) => {
    const [, pass, empty] = how[entry];
    expect(refusal(() => resolveEstateFile('', { root: project(NAMING), entry }))).toBe(`${empty} is empty; ${pass}, or leave it out for the estate cdk.json names (estates/shop.yaml)`);
    const root = project();
    expect(refusal(() => resolveEstateFile('', { root, entry }))).toBe(`${empty} is empty and there is no ${root}/cdk.json to name a default estate; ${pass}`);
  });

  test('GIVEN the repository WHEN resolving without a file THEN it is the estate cdk.json names', () => {
    expect(resolveEstateFile(undefined, { root: join(__dirname, '..', '..'), entry: 'cli' }).file).toBe('estates/default.yaml');
  });
});
