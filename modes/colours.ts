/**
 * Which colour does what in a mode state: the rules every component applies to its blue and green
 * parts (DESIGN.md's mode table). Pure.
 */
import type { ColourName, ModeState } from './fields';

/** The colour traffic goes to in this state: the target once a cutover has moved it (stage move, the default). */
export function servingColour(state: ModeState): ColourName {
  const moved = state.mode === 'cutover' && state.target && (state.stage === undefined || state.stage === 'move');
  return moved ? state.target! : state.live;
}

/** Is a part of this colour (undefined: shared by both) one that carries traffic in this state? */
export function isActive(colour: ColourName | undefined, state: ModeState): boolean {
  return colour === undefined || colour === servingColour(state);
}

/**
 * Does a job or a database rule of this colour (undefined: shared) run in this state? Normal: the
 * shared ones and the live colour's. Maintenance: none. Cutover: only the target colour's (shared
 * ones wait for the window to close).
 */
export function runs(colour: ColourName | undefined, state: ModeState): boolean {
  if (state.mode === 'normal') return isActive(colour, state);
  return state.mode === 'cutover' && colour !== undefined && colour === state.target;
}

/** The colour being left during a cutover. */
export function sourceColour(state: ModeState): ColourName | undefined {
  return state.mode === 'cutover' ? state.live : undefined;
}

/** A flag as the gate and the application read it. */
export const on = (b: boolean): '0' | '1' => (b ? '1' : '0');
