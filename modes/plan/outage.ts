/** The outage of a move: what the public sees, from which step to which, and for how long. */
import type { Estate } from '../schema';
import { formatInZone } from '../time';
import type { PublicView } from './checks';
import type { Built } from './order';
import type { Outage, PlanStep } from './types';

export function sumMinutes(steps: readonly PlanStep[]): number {
  return steps.reduce((n, s) => n + s.minutes, 0);
}

/** Minutes of the way back until the public is served again. */
function untilOpen(wayBack: Built): number {
  const i = wayBack.views.after.findIndex((v) => v === 'open');
  return sumMinutes(i === -1 ? wayBack.steps : wayBack.steps.slice(0, i + 1));
}

/** Undefined when the public is served throughout; `wayBack` is the rollback. */
export function outageOf(estate: Estate, forward: Built, wayBack: Built | undefined): Outage | undefined {
  const views: PublicView[] = [forward.views.before, ...forward.views.after];
  if (views.every((v) => v === 'open')) return undefined;
  const worst = views.includes('down') ? 'down' : 'read-only';
  const steps = forward.steps;
  const starts = forward.views.before === 'open' ? forward.views.after.findIndex((v) => v !== 'open') : -1;
  const ends = forward.views.after[forward.views.after.length - 1] === 'open' ? forward.views.after.findIndex((v, i) => v === 'open' && i > starts && (i === 0 ? forward.views.before !== 'open' : forward.views.after[i - 1] !== 'open')) : -1;
  const affected = steps.filter((s) => s.outage);
  const w = estate.window;
  const declared = w && {
    start: w.start,
    end: w.end,
    minutes: Math.round((Date.parse(w.end) - Date.parse(w.start)) / 60000),
    endIn: w.timeZones.map((z) => formatInZone(w.end, z)),
  };
  const endsAffected = forward.views.after[forward.views.after.length - 1] !== 'open';
  return {
    effect: worst === 'down' ? 'the site answers 503 (maintenance page)' : 'writes are refused (read-only)',
    ...(starts >= 0 ? { startsAtStep: steps[starts]!.n } : {}),
    ...(ends >= 0 ? { endsAtStep: steps[ends]!.n } : {}),
    minutes: sumMinutes(affected),
    minutesWithoutTests: sumMinutes(affected.filter((s) => s.kind !== 'test')),
    ...(endsAffected && wayBack ? { wayBackMinutes: untilOpen(wayBack) } : {}),
    ...(declared ? { declared } : {}),
  };
}
