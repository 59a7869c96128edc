/**
 * Reading the gate's bindings into a checked configuration. Pure apart from the clock-free caching
 * in gate.ts: the same bindings always give the same config and the same list of problems.
 *
 * A bad binding never takes the site down. Each one becomes a problem (naming the binding, the
 * value and what is allowed, and never the secret) and a safe fallback:
 * - MAINTENANCE / READ_ONLY: '1' is on, '0' or '' is off. true/yes/on (any case) are accepted as '1'
 *   and false/no/off as '0', with a log line: someone typing in the dashboard in an emergency means
 *   "on" (README documents this). Anything else is refused and taken as '0' (the site stays open).
 * - HEALTH_PATHS entry without a leading '/': taken with one (the health check keeps passing).
 * - ALLOW_PATHS entry that does not parse or would let the home page through (modes/gate-paths.ts):
 *   ignored, so that path gets the page like the rest of the site (fails closed: what is behind the
 *   page may be stopped or being copied). The other entries keep working.
 * - API_PATHS entry that does not parse: ignored (Accept decides there, as everywhere else).
 * - BYPASS_PATH equal to a health path or /robots.txt: the bypass link is switched off.
 * - BYPASS_ALLOW_IPS entry that lets nearly everyone through (0.0.0.0/0, ::/0, ...): ignored.
 * - BYPASS_SECRET shorter than 32 characters or too predictable: the cookie bypass is switched off.
 * - WINDOW_* that does not parse, or a TIME_ZONES entry no runtime knows: the window is no longer
 *   trusted for machines (no Retry-After, no banner); people still see the end time in the zones
 *   that do work, or no time at all when the end itself is bad.
 * - BRAND_COLOUR not #rrggbb: the default colour. STATUS_URL not http(s): no link.
 * - BYPASS_*: the bad part of the bypass is switched off, the rest keeps working.
 */
import { DEFAULT_BRAND_COLOUR, DEFAULT_BYPASS_COOKIE as DEFAULT_COOKIE, DEFAULT_BYPASS_TTL_SECONDS as DEFAULT_TTL_SECONDS, bypassSecretProblem } from '../modes/gate-contract';
import { formatInZone, secondsUntil, type ZonedTime } from '../modes/time';
import { MIN_ALLOW_PREFIX, parseIpList, tooBroad, type IpRange } from '../modes/ip';
import { parsePathEntry, type PathList, type PathRule } from '../modes/gate-paths';
import type { GateEnv } from './runtime';


export interface Window {
  readonly startMs: number;
  readonly endMs: number;
  readonly announceMs: number;
  readonly endIso: string;
  /** Start and end as shown to people, one entry per usable zone. */
  readonly startIn: readonly ZonedTime[];
  readonly endIn: readonly ZonedTime[];
}

/** What the page shows; shared by the gate and the static down page. */
export interface PageContent {
  readonly brandName: string;
  /** #rrggbb, already checked. */
  readonly brandColour: string;
  /** Empty when none was given (the page then uses a generic sentence). */
  readonly reason: string;
  /** ISO-8601 end, when it parses. */
  readonly endIso?: string;
  /** The end in each usable zone (empty when the end is unknown). */
  readonly endIn: readonly ZonedTime[];
  /** http(s) URL, already checked. */
  readonly statusUrl?: string;
  readonly contact?: string;
}

export interface GateConfig {
  readonly maintenance: boolean;
  readonly readOnly: boolean;
  readonly page: PageContent;
  /**
   * The window, when every window binding parsed and every zone is known. Retry-After and the
   * announcement banner use only this; a partly broken window is shown to people but not to machines.
   */
  readonly window?: Window;
  readonly healthPaths: ReadonlySet<string>;
  /** Entries let through to the origin in maintenance and read-only mode (ALLOW_PATHS). */
  readonly allowPaths: readonly PathRule[];
  /** Paths refused with JSON whatever Accept says (API_PATHS). */
  readonly apiPaths: readonly PathRule[];
  readonly bypass: {
    readonly allow: readonly IpRange[];
    readonly cookieName: string;
    readonly ttlSeconds: number;
    /** Undefined when the bypass path is switched off. */
    readonly path?: string;
    /** Undefined when the cookie bypass is switched off (no key, or one too short). */
    readonly secret?: string;
  };
  /** Every bad binding, one sentence each; never contains the secret. */
  readonly problems: readonly string[];
}

