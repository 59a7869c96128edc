/**
 * The two-engine diff behind `drawbridge diff`, without the printing: both mode states of an estate
 * synthesized by the CDK app and rendered by the Pulumi program, offline (no AWS or Cloudflare
 * account), compared resource by resource and classified: unsafe (a resource replaced or removed)
 * and disruptive (changed in place, with downtime or a restart).
 *
 * With a cache (stacks/diff-cache.ts), a synthesis or comparison made before for the same inputs
 * and code is read back instead. When both engines have syntheses to do, the AWS ones run in a
 * worker thread (stacks/aws/diff-thread.ts; the bundled CLI only) while this thread renders
 * Cloudflare. Either way the result is the same.
 *
 * Importing this module loads no engine: aws-cdk-lib and @pulumi/* are required inside `diffEngines`,
 * and only for the parts the estates have and the cache does not hold. (A plain require: tsx's
 * CommonJS hook handles .ts, `import()` would not.)
 */
import { diffPulumi, disruptiveChanges, unsafeChanges, type PulumiResource, type ReplaceTable, type ResourceChange } from '../modes/diff';
import type { Provider } from '../modes/engines';
import type { Estate, ModeState } from '../modes/schema';
import { formatModeWord } from '../modes/words';
import type { AwsSideInput, AwsStackResult, AwsWork, AwsWorkResult } from './aws/diff-work';
import { awsWorkerFile, runAwsWorkInThread } from './aws/diff-thread';
import type { SynthesizedStack } from './aws/synth';
import type { CacheUnit, DiffCache } from './diff-cache';

/** Runs one named stage of the work; the CLI shows it as a progress line. */
export type Stage = <T>(label: string, fn: () => T | Promise<T>) => Promise<T>;

export interface DiffEnginesInput {
  /** The estate before the move (a pull request's base), and the mode state it is in. */
  readonly fromEstate: Estate;
  readonly from: ModeState;
  /** The estate after the move, and the mode state it goes to. */
  readonly estate: Estate;
  readonly to: ModeState;
  /** Pulumi stack the Cloudflare program is rendered for. */
  readonly pulumiStack: string;
  /**
   * aws-cdk-lib's built-in template validation: it only reports and takes seconds to start (cdk-nag
   * runs either way; `cdk synth` and `cdk deploy` validate in full).
   * @default false
   */
  readonly builtinValidation?: boolean;
  /** @default runs each stage silently */
  readonly stage?: Stage;
  /**
   * Where syntheses made before are read back from and new ones stored (stacks/diff-cache.ts).
   * @default none: everything is synthesized
   */
  readonly cache?: DiffCache;
  /**
   * When both engines have syntheses to do, run the AWS ones in a worker thread meanwhile (only
   * where the code runs as a bundle: the bundled CLI).
   * @default true
   */
  readonly parallel?: boolean;
  /** Diagnostic lines: each cache lookup and whether the worker ran. @default none */
  readonly log?: (line: string) => void;
}

/** One engine's changes in one stack. */
export interface StackChanges {
  readonly provider: Provider;
  readonly stack: string;
  readonly changes: readonly ResourceChange[];
}

export interface AwsStackDiff extends StackChanges {
  readonly provider: 'aws';
  /** The difference as `cdk diff` prints it (ANSI colours only with `colour`). */
  format(colour: boolean): string;
}

/** A change that loses a resource: never part of a mode switch. */
export interface UnsafeChange {
  readonly provider: Provider;
  readonly stack: string;
  readonly change: ResourceChange;
  /** e.g. "would be replaced (Name changed)", "would be removed". */
  readonly reason: string;
}

/** A change in place that still interrupts service: schedule it as its own change. */
export interface DisruptiveChange {
  readonly provider: Provider;
  readonly stack: string;
  readonly change: ResourceChange;
  /** The properties whose change interrupts service. */
  readonly because: readonly string[];
}

export interface Classification {
  readonly unsafe: readonly UnsafeChange[];
  readonly disruptive: readonly DisruptiveChange[];
}

