/**
 * The effective mode state: the estate's committed `state`, optionally overridden for one run by an
 * engine (CDK context, Pulumi config) or the CLI, and checked against the estate before any engine
 * runs.
 */
import { typedWord } from './echo';
import { DrawbridgeError, show } from './errors';
import { OVERRIDE_KEYS, type OverrideKey } from './engines';
import { COLOURS, MODES, STAGES, type ColourName, type ModeName, type ModeState } from './fields';
import { STAGES_OF, type StageName } from './stages';
import { COMPONENTS } from './registry';
import type { Estate } from './schema';

/** Raw override values as an engine hands them over (strings from context or config). */
export type ModeOverrides = { readonly [K in OverrideKey]?: unknown };

export interface EffectiveModeState {
  readonly state: ModeState;
  /** Human lines naming each override that changed the committed state, empty when none did. */
  readonly overrides: readonly string[];
}

function pick<T extends string>(source: string, field: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new DrawbridgeError(`${source} ${field}=${typeof value === 'string' ? typedWord(value) : show(value)} is not allowed; allowed ${field} values: ${allowed.join(', ')}`);
}

function bool(source: string, field: string, value: unknown): boolean {
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new DrawbridgeError(`${source} ${field}=${show(value)} is not allowed; allowed ${field} values: true, false`);
}

/** Colours the estate has parts for; cutover needs both. */
export function estateColours(estate: Estate): Set<ColourName> {
  const colours = new Set<ColourName>();
  for (const c of COMPONENTS) {
    const part: Record<string, unknown> | undefined = c.provider === 'aws' ? estate.aws : estate.cloudflare;
    if (part && c.colours) for (const colour of c.colours(part[c.key])) colours.add(colour);
  }
  return colours;
}

/**
 * Applies overrides (undefined or empty values are ignored) and checks the result against the
 * estate. `source` names where overrides came from, e.g. "--context" or "drawbridge:".
 */
export function effectiveModeState(estate: Estate, raw: ModeOverrides = {}, source = 'override', now: Date = new Date()): EffectiveModeState {
  const committed = estate.state;
  const given = (v: unknown) => v !== undefined && v !== null && v !== '';
  const mode: ModeName = given(raw.mode) ? pick(source, 'mode', raw.mode, MODES) : committed.mode;
  const live: ColourName = given(raw.live) ? pick(source, 'live', raw.live, COLOURS) : committed.live;
  let target: ColourName | undefined = given(raw.target) ? pick(source, 'target', raw.target, COLOURS) : committed.target;
  if (!given(raw.target) && mode !== 'cutover') target = undefined;
  const hardDown = given(raw.hardDown) ? bool(source, 'hardDown', raw.hardDown) : given(raw.mode) && mode !== 'maintenance' ? false : committed.hardDown;
  // An overridden mode starts from its complete state unless a stage is given too.
  const stage: StageName | undefined = given(raw.stage) ? pick(source, 'stage', raw.stage, STAGES) : given(raw.mode) ? undefined : committed.stage;
  const state: ModeState = { mode, live, hardDown, ...(target ? { target } : {}), ...(stage ? { stage } : {}) };
  checkModeState(estate, state, now);
  const pending = pendingPastRestore(estate, state);
  if (pending.length) throw new DrawbridgeError(pending);
  const overrides: string[] = [];
  for (const key of OVERRIDE_KEYS) {
    if (given(raw[key]) && String(state[key]) !== String(committed[key])) {
      overrides.push(`${key}=${String(state[key])} (estate has ${String(committed[key] ?? 'none')})`);
    }
  }
  return { state, overrides };
}

/**
 * A database still marked `restored: false` in a state that is past the restore stage of the
 * cutover to its colour: the deploy after this one (a fail-back, any move off that colour) would
 * remove it. The state an engine deploys must come with `restored: true`.
 */
export function pendingPastRestore(estate: Estate, state: ModeState): string[] {
  const past = (colour: string) =>
    (state.mode === 'cutover' && state.target === colour && !['prepare', 'freeze'].includes(state.stage ?? 'move')) || (state.mode !== 'cutover' && state.live === colour);
  return (estate.aws?.databases ?? [])
    .filter((d) => d.snapshotIdentifier && d.restored === false && past(d.colour))
    .map(
      (d) =>
        `aws.databases[${d.id}].restored is false, but state ${state.mode}${state.stage ? `:${state.stage}` : ''} is past the restore stage that creates it: set restored: true in the estate (with this state), or a later deploy would remove ${d.identifier}`,
    );
}

