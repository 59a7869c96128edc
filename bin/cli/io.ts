/**
 * What the CLI talks to: its streams, environment, working directory and clock, passed in so tests
 * run it in-process; and its exit codes.
 */
import { USAGE_EXIT } from '../../modes/errors';

/** Exit codes. */
export const EXIT = { ok: 0, invalid: 1, usage: USAGE_EXIT, unsafe: 3, bug: 70 } as const;

export interface Out {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

export interface Io {
  readonly stdout: Out;
  readonly stderr: Out;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Directory relative paths are read from (the repository root in practice). */
  readonly cwd: string;
  /** The clock window ends are checked against (default: the real one); tests pass a fixed one. */
  readonly now?: () => Date;
  /**
   * Where commands keep their caches (`main`: node_modules/.cache/drawbridge). Absent (tests
   * running the CLI in-process): no cache, unless DRAWBRIDGE_CACHE_DIR names one.
   */
  readonly cacheDir?: string;
  /** What `drawbridge statuspage` sends its requests with (default: Node's fetch); tests pass their own, so none reaches the network. */
  readonly fetch?: Fetch;
}

/** The part of `fetch` the CLI uses. */
export type Fetch = (url: string, init: { method: string; headers: Record<string, string>; body?: string; signal?: AbortSignal }) => Promise<Response>;

export function now(io: Io): Date {
  return io.now ? io.now() : new Date();
}

/** Colours on stdout: --no-color and --color win, then NO_COLOR, then a terminal that is not dumb. */
export function useColour(io: Io, flags: { readonly 'no-color'?: boolean; readonly color?: boolean }): boolean {
  if (flags['no-color']) return false;
  if (flags.color) return true;
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return false;
  return !!io.stdout.isTTY && io.env.TERM !== 'dumb';
}
