/**
 * `drawbridge check [FILE...]`: validates estate files (schema, references, every mode state they
 * support, the committed state against the clock) and lists every problem with its place.
 */
import { isDrawbridgeError } from '../../modes/errors';
import { lineIn } from '../../modes/load';
import { resolve } from '../../modes/resolve';
import type { Estate } from '../../modes/schema';
import { checkModeState, supportedModeStates, pendingPastRestore } from '../../modes/state';
import { estateWarnings } from '../../modes/warnings';
import { formatPath } from '../../modes/path';
import { formatModeWord } from '../../modes/words';
import { usage, type Values } from './args';
import { estateFile, load } from './estates';
import { EXIT, now, type Io } from './io';

/** The problems of one loaded estate: per mode state (a problem of every mode is printed once), then its committed state. */
function problemsOf(io: Io, file: string, estate: Estate): string[] {
  const problems: string[] = [];
  // State problems point at the file's `state:` line.
  const line = lineIn(estate, ['state']);
  const state = `${file}${line ? `:${line}` : ''}: state`;
  const states = supportedModeStates(estate);
  // A problem found in several modes is printed once, naming the modes (all of them: "every mode").
  const byProblem = new Map<string, string[]>();
  for (const s of states) {
    try {
      resolve(estate, s);
    } catch (e) {
      if (!isDrawbridgeError(e)) throw e;
      for (const p of e.problems) byProblem.set(p, [...(byProblem.get(p) ?? []), formatModeWord(s)]);
    }
  }
  for (const [p, words] of byProblem) {
    problems.push(`${file}: ${words.length === states.length && states.length > 1 ? 'every mode' : words.join(', ')}: ${p}`);
  }
  try {
    checkModeState(estate, estate.state, now(io));
  } catch (e) {
    if (!isDrawbridgeError(e)) throw e;
    problems.push(...e.problems.map((p) => `${state}: ${p}`));
  }
  problems.push(...pendingPastRestore(estate, estate.state).map((p) => `${state}: ${p}`));
  return problems;
}

/**
 * Items past which an estate may not fit one CloudFormation stack (no renderer makes more than 5
 * resources of one item, CloudFormation allows 500): only then is it synthesized, so a check of an
 * ordinary estate stays instant.
 */
export const SYNTH_CHECK_ITEMS = 100;

/** CloudFormation limits of the estate's stacks (what `diff` and `cdk synth` refuse), for an estate large enough to reach them. */
function limitProblems(file: string, estate: Estate): string[] {
  if (!estate.aws) return [];
  const items = Object.values(estate.aws).reduce<number>((n, v) => n + (Array.isArray(v) ? v.length : 0), 0);
  if (items <= SYNTH_CHECK_ITEMS) return [];
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { synthAws } = require('../../stacks/aws/synth') as typeof import('../../stacks/aws/synth');
  try {
    synthAws(estate, estate.state, { builtinValidation: false });
    return [];
  } catch (e) {
    if (!isDrawbridgeError(e)) throw e;
    return e.problems.map((p) => `${file}: ${p}`);
  }
}

/**
 * What is valid but probably unwanted (modes/warnings.ts), as FILE:LINE: PATH: message. Printed on
 * stderr marked `warning:`, after the file's valid line; they never change the exit code.
 */
export function warningsOf(file: string, estate: Estate): string[] {
  return estateWarnings(estate).map((w) => {
    const line = lineIn(estate, w.path);
    return `${file}${line ? `:${line}` : ''}: ${formatPath(w.path)}: ${w.message}`;
  });
}

export function check(io: Io, values: Values, files: readonly string[]): number {
  if (files.length && values.estate) throw usage('give estate files either as arguments or with --estate, not both', 'check');
  const list = files.length ? files : [estateFile(io, values.estate).file];
  let failed = 0;
  let bug = false;
  // Each file is checked on its own: one bad file (or a bug it hits) never stops the others.
  for (const file of list) {
    let problems: readonly string[];
    let estate: Estate | undefined;
    try {
      estate = load(io, file);
      problems = problemsOf(io, file, estate);
      if (!problems.length) problems = limitProblems(file, estate);
    } catch (e) {
      if (isDrawbridgeError(e)) problems = e.problems;
      else {
        bug = true;
        estate = undefined;
        problems = [`${file}: internal error (please report it): ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`];
      }
    }
    if (problems.length || !estate) {
      failed++;
      for (const p of problems) io.stderr.write(`drawbridge: ${p}\n`);
      continue;
    }
    io.stdout.write(`${file}: valid (${estate.name}; committed ${formatModeWord(estate.state)}; modes: ${supportedModeStates(estate).map(formatModeWord).join(', ')})\n`);
    for (const w of warningsOf(file, estate)) io.stderr.write(`drawbridge: warning: ${w}\n`);
  }
  if (failed && list.length > 1) io.stderr.write(`drawbridge: ${failed} of ${list.length} estate files are invalid\n`);
  return bug ? EXIT.bug : failed ? EXIT.invalid : EXIT.ok;
}
