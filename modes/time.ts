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

// Building an Intl.DateTimeFormat costs far more than using one: keep them per zone.
const formatters = new Map<string, { main: Intl.DateTimeFormat; numeric: Intl.DateTimeFormat; names: Intl.DateTimeFormat[] }>();

/**
 * Locales whose short zone names people in that region use: en-GB names GMT/BST/CET, en-US
 * EST/PDT, en-AU AEST/AWST, en-NZ NZST, en-IN IST. The first that gives a name (not a bare
 * GMT+10 offset) wins.
 */
const NAME_LOCALES = ['en-GB', 'en-US', 'en-AU', 'en-NZ', 'en-IN'];

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
      }),
      // Numeric year, month and day of the local date (en-CA writes them in that order), to compare dates across zones.
      numeric: new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: 'numeric', day: 'numeric' }),
      names: NAME_LOCALES.map((locale) => new Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName: 'short' })),
    };
    formatters.set(zone, f);
  }
  return f;
}

function zoneName(f: { names: Intl.DateTimeFormat[] }, date: Date): string {
  let fallback = '';
  for (const names of f.names) {
    const name = names.formatToParts(date).find((p) => p.type === 'timeZoneName')?.value ?? '';
    if (!fallback) fallback = name;
    if (name && !/^(GMT|UTC)[+-−]/.test(name)) return name;
  }
  return fallback;
}

/** The local date and time of an instant in one zone, in parts. */
export interface LocalParts {
  readonly weekday: string;
  readonly day: string;
  readonly month: string;
  readonly year: string;
  /** 24-hour time, e.g. "22:00". */
  readonly hm: string;
  /** Days since 1970-01-01 of the local date, to compare dates across zones. */
  readonly dayNumber: number;
}

/** The weekday, date and time of `date` with the zone's formatters: LocalParts without dayNumber. */
function mainParts(f: { main: Intl.DateTimeFormat }, date: Date): Omit<LocalParts, 'dayNumber'> {
  const parts = f.main.formatToParts(date);
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return {
    weekday: get('weekday'),
    day: get('day'),
    month: get('month'),
    year: get('year'),
    hm: `${get('hour')}:${get('minute')}`,
  };
}

/** The local date and time of `instant` in `zone`, as formatInZone writes them. */
export function localParts(instant: Date | string | number, zone: string): LocalParts {
  const date = instant instanceof Date ? instant : new Date(instant);
  const f = formattersFor(zone);
  const main = mainParts(f, date);
  const numeric = f.numeric.formatToParts(date);
  const n = (type: Intl.DateTimeFormatPartTypes) => Number(numeric.find((p) => p.type === type)?.value ?? NaN);
  return { ...main, dayNumber: Date.UTC(n('year'), n('month') - 1, n('day')) / 86_400_000 };
}

/** Formats an instant in one zone: weekday, date, 24-hour time and the zone's abbreviation. */
export function formatInZone(instant: Date | string, zone: string): string {
  const date = typeof instant === 'string' ? new Date(instant) : instant;
  const f = formattersFor(zone);
  const p = mainParts(f, date);
  return `${p.weekday} ${p.day} ${p.month} ${p.year}, ${p.hm} ${zoneName(f, date)}`;
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
