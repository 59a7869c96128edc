/**
 * CLI start-up: `drawbridge --help`, `check` and `plan` on the default estate against `node -e 0`,
 * each a fresh process started as package.json's bin starts it (`node bin/drawbridge.js`), and the
 * same `check` through `npx drawbridge` (what the README no longer recommends for repeated use).
 * Wall-clock seconds, median of BENCH_RUNS (default 9), runs interleaved. Goal: within 2x of node.
 *
 *   npx tsx bench/cli.ts
 */
import { join } from 'node:path';
import { median, ROOT, timedRun } from './util';

const ENV = { ...process.env, NO_COLOR: '1' };
const DRAWBRIDGE = join(ROOT, 'bin', 'drawbridge.js');

const COMMANDS: Record<string, [string, string[]]> = {
  node: [process.execPath, ['-e', '0']],
  help: [process.execPath, [DRAWBRIDGE, '--help']],
  check: [process.execPath, [DRAWBRIDGE, 'check']],
  plan: [process.execPath, [DRAWBRIDGE, 'plan', 'normal', 'maintenance']],
  direct: [DRAWBRIDGE, ['check']],
  npx: ['npx', ['--no-install', 'drawbridge', 'check']],
};

export async function main(): Promise<void> {
  const runs = Math.max(1, Number(process.env.BENCH_RUNS ?? 9));
  // One run of each first: builds the bundle and its code caches if a source changed, as the first
  // command after an edit would.
  for (const [command, args] of Object.values(COMMANDS)) timedRun(command, args, ENV);
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(COMMANDS).map((k) => [k, []]));
  for (let i = 0; i < runs; i++) for (const [k, [command, args]] of Object.entries(COMMANDS)) times[k]!.push(timedRun(command, args, ENV));
  const m = (k: string) => median(times[k]!);
  const out = (name: string, value: string) => process.stdout.write(`${name}: ${value}\n`);
  const node = m('node');
  out('cli_runs', String(runs));
  out('cli_node_e0_seconds', node.toFixed(3));
  for (const k of ['help', 'check', 'plan']) out(`cli_${k}_seconds`, `${m(k).toFixed(3)} = ${(m(k) / node).toFixed(2)}x node -e 0 (goal <= 2x)`);
  out('cli_check_direct_seconds', `${m('direct').toFixed(3)} (./bin/drawbridge.js check, the README's way)`);
  out('cli_check_npx_seconds', `${m('npx').toFixed(3)} (npx adds ${(m('npx') - m('check')).toFixed(2)} s; documented faster path: ./bin/drawbridge.js)`);
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`bench/cli: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  });
}
