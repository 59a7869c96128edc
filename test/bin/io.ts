/** Running the CLI in-process on an in-memory Io, and the fixtures its tests share. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

/** Runs the CLI in-process with `argv`; returns the exit code and what it wrote. */
export async function cli(argv: string[], options: Parameters<typeof captureIo>[0] = {}): Promise<{ code: number; out: string; err: string }> {
  const c = captureIo(options);
  const code = await loadCli().run(argv, c.io);
  return { code, out: c.out(), err: c.err() };
}

/** A frozen copy of the first default estate: line numbers in the tests refer to it. */
export const SHOP = 'test/bin/fixtures/shop.yaml';
export const shopYaml = readFileSync(join(__dirname, 'fixtures', 'shop.yaml'), 'utf8');

let tmp: string | undefined;

/** Writes an estate into a temporary directory of this test file and returns its path. */
export function writeEstate(name: string, text: string): string {
  tmp ??= mkdtempSync(join(tmpdir(), 'drawbridge-cli-'));
  const file = join(tmp, name);
  writeFileSync(file, text);
  return file;
}
