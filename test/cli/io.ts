/** An in-memory Io for running the CLI in-process. */
import type { Io } from '../../bin/drawbridge';
import { ROOT } from '../support/estates';

/**
 * The CLI module. Required with its extension: `bin/drawbridge` alone resolves to the
 * executable shim bin/drawbridge.js, which runs the CLI on the test runner's own arguments.
 */
export function loadCli(): typeof import('../../bin/drawbridge') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../../bin/drawbridge.ts') as typeof import('../../bin/drawbridge');
}

export interface Captured {
  readonly io: Io;
  readonly out: () => string;
  readonly err: () => string;
}

export function captureIo(options: { tty?: boolean; env?: Record<string, string>; cwd?: string; now?: string } = {}): Captured {
  let out = '';
  let err = '';
  const io: Io = {
    stdout: { write: (s: string) => (out += s), isTTY: options.tty ?? false },
    stderr: { write: (s: string) => (err += s), isTTY: false },
    env: options.env ?? {},
    cwd: options.cwd ?? ROOT,
    ...(options.now ? { now: () => new Date(options.now!) } : {}),
  };
  return { io, out: () => out, err: () => err };
}
