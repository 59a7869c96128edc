/** The outage of a move: what customers see, from which step to which, and for how long. */
import type { ModeState } from '../fields';
import type { Estate } from '../schema';
import { formatInZone } from '../time';
import { effect } from './moves';
import type { Outage, PlanStep } from './types';

export function sumMinutes(steps: readonly PlanStep[]): number {
  return steps.reduce((n, s) => n + s.minutes, 0);
}

/** Undefined when neither state affects customers; `wayBack` is the rollback's steps. */
export function outageOf(estate: Estate, from: ModeState, to: ModeState, steps: readonly PlanStep[], wayBack: readonly PlanStep[] | undefined): Outage | undefined {
  const ef = effect(from);
  const et = effect(to);
  if (ef === 'open' && et === 'open') return undefined;
  const worst = ef === 'down' || et === 'down' ? 'down' : 'read-only';
  const deploys = steps.filter((s) => s.id.startsWith('deploy-'));
  const flip = et !== 'open' ? deploys[0] : deploys[deploys.length - 1];
  const affected = steps.filter((s) => s.outage);
  const w = estate.window;
  const declared = w && {
    start: w.start,
    end: w.end,
    minutes: Math.round((Date.parse(w.end) - Date.parse(w.start)) / 60000),
    endIn: w.timeZones.map((z) => formatInZone(w.end, z)),
  };
  let wayBackMinutes: number | undefined;
  if (et !== 'open' && wayBack) {
    const last = [...wayBack].reverse().find((s) => s.id.startsWith('deploy-'));
    wayBackMinutes = sumMinutes(last ? wayBack.slice(0, wayBack.indexOf(last) + 1) : wayBack);
  }
  return {
    effect: worst === 'down' ? 'the site answers 503 (maintenance page)' : 'writes are refused (read-only)',
    ...(ef === 'open' && flip ? { startsAtStep: flip.n } : {}),
    ...(et === 'open' && flip ? { endsAtStep: flip.n } : {}),
    minutes: sumMinutes(affected),
    ...(wayBackMinutes !== undefined ? { wayBackMinutes } : {}),
    ...(declared ? { declared } : {}),
  };
}