/** Invalid combinations of mode state and estate, as errors naming the value and what is allowed. */
export function checkModeState(estate: Estate, state: ModeState, now: Date = new Date()): void {
  const problems: string[] = [];
  const colours = estateColours(estate);
  if (state.mode === 'cutover') {
    if (colours.size < 2) {
      problems.push(`mode cutover needs an estate with blue and green parts; ${estate.name} has ${colours.size ? `only ${[...colours].join(', ')}` : 'no colours'}; allowed modes here: normal, maintenance`);
    }
    if (!state.target) problems.push(`mode cutover needs a target colour different from live (${state.live}); allowed target: ${COLOURS.filter((c) => c !== state.live).join(', ')}`);
    else if (state.target === state.live) problems.push(`cutover target ${state.target} equals live ${state.live}; the target must be the other colour (${COLOURS.filter((c) => c !== state.live).join(', ')})`);
  } else if (state.target) {
    problems.push(`target=${state.target} only applies to mode cutover; mode is ${state.mode}`);
  }
  if (colours.size > 0 && !colours.has(state.live)) {
    problems.push(`live=${state.live} has no parts in ${estate.name}; allowed live colours: ${[...colours].join(', ')}`);
  }
  if (state.stage && !(STAGES_OF[state.mode] as readonly string[]).includes(state.stage)) {
    const allowed = STAGES_OF[state.mode].join(', ');
    problems.push(`stage ${state.stage} does not apply to mode ${state.mode}; allowed stages of ${state.mode}: ${allowed} (or none: the state is complete)`);
  }
  if (state.hardDown) {
    if (state.mode !== 'maintenance' && !(state.mode === 'normal' && state.stage)) problems.push(`hardDown=true only applies to mode maintenance; mode is ${state.mode}`);
    if (!estate.cloudflare?.records.some((r) => r.downPageOnHardDown)) {
      problems.push('hardDown=true needs a cloudflare record with downPageOnHardDown: true and a cloudflare.downPage');
    }
  }
  if (state.mode !== 'normal' && estate.window && Date.parse(estate.window.end) <= now.getTime()) {
    problems.push(`window.end ${estate.window.end} is in the past (now ${now.toISOString()}); set an end time in the future before entering ${state.mode}, or remove the window for an open-ended one`);
  }
  if (problems.length) throw new DrawbridgeError(problems);
}

/** Short label of a mode state, e.g. "maintenance", "cutover blue->green", "normal (green live)". */
export function describeModeState(state: ModeState): string {
  const stage = state.stage ? `, stage ${state.stage}` : '';
  if (state.mode === 'cutover') return `cutover ${state.live}->${state.target}${stage}`;
  return `${state.mode}${state.hardDown ? ' (hard-down)' : ''} (${state.live} live${stage})`;
}

/**
 * Every mode state the estate supports, in the order of a full blue/green cycle: normal (blue live),
 * maintenance, hard-down, cutover blue->green, normal (green live), maintenance and hard-down
 * (green live), cutover green->blue (the fail-back). Used by tests, the property suite and the CLI's help.
 */
export function supportedModeStates(estate: Estate): ModeState[] {
  const candidates: ModeState[] = [
    { mode: 'normal', live: 'blue', hardDown: false },
    { mode: 'maintenance', live: 'blue', hardDown: false },
    { mode: 'maintenance', live: 'blue', hardDown: true },
    { mode: 'cutover', live: 'blue', target: 'green', hardDown: false },
    { mode: 'normal', live: 'green', hardDown: false },
    { mode: 'maintenance', live: 'green', hardDown: false },
    { mode: 'maintenance', live: 'green', hardDown: true },
    { mode: 'cutover', live: 'green', target: 'blue', hardDown: false },
  ];
  const colours = estateColours(estate);
  return candidates.filter((s) => {
    if (colours.size === 0 && s.live !== 'blue') return false;
    try {
      checkModeState(estate, s, new Date(0));
      return true;
    } catch {
      return false;
    }
  });
}

/** A file-name-safe label of a mode state, e.g. "normal-blue", "cutover-blue-green", "maintenance-blue-hard-down". */
export function modeStateSlug(state: ModeState): string {
  return [state.mode, state.live, state.target, state.hardDown ? 'hard-down' : undefined, state.stage].filter(Boolean).join('-');
}
