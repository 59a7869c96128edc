/** What the benchmarks share: timing a child process and taking a median. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..');

/** Wall-clock seconds of one child process run from `cwd` (the repository root); throws when it fails. */
export function timedRun(command: string, args: readonly string[], env: NodeJS.ProcessEnv, cwd = ROOT): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(command, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${r.status}: ${r.stderr.slice(-2000)}`);
  return seconds;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((x, y) => x - y);
  return s[Math.floor(s.length / 2)]!;
}
