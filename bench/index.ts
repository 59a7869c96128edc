/**
 * `npm run bench`: runs every benchmark in its own process, passes its lines through, and ends with
 * one summary table of every `name: value` figure printed. Figures, not pass/fail: goals are
 * printed beside them.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

const BENCHES = ['synth.ts', 'diff.ts', 'fleet.ts', 'gate.ts'];
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
  const w = Math.max(...all.map(([, k]) => k.length), 6);
  process.stdout.write(`\n== summary\n${'figure'.padEnd(w)}  value\n${'-'.repeat(w)}  -----\n`);
  for (const [, k, v] of all) process.stdout.write(`${k.padEnd(w)}  ${v}\n`);
  if (failed) process.exitCode = 1;
}

void main();
