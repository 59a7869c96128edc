/**
 * How a move reads: its direction (entering, leaving, switching), what customers see in a state,
 * and whether it is a fail-back. Pure functions of mode states.
 */
import type { ModeState } from '../fields';
import { describeModeState } from '../state';
import { formatModeWord } from '../words';
import type { Direction } from './types';

/** How far from normal a state is: entering goes up, leaving goes down. */
export function modeRank(s: ModeState): number {
  if (s.mode === 'normal') return 0;
  if (s.mode === 'cutover') return 1;
  return s.hardDown ? 3 : 2;
}

export function direction(from: ModeState, to: ModeState): Direction {
  if (formatModeWord(from) === formatModeWord(to)) return 'none';
  const d = modeRank(to) - modeRank(from);
  return d > 0 ? 'enter' : d < 0 ? 'leave' : 'switch';
}

/** What customers see in a state. */
export type Effect = 'open' | 'read-only' | 'down';

export function effect(s: ModeState): Effect {
  return s.mode === 'normal' ? 'open' : s.mode === 'cutover' ? 'read-only' : 'down';
}

/** Leaving a cutover back to the colour it started from (normal, or maintenance, on it). */
export function isFailBack(from: ModeState, to: ModeState): boolean {
  return from.mode === 'cutover' && to.mode !== 'cutover' && to.live === from.live;
}

/** The plan's one-line summary of a move. */
export function summary(from: ModeState, to: ModeState, dir: Direction): string {
  if (dir === 'none') return `No change (${describeModeState(to)})`;
  if (to.mode === 'cutover') return `Cut over from ${to.live} to ${to.target}`;
  if (from.mode === 'cutover' && to.mode === 'normal') {
    return to.live === from.target ? `Complete the cutover: ${to.live} is live` : `Fail back from ${from.target} to ${to.live}`;
  }
  if (to.mode === 'maintenance') return `Enter maintenance${to.hardDown ? ' (hard-down: static down page)' : ''} (${to.live} live)`;
  if (from.mode === 'maintenance' && to.mode === 'normal') return `Leave maintenance (${to.live} live)`;
  return `Move from ${formatModeWord(from)} to ${formatModeWord(to)}`;
}