export interface EngineDiff extends Classification {
  /** Every CDK stack; absent when neither estate has an aws part. */
  readonly aws?: { readonly stacks: readonly AwsStackDiff[] };
  /** The Pulumi stack; absent when neither estate has a cloudflare part. */
  readonly cloudflare?: StackChanges & { readonly provider: 'cloudflare' };
  /** Nothing is replaced or removed. */
  readonly safe: boolean;
  /** How each side was obtained: read from the cache or synthesized, and whether a worker thread ran. */
  readonly synthesis: {
    readonly aws: readonly { readonly state: ModeState; readonly cached: boolean }[];
    /** The AWS comparison of the pair was read from the cache (no template was read or compared). */
    readonly awsComparisonCached: boolean;
    readonly cloudflare: readonly { readonly state: ModeState; readonly cached: boolean }[];
    readonly parallel: boolean;
  };
}

/** Why a change is unsafe, as the CLI prints it. */
export function unsafeReason(c: ResourceChange): string {
  return c.action === 'remove' ? 'would be removed' : `would be replaced (${c.replacedBecause?.length ? `${c.replacedBecause.join(', ')} changed` : 'replacement'})`;
}

/** The unsafe and disruptive changes of every stack, in stack order. */
export function classifyChanges(stacks: readonly StackChanges[]): Classification {
  return {
    unsafe: stacks.flatMap((s) => unsafeChanges(s.changes).map((change) => ({ provider: s.provider, stack: s.stack, change, reason: unsafeReason(change) }))),
    disruptive: stacks.flatMap((s) => disruptiveChanges(s.changes).map((change) => ({ provider: s.provider, stack: s.stack, change, because: change.disruptiveBecause ?? [] }))),
  };
}

const silently: Stage = async (_label, fn) => fn();

type Log = (line: string) => void;

/** One side of one engine: an (estate, mode state) and, once known, its rendering. */
interface Side<T> {
  readonly estate: Estate;
  readonly state: ModeState;
  /** Its cache key; absent without a cache, or when the inputs are not plain data. */
  readonly key?: string;
  value?: T;
  /** Read from the cache rather than computed in this run. */
  cached: boolean;
}

/** Looks `inputs` up in the cache; a miss without one. */
function lookUp<T>(cache: DiffCache | undefined, unit: CacheUnit, log: Log, label: string, read = true, known?: string): { key?: string; value?: T; cached: boolean } {
  const key = known ?? cache?.key(unit);
  const hit = key !== undefined && read ? cache!.read(key) : undefined;
  if (cache && read) log(`cache: ${label}: ${key === undefined ? 'not cacheable' : hit ? 'hit' : 'miss'}${key ? ` (${key.slice(0, 12)})` : ''}`);
  return { ...(key !== undefined ? { key } : {}), ...(hit ? { value: hit.value as T } : {}), cached: !!hit };
}

const GATE_PLACEHOLDER = '/* gate Worker bundle: the same in both states */';

/** The Cloudflare half: each present side's resources, and the table of replace-forcing inputs (a function of the code alone). */
interface CloudflareSides {
  readonly before?: Side<PulumiResource[]>;
  readonly after?: Side<PulumiResource[]>;
  readonly table: { key?: string; value?: ReplaceTable; cached: boolean };
}

/** Cloudflare: what is not known yet, rendered offline under mocks in this process. */
async function renderCloudflare(sides: CloudflareSides, pulumiStack: string, stage: Stage): Promise<void> {
  const units = [sides.before, sides.after].filter((u): u is Side<PulumiResource[]> => !!u && !u.cached);
  if (!units.length && sides.table.cached) return;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { cloudflareResources } = await stage('loading the Pulumi program', () => require('./cloudflare/preview') as typeof import('./cloudflare/preview'));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { gateBundle } = require('./cloudflare/bundle') as typeof import('./cloudflare/bundle');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  if (!sides.table.cached) sides.table.value = (require('./cloudflare/replacement') as typeof import('./cloudflare/replacement')).REPLACE_ON_CHANGE;
  // The Worker's code is the same on both sides of a mode change; only its bindings differ. No
  // bypass key is passed: the preview binds a fixed placeholder, shown as '[secret]'.
  const options = { gate: gateBundle(GATE_PLACEHOLDER), stack: pulumiStack };
  for (const u of units) u.value = await stage(`rendering Cloudflare for ${formatModeWord(u.state)}`, () => cloudflareResources(u.estate, u.state, options));
}

const words = (sides: readonly { readonly state: ModeState }[]) => sides.map((s) => formatModeWord(s.state)).join(' and ');

/**
 * Synthesizes, renders and compares both mode states on both engines.
 *
 * With a cache, what was computed before for the same inputs and code is read back: each side's
 * AWS templates and Cloudflare resources, and each pair's AWS comparison (which spares loading
 * cloudformation-diff's database). When both engines still have work, the AWS half runs in a
 * worker thread (the bundled CLI only) while this thread renders Cloudflare. The result is the
 * same whichever way it was obtained.
 */
