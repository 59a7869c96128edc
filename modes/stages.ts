/**
 * Stages: the declared intermediate states of a move. A real move is not one deploy: entering
 * maintenance, a cutover and its fail-back are each an ordered list of stages, every one a mode
 * state (`state.stage`) that both engines render, so each is a diff plus a deploy, reviewable and
 * resumable, with the runbook's manual steps and checks between them.
 *
 * Maintenance. Each item switches at one of three slots (its `timing`): `ahead` (minutes before the
 * start: monitors off, health checks swapped), `page` (the page goes up) or `behind` (what stops
 * behind the page). Entering runs ahead -> page -> behind; leaving runs the reverse, behind ->
 * page -> ahead, so the way out mirrors the way in.
 *
 *   maintenance:ahead   ahead items switched         normal:behind   behind items back
 *   maintenance:page    ahead + page items switched  normal:page     behind + page items back
 *   maintenance         everything switched          normal          everything back
 *
 * Cutover (live -> target): `prepare` (the target scaled up and closed to the public), `freeze`
 * (the source frozen: writes stop, payment credentials off), `restore` (the target's database
 * restored from the snapshot taken after the freeze), `move` (traffic on the target while the
 * public is still held; the default stage of a cutover). `normal` on the target opens it.
 *
 * Pure: functions of mode states.
 */
import { CUTOVER_STAGES, SLOTS, STAGES, type ModeState } from './fields';

export { CUTOVER_STAGES, SLOTS, STAGES };

/** When an item switches in a maintenance move. */
export type Slot = (typeof SLOTS)[number];
export type CutoverStage = (typeof CUTOVER_STAGES)[number];

/** Stages a state of each mode may name (none: the state is complete). */
export const STAGES_OF = {
  maintenance: ['ahead', 'page'],
  normal: ['behind', 'page'],
  cutover: ['prepare', 'freeze', 'restore', 'move'],
} as const satisfies Record<ModeState['mode'], readonly string[]>;

export type StageName = (typeof STAGES)[number];

/** When an item switches entering and leaving maintenance. */
export interface Timing {
  readonly enter: Slot;
  readonly leave: Slot;
}

const ENTER_ORDER: Readonly<Record<Slot, number>> = { ahead: 0, page: 1, behind: 2 };
const LEAVE_ORDER: Readonly<Record<Slot, number>> = { behind: 0, page: 1, ahead: 2 };

/** Whether an item switching at `timing` has its maintenance setting in `state`. */
export function inMaintenance(state: ModeState, timing: Timing): boolean {
  if (state.mode === 'maintenance') return !state.stage || ENTER_ORDER[timing.enter] <= ENTER_ORDER[state.stage as Slot];
  if (state.mode === 'normal' && state.stage) return LEAVE_ORDER[timing.leave] > LEAVE_ORDER[state.stage as Slot];
  return false;
}

/** The slots entering (or leaving) switches, in order. */
export function slotsInOrder(direction: 'enter' | 'leave'): readonly Slot[] {
  return direction === 'enter' ? ['ahead', 'page', 'behind'] : ['behind', 'page', 'ahead'];
}

/** How far a cutover has got (0 prepare ... 3 move), or undefined when the state is not a cutover. */
export function cutoverProgress(state: ModeState): number | undefined {
  if (state.mode !== 'cutover') return undefined;
  return CUTOVER_STAGES.indexOf((state.stage as CutoverStage | undefined) ?? 'move');
}

/** Whether the state is a cutover at `stage` or past it. */
export function cutoverAtLeast(state: ModeState, stage: CutoverStage): boolean {
  const p = cutoverProgress(state);
  return p !== undefined && p >= CUTOVER_STAGES.indexOf(stage);
}

/** Whether the state is a cutover that has not reached `stage` yet. */
export function cutoverBefore(state: ModeState, stage: CutoverStage): boolean {
  const p = cutoverProgress(state);
  return p !== undefined && p < CUTOVER_STAGES.indexOf(stage);
}
