/**
 * `drawbridge diff` and its synthesis cache from the command line: where it is kept, how it is
 * turned off (--no-cache, DRAWBRIDGE_CACHE=off), a bad setting refused; and, as the bundled CLI
 * runs it (a child process of bin/drawbridge.js), the AWS syntheses in a worker thread while
 * Cloudflare renders, then everything read back, with the same output as an uncached in-process run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { fleetEstate } from '../../../bench/fleet';
import { ROOT } from '../../support/estates';
import { cli } from '../io';

const fresh = () => mkdtempSync(join(tmpdir(), 'drawbridge-cli-cache-'));
const entries = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((n) => n.endsWith('.json')) : []);
const ARGV = ['diff', 'normal', 'maintenance', '--json', '--quiet'];

let uncached: { code: number; out: string; err: string };
beforeAll(async () => {
  uncached = await cli(ARGV);
});

describe('the cache of drawbridge diff, in-process', () => {
  test('GIVEN no cache setting and an Io without a cache directory WHEN diffing THEN it succeeds (tests run uncached)', () => {
    expect(uncached.code).toBe(0);
    expect(JSON.parse(uncached.out)).toMatchObject({ safe: true });
  });

  test('GIVEN DRAWBRIDGE_CACHE_DIR WHEN diffing twice THEN entries are written under its diff/ and the output is the same both times', async () => {
    const dir = fresh();
    const env = { DRAWBRIDGE_CACHE_DIR: dir };
    const first = await cli(ARGV, { env });
    expect(entries(join(dir, 'diff'))).toHaveLength(6);
    const second = await cli(ARGV, { env });
    expect([first.code, second.code]).toEqual([0, 0]);
    expect(first.out).toBe(uncached.out);
    expect(second.out).toBe(uncached.out);
  });

  test('GIVEN DRAWBRIDGE_DEBUG=cache WHEN diffing twice THEN it names each lookup: misses, then hits', async () => {
    const env = { DRAWBRIDGE_CACHE_DIR: fresh(), DRAWBRIDGE_DEBUG: 'cache' };
    const first = await cli(ARGV, { env });
    const second = await cli(ARGV, { env });
    expect(first.err.match(/: miss \(/g)).toHaveLength(6);
    expect(second.err.match(/: hit \(/g)).toHaveLength(4);
    expect(second.err).not.toMatch(/miss|written/);
    expect(second.out).toBe(first.out);
  });

  test.each<[string, string[], Record<string, string>]>([
    ['--no-cache', ['--no-cache'], {}],
    ['DRAWBRIDGE_CACHE=off', [], { DRAWBRIDGE_CACHE: 'off' }],
  ])('GIVEN %s WHEN diffing THEN nothing is written and the output is the same', async (_what, flags, env) => {
    const dir = fresh();
    const r = await cli([...ARGV, ...flags], { env: { DRAWBRIDGE_CACHE_DIR: dir, ...env } });
    expect(r.code).toBe(0);
    expect(r.out).toBe(uncached.out);
    expect(readdirSync(dir)).toEqual([]);
  });

  test('GIVEN DRAWBRIDGE_CACHE=on WHEN diffing THEN the cache is used', async () => {
    const dir = fresh();
    expect((await cli(ARGV, { env: { DRAWBRIDGE_CACHE_DIR: dir, DRAWBRIDGE_CACHE: 'on' } })).code).toBe(0);
    expect(entries(join(dir, 'diff'))).toHaveLength(6);
  });

  test('GIVEN a bad DRAWBRIDGE_CACHE WHEN diffing THEN exit 2 with one line naming it and what is allowed', async () => {
    const r = await cli(ARGV, { env: { DRAWBRIDGE_CACHE: 'sometimes' } });
    expect(r.code).toBe(2);
    expect(r.err).toBe('drawbridge: DRAWBRIDGE_CACHE is "sometimes"; allowed: on, off (or unset: on)\n');
    expect(r.out).toBe('');
  });

  test('GIVEN --no-cache on another command WHEN run THEN it is refused', async () => {
    const r = await cli(['plan', 'normal', 'maintenance', '--no-cache']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^drawbridge: option --no-cache does not apply to plan; /);
  });
});

describe('the bundled CLI: worker thread and cache', () => {
  const run = (argv: string[], env: Record<string, string>) => {
    const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'drawbridge.js'), ...argv], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env }, timeout: 120_000 });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };

  test('GIVEN an empty cache WHEN diffing THEN the AWS side is synthesized in a worker thread; run again, everything is read back; the output is the uncached one', () => {
    const env = { DRAWBRIDGE_CACHE_DIR: fresh(), DRAWBRIDGE_DEBUG: 'cache' };
    const cold = run(ARGV, env);
    expect(cold.code).toBe(0);
    expect(cold.err).toContain('drawbridge: debug: parallel: AWS for normal@blue and maintenance@blue in a worker thread, Cloudflare in this one\n');
    expect(cold.err).toContain(`drawbridge: debug: cache: 6 of 6 written to ${join(env.DRAWBRIDGE_CACHE_DIR, 'diff')}\n`);
    expect(cold.out).toBe(uncached.out);
    const warm = run(ARGV, env);
    expect(warm.code).toBe(0);
    expect(warm.err).not.toMatch(/parallel|miss/);
    expect(warm.out).toBe(uncached.out);
  });

  test('GIVEN a synthesis that fails in the worker WHEN diffing twice THEN both times exit 1 with its one line, and nothing is cached', () => {
    const dir = fresh();
    const file = join(dir, 'estate.yaml');
    const fleet = fleetEstate(70);
    writeFileSync(file, stringify({ ...fleet, aws: { ...fleet.aws, split: 'none' } }));
    const env = { DRAWBRIDGE_CACHE_DIR: join(dir, 'cache'), DRAWBRIDGE_DEBUG: 'cache' };
    for (let i = 0; i < 2; i++) {
      const r = run(['diff', 'normal', 'maintenance', '--estate', file, '--quiet'], env);
      expect(r.code).toBe(1);
      expect(r.err).toContain('drawbridge: debug: parallel: AWS');
      const lines = r.err.split('\n').filter((l) => l !== '' && !l.startsWith('drawbridge: debug: '));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^drawbridge: stack fleet-aws has \d+ resources; CloudFormation allows 500: set aws\.split: component in the estate, or split the estate into several estate files$/);
      expect(r.out).toBe('');
    }
    expect(entries(join(dir, 'cache', 'diff'))).toEqual([]);
  });
});
