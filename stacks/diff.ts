/**
 * The two-engine diff behind `drawbridge diff`, without the printing: both mode states of an estate
 * synthesized by the CDK app and rendered by the Pulumi program in this process, offline (no AWS or
 * Cloudflare account), compared resource by resource and classified: unsafe (a resource replaced
 * or removed) and disruptive (changed in place, with downtime or a restart).
 *
 * Importing this module loads no engine: aws-cdk-lib and @pulumi/* are required inside `diffEngines`,
 * and only for the parts the estates have. (A plain require: tsx's CommonJS hook handles .ts,
 * `import()` would not.)
 */
import { diffPulumi, disruptiveChanges, unsafeChanges, type PulumiResource, type ResourceChange } from '../modes/diff';
import type { Provider } from '../modes/engines';
import type { Estate, ModeState } from '../modes/schema';
import { formatModeWord } from '../modes/words';

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

/** AWS: both mode states synthesized in this process (aws-cdk-lib is loaded only here). */
async function diffAws(input: DiffEnginesInput, stage: Stage): Promise<AwsStackDiff[]> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { synthAws } = await stage('loading the CDK app', () => require('./aws/synth') as typeof import('./aws/synth'));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { diffStacks, formatStackDiff } = require('./aws/diff') as typeof import('./aws/diff');
  const synth = (estate: Estate, state: ModeState) => synthAws(estate, state, { builtinValidation: input.builtinValidation ?? false }).stacks;
  const before = input.fromEstate.aws ? await stage(`synthesizing AWS for ${formatModeWord(input.from)}`, () => synth(input.fromEstate, input.from)) : [];
  const after = input.estate.aws ? await stage(`synthesizing AWS for ${formatModeWord(input.to)}`, () => synth(input.estate, input.to)) : [];
  return diffStacks(before, after).map((d) => ({ provider: 'aws', stack: d.stackName, changes: d.changes, format: (colour: boolean) => formatStackDiff(d, colour) }));
}

/** Cloudflare: the Pulumi program rendered offline under mocks, compared per URN. */
async function diffCloudflare(input: DiffEnginesInput, stage: Stage): Promise<ResourceChange[]> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { cloudflareResources } = await stage('loading the Pulumi program', () => require('./cloudflare/preview') as typeof import('./cloudflare/preview'));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { gateBundle } = require('./cloudflare/bundle') as typeof import('./cloudflare/bundle');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { REPLACE_ON_CHANGE } = require('./cloudflare/replacement') as typeof import('./cloudflare/replacement');
  // The Worker's code is the same on both sides of a mode change; only its bindings differ.
  const options = { gate: gateBundle('/* gate Worker bundle: the same in both states */'), stack: input.pulumiStack };
  const render = async (estate: Estate, state: ModeState): Promise<PulumiResource[]> =>
    estate.cloudflare ? stage(`rendering Cloudflare for ${formatModeWord(state)}`, () => cloudflareResources(estate, state, options)) : [];
  const before = await render(input.fromEstate, input.from);
  const after = await render(input.estate, input.to);
  return diffPulumi(before, after, REPLACE_ON_CHANGE);
}

/** Synthesizes, renders and compares both mode states on both engines. */
export async function diffEngines(input: DiffEnginesInput): Promise<EngineDiff> {
  const stage = input.stage ?? silently;
  const aws = input.estate.aws || input.fromEstate.aws ? { stacks: await diffAws(input, stage) } : undefined;
  const cloudflare =
    input.estate.cloudflare || input.fromEstate.cloudflare ? { provider: 'cloudflare' as const, stack: input.pulumiStack, changes: await diffCloudflare(input, stage) } : undefined;
  const classification = classifyChanges([...(aws?.stacks ?? []), ...(cloudflare ? [cloudflare] : [])]);
  return { ...(aws ? { aws } : {}), ...(cloudflare ? { cloudflare } : {}), ...classification, safe: classification.unsafe.length === 0 };
}
