/**
 * A user mistake: bad estate, bad mode, bad argument. Entry points print `message` alone (no stack
 * trace) and exit non-zero; anything else is a bug and keeps its stack.
 */
export class DrawbridgeError extends Error {
  /** One line per problem, each naming the field, the bad value and what is allowed. */
  readonly problems: readonly string[];
  /** Process exit code entry points should use. */
  readonly exitCode: number;

  constructor(problems: string | readonly string[], exitCode = 1) {
    const list = typeof problems === 'string' ? [problems] : problems;
    super(list.join('\n'));
    this.name = 'DrawbridgeError';
    this.problems = list;
    this.exitCode = exitCode;
  }
}

/** Exit code for mistakes in how the command was typed (as opposed to what it asks for). */
export const USAGE_EXIT = 2;

export function isDrawbridgeError(e: unknown): e is DrawbridgeError {
  return e instanceof DrawbridgeError;
}

/** Runs `main`; a DrawbridgeError becomes its message on stderr and its exit code, nothing else. */
export async function runMain(main: () => unknown | Promise<unknown>): Promise<void> {
  try {
    await main();
  } catch (e) {
    if (isDrawbridgeError(e)) {
      process.stderr.write(`drawbridge: ${e.problems.join('\ndrawbridge: ')}\n`);
      process.exit(e.exitCode);
    }
    throw e;
  }
}

/** Quotes a user value for an error message, shortened so a huge value cannot flood the terminal. */
export function show(value: unknown): string {
  let text: string;
  if (typeof value === 'string') text = JSON.stringify(value);
  else if (value === undefined) text = 'nothing';
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Levenshtein distance, for short words (keys, modes). */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

/** The candidate a mistyped word was probably meant to be (case-insensitive, at most 2 edits), if any. */
export function closest<T extends string>(word: string, candidates: readonly T[]): T | undefined {
  let best: { c: T; d: number } | undefined;
  for (const c of candidates) {
    const d = distance(word.toLowerCase(), c.toLowerCase());
    if (d <= 2 && (!best || d < best.d)) best = { c, d };
  }
  return best?.c;
}
