/**
 * The CLI's top: parse the command line, run the command, turn a user mistake into its message and
 * exit code, and anything else into an internal error with its stack.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { isDrawbridgeError } from '../../modes/errors';
import { parseCommandLine } from './args';
import { HELP } from './help';
import { EXIT, type Io } from './io';

/*
 * Each command's module is required when it runs, so `--help` and `--version` load no schema and
 * `check` no diff engine: start-up is most of what a quick command costs.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
const commands = {
  check: () => (require('./check') as typeof import('./check')).check,
  plan: () => (require('./plan') as typeof import('./plan')).planCommand,
  diff: () => (require('./diff') as typeof import('./diff')).diffCommand,
  statuspage: () => (require('./statuspage') as typeof import('./statuspage')).statusPageCommand,
  affected: () => (require('./affected') as typeof import('./affected')).affectedCommand,
  /** `diff --affected`: one `diff` child process per affected estate (bin/cli/diff.ts stays as it is). */
  diffAffected: () => (require('./affected') as typeof import('./affected')).diffAffectedCommand,
};
/* eslint-enable @typescript-eslint/no-require-imports */

function version(): string {
  try {
    return (JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  try {
    const invocation = parseCommandLine(argv);
    switch (invocation.kind) {
      case 'version':
        io.stdout.write(`drawbridge ${version()}\n`);
        return EXIT.ok;
      case 'help':
        io.stdout.write(`${HELP[invocation.topic]}\n`);
        return EXIT.ok;
      case 'run': {
        const { command, values, positionals } = invocation;
        return await commands[command === 'diff' && values.affected ? 'diffAffected' : command]()(io, values, positionals);
      }
    }
  } catch (e) {
    if (isDrawbridgeError(e)) {
      io.stderr.write(`drawbridge: ${e.problems.join('\ndrawbridge: ')}\n`);
      return e.exitCode;
    }
    // Anything else is a bug: keep its stack so it can be reported.
    io.stderr.write(`drawbridge: internal error (please report it): ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return EXIT.bug;
  }
}

/** Runs the CLI on this process's arguments and streams and sets its exit code. */
export function main(): Promise<void> {
  return run(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    cacheDir: path.join(__dirname, '..', '..', 'node_modules', '.cache', 'drawbridge'),
  }).then((code) => {
    process.exitCode = code;
  });
}
