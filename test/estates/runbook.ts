/**
 * Reading a plan as its JSON says it, to check a runbook's steps come in the runbook's order: each
 * step is found by name (a declared step's id, or a change line a deploy carries), never by position.
 */
import { plan, renderPlanJson, type Plan, type PlanStep } from '../../modes/plan';
import type { Estate } from '../../modes/schema';
import { parseModeWord } from '../../modes/words';
import { estateNamed } from '../support/estates';

/** The plan of a move of an example estate, as `drawbridge plan --format json` prints it. */
export function planJson(name: string, from: string, to: string): Plan {
  const estate: Estate = estateNamed(name);
  const p = plan(estate, parseModeWord(from, estate), parseModeWord(to, estate), { estateFile: `estates/${name}.yaml`, defaultEstateFile: 'estates/default.yaml' });
  return JSON.parse(renderPlanJson(p)) as Plan;
}

/** A runbook step: a declared step's id, or a change line one deploy makes. */
export type Named = string | RegExp;

/** The position of a named step among `steps` (-1 when absent). */
export function positionOf(steps: readonly PlanStep[], name: Named): number {
  return steps.findIndex((s) => (typeof name === 'string' ? s.id === name : s.changes.some((c) => name.test(c)) || name.test(s.title)));
}

/** The named steps' positions; fails naming the first one missing or out of order. */
export function expectInOrder(steps: readonly PlanStep[], names: readonly Named[]): void {
  let last = -1;
  let lastName: Named | undefined;
  for (const name of names) {
    const i = positionOf(steps, name);
    if (i === -1) throw new Error(`runbook step ${String(name)} is not in the plan; its steps: ${steps.map((s) => s.id).join(', ')}`);
    if (i < last) throw new Error(`runbook step ${String(name)} (plan step ${i + 1}) comes before ${String(lastName)} (plan step ${last + 1})`);
    last = i;
    lastName = name;
  }
}

/** The names, each in the same deploy (same step). */
export function expectTogether(steps: readonly PlanStep[], names: readonly RegExp[]): void {
  const at = names.map((n) => positionOf(steps, n));
  if (at.some((i) => i === -1)) throw new Error(`not in the plan: ${names.filter((_, k) => at[k] === -1).map(String).join(', ')}`);
  if (new Set(at).size !== 1) throw new Error(`expected in one step, found at plan steps ${at.map((i) => i + 1).join(', ')}: ${names.map(String).join(', ')}`);
}
