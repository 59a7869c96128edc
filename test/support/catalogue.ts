/**
 * What the bad-input catalogue (test/catalogue.test.ts and test/catalogue/*.test.ts) shares: the
 * default estate's text, an editor for it, and the CLI run in a fresh directory.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { captureIo, loadCli } from '../bin/io';
import { ROOT } from './estates';

export const defaultText = readFileSync(join(ROOT, 'estates/default.yaml'), 'utf8');

/** The default estate with `change` applied, as YAML text. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function edit(change: (e: any) => void): string {
  const e = parse(defaultText);
  change(e);
  return stringify(e);
}

/** Runs the CLI in a fresh empty directory; returns what it said and what the directory holds after. */
export async function cliIn(files: Record<string, string | Buffer>, argv: string[]) {
  const { run } = loadCli();
  const dir = mkdtempSync(join(tmpdir(), 'catalogue-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  const c = captureIo({ cwd: dir });
  const code = await run(argv.map((a) => (a.startsWith('./') ? join(dir, a.slice(2)) : a)), c.io);
  return { code, dir, err: c.err().replaceAll(`${dir}/`, ''), out: c.out(), after: readdirSync(dir).sort(), before: Object.keys(files).sort() };
}

/** What `fn` throws, with `dir`'s path taken out of its message (an entry point refusing bad input). */
export async function refusal(dir: string, fn: () => unknown): Promise<{ error: unknown; message: string }> {
  let error: unknown;
  try {
    await fn();
  } catch (e) {
    error = e;
  }
  if (!(error instanceof Error)) throw new Error('expected a refusal');
  return { error, message: error.message.replaceAll(`${dir}/`, '') };
}
