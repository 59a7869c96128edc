/**
 * Which estate file an entry point reads, decided once for all of them (the CLI, the CDK app, the
 * Pulumi program, `npm run build:edge` and `edge/bypass-link.ts`): the file the user gave, else the
 * one cdk.json names (`context.estate`), else a DrawbridgeError saying cdk.json names none and how
 * to pass one to that entry point. No entry point guesses a file of its own, so every engine and
 * tool reads the same estate.
 */
import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DrawbridgeError } from './errors';

/** How each entry point is told the estate: what "not given" is called there and how to give one. */
export const ESTATE_ENTRY_POINTS = {
  cli: { option: '--estate', unset: 'no --estate given', pass: 'pass one with `--estate FILE`' },
  cdk: { option: '--context estate=', unset: 'no --context estate given', pass: 'pass one with `--context estate=FILE`' },
  pulumi: { option: 'drawbridge:estate', unset: 'drawbridge:estate is not set', pass: 'set one with `pulumi config set drawbridge:estate FILE`' },
  'build-edge': { option: '--estate', unset: 'no --estate given', pass: 'pass one with `npm run build:edge -- --estate FILE`' },
  'bypass-link': { option: '--estate', unset: 'no --estate given', pass: 'pass one with `--estate FILE`' },
} as const;

export type EstateEntryPoint = keyof typeof ESTATE_ENTRY_POINTS;

/** What cdk.json says about the default estate: its file as written there, or why there is none. */
export type CdkEstate = { readonly estate: string } | { readonly problem: string };

/** Reads `context.estate` from `<root>/cdk.json`. */
export function readCdkEstate(root: string): CdkEstate {
  const file = join(root, 'cdk.json');
  let text: string;
  try {
    // A directory or a pipe named cdk.json is not read (a pipe with no writer would hang).
    if (!statSync(file).isFile()) return { problem: `${file} is not a regular file, so it names no default estate` };
    text = readFileSync(file, 'utf8');
  } catch {
    return { problem: `there is no ${file} to name a default estate` };
  }
  let estate: unknown;
  try {
    estate = (JSON.parse(text) as { context?: { estate?: unknown } } | null)?.context?.estate;
  } catch (e) {
    return { problem: `${file} is not valid JSON (${(e as Error).message.split('\n')[0]})` };
  }
  return typeof estate === 'string' && estate !== '' ? { estate } : { problem: `${file} names no default estate (context.estate)` };
}

/**
 * The estate file cdk.json names (`context.estate`), as written there (relative to `root`), or
 * undefined when there is no readable cdk.json or it names none.
 */
export function cdkDefaultEstate(root: string): string | undefined {
  const named = readCdkEstate(root);
  return 'estate' in named ? named.estate : undefined;
}

export interface EstateFileOptions {
  /** Directory holding cdk.json; cdk.json's estate is relative to it. */
  readonly root: string;
  /** Directory a given file is relative to. @default root */
  readonly cwd?: string;
  /** Who asks, to say how to pass an estate there. */
  readonly entry: EstateEntryPoint;
}

export interface EstateFile {
  /** The file as the user gave it, or as cdk.json writes it: for messages and commands. */
  readonly file: string;
  /** Its absolute path, to read. */
  readonly path: string;
  /** It is the estate cdk.json names, so the engines need not be told which estate. */
  readonly isDefault: boolean;
}

/**
 * The estate file an entry point reads: `given`, else cdk.json's `context.estate`. Throws a
 * DrawbridgeError naming what is missing and how to pass an estate to `options.entry` when there
 * is neither, or when `given` is empty (`--estate=`, `--context estate=`).
 */
export function resolveEstateFile(given: string | undefined, options: EstateFileOptions): EstateFile {
  const entry = ESTATE_ENTRY_POINTS[options.entry];
  const cdk = readCdkEstate(options.root);
  const defaultPath = 'estate' in cdk ? resolve(options.root, cdk.estate) : undefined;
  if (given === '') {
    throw new DrawbridgeError(
      'estate' in cdk
        ? `${entry.option} is empty; ${entry.pass}, or leave it out for the estate cdk.json names (${cdk.estate})`
        : `${entry.option} is empty and ${cdk.problem}; ${entry.pass}`,
    );
  }
  if (given !== undefined) {
    const path = resolve(options.cwd ?? options.root, given);
    return { file: given, path, isDefault: path === defaultPath };
  }
  if ('problem' in cdk) throw new DrawbridgeError(`${entry.unset} and ${cdk.problem}; ${entry.pass}`);
  return { file: cdk.estate, path: defaultPath!, isDefault: true };
}
