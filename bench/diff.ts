/**
 * `drawbridge diff normal maintenance` on the default estate (both engines, one process) against
 * the naive way of getting the AWS half alone: `cdk synth` twice to two output directories, then
 * `cdk diff --template` of one against the other. Every command is a fresh process, as a person
 * or CI would run it; wall-clock seconds. drawbridge runs cold (an empty synthesis cache, a fresh
 * DRAWBRIDGE_CACHE_DIR: everything synthesized, AWS in a worker thread while Cloudflare renders)
 * and warm (the same run again: everything read back). Goal: drawbridge at least 8x faster.
 *
 *   npx tsx bench/diff.ts            # one run of each
 *   BENCH_RUNS=3 npx tsx bench/diff.ts   # median of three
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, ROOT, timedRun } from './util';

const ENV = { ...process.env, CDK_DISABLE_CLI_TELEMETRY: '1', NO_COLOR: '1' };

// `drawbridge diff` exits 0 when safe; `cdk diff` exits 0 (or 1 with --fail, not used here).
const timed = (command: string, args: string[]): number => timedRun(command, args, ENV);

/** The drawbridge way: one process, both mode states, both engines, with its cache in `cacheDir`. */
function drawbridge(cacheDir: string): number {
  return timedRun(process.execPath, [join(ROOT, 'bin', 'drawbridge.js'), 'diff', 'normal', 'maintenance', '--json', '--quiet'], { ...ENV, DRAWBRIDGE_CACHE_DIR: cacheDir });
}

/** The naive way, AWS only: two `cdk synth` runs and a `cdk diff --template` per stack. */
function naive(): number {
  const dir = mkdtempSync(join(tmpdir(), 'drawbridge-bench-diff-'));
  try {
    const a = join(dir, 'normal');
    const b = join(dir, 'maintenance');
    let seconds = timed('npx', ['--no-install', 'cdk', 'synth', '--no-notices', '--quiet', '--context', 'mode=normal', '--output', a]);
    seconds += timed('npx', ['--no-install', 'cdk', 'synth', '--no-notices', '--quiet', '--context', 'mode=maintenance', '--output', b]);
    const manifest = JSON.parse(readFileSync(join(a, 'manifest.json'), 'utf8')) as { artifacts: Record<string, { type: string; properties?: { templateFile?: string } }> };
    const stacks = Object.entries(manifest.artifacts).filter(([, x]) => x.type === 'aws:cloudformation:stack');
    for (const [name, x] of stacks) {
      seconds += timed('npx', ['--no-install', 'cdk', 'diff', '--no-notices', '--app', b, '--template', join(a, x.properties?.templateFile ?? `${name}.template.json`), name]);
    }
    return seconds;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}


export async function main(): Promise<void> {
  const runs = Math.max(1, Number(process.env.BENCH_RUNS ?? 1));
  const cold: number[] = [];
  const warm: number[] = [];
  const theirs: number[] = [];
  // Built before timing, as `npm install` leaves it (bin/compiled.js).
  timed(process.execPath, [join(ROOT, 'bin', 'drawbridge.js'), '--version']);
  for (let i = 0; i < runs; i++) {
    const cacheDir = mkdtempSync(join(tmpdir(), 'drawbridge-bench-cache-'));
    try {
      cold.push(drawbridge(cacheDir));
      warm.push(drawbridge(cacheDir));
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
    theirs.push(naive());
  }
  const c = median(cold);
  const w = median(warm);
  const n = median(theirs);
  const out = (name: string, value: string) => process.stdout.write(`${name}: ${value}\n`);
  const load = loadavg()[0]!.toFixed(2);
  out('diff_runs', String(runs));
  out('diff_cpus', `${availableParallelism()} (load average ${load} at the end)`);
  out('diff_drawbridge_cold_seconds', c.toFixed(2));
  out('diff_drawbridge_warm_seconds', w.toFixed(2));
  out('diff_naive_cdk_seconds', n.toFixed(2));
  out('diff_speedup_cold', `${(n / c).toFixed(1)}x (goal >= 8x; an empty cache; drawbridge also diffs Cloudflare, the naive way only AWS)`);
  out('diff_speedup_warm', `${(n / w).toFixed(1)}x (goal >= 8x; the same diff again, read from the cache)`);
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`bench/diff: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  });
}
