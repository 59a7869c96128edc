/**
 * `drawbridge diff [FROM] TO`: prints what stacks/diff.ts finds (text as `cdk diff` and a Pulumi
 * preview show it, or one JSON object) and maps it to the exit code: 3 when a resource would be
 * replaced or removed. stacks/diff.ts, and with it aws-cdk-lib and @pulumi/*, is loaded only here.
 */
import * as path from 'node:path';
import { ansi, formatPulumiChanges, plain, type Paint } from '../../modes/diff';
import { cachesOn } from '../../modes/cache-setting';
import { ENGINES } from '../../modes/engines';
import { formatModeWord } from '../../modes/words';
import type { EngineDiff, Stage } from '../../stacks/diff';
import type { DiffCache } from '../../stacks/diff-cache';
import { formatOf, type Values } from './args';
import { move, pulumiStack, type Move } from './estates';
import { EXIT, useColour, type Io } from './io';

/** Runs one stage; prints a progress line on a terminal, or afterwards when it took more than a moment. */
function progress(io: Io, quiet: boolean): Stage {
  return async (label, fn) => {
    const tty = !!io.stderr.isTTY && !quiet;
    if (tty) io.stderr.write(`drawbridge: ${label}...`);
    const t0 = Date.now();
    try {
      return await fn();
    } finally {
      const s = ((Date.now() - t0) / 1000).toFixed(1);
      if (tty) io.stderr.write(`\r\u001b[Kdrawbridge: ${label} (${s}s)\n`);
      else if (!quiet && Date.now() - t0 > 500) io.stderr.write(`drawbridge: ${label} (${s}s)\n`);
    }
  };
}

const where = (provider: keyof typeof ENGINES, stack: string) => `${ENGINES[provider].providerLabel} stack ${stack}`;
const plural = (n: number, one: string, many: string) => (n === 1 ? one : many);

function json(m: Move, d: EngineDiff, stack: string): string {
  const stacks = d.aws?.stacks ?? [];
  const out = {
    estate: m.estate.name,
    estateFile: m.estateFile.file,
    ...(m.fromEstateFile !== m.estateFile.file ? { fromEstateFile: m.fromEstateFile } : {}),
    from: m.from,
    to: m.to,
    fromWord: formatModeWord(m.from),
    toWord: formatModeWord(m.to),
    safe: d.safe,
    engines: {
      aws: { stacks: stacks.map((s) => s.stack), resources: stacks.flatMap((s) => s.changes.map((c) => ({ stack: s.stack, ...c }))) },
      cloudflare: { stack, resources: d.cloudflare?.changes ?? [] },
    },
    unsafe: d.unsafe.map((u) => ({ engine: u.provider, id: u.change.id, type: u.change.type, action: u.change.action, replacement: u.change.replacement, reason: u.reason })),
    disruptive: d.disruptive.map((x) => ({ engine: x.provider, id: x.change.id, type: x.change.type, because: x.because })),
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}

function text(m: Move, d: EngineDiff, paint: Paint, colour: boolean): string {
  const from = m.fromEstateFile !== m.estateFile.file ? `${m.fromEstateFile} -> ` : '';
  let s = `${paint.bold(`drawbridge diff: ${m.estate.name}, ${formatModeWord(m.from)} -> ${formatModeWord(m.to)}`)}${paint.dim(` (${from}${m.estateFile.file})`)}\n`;
  const stacks = d.aws?.stacks ?? [];
  for (const st of stacks) s += `\n${paint.bold(`${ENGINES.aws.label} stack ${st.stack}`)}\n${st.format(colour)}`;
  if (d.cloudflare) s += `\n${paint.bold(`${ENGINES.cloudflare.label} stack ${d.cloudflare.stack}`)}\n${formatPulumiChanges(d.cloudflare.changes, paint)}`;
  const count = stacks.reduce((n, st) => n + st.changes.length, 0) + (d.cloudflare?.changes.length ?? 0);
  if (d.safe) s += `\n${paint.green('Safe')}: ${count} ${plural(count, 'resource changes', 'resources change')} in place; nothing is replaced or removed.\n`;
  else {
    s += `\n${paint.red('UNSAFE')}: ${d.unsafe.length} ${plural(d.unsafe.length, 'resource', 'resources')} would be replaced or removed:\n`;
    for (const u of d.unsafe) s += `  ${where(u.provider, u.stack)}: ${u.change.type} ${u.change.id} ${u.reason}\n`;
  }
  if (d.disruptive.length) {
    const n = d.disruptive.length;
    s += `${paint.yellow('Disruptive')}: ${n} ${plural(n, 'resource changes', 'resources change')} in place with downtime or a restart; schedule it as its own change, not with a mode switch:\n`;
    for (const x of d.disruptive) s += `  ${where(x.provider, x.stack)}: ${x.change.type} ${x.change.id} (${x.because.join(', ')} changed)\n`;
  }
  return s;
}

/**
 * The synthesis cache, unless --no-cache or DRAWBRIDGE_CACHE=off: in DRAWBRIDGE_CACHE_DIR, else in
 * the directory the Io keeps caches in (`main` gives node_modules/.cache/drawbridge; an Io without
 * one, as tests run the CLI in-process, has no cache unless DRAWBRIDGE_CACHE_DIR names one).
 */
function cacheOf(io: Io, values: Values): DiffCache | undefined {
  if (!cachesOn(io.env, EXIT.usage) || values['no-cache']) return undefined;
  const root = io.env.DRAWBRIDGE_CACHE_DIR || io.cacheDir;
  if (!root) return undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { DiffCache } = require('../../stacks/diff-cache') as typeof import('../../stacks/diff-cache');
  // The synthesis reads this process's environment (CDK_*, PULUMI_*), so that is what the keys cover.
  return new DiffCache({ dir: path.join(path.resolve(io.cwd, root), 'diff'), env: process.env });
}

export async function diffCommand(io: Io, values: Values, words: readonly string[]): Promise<number> {
  const format = formatOf(values, ['text', 'json'], 'diff');
  const m = move(io, values, words, 'diff');
  const colour = format === 'text' && useColour(io, values);
  const stack = pulumiStack(io, m.estate, m.estateFile, undefined);
  const cache = cacheOf(io, values);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { diffEngines } = require('../../stacks/diff') as typeof import('../../stacks/diff');
  const debug = /(^|,)(cache|diff|all)(,|$)/.test(io.env.DRAWBRIDGE_DEBUG ?? '');
  const d = await diffEngines({
    fromEstate: m.fromEstate,
    from: m.from,
    estate: m.estate,
    to: m.to,
    pulumiStack: stack,
    // aws-cdk-lib's built-in template validation only reports and takes seconds to start: off unless
    // the user set CDK_VALIDATION (cdk-nag runs either way; cdk synth and deploy validate in full).
    builtinValidation: io.env.CDK_VALIDATION !== undefined,
    stage: progress(io, !!values.quiet),
    ...(cache ? { cache } : {}),
    ...(debug ? { log: (line: string) => io.stderr.write(`drawbridge: debug: ${line}\n`) } : {}),
  });
  io.stdout.write(format === 'json' ? json(m, d, stack) : text(m, d, colour ? ansi : plain, colour));
  for (const u of d.unsafe) io.stderr.write(`drawbridge: unsafe: ${where(u.provider, u.stack)}: ${u.change.type} ${u.change.id} ${u.reason}\n`);
  if (!d.safe) io.stderr.write('drawbridge: a mode switch must only change resources in place; fix the estate edit or split it from the mode change\n');
  return d.safe ? EXIT.ok : EXIT.unsafe;
}
