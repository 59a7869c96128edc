/**
 * The estates a command reads: which file (modes/estate-file.ts, the resolver every entry point
 * shares), loading it with messages relative to the working directory, the move FROM -> TO that
 * diff and plan take, and the Pulumi stack their commands name.
 */
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { typedWord } from '../../modes/echo';
import { DrawbridgeError, isDrawbridgeError } from '../../modes/errors';
import { resolveEstateFile, type EstateFile } from '../../modes/estate-file';
import { loadEstate } from '../../modes/load';
import type { Estate, ModeState } from '../../modes/schema';
import { checkModeState } from '../../modes/state';
import { parseMove } from '../../modes/words';
import { usage, type Command, type Values } from './args';
import { now, type Io } from './io';

/** Messages name absolute paths; people typed relative ones. */
export function relativeMessages(io: Io, e: DrawbridgeError): DrawbridgeError {
  const abs = `${io.cwd}${path.sep}`;
  return new DrawbridgeError(
    e.problems.map((p) => p.split(abs).join('')),
    e.exitCode,
  );
}

/** Runs `fn`, rewriting a DrawbridgeError's paths relative to the working directory. */
export function relativeErrors<T>(io: Io, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw isDrawbridgeError(e) ? relativeMessages(io, e) : e;
  }
}

/** The estate file: --estate, else the one cdk.json (in the working directory) names. */
export function estateFile(io: Io, given: string | undefined): EstateFile {
  return relativeErrors(io, () => resolveEstateFile(given, { root: io.cwd, entry: 'cli' }));
}

/** Reads and validates an estate file named relative to the working directory. */
export function load(io: Io, file: string): Estate {
  return relativeErrors(io, () => loadEstate(path.resolve(io.cwd, file)));
}

/**
 * The Pulumi stack a plan's or diff's commands name: --stack; else, for an estate other than
 * cdk.json's, the estate's name (a stack with no drawbridge:estate, such as the example production
 * one, deploys cdk.json's estate); else the only Pulumi.<stack>.yaml; else the estate's name.
 */
export function pulumiStack(io: Io, estate: Estate, file: EstateFile, given: string | undefined): string {
  if (given) return given;
  if (!file.isDefault) return estate.name;
  try {
    const stacks = readdirSync(io.cwd)
      .map((f) => /^Pulumi\.(.+)\.ya?ml$/.exec(f)?.[1])
      .filter((s): s is string => !!s);
    if (stacks.length === 1) return stacks[0]!;
  } catch {
    // unreadable directory: fall through
  }
  return estate.name;
}

/** A move FROM -> TO, with the estates it reads. */
export interface Move {
  readonly estate: Estate;
  readonly fromEstate: Estate;
  readonly estateFile: EstateFile;
  /** --from-estate as given, else the estate file. */
  readonly fromEstateFile: string;
  readonly from: ModeState;
  readonly to: ModeState;
}

/** Reads the estates and the mode words of diff and plan, and checks both mode states. */
export function move(io: Io, values: Values, words: readonly string[], command: Command): Move {
  if (words.length > 2) throw usage(`too many arguments (${words.map(typedWord).join(' ')}); give at most FROM and TO`, command);
  const file = estateFile(io, values.estate);
  const fromEstateFile = values['from-estate'] ?? file.file;
  const estate = load(io, file.file);
  const fromEstate = fromEstateFile === file.file ? estate : load(io, fromEstateFile);
  const [fromWord, toWord] = words.length === 1 ? [undefined, words[0]] : [words[0], words[1]];
  const { from, to } = parseMove(estate, fromWord, toWord, fromEstate);
  // Mode states the estate cannot take (cutover without colours, target == live, ...) stop here.
  checkModeState(fromEstate, from, new Date(0));
  // TO against the real clock: `cdk synth` and the Pulumi program refuse a maintenance or cutover
  // whose window has ended, so a plan or diff of it would be a runbook that cannot be followed.
  // (FROM is where things are now: leaving a mode after its window ended must stay possible.)
  checkModeState(estate, to, now(io));
  return { estate, fromEstate, estateFile: file, fromEstateFile, from, to };
}
