/**
 * The staged states of a move, for the component tables: blue live, a cutover to green at each of
 * its stages, and entering and leaving maintenance at each of theirs (modes/stages.ts); the example
 * estates' move policies and item timings.
 */
import type { ModeState } from '../../../../modes/fields';
import type { MovePolicy } from '../../../../modes/mode-table';
import { S, type StateName } from '../../../support/components';

const blue = { live: 'blue', hardDown: false } as const;

export const STAGED = {
  'cutover:prepare': { mode: 'cutover', ...blue, target: 'green', stage: 'prepare' },
  'cutover:freeze': { mode: 'cutover', ...blue, target: 'green', stage: 'freeze' },
  'cutover:restore': { mode: 'cutover', ...blue, target: 'green', stage: 'restore' },
  'cutover:move': { mode: 'cutover', ...blue, target: 'green', stage: 'move' },
  'maintenance:ahead': { mode: 'maintenance', ...blue, stage: 'ahead' },
  'maintenance:page': { mode: 'maintenance', ...blue, stage: 'page' },
  'normal:behind': { mode: 'normal', ...blue, stage: 'behind' },
  'normal:page': { mode: 'normal', ...blue, stage: 'page' },
} as const satisfies Record<string, ModeState>;

export type StagedName = keyof typeof STAGED;

/** A state by its name in STAGED or in S. */
export function stateNamed(name: StagedName | StateName): ModeState {
  return name in STAGED ? STAGED[name as StagedName] : S[name as StateName];
}

/** How the example estates' cutovers go: with a gate (staff test behind its page), and without one. */
export const BEHIND_PAGE: MovePolicy = { freeze: 'read-only', test: 'behind-page' };
/** whimsy (runbook 003): the source read-only, the target tested on its own address before the move. */
export const BEFORE_MOVE: MovePolicy = { freeze: 'read-only', test: 'before-move' };
/** bridge (runbook 004): the source behind its own maintenance page, the target tested behind it. */
export const FROZEN_WITH_PAGE: MovePolicy = { freeze: 'maintenance', test: 'behind-page' };
/** rolling (runbook 002): writes never frozen; the source drains its sessions after the move. */
export const NO_FREEZE: MovePolicy = { freeze: 'none', test: 'before-move' };

/** A timing that switches minutes before the page and back after it (monitors). */
export const AHEAD = { enter: 'ahead', leave: 'ahead' } as const;
/** A timing that switches with the page. */
export const WITH_PAGE = { enter: 'page', leave: 'page' } as const;
/** ticketing (runbook 000): health checks, the print-server block and the bots switch minutes before, back at the end. */
export const AHEAD_BACK_WITH_PAGE = { enter: 'ahead', leave: 'page' } as const;
/** ticketing's scheduled tasks: stopped behind the page, started again as it comes down. */
export const BEHIND_BACK_WITH_PAGE = { enter: 'behind', leave: 'page' } as const;

/**
 * In and out of maintenance, blue live, one state a stage: maintenance:ahead, maintenance:page,
 * maintenance, normal:behind, normal:page (the way out mirrors the way in).
 */
export const THROUGH_MAINTENANCE: readonly ModeState[] = [
  STAGED['maintenance:ahead'],
  STAGED['maintenance:page'],
  { mode: 'maintenance', ...blue },
  STAGED['normal:behind'],
  STAGED['normal:page'],
];
