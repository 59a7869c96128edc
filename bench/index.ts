/**
 * `npm run bench`: runs every benchmark in its own process, passes its lines through, and ends with
 * the table of goals (each figure the project is held to, what it is now and its goal) and then
 * every `name: value` figure printed. Figures, not pass/fail.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

const BENCHES = ['synth.ts', 'cli.ts', 'diff.ts', 'fleet.ts', 'affected.ts', 'gate.ts'];

/** The table of goals: a row per figure, from the figures the benchmarks print (a value's `(goal ...)` is cut off here). */
const GOALS: readonly [row: string, figures: readonly string[], goal: string][] = [
  ['synthesis of the default estate vs a bare CDK app', ['synth_default_estate_seconds', 'synth_bare_empty_stack_seconds', 'synth_overhead'], '<= 1.3x'],
  ['drawbridge diff vs cdk synth x2 + cdk diff, empty cache', ['diff_drawbridge_cold_seconds', 'diff_naive_cdk_seconds', 'diff_speedup_cold'], '>= 8x'],
  ['drawbridge diff vs the naive flow, cache filled', ['diff_drawbridge_warm_seconds', 'diff_speedup_warm'], '>= 8x'],
  ['drawbridge --help vs node -e 0', ['cli_help_seconds', 'cli_node_e0_seconds'], '<= 2x'],
  ['drawbridge check vs node -e 0', ['cli_check_seconds'], '<= 2x'],
  ['drawbridge plan vs node -e 0', ['cli_plan_seconds'], '<= 2x'],
  ['npx drawbridge check / the documented faster path', ['cli_check_npx_seconds', 'cli_check_direct_seconds'], 'a faster path, documented'],
  ['one estate of 50 sites, synth + diff', ['fleet.50.seconds', 'fleet.50.peak_rss_mib'], 'keep (3.3 s)'],
  ['one estate of 500 sites, synth + diff', ['fleet.500.seconds', 'fleet.500.peak_rss_mib', 'fleet.500.stacks', 'fleet.500.unsafe_changes'], '< 60 s'],
  ['500 sites over 50 sites', ['fleet.growth.t500_over_t50'], '<= 11'],
  ['a repository of 50 estates, one edited', ['repo_affected_by_one_estate_edit', 'repo_diff_affected_seconds'], 'only affected estates, in parallel'],
];
const FIGURE = /^([a-z0-9_.-]+): (.+)$/i;

function run(file: string): Promise<{ figures: [string, string][]; ok: boolean }> {
  return new Promise((resolve) => {
    const figures: [string, string][] = [];
    const child = spawn(process.execPath, [...process.execArgv, join(__dirname, file)], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: '1' } });
    let buffer = '';
    child.stdout.on('data', (chunk: Buffer) => {
      process.stdout.write(chunk);
      buffer += chunk.toString();
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl).trim();
        buffer = buffer.slice(nl + 1);
        const m = FIGURE.exec(line);
        if (m) figures.push([m[1]!, m[2]!]);
      }
    });
    child.on('close', (code) => resolve({ figures, ok: code === 0 }));
  });
}

async function main(): Promise<void> {
  const all: [string, string, string][] = [];
  let failed = 0;
  for (const file of BENCHES) {
    process.stdout.write(`\n== bench/${file}\n`);
    const { figures, ok } = await run(file);
    if (!ok) {
      failed++;
      process.stdout.write(`bench/${file} failed\n`);
    }
    for (const [k, v] of figures) all.push([file.replace(/\.ts$/, ''), k, v]);
  }
  const value = (name: string) => all.find(([, k]) => k === name)?.[2].replace(/ \(goal[: ][^)]*\)/, '');
  process.stdout.write('\n== goals\n');
  for (const [row, names, goal] of GOALS) {
    const now = names.map((n) => `${n} ${value(n) ?? '(not measured)'}`).join('; ');
    process.stdout.write(`${row}\n    now:  ${now}\n    goal: ${goal}\n`);
  }
  const w = Math.max(...all.map(([, k]) => k.length), 6);
  process.stdout.write(`\n== summary\n${'figure'.padEnd(w)}  value\n${'-'.repeat(w)}  -----\n`);
  for (const [, k, v] of all) process.stdout.write(`${k.padEnd(w)}  ${v}\n`);
  if (failed) process.exitCode = 1;
}

void main();