export async function diffEngines(input: DiffEnginesInput): Promise<EngineDiff> {
  const stage = input.stage ?? silently;
  const log: Log = input.log ?? (() => undefined);
  const cache = input.cache;
  const builtinValidation = input.builtinValidation ?? false;
  const hasAws = !!(input.estate.aws || input.fromEstate.aws);
  const hasCloudflare = !!(input.estate.cloudflare || input.fromEstate.cloudflare);

  // AWS: the comparison of the pair first; the templates only when it is not known.
  const awsSide = (estate: Estate, state: ModeState, read: boolean, known?: string): Side<readonly SynthesizedStack[]> | undefined =>
    estate.aws ? { estate, state, ...lookUp<readonly SynthesizedStack[]>(cache, { engine: 'aws', inputs: { estate, state, builtinValidation } }, log, `AWS for ${formatModeWord(state)}`, read, known) } : undefined;
  let awsBefore = hasAws ? awsSide(input.fromEstate, input.from, false) : undefined;
  let awsAfter = hasAws ? awsSide(input.estate, input.to, false) : undefined;
  const pairCacheable = [awsBefore, awsAfter].every((s) => !s || s.key !== undefined);
  const pair = hasAws && pairCacheable
    ? lookUp<AwsStackResult[]>(cache, { engine: 'aws-diff', inputs: { before: awsBefore?.key ?? null, after: awsAfter?.key ?? null } }, log, `AWS comparison ${words([input.from, input.to].map((state) => ({ state })))}`)
    : { cached: false };
  let awsWork: AwsWork | undefined;
  if (hasAws && !pair.cached) {
    // Now read the templates, under the keys the pair lookup already computed.
    awsBefore = awsSide(input.fromEstate, input.from, true, awsBefore?.key);
    awsAfter = awsSide(input.estate, input.to, true, awsAfter?.key);
    const sideInput = (s: Side<readonly SynthesizedStack[]> | undefined): AwsSideInput | undefined =>
      !s ? undefined : s.cached ? { stacks: s.value! } : { synth: { estate: s.estate, state: s.state, builtinValidation } };
    awsWork = { ...(awsBefore ? { before: sideInput(awsBefore)! } : {}), ...(awsAfter ? { after: sideInput(awsAfter)! } : {}) };
  }
  const awsToSynth = [awsBefore, awsAfter].filter((s): s is Side<readonly SynthesizedStack[]> => !!s && awsWork !== undefined && !s.cached);

  const cloudflareSide = (estate: Estate, state: ModeState): Side<PulumiResource[]> | undefined =>
    estate.cloudflare
      ? { estate, state, ...lookUp<PulumiResource[]>(cache, { engine: 'cloudflare', inputs: { estate, state, pulumiStack: input.pulumiStack, gate: GATE_PLACEHOLDER } }, log, `Cloudflare for ${formatModeWord(state)}`) }
      : undefined;
  const cloudflare: CloudflareSides | undefined = hasCloudflare
    ? {
        before: cloudflareSide(input.fromEstate, input.from),
        after: cloudflareSide(input.estate, input.to),
        table: lookUp<ReplaceTable>(cache, { engine: 'cloudflare-replace-table', inputs: {} }, log, 'Cloudflare replace-forcing inputs'),
      }
    : undefined;
  const cloudflareToRender = cloudflare ? [cloudflare.before, cloudflare.after].filter((s): s is Side<PulumiResource[]> => !!s && !s.cached) : [];
  const cloudflareWork = !!cloudflare && (cloudflareToRender.length > 0 || !cloudflare.table.cached);

  // The AWS syntheses in a worker thread while this one renders Cloudflare, then compares here:
  // the split that measured fastest (one worker for both mode states; the second synthesis reuses
  // what the first loaded). A worker pays for its own load of aws-cdk-lib and cdk-nag, so only with
  // Cloudflare work to overlap.
  const worker = awsWork && awsToSynth.length && cloudflareWork && input.parallel !== false ? awsWorkerFile() : undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const runHere = () => (require('./aws/diff-work') as typeof import('./aws/diff-work')).runAwsWork;
  let aws: AwsWorkResult | undefined;
  if (awsWork && worker) {
    log(`parallel: AWS for ${words(awsToSynth)} in a worker thread, Cloudflare in this one`);
    const render = cloudflareToRender.length ? ` and rendering Cloudflare for ${words(cloudflareToRender)}` : '';
    const synthesized = await stage(`synthesizing AWS for ${words(awsToSynth)} (worker thread)${render}`, async () => {
      // Both settle before a failure is reported: no rejection is left unhandled.
      const jobs: AwsWork = { ...(awsWork.before && 'synth' in awsWork.before ? { before: awsWork.before } : {}), ...(awsWork.after && 'synth' in awsWork.after ? { after: awsWork.after } : {}), compare: false };
      const [thread, here] = await Promise.allSettled([runAwsWorkInThread(worker, jobs), renderCloudflare(cloudflare!, input.pulumiStack, silently)]);
      if (thread.status === 'rejected') throw thread.reason;
      if (here.status === 'rejected') throw here.reason;
      return thread.value.synthesized;
    });
    const known = (side: AwsSideInput | undefined, stacks: readonly SynthesizedStack[] | undefined): AwsSideInput | undefined => (!side || 'stacks' in side ? side : { stacks: stacks! });
    const before = known(awsWork.before, synthesized.before);
    const after = known(awsWork.after, synthesized.after);
    aws = { ...(await runHere()({ ...(before ? { before } : {}), ...(after ? { after } : {}) })), synthesized };
  } else {
    if (awsWork) aws = await runHere()(awsWork, stage);
    if (cloudflare) await renderCloudflare(cloudflare, input.pulumiStack, stage);
  }
  const awsStacks = pair.cached ? pair.value! : (aws?.stacks ?? []);
  if (aws) {
    if (awsBefore && aws.synthesized.before) awsBefore.value = aws.synthesized.before;
    if (awsAfter && aws.synthesized.after) awsAfter.value = aws.synthesized.after;
  }

  // Only now, everything having succeeded: a failure above is never stored.
  if (cache) {
    const results: { key?: string; engine: string; value: unknown }[] = [
      ...awsToSynth.map((s) => ({ key: s.key, engine: 'aws', value: s.value })),
      // (A comparison formatted where cloudformation-diff was loaded without colour would lack codes.)
      ...(aws?.canonical ? [{ key: pair.key, engine: 'aws-diff', value: aws.stacks }] : []),
      ...cloudflareToRender.map((s) => ({ key: s.key, engine: 'cloudflare', value: s.value })),
      ...(cloudflare && !cloudflare.table.cached ? [{ key: cloudflare.table.key, engine: 'cloudflare-replace-table', value: cloudflare.table.value }] : []),
    ];
    const before = cache.stats.writes;
    cache.write(results.filter((r): r is { key: string; engine: string; value: unknown } => r.key !== undefined));
    if (results.length) log(`cache: ${cache.stats.writes - before} of ${results.length} written to ${cache.dir}`);
  }

  const colourful = awsStacks.length > 0 && colourTerminal();
  const awsDiff = hasAws
    ? { stacks: awsStacks.map((d): AwsStackDiff => ({ provider: 'aws', stack: d.stackName, changes: d.changes, format: (colour: boolean) => (colour && colourful ? d.coloured : d.plain) })) }
    : undefined;
  const cloudflareDiff = cloudflare
    ? { provider: 'cloudflare' as const, stack: input.pulumiStack, changes: diffPulumi(cloudflare.before?.value ?? [], cloudflare.after?.value ?? [], cloudflare.table.value!) }
    : undefined;
  const classification = classifyChanges([...(awsDiff?.stacks ?? []), ...(cloudflareDiff ? [cloudflareDiff] : [])]);
  return {
    ...(awsDiff ? { aws: awsDiff } : {}),
    ...(cloudflareDiff ? { cloudflare: cloudflareDiff } : {}),
    ...classification,
    safe: classification.unsafe.length === 0,
    synthesis: {
      aws: [awsBefore, awsAfter].filter((s) => !!s).map((s) => ({ state: s.state, cached: !awsToSynth.includes(s) })),
      awsComparisonCached: pair.cached,
      cloudflare: [cloudflare?.before, cloudflare?.after].filter((s) => !!s).map((s) => ({ state: s.state, cached: s.cached })),
      parallel: !!worker,
    },
  };
}

/** Whether this process's terminal takes colour, as cloudformation-diff's chalk sees it (formatting in place would have coloured). */
function colourTerminal(): boolean {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('./aws/diff-work') as typeof import('./aws/diff-work')).diffChalk().level > 0;
}
