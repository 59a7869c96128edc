/**
 * A `moto_server` (moto 5, an AWS API emulator) on a free loopback port, for the deploy loop. It is
 * always on 127.0.0.1, every wait is bounded, and `stop()` kills it (and waits for it to go).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { DrawbridgeError } from '../../modes/errors';
import { findTool, missingLine, MOTO_SERVER_TOOL, toolIfFound } from '../tools';

/** One line saying what to do when moto_server is missing (scripts/tools.ts says it for every tool). */
export const MOTO_MISSING = missingLine(MOTO_SERVER_TOOL);

/**
 * moto_server's executable: MOTO_SERVER_PATH, else PATH. Only looks (the preflight of `npm test`
 * is where a tool is installed); a DrawbridgeError with one line when it is nowhere or the
 * variable names no executable.
 */
export function motoServerPath(): string {
  return findTool(MOTO_SERVER_TOOL, undefined, { install: false });
}

/** A running emulator. */
export interface Moto {
  /**
   * http://localhost:PORT (the server listens on 127.0.0.1 only). Named `localhost` because moto's
   * CloudFormation reads a template URL on the endpoint only when it says localhost
   * (moto/cloudformation/utils.py get_stack_from_s3_url); the CDK CLI hands it such a URL.
   */
  readonly endpoint: string;
  readonly port: number;
  /** What the server wrote, for a failure report. */
  log(): string;
  /** Stops the server; resolves once it has exited (SIGKILL after `graceMs`). */
  stop(graceMs?: number): Promise<void>;
}

/** moto's version, or undefined when moto_server is not found or cannot be run. */
export function motoVersion(): string | undefined {
  const path = toolIfFound(MOTO_SERVER_TOOL);
  if (!path) return undefined;
  const r = spawnSync(path, ['--help'], { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) return undefined;
  const v = spawnSync('python3', ['-c', 'import moto; print(moto.__version__)'], { encoding: 'utf8', timeout: 60_000 });
  return v.status === 0 ? `moto ${v.stdout.trim()}` : 'moto (version unknown)';
}

/** A TCP port free on 127.0.0.1 right now. */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function exited(child: ChildProcess): Promise<void> {
  return new Promise((done) => {
    if (child.exitCode !== null || child.signalCode !== null) done();
    else child.once('exit', () => done());
  });
}

/** Starts moto_server on a free loopback port and waits (at most `readyMs`) until it answers. */
export async function startMoto(readyMs = 30_000): Promise<Moto> {
  const port = await freeLoopbackPort();
  const endpoint = `http://localhost:${port}`;
  let output = '';
  const child = spawn(motoServerPath(), ['-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const spawnError = new Promise<Error>((done) => child.once('error', done));
  child.stdout!.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-200_000)));
  child.stderr!.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-200_000)));
  const stop = async (graceMs = 5_000) => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    const kill = (signal: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, signal);
      } catch {
        /* already gone */
      }
    };
    kill('SIGTERM');
    const gone = await Promise.race([exited(child).then(() => true), sleep(graceMs).then(() => false)]);
    if (!gone) {
      kill('SIGKILL');
      await Promise.race([exited(child), sleep(graceMs)]);
    }
  };
  const deadline = Date.now() + readyMs;
  for (;;) {
    const failed = await Promise.race([spawnError, sleep(0).then(() => undefined)]);
    if (failed) throw (failed as NodeJS.ErrnoException).code === 'ENOENT' ? new DrawbridgeError(MOTO_MISSING) : failed;
    if (child.exitCode !== null) throw new Error(`moto_server exited (${child.exitCode}) before it answered:\n${output}`);
    try {
      const r = await fetch(`http://127.0.0.1:${port}/moto-api/`, { signal: AbortSignal.timeout(2_000) });
      if (r.ok) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`moto_server did not answer on ${endpoint} within ${readyMs / 1000} s:\n${output}`);
    }
    await sleep(200);
  }
  return { endpoint, port, log: () => output, stop };
}
