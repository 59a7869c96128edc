/** Helpers shared by the plan tests: plans of the example estates and what to read off them. */
import fc from 'fast-check';
import { plan, type Plan, type PlanStep } from '../../../modes/plan';
import { STAGES } from '../../../modes/fields';
import type { Estate, ManualStepSpec, ModeState } from '../../../modes/schema';
import { STAGES_OF, type StageName } from '../../../modes/stages';
import { checkModeState, supportedModeStates } from '../../../modes/state';
import { formatModeWord, parseModeWord } from '../../../modes/words';
import { estateNamed } from '../../support/estates';

export const word = (estate: Estate, w: string): ModeState => parseModeWord(w, estate);
export const planOf = (name: string, from: string, to: string): Plan => {
  const estate = estateNamed(name);
  return plan(estate, word(estate, from), word(estate, to), { estateFile: `estates/${name}.yaml`, pulumiStack: 'production' });
};
export const changes = (steps: readonly PlanStep[]) => steps.flatMap((s) => s.changes);
export const titles = (steps: readonly PlanStep[]) => steps.map((s) => s.title);
export const indexOf = (steps: readonly PlanStep[], id: string) => steps.findIndex((s) => s.id === id);

/** The deploys of the move itself (not the day-before window). */
export const deploys = (steps: readonly PlanStep[]) => steps.filter((s) => s.kind === 'deploy' && !s.id.startsWith('window-'));

/** Each deploy as `<provider> <stage word>`, in plan order. */
export const deploySequence = (steps: readonly PlanStep[]) => deploys(steps).map((s) => `${s.provider} ${s.stage}`);

/** The position of the first step one of whose change lines matches (-1 when none does). */
export const changeAt = (steps: readonly PlanStep[], line: RegExp) => steps.findIndex((s) => s.changes.some((c) => line.test(c)));

/** The state the last commit step before position `i` commits, as a mode word (undefined before any commit). */
export function committedBefore(steps: readonly PlanStep[], i: number): string | undefined {
  const commit = steps.slice(0, i).reverse().find((s) => s.kind === 'commit');
  return commit?.checks[0]?.command?.match(/plan committed (\S+) /)?.[1];
}

/** Every pair of distinct mode states, as words. */
export function statePairs(states: readonly ModeState[]): [string, string][] {
  return states.flatMap((a) => states.filter((b) => formatModeWord(b) !== formatModeWord(a)).map((b): [string, string] => [formatModeWord(a), formatModeWord(b)]));
}

/** Every shell command a plan prints: deploys, overrides, snapshot, checks, and its rollback's. */
export function commandsOf(p: Plan): string[] {
  const steps = [...p.steps, ...(p.rollback?.steps ?? [])];
  return steps.flatMap((s) => [s.command, s.override, s.overrideCleanup, ...s.checks.map((c) => c.command)].filter((c): c is string => !!c));
}

/** The `pulumi up` commands among them, split at `&&`. */
export function pulumiUps(p: Plan): string[] {
  return commandsOf(p)
    .flatMap((c) => c.split(' && '))
    .filter((c) => c.startsWith('pulumi up'));
}

/**
 * Moves that stop at a stage or go on from one, as words: into a stage from where its move starts,
 * from a stage on to the end of its move (or the target, for a cutover), back to where it started,
 * and on to a later stage of the same move.
 */
export function stagePairs(estate: Estate): [string, string][] {
  const supported = supportedModeStates(estate);
  const valid = (s: ModeState) => {
    try {
      checkModeState(estate, s, new Date(0));
      return true;
    } catch {
      return false;
    }
  };
  const find = (mode: ModeState['mode'], live: string, hardDown = false) => supported.find((s) => s.mode === mode && s.live === live && s.hardDown === hardDown);
  const pairs: [ModeState, ModeState][] = [];
  for (const end of supported) {
    if (end.hardDown) continue;
    const staged = (STAGES_OF[end.mode] as readonly StageName[]).flatMap((stage) => [{ ...end, stage }, ...(end.mode === 'normal' && stage === 'behind' ? [{ ...end, stage, hardDown: true }] : [])]).filter(valid);
    for (const s of staged) {
      const starts = (end.mode === 'normal' ? [find('maintenance', end.live, s.hardDown)] : [find('normal', end.live)]).filter((x): x is ModeState => !!x);
      for (const start of starts) pairs.push([start, s], [s, start]);
      pairs.push([s, end]);
      if (end.mode === 'cutover') pairs.push([s, find('normal', end.target!)!]);
      for (const later of staged.slice(staged.indexOf(s) + 1)) if (later.hardDown === s.hardDown) pairs.push([s, later]);
    }
  }
  const words = pairs.map(([a, b]): [string, string] => [formatModeWord(a), formatModeWord(b)]);
  return words.filter(([a, b], i) => a !== b && words.findIndex(([x, y]) => x === a && y === b) === i);
}

/** Declared steps for a generated estate: every `on`, kind and phase, some once or with an undo, some placed against a stage or an item the estate has. */
export function runbookArbitrary(estate: Estate): fc.Arbitrary<ManualStepSpec[]> {
  const items = [
    ...(estate.aws?.databaseAccess.length ? [`aws.databaseAccess.${estate.aws.databaseAccess[0]!.id}`] : []),
    ...(estate.aws?.scheduledJobs.length ? ['aws.scheduledJobs'] : []),
    ...(estate.cloudflare?.gate ? ['cloudflare.gate'] : []),
    ...(estate.cloudflare ? [`cloudflare.records.${estate.cloudflare.records[0]!.id}`] : []),
  ];
  const reference = fc.option(fc.constantFrom(...STAGES, ...items), { nil: undefined });
  const spec = fc.record({
    on: fc.constantFrom('enter' as const, 'leave' as const, 'fail-back' as const),
    modes: fc.subarray(['maintenance' as const, 'cutover' as const], { minLength: 1 }),
    kind: fc.constantFrom('sql' as const, 'status-page' as const, 'message' as const, 'command' as const, 'check' as const, 'test' as const),
    phase: fc.constantFrom('days-before' as const, 'day-before' as const, 'minutes-before' as const, 'start' as const, 'end' as const, 'after' as const),
    once: fc.option(fc.boolean(), { nil: undefined }),
    undo: fc.option(fc.constant('put it back'), { nil: undefined }),
    ref: reference,
    side: fc.constantFrom('before' as const, 'after' as const),
  });
  return fc.array(spec, { maxLength: 5 }).map((specs) =>
    specs.map(({ ref, side, once, undo, ...s }, i) => ({
      ...s,
      id: `step-${i}`,
      title: `Step ${i}`,
      minutes: 5,
      ...(once === undefined ? {} : { once }),
      ...(undo === undefined ? {} : { undo }),
      ...(ref === undefined ? {} : { [side]: ref }),
    })),
  );
}

