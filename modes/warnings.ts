/**
 * Warnings: what is valid in an estate but probably not what its owners want, each at its place in
 * the file and saying what to do. `drawbridge check` prints them (exit 0), and `drawbridge plan`
 * carries the ones its move meets. Pure.
 */
import type { Estate } from './schema';

/** A window longer than this risks pages dropped from search indexes when they answer 503 throughout. */
export const LONG_WINDOW_HOURS = 48;

export interface EstateWarning {
  /** Where in the estate file, e.g. ['window', 'end']. */
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/** Days, hours and minutes, e.g. "3 days 4 h". */
function length(ms: number): string {
  const minutes = Math.round(ms / 60000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  const parts = [days ? `${days} day${days > 1 ? 's' : ''}` : '', hours ? `${hours} h` : '', rest ? `${rest} min` : ''].filter(Boolean);
  return parts.join(' ') || '0 min';
}

/** The window's length in milliseconds, or undefined when it has none (or its times do not parse). */
export function windowLength(estate: Pick<Estate, 'window'>): number | undefined {
  const w = estate.window;
  if (!w) return undefined;
  const ms = Date.parse(w.end) - Date.parse(w.start);
  return Number.isNaN(ms) ? undefined : ms;
}

/** The window is longer than two days. */
export function isLongWindow(estate: Pick<Estate, 'window'>): boolean {
  const ms = windowLength(estate);
  return ms !== undefined && ms > LONG_WINDOW_HOURS * 3600_000;
}

/**
 * Google's guidance on planned downtime: a 503 is right for a short outage (pages stay indexed, and
 * Retry-After says when to come back), but a site that answers 503 for more than a day or two risks
 * its pages being dropped. A long outage serves a 200 placeholder with noindex instead.
 *
 * `window.longOutage` records the decision: `keep-503` (on purpose), or `placeholder`, which only the
 * application's own maintenance page can serve today (site.maintenanceStatus: 200, so the plan's
 * checks expect it): the gate and the static down page answer 503 whatever it says.
 */
export function windowWarnings(estate: Estate): EstateWarning[] {
  const w = estate.window;
  const ms = windowLength(estate);
  if (!w || ms === undefined) return [];
  const out: EstateWarning[] = [];
  const long = isLongWindow(estate);
  const days = LONG_WINDOW_HOURS / 24;
  if (long && !w.longOutage) {
    out.push({
      path: ['window', 'end'],
      message:
        `the window lasts ${length(ms)}, more than ${days} days: search engines may drop pages that answer 503 that long (Google's guidance on planned downtime: a day or two at most). ` +
        'For a long outage serve a 200 placeholder with noindex instead, and say so with window.longOutage: placeholder; or keep the 503 on purpose with window.longOutage: keep-503. README, "Long outages".',
    });
  }
  if (w.longOutage !== 'placeholder') return out;
  if (!long) {
    out.push({
      path: ['window', 'longOutage'],
      message: `placeholder, but the window lasts ${length(ms)}: for an outage of up to ${days} days a 503 with Retry-After keeps pages indexed, while a placeholder's noindex drops them until they are crawled again; remove longOutage unless the window may run long`,
    });
  }
  if (estate.cloudflare?.gate || estate.cloudflare?.downPage) {
    out.push({
      path: ['window', 'longOutage'],
      message: `placeholder, but the ${estate.cloudflare?.gate ? 'gate' : 'static down page'} holds this estate's public and cannot serve a placeholder yet: it answers 503 with Retry-After whatever longOutage says, so pages still risk being dropped; split the work into windows of at most ${days} days, or serve the placeholder outside Drawbridge (README, "Long outages")`,
    });
  } else if (estate.site.maintenanceStatus !== 200) {
    out.push({
      path: ['site', 'maintenanceStatus'],
      message: `${estate.site.maintenanceStatus}, but window.longOutage is placeholder: the application's own maintenance page serves it, so it must answer 200 with X-Robots-Tag: noindex; set site.maintenanceStatus: 200 (the plan's checks then expect it)`,
    });
  }
  return out;
}

/** The committed state is a move under way (maintenance, a cutover, or a stage of one), not plain normal. */
function underWay(estate: { readonly state: { readonly mode: string; readonly stage?: string | undefined } }): boolean {
  return estate.state.mode !== 'normal' || !!estate.state.stage;
}

/**
 * Why a declared status page without a window does nothing: the sentence after "statusPage", with
 * `consequence` saying what that means where it is read (check, or the plan of one move).
 */
export function statusPageWithoutWindow(consequence: string): string {
  return `is declared, but the estate has no window: a scheduled maintenance needs its start and end, so ${consequence}; add window: (reason, announce, start, end, timeZones)`;
}

/** The status page needs the window's start and end, and does the estate's manual status-page steps. */
export function statusPageWarnings(estate: Estate): EstateWarning[] {
  if (!estate.statusPage) return [];
  const out: EstateWarning[] = [];
  if (!estate.window && underWay(estate)) {
    out.push({
      path: ['statusPage'],
      message: statusPageWithoutWindow('the plan has no status-page steps and `drawbridge statuspage` refuses to run'),
    });
  }
  estate.runbook.forEach((s, i) => {
    if (s.kind !== 'status-page') return;
    out.push({
      path: ['runbook', i, 'kind'],
      message: `status-page step ${s.id}, and statusPage is declared: the plan updates the status page itself (its statuspage-* steps), so this step would update it twice; remove it, or keep it for a status page Drawbridge does not manage`,
    });
  });
  return out;
}

/**
 * Alerts declared (cloudflare.alerts), a move under way and no window: nothing is muted and on-call
 * is paged (the mutes are scheduled from the window's start and end).
 */
export function alertsWithoutWindow(estate: Parameters<typeof underWay>[0] & { readonly window?: unknown; readonly cloudflare?: { readonly alerts?: unknown } | undefined }): EstateWarning[] {
  if (!estate.cloudflare?.alerts || estate.window || !underWay(estate)) return [];
  return [
    {
      path: ['cloudflare', 'alerts'],
      message: `are declared, but the estate has no window: the Datadog downtime and the PagerDuty maintenance window are scheduled from window.start and window.end, so nothing is muted and on-call is paged during this ${estate.state.mode}; add window: (reason, announce, start, end, timeZones), or leave it out for an unplanned outage that should page`,
    },
  ];
}

/** Every warning of the estate, in file order of their parts. */
export function estateWarnings(estate: Estate): EstateWarning[] {
  return [...windowWarnings(estate), ...statusPageWarnings(estate), ...alertsWithoutWindow(estate)];
}
