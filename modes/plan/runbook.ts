/**
 * The estate's own steps (`runbook:`) in a move: which apply, where each goes between the legs, and
 * what a way back does with the ones done once.
 *
 * A step applies when its `on` and `modes` match the move: entering a mode, leaving it (completing a
 * cutover on the target), or failing a cutover back. Within its phase it runs after the legs that
 * hold the public or work behind it and before those that move traffic or release the public (the
 * declared work runs behind the page, and the site is checked through the bypass before the page
 * comes down); `before:` / `after:` place it against a stage or the deploy that changes an item.
 *
 * A way back never repeats a step done once (`once`, default for sql, command and message) when it
 * enters a mode the move had already entered: its `undo:` runs instead, when it declares one.
 */
import { componentsOf } from '../registry';
import { RUN_ONCE_KINDS, type Estate, type ManualStepSpec } from '../schema';
import type { ModeState } from '../fields';
import { STAGES } from '../stages';
import type { Leg } from './legs';
import { isFailBack } from './moves';

/** Whether a step is done once. */
export function isOnce(step: ManualStepSpec): boolean {
  return step.once ?? (step.undo !== undefined || (RUN_ONCE_KINDS as readonly string[]).includes(step.kind));
}

/**
 * The declared steps of the move from `from` to `to`, in estate order. `wayBack`: this move is the
 * rollback of the move from `to` to `from`.
 */
export function stepsOfMove(estate: Estate, from: ModeState, to: ModeState, wayBack: boolean): ManualStepSpec[] {
  const of = (on: ManualStepSpec['on'], mode: 'maintenance' | 'cutover') => estate.runbook.filter((s) => s.on === on && s.modes.includes(mode));
  const out: ManualStepSpec[] = [];
  const leaving = from.mode !== 'normal' && from.mode !== to.mode;
  const entering = to.mode !== 'normal' && from.mode !== to.mode;
  const wholeCutover = from.mode === 'normal' && to.mode === 'normal' && from.live !== to.live && !from.stage && !to.stage;
  // The way back of a cutover is a fail-back: never the forward-only work (migrations, converting
  // users, testing the new side), whether the cutover was entered from normal or from maintenance.
  if (wayBack && (wholeCutover || (from.mode === 'cutover') !== (to.mode === 'cutover'))) {
    return to.mode === 'cutover' ? [] : of('fail-back', 'cutover');
  }
  if (leaving) out.push(...(isFailBack(from, to) ? of('fail-back', 'cutover') : of('leave', from.mode as 'maintenance' | 'cutover')));
  if (entering) out.push(...of('enter', to.mode as 'maintenance' | 'cutover'));
  // A whole cutover in one move (normal on one colour to normal on the other).
  if (wholeCutover) out.push(...of('enter', 'cutover'), ...of('leave', 'cutover'));
  // Going back into a mode the window had entered already: what was done once is not done again.
  return wayBack && entering ? out.filter((s) => !isOnce(s)) : out;
}

/** A stage name, or the item a `before:`/`after:` reference names. */
export interface Reference {
  readonly stage?: string;
  readonly provider?: 'aws' | 'cloudflare';
  readonly kind?: string;
  readonly id?: string;
}

/** Reads a `before:`/`after:` value: a stage, `<provider>.<key>` or `<provider>.<key>.<id>`; undefined when it is neither. */
export function parseReference(text: string): Reference | undefined {
  if ((STAGES as readonly string[]).includes(text)) return { stage: text };
  const [provider, key, id, ...rest] = text.split('.');
  if (rest.length || (provider !== 'aws' && provider !== 'cloudflare') || !key) return undefined;
  const component = componentsOf(provider).find((c) => c.key === key);
  if (!component) return undefined;
  return { provider, kind: component.kind, ...(id ? { id } : {}) };
}

/** Whether a leg reaches the stage, or deploys a change to the item, a reference names. */
export function legMatches(leg: Leg, ref: Reference): boolean {
  if (ref.stage) return leg.stage === ref.stage || (ref.stage === 'move' && leg.to.mode === 'cutover' && leg.stage === 'complete');
  return leg.changes[ref.provider!].some((c) => c.component === ref.kind && (ref.id === undefined || c.id === ref.id));
}

/** The position of a step among a phase's legs when it names none: after holds and work, before moves and releases. */
export function defaultPosition(phaseLegs: readonly Leg[]): number {
  const i = phaseLegs.findIndex((l) => l.kind === 'move' || l.kind === 'release');
  return i === -1 ? phaseLegs.length : i;
}
