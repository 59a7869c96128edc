/**
 * Where the status page's maintenance changes status in a move (modes/components/statuspage), and
 * the step that does it: `drawbridge statuspage <step>` with the exact request it sends.
 *
 * From what the public sees along the legs:
 *   scheduled    a planned move out of normal: the day before, with the window's other deploys;
 *   in progress  just before the leg that holds the public (the page goes up, writes freeze), after
 *                the declared steps placed before it (runbook 000: log out of the back office, then
 *                In Progress, then MAINTENANCE = 1); a planned move that never holds the public
 *                goes in progress when its work starts;
 *   verifying    once the origin is back behind the page: before the declared steps placed before
 *                the leg that lets the public back (the staff tests through the bypass);
 *   completed    at the end of the move, once the public sees the site again and the after-window
 *                steps are done (runbook 000's Completed comes after the log checks). On a way back
 *                (a rollback, a fail-back) it is `called-off`: completed, saying the work was stopped.
 * A way back that holds the public again (the rollback of leaving) sets in progress again. A move
 * that starts with the public held is in progress already; one that ends with it held is not over.
 */
import {
  componentNames,
  lookupRequest,
  maintenanceName,
  STATUS_OF,
  transitionRequest,
  type StatusStep,
} from '../components/statuspage/statuspage';
import { PHASES, type PhaseName } from '../fields';
import { publicView } from './checks';
import type { PlanContext } from './context';
import type { Leg } from './legs';
import type { Check, Draft, HttpRequest } from './types';

/** Which legs the status page's steps go with in one move. */
export interface StatusPagePlacement {
  /** Created the day before (a planned move). */
  readonly scheduled: boolean;
  /** In progress just before this leg. */
  readonly inProgress?: Leg;
  /** Verifying before the declared steps that come before this leg (the one letting the public back). */
  readonly verifying?: Leg;
  /** The step at the end of the move. */
  readonly end?: Extract<StatusStep, 'completed' | 'called-off'>;
}

/**
 * Where the status steps go in a move of `legs`. `planned`: a forward move out of normal (the window
 * ships the day before); `wayBack`: the rollback or a fail-back.
 */
export function statusPagePlacement(ctx: PlanContext, legs: readonly Leg[], planned: boolean, wayBack: boolean): StatusPagePlacement {
  if (!ctx.estate.statusPage || !ctx.estate.window || !legs.length) return { scheduled: false };
  // In the order the plan deploys them (phase by phase), which a way back may take out of the states' order.
  const ordered = PHASES.flatMap((phase) => legs.filter((l) => l.phase === phase));
  const open = (l: Leg, side: 'before' | 'after') => publicView(l[side]) === 'open';
  const startsOpen = open(ordered[0]!, 'before');
  const endsOpen = open(ordered[ordered.length - 1]!, 'after');
  // In progress when the public is first held; a move that starts held is in progress already.
  const hold = startsOpen ? ordered.findIndex((l) => open(l, 'before') && !open(l, 'after')) : -1;
  const start = ordered.findIndex((l) => l.phase === 'start');
  const work = hold >= 0 ? hold : startsOpen && planned ? Math.max(start, 0) : -1;
  // Verifying before the public is let back for good: the last release of a move that ends open.
  let release = -1;
  ordered.forEach((l, i) => {
    if (endsOpen && !open(l, 'before') && open(l, 'after')) release = i;
  });
  const verify = release > work ? release : -1;
  const done = endsOpen && (verify >= 0 || work >= 0);
  return {
    scheduled: planned,
    ...(work >= 0 ? { inProgress: ordered[work]! } : {}),
    ...(verify >= 0 ? { verifying: ordered[verify]! } : {}),
    ...(done ? { end: wayBack ? 'called-off' : 'completed' } : {}),
  };
}

const LABEL: Readonly<Record<StatusStep, string>> = {
  scheduled: 'Scheduled',
  'in-progress': 'In progress',
  verifying: 'Verifying',
  completed: 'Completed',
  'called-off': 'Completed',
};

/** The request as the plan shows it: the key is named by its environment variable, never given. */
function shown(req: ReturnType<typeof transitionRequest>, keyEnv: string): HttpRequest {
  return {
    method: req.method,
    url: req.url,
    headers: { Authorization: `OAuth $${keyEnv}`, ...(req.body ? { 'Content-Type': 'application/json' } : {}) },
    ...(req.body ? { body: req.body } : {}),
  };
}

/** The plan step of one status change. */
export function statusPageStep(ctx: PlanContext, step: StatusStep, phase: PhaseName): Draft {
  const estate = ctx.estate;
  const sp = estate.statusPage!;
  const window = estate.window!;
  const name = maintenanceName(sp, window);
  const req = transitionRequest(step, sp, window, estate.brand);
  const keyEnv = sp.apiKeyEnv;
  const components = componentNames(sp);
  const status = STATUS_OF[step];
  const title = {
    scheduled: `Status page: schedule the maintenance "${name}" (Scheduled, ${window.start} to ${window.end})`,
    'in-progress': `Status page: In progress, ${components} under maintenance`,
    verifying: `Status page: Verifying, while staff test the site before the public is let back`,
    completed: `Status page: Completed, ${components} operational`,
    'called-off': `Status page: Completed (the maintenance was stopped), ${components} operational`,
  }[step];
  const lookup = lookupRequest(sp, window);
  const detail =
    step === 'scheduled'
      ? `Creates the scheduled maintenance (nothing is sent when one named "${name}" for ${window.start} exists already). Statuspage does not move it by the clock (scheduled_auto_in_progress and scheduled_auto_completed are false): the plan moves it at its steps.`
      : `Finds the maintenance named "${name}" scheduled for ${window.start} (GET ${lookup.url}; or pass --incident ID) and updates it; nothing is sent when it is ${status} already.`;
  const checks: Check[] = [
    { what: `the maintenance "${name}" is ${status}`, command: `npx drawbridge statuspage show --estate ${ctx.estateFile}`, output: `${status}: "${name}" ...` },
    ...(estate.brand.statusUrl ? [{ what: `the status page shows the maintenance as ${LABEL[step]}`, method: 'GET' as const, url: estate.brand.statusUrl, expect: 200 }] : []),
  ];
  return {
    id: `statuspage-${step}`,
    phase,
    kind: 'status-page',
    source: 'drawbridge',
    title,
    command: `npx drawbridge statuspage ${step} --estate ${ctx.estateFile}`,
    request: shown(req, keyEnv),
    changes: [`maintenance "${name}" -> ${status}`, ...(req.body?.incident.components ? [`${components} -> ${Object.values(req.body.incident.components)[0]}`] : [])],
    detail: `${detail} The API key is read from $${keyEnv}; \`--dry-run\` prints the request without sending it.`,
    checks,
    minutes: 1,
    outage: false,
  };
}
