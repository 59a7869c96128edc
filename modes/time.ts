/**
 * Times shown to people: the window's end in each of the estate's time zones. Pure, no Node APIs,
 * so the edge gate bundles the same code the stacks and the runbook use.
 */

export interface ZonedTime {
  /** IANA zone, e.g. Europe/London. */
  readonly zone: string;
  /** e.g. "Sun 20 Jan 2030, 00:00 GMT". */
  readonly text: string;
}

// Building an Intl.DateTimeFormat costs far more than using one: keep one per zone.
const formatters = new Map<string, { main: Intl.DateTimeFormat; us: Intl.DateTimeFormat }>();
function formattersFor(zone: string) {
  let f = formatters.get(zone);
  if (!f) {
    f = {
      main: new Intl.DateTimeFormat('en-GB', {
        timeZone: zone,
        weekday: 'short',
        day: 'numeric',
        month: 'short',
        year: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
        timeZoneName: 'short',
      }),
      us: new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'short' }),
    };
    formatters.set(zone, f);
  }
  return f;
}

/** Formats an instant in one zone: weekday, date, 24-hour time and the zone's abbreviation. */
export function formatInZone(instant: Date | string, zone: string): string {
  const date = typeof instant === 'string' ? new Date(instant) : instant;
  const f = formattersFor(zone);
  const parts = f.main.formatToParts(date);
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  // en-GB names European zones (GMT, BST, CET) but not American ones (GMT-5); en-US names those (EST, PDT).
  const name = zone.startsWith('America/') || zone.startsWith('US/') || zone.startsWith('Pacific/Honolulu')
    ? f.us.formatToParts(date).find((p) => p.type === 'timeZoneName')?.value ?? get('timeZoneName')
    : get('timeZoneName');
  return `${get('weekday')} ${get('day')} ${get('month')} ${get('year')}, ${get('hour')}:${get('minute')} ${name}`;
}

/** The instant in every zone, in the order given. Throws RangeError on an unknown zone. */
export function formatInZones(instant: Date | string, zones: readonly string[]): ZonedTime[] {
  return zones.map((zone) => ({ zone, text: formatInZone(instant, zone) }));
}

/** Whole seconds from `now` until `end`, or undefined when the end has passed or does not parse. */
export function secondsUntil(end: string | undefined, now: Date): number | undefined {
  if (!end) return undefined;
  const t = Date.parse(end);
  if (Number.isNaN(t)) return undefined;
  const s = Math.ceil((t - now.getTime()) / 1000);
  return s > 0 ? s : undefined;
}
