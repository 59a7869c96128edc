/**
 * The AWS half of `drawbridge diff` as one piece of work that runs in this thread or in a worker
 * thread (bin/aws-worker.ts): synthesize the sides not known yet, compare the templates per stack
 * (@aws-cdk/cloudformation-diff, whose first comparison loads its 2.6 MB resource database), and
 * format each stack's difference as `cdk diff` prints it. What comes back is plain data (the
 * TemplateDiff stays here), so it can cross a thread boundary and be cached.
 *
 * The coloured text is formatted with chalk at level 1 (the codes of the named colours
 * cloudformation-diff uses, the same at every level above 0); whoever prints it picks the plain
 * text when its own terminal takes no colour, exactly as formatting in place would have.
 *
 * Importing this module loads no engine: aws-cdk-lib and cloudformation-diff are required when used.
 */
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import type { ResourceChange } from '../../modes/diff';
import type { Estate, ModeState } from '../../modes/schema';
import { formatModeWord } from '../../modes/words';
import type { SynthesizedStack } from './synth';

/** Runs one named stage of the work (stacks/diff.ts's Stage). */
export type AwsStage = <T>(label: string, fn: () => T | Promise<T>) => Promise<T>;

/** One side of the move: its templates when known, else what to synthesize. Absent: no aws part. */
export type AwsSideInput = { readonly stacks: readonly SynthesizedStack[] } | { readonly synth: { readonly estate: Estate; readonly state: ModeState; readonly builtinValidation: boolean } };

export interface AwsWork {
  readonly before?: AwsSideInput;
  readonly after?: AwsSideInput;
  /** @default true */
  readonly compare?: boolean;
}

/** One stack's difference, as data. */
export interface AwsStackResult {
  readonly stackName: string;
  readonly changes: readonly ResourceChange[];
  /** As `cdk diff` prints it, without and with ANSI colours. */
  readonly plain: string;
  readonly coloured: string;
}

export interface AwsWorkResult {
  /** The templates synthesized by this work (absent for a side that was given or absent). */
  readonly synthesized: { readonly before?: readonly SynthesizedStack[]; readonly after?: readonly SynthesizedStack[] };
  readonly stacks: readonly AwsStackResult[];
  /**
   * The coloured texts are the ones any process would make (cloudformation-diff was loaded here
   * with chalk at level 1 or more); when another caller loaded it before without colour, they lack
   * some codes and are not worth caching.
   */
  readonly canonical: boolean;
}

const silently: AwsStage = async (_label, fn) => fn();

/** chalk as cloudformation-diff loads it (its own dependency, wherever npm put it). */
export function diffChalk(): { level: number } {
  // createRequire: a bundle's require has no resolve.
  const req = createRequire(__filename);
  const from = path.dirname(req.resolve('@aws-cdk/cloudformation-diff'));
  return req(req.resolve('chalk', { paths: [from] })) as { level: number };
}

/** Whether cloudformation-diff's load-time markers carry colour (formats a one-output diff; needs no resource database). */
function markersColoured(): boolean {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { fullDiff, formatDifferences } = require('@aws-cdk/cloudformation-diff') as typeof import('@aws-cdk/cloudformation-diff');
  let text = '';
  const sink = new Writable({
    write(chunk: Buffer | string, _enc, done) {
      text += chunk.toString();
      done();
    },
  });
  formatDifferences(sink, fullDiff({ Outputs: { Probe: { Value: 'a' } } }, { Outputs: { Probe: { Value: 'b' } } }));
  return text.includes('\u001b[33m[~]');
}

/** Synthesizes what is missing, compares and formats; throws what the synthesis throws. */
export async function runAwsWork(work: AwsWork, stage: AwsStage = silently): Promise<AwsWorkResult> {
  const sides = [work.before, work.after];
  const jobs = sides.filter((s): s is Extract<AwsSideInput, { synth: unknown }> => !!s && 'synth' in s);
  const synthesized: (readonly SynthesizedStack[] | undefined)[] = [undefined, undefined];
  if (jobs.length) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { synthAws } = await stage('loading the CDK app', () => require('./synth') as typeof import('./synth'));
    for (const [i, side] of sides.entries()) {
      if (!side || !('synth' in side)) continue;
      const { estate, state, builtinValidation } = side.synth;
      synthesized[i] = await stage(`synthesizing AWS for ${formatModeWord(state)}`, () => synthAws(estate, state, { builtinValidation }).stacks);
    }
  }
  const stacksOf = (i: number) => {
    const side = sides[i];
    return side && 'stacks' in side ? side.stacks : (synthesized[i] ?? []);
  };
  const made: AwsWorkResult['synthesized'] = { ...(synthesized[0] ? { before: synthesized[0] } : {}), ...(synthesized[1] ? { after: synthesized[1] } : {}) };
  if (work.compare === false) return { synthesized: made, stacks: [], canonical: false };
  // chalk takes its level from the process (a terminal, FORCE_COLOR, --color in argv; a worker
  // thread has none of them), and cloudformation-diff colours some markers once, when it loads:
  // with at least level 1 from before that load, the coloured text is the same in every process.
  const chalk = diffChalk();
  const level = chalk.level;
  chalk.level = Math.max(level, 1);
  let stacks: AwsStackResult[];
  let canonical: boolean;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { diffStacks, formatStackDiff } = require('./diff') as typeof import('./diff');
    stacks = diffStacks(stacksOf(0), stacksOf(1)).map((d) => {
      const coloured = formatStackDiff(d, true);
      // eslint-disable-next-line no-control-regex
      return { stackName: d.stackName, changes: d.changes, plain: coloured.replace(/\u001b\[[0-9;]*m/g, ''), coloured };
    });
    canonical = markersColoured();
  } finally {
    chalk.level = level;
  }
  return { synthesized: made, stacks, canonical };
}