function quote(value: string): string {
  const s = JSON.stringify(value);
  return s.length > 82 ? `${s.slice(0, 79)}..."` : s;
}

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function flag(name: string, value: string | undefined, problems: string[]): boolean {
  const v = (value ?? '').trim();
  if (v === '1') return true;
  if (v === '0' || v === '') return false;
  // Someone typing in the dashboard (as runbook 000 has people do) writes true/on/yes: honour the
  // intent rather than leave the site open while the backend is stopped, and say so.
  const lower = v.toLowerCase();
  if (['true', 'yes', 'on'].includes(lower)) {
    problems.push(`${name}=${quote(v)} is not one of '0' or '1' (taken as '1')`);
    return true;
  }
  if (['false', 'no', 'off'].includes(lower)) {
    problems.push(`${name}=${quote(v)} is not one of '0' or '1' (taken as '0')`);
    return false;
  }
  problems.push(`${name}=${quote(v)} is not allowed; allowed: '0' or '1' (taken as '0')`);
  return false;
}

/** Is every field a real calendar value (2027-02-30 and 24:00 are not, though Date.parse rolls them over)? */
function realDateTime(m: RegExpExecArray): boolean {
  const [y, mo, d, h, mi, sec = '0', , , oh = '0', om = '0'] = m.slice(1).map((x) => x ?? '0');
  const n = (x: string) => Number(x);
  if (n(mo) < 1 || n(mo) > 12 || n(d) < 1 || n(h) > 23 || n(mi) > 59 || n(sec) > 59 || n(oh) > 23 || n(om) > 59) return false;
  const daysInMonth = new Date(Date.UTC(n(y), n(mo), 0)).getUTCDate();
  return n(d) <= daysInMonth;
}

function instant(name: string, value: string | undefined, problems: string[]): number | undefined {
  const v = (value ?? '').trim();
  if (v === '') return undefined;
  // Date.parse accepts many shapes; require a date and time with an explicit offset, as the schema does.
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-](\d{2}):(\d{2}))$/.exec(v);
  const ms = m && realDateTime(m) ? Date.parse(v) : NaN;
  if (Number.isNaN(ms)) {
    problems.push(`${name}=${quote(v)} is not an ISO-8601 date-time with offset on the calendar (e.g. 2030-01-19T22:00:00Z; 2027-02-30 and 24:00 do not exist); the window is ignored`);
    return undefined;
  }
  return ms;
}

function zones(value: string | undefined, problems: string[]): { usable: string[]; bad: boolean } {
  const given = list(value);
  const usable: string[] = [];
  let bad = false;
  for (const zone of given) {
    try {
      formatInZone(new Date(0), zone);
      usable.push(zone);
    } catch {
      bad = true;
      problems.push(`TIME_ZONES entry ${quote(zone)} is not a time zone this runtime knows; allowed: IANA names such as Europe/London, America/New_York, UTC`);
    }
  }
  return { usable: usable.length ? usable : ['UTC'], bad };
}

function httpUrl(name: string, value: string | undefined, problems: string[]): string | undefined {
  const v = (value ?? '').trim();
  if (v === '') return undefined;
  try {
    const u = new URL(v);
    if (u.protocol === 'https:' || u.protocol === 'http:') return u.href;
  } catch {
    // reported below
  }
  problems.push(`${name}=${quote(v)} is not an http(s) URL; the link is left out`);
  return undefined;
}

