/**
 * `drawbridge check [FILE...]`: validates estate files (schema, references, every mode state they
 * support, the committed state against the clock) and lists every problem with its place.
 */
import { isDrawbridgeError } from '../../modes/errors';
import { resolve } from '../../modes/resolve';
import type { Estate } from '../../modes/schema';
import { checkModeState, supportedModeStates, pendingPastRestore } from '../../modes/state';
import { formatModeWord } from '../../modes/words';
import { usage, type Values } from './args';
import { estateFile, load } from './estates';
import { EXIT, now, type Io } from './io';

/** The problems of one loaded estate: per mode state (a problem of every mode is printed once), then its committed state. */
function problemsOf(io: Io, file: string, estate: Estate): string[] {
  const problems: string[] = [];
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
    problems.push(...e.problems.map((p) => `${file}: state: ${p}`));
  }
  problems.push(...pendingPastRestore(estate, estate.state).map((p) => `${file}: state: ${p}`));
  return problems;
}

export function check(io: Io, values: Values, files: readonly string[]): number {
  if (files.length && values.estate) throw usage('give estate files either as arguments or with --estate, not both', 'check');
  const list = files.length ? files : [estateFile(io, values.estate).file];
  let failed = 0;
  for (const file of list) {
    let problems: readonly string[];
    let estate: Estate | undefined;
    try {
      estate = load(io, file);
      problems = problemsOf(io, file, estate);
    } catch (e) {
      if (!isDrawbridgeError(e)) throw e;
      problems = e.problems;
    }
    if (problems.length || !estate) {
      failed++;
      for (const p of problems) io.stderr.write(`drawbridge: ${p}\n`);
      continue;
    }
    io.stdout.write(`${file}: valid (${estate.name}; committed ${formatModeWord(estate.state)}; modes: ${supportedModeStates(estate).map(formatModeWord).join(', ')})\n`);
  }
  if (failed && list.length > 1) io.stderr.write(`drawbridge: ${failed} of ${list.length} estate files are invalid\n`);
  return failed ? EXIT.invalid : EXIT.ok;
}
