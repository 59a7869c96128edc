/** Example estates and the mode states each supports, for table-driven tests. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadEstate } from '../../modes/load';
import type { Estate, ModeState } from '../../modes/schema';
import { modeStateSlug, supportedModeStates } from '../../modes/state';

export const ROOT = join(__dirname, '..', '..');
export const ESTATES_DIR = join(ROOT, 'estates');

export const estateFiles: string[] = readdirSync(ESTATES_DIR)
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map((f) => join(ESTATES_DIR, f));

export const estates: { file: string; estate: Estate }[] = estateFiles.map((file) => ({ file, estate: loadEstate(file) }));

export function estateNamed(name: string): Estate {
  const found = estates.find((e) => e.estate.name === name);
  if (!found) throw new Error(`no example estate named ${name}`);
  return found.estate;
}

/** [estate name, mode-state slug, estate, state] for every example estate and every state it supports. */
export function estateModeCases(filter: (e: Estate) => boolean = () => true): [string, string, Estate, ModeState][] {
  return estates
    .filter(({ estate }) => filter(estate))
    .flatMap(({ estate }) => supportedModeStates(estate).map((s): [string, string, Estate, ModeState] => [estate.name, modeStateSlug(s), estate, s]));
}
