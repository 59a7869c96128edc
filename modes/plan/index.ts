/**
 * plan(estate, from, to): the runbook of a move between two mode states, generated from the estate.
 *
 * Each step is either a deploy (which engine, the exact command, what it changes: the components'
 * change records between `resolve(estate, from)` and `resolve(estate, to)`) or a manual step the
 * estate declares (`runbook:`), each followed by a check and carrying an estimated duration. Steps
 * are grouped in the phases of runbook 000 (days before ... after) and ordered so the move is safe
 * (order.ts). Every plan carries its rollback: the plan of the way back, in the same order rules.
 *
 * Pure: no clock, no I/O, no engine imports. Never prints a secret value: variables whose name
 * looks like a credential are shown as set/empty.
 *
 * The parts, one job each: types.ts, context.ts (where the plan runs), moves.ts (how a move reads),
 * steps.ts (one builder per kind of step), checks.ts, durations.ts, order.ts, outage.ts,
 * markdown.ts and gantt.ts (rendering).
 */
import { DrawbridgeError } from '../errors';
import type { ModeState } from '../fields';
import type { Estate } from '../schema';
import { checkModeState } from '../state';
import { formatPath } from '../path';
import { statusPageWithoutWindow, windowWarnings } from '../warnings';
import { formatModeWord } from '../words';
import type { PlanContext } from './context';
import { summary } from './moves';
import { build } from './order';
import { keepingStateful } from './legs';
import { outageOf, sumMinutes } from './outage';
import { stepsOfMove } from './runbook';
import type { Plan, PlanOptions } from './types';

export type { Check, Direction, Outage, Plan, PlanOptions, PlanStep, StepKind } from './types';
export { formatMinutes, renderPlanJson, renderPlanMarkdown } from './markdown';
export { ganttChart } from './gantt';
export { modeRank } from './moves';

/**
 * The runbook of the move from `from` to `to`. Throws a DrawbridgeError when either state does not
 * suit the estate (for example a cutover whose target equals live).
 */
export function plan(given: Estate, from: ModeState, to: ModeState, options: PlanOptions = {}): Plan {
  // A database a cutover has restored exists from then on, whatever the estate still says: no move
  // removes it (the plan asks for restored: true to be committed).
  const estate = keepingStateful(given, from);
  const restored = (estate.aws?.databases ?? []).filter((d, i) => d.restored !== given.aws?.databases[i]?.restored).map((d) => d.id);
  const fromEstate = options.fromEstate ?? estate;
  checkModeState(fromEstate, from, new Date(0));
  checkModeState(estate, to, new Date(0));
  const estateFile = options.estateFile ?? `estates/${estate.name}.yaml`;
  let siteUrl: URL;
  try {
    siteUrl = new URL(estate.site.url);
  } catch {
    throw new DrawbridgeError(`site.url ${estate.site.url} is not a URL`);
  }
  const ctx: PlanContext = {
    estate,
    estateFile,
    target: { estateFile, isDefaultEstate: options.defaultEstateFile !== undefined && options.defaultEstateFile === estateFile, stack: options.pulumiStack ?? estate.name },
    siteUrl,
  };
  const forward = build(ctx, fromEstate, from, to, false);
  // The way back keeps this estate (only the state goes back) and every stateful resource the way
  // in created; it never repeats what was done once, and runs the undo of what declares one.
  const kept = keepingStateful(estate, to);
  const done = forward.steps.length ? stepsOfMove(estate, from, to, false) : [];
  const back = forward.direction === 'none' && !forward.steps.length ? undefined : build({ ...ctx, estate: kept }, kept, to, from, true, done);
  const outage = outageOf(estate, forward, back);
  // What `check` warns about that this move meets: a long window while the page is up, a status page without a window.
  const held = forward.views.before === 'down' || forward.views.after.includes('down');
  const moveWarnings = [
    ...(held ? windowWarnings(estate).map((w) => `${formatPath(w.path)}: ${w.message}`) : []),
    ...(estate.statusPage && !estate.window && forward.steps.length
      ? [`statusPage ${statusPageWithoutWindow('this plan has no status-page steps')}.`]
      : []),
  ];
  return {
    estate: estate.name,
    ...(options.estateFile ? { estateFile: options.estateFile } : {}),
    from,
    to,
    fromWord: formatModeWord(from),
    toWord: formatModeWord(to),
    direction: forward.direction,
    summary: summary(from, to, forward.direction),
    steps: forward.steps,
    totalMinutes: sumMinutes(forward.steps),
    ...(outage ? { outage } : {}),
    warnings: [
      ...(restored.length ? [`${restored.map((id) => `aws.databases[${id}]`).join(', ')} exists since the cutover restored it: set restored: true on it in the estate with the next commit, or a later deploy would remove it.`] : []),
      ...forward.warnings,
      ...moveWarnings,
    ],
    notes: forward.notes,
    stages: forward.stages,
    commits: forward.commits,
    ...(back ? { rollback: { to: from, toWord: formatModeWord(from), steps: back.steps, totalMinutes: sumMinutes(back.steps) } } : {}),
  };
}