/** The entries of a path list binding that parse; each that does not is a problem and is ignored. */
function pathRules(name: 'ALLOW_PATHS' | 'API_PATHS', value: string | undefined, kind: PathList, problems: string[]): PathRule[] {
  const rules: PathRule[] = [];
  for (const entry of list(value)) {
    const parsed = parsePathEntry(entry, kind);
    if (parsed.ok) rules.push(parsed.rule);
    else problems.push(`${name} entry ${quote(entry)} ${parsed.problem}; it is ignored (${kind === 'allow' ? 'the page answers there' : 'Accept decides there'})`);
  }
  return rules;
}

/** Reads and checks every binding; never throws. */
export function parseGateConfig(env: GateEnv): GateConfig {
  const problems: string[] = [];
  const maintenance = flag('MAINTENANCE', env.MAINTENANCE, problems);
  const readOnly = flag('READ_ONLY', env.READ_ONLY, problems);

  const before = problems.length;
  const announceMs = instant('WINDOW_ANNOUNCE', env.WINDOW_ANNOUNCE, problems);
  const startMs = instant('WINDOW_START', env.WINDOW_START, problems);
  const endMs = instant('WINDOW_END', env.WINDOW_END, problems);
  const tz = zones(env.TIME_ZONES, problems);
  const endIso = endMs === undefined ? undefined : new Date(endMs).toISOString();
  const endIn = endMs === undefined ? [] : tz.usable.map((zone) => ({ zone, text: formatInZone(new Date(endMs), zone) }));

  let window: Window | undefined;
  const anyWindow = [env.WINDOW_ANNOUNCE, env.WINDOW_START, env.WINDOW_END].some((v) => (v ?? '').trim() !== '');
  if (announceMs !== undefined && startMs !== undefined && endMs !== undefined && !tz.bad) {
    if (announceMs <= startMs && startMs < endMs) {
      window = {
        announceMs,
        startMs,
        endMs,
        endIso: endIso ?? '',
        startIn: tz.usable.map((zone) => ({ zone, text: formatInZone(new Date(startMs), zone) })),
        endIn,
      };
    } else {
      problems.push(`window is out of order (WINDOW_ANNOUNCE <= WINDOW_START < WINDOW_END is required): ${env.WINDOW_ANNOUNCE} / ${env.WINDOW_START} / ${env.WINDOW_END}; the window is ignored`);
    }
  } else if (anyWindow && problems.length === before) {
    problems.push('WINDOW_ANNOUNCE, WINDOW_START and WINDOW_END must be set together or all left empty; the window is ignored');
  }

  let brandColour = (env.BRAND_COLOUR ?? '').trim();
  if (!/^#[0-9a-fA-F]{6}$/.test(brandColour)) {
    if (brandColour !== '') problems.push(`BRAND_COLOUR=${quote(brandColour)} is not a #rrggbb colour; using ${DEFAULT_BRAND_COLOUR}`);
    brandColour = DEFAULT_BRAND_COLOUR;
  }

  const ips = parseIpList(env.BYPASS_ALLOW_IPS ?? '');
  for (const b of ips.bad) problems.push(`BYPASS_ALLOW_IPS entry ${quote(b)} is not an IPv4/IPv6 address or CIDR range; it is ignored`);
  const allow = ips.ranges.filter((r) => {
    if (!tooBroad(r)) return true;
    problems.push(`BYPASS_ALLOW_IPS entry ${quote(r.text)} would let nearly everyone bypass the page; allowed: IPv4 ranges of /${MIN_ALLOW_PREFIX.v4} or narrower, IPv6 of /${MIN_ALLOW_PREFIX.v6} or narrower; it is ignored`);
    return false;
  });

  let cookieName = (env.BYPASS_COOKIE ?? '').trim();
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(cookieName)) {
    if (cookieName !== '') problems.push(`BYPASS_COOKIE=${quote(cookieName)} is not 1-64 letters, digits, '-' or '_'; using ${DEFAULT_COOKIE}`);
    cookieName = DEFAULT_COOKIE;
  }

  const ttlText = (env.BYPASS_TTL_SECONDS ?? '').trim();
  let ttlSeconds = DEFAULT_TTL_SECONDS;
  if (ttlText !== '') {
    const n = Number(ttlText);
    if (/^\d+$/.test(ttlText) && n >= 60 && n <= 86400) ttlSeconds = n;
    else problems.push(`BYPASS_TTL_SECONDS=${quote(ttlText)} is not a whole number from 60 to 86400; using ${DEFAULT_TTL_SECONDS}`);
  }

  let bypassPath: string | undefined = (env.BYPASS_PATH ?? '').trim();
  if (bypassPath === '') bypassPath = undefined;
  else if (!/^\/[\x21-\x7e]+$/.test(bypassPath) || bypassPath === '/' || bypassPath.includes('?') || bypassPath.includes('#')) {
    problems.push(`BYPASS_PATH=${quote(bypassPath)} must be a path such as /__drawbridge/bypass; the bypass link is switched off`);
    bypassPath = undefined;
  }

  let secret: string | undefined = env.BYPASS_SECRET ?? '';
  if (secret === '') {
    secret = undefined;
  } else {
    // Neither the key nor its length is ever reported.
    const weak = bypassSecretProblem(secret);
    if (weak !== undefined) {
      problems.push(`BYPASS_SECRET ${weak}; the cookie bypass is switched off`);
      secret = undefined;
    }
  }

  const healthPaths = new Set<string>();
  for (const p of list(env.HEALTH_PATHS)) {
    if (/[\s?#]/.test(p)) {
      problems.push(`HEALTH_PATHS entry ${quote(p)} is not a path (no spaces, '?' or '#'); it is ignored`);
    } else if (!p.startsWith('/')) {
      // Fail open: the health check was meant to pass, so pass it rather than answer 503.
      problems.push(`HEALTH_PATHS entry ${quote(p)} does not start with '/'; taken as ${quote(`/${p}`)}`);
      healthPaths.add(`/${p}`);
    } else {
      healthPaths.add(p);
    }
  }
  if (bypassPath !== undefined && (bypassPath === '/robots.txt' || healthPaths.has(bypassPath))) {
    // The form would answer instead of the origin's health check or robots.txt.
    problems.push(`BYPASS_PATH=${quote(bypassPath)} is also ${bypassPath === '/robots.txt' ? 'robots.txt' : 'a health path'}; the bypass link is switched off (they keep reaching the origin)`);
    bypassPath = undefined;
  }
  const allowPaths = pathRules('ALLOW_PATHS', env.ALLOW_PATHS, 'allow', problems);
  const apiPaths = pathRules('API_PATHS', env.API_PATHS, 'api', problems);
  const contact = (env.CONTACT ?? '').trim();
  const statusUrl = httpUrl('STATUS_URL', env.STATUS_URL, problems);
  const page: PageContent = {
    brandName: (env.BRAND_NAME ?? '').trim() || 'This site',
    brandColour,
    reason: (env.REASON ?? '').trim(),
    ...(endIso ? { endIso } : {}),
    endIn,
    ...(statusUrl ? { statusUrl } : {}),
    ...(contact ? { contact } : {}),
  };
  return {
    maintenance,
    readOnly,
    page,
    ...(window ? { window } : {}),
    healthPaths,
    allowPaths,
    apiPaths,
    bypass: {
      allow,
      cookieName,
      ttlSeconds,
      ...(bypassPath ? { path: bypassPath } : {}),
      ...(secret ? { secret } : {}),
    },
    problems,
  };
}

/** Seconds until the window ends, for Retry-After; undefined when there is no trusted window or it has ended. */
export function retryAfterSeconds(config: GateConfig, nowMs: number): number | undefined {
  return config.window ? secondsUntil(config.window.endIso, new Date(nowMs)) : undefined;
}

/** Is the window announced but not started at `nowMs`? */
export function inAnnouncement(config: GateConfig, nowMs: number): boolean {
  const w = config.window;
  return !!w && w.announceMs <= nowMs && nowMs < w.startMs;
}
