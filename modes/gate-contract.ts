/**
 * The maintenance gate's contract with the model, stated once: the Worker's bindings, the name of
 * its secret binding, and the defaults both sides use. Pure and free of zod, so the Worker bundle
 * (edge/) can import it without pulling the schema into the edge.
 */

/** Worker bindings of the gate: plain-text values (the bypass secret is bound separately as secret_text). */
export interface GateBindings {
  readonly MAINTENANCE: '0' | '1';
  readonly READ_ONLY: '0' | '1';
  readonly REASON: string;
  /** ISO-8601, or empty when no window is declared. */
  readonly WINDOW_ANNOUNCE: string;
  readonly WINDOW_START: string;
  readonly WINDOW_END: string;
  /** Comma-separated IANA zones. */
  readonly TIME_ZONES: string;
  /** Comma-separated paths always passed to the origin. */
  readonly HEALTH_PATHS: string;
  /**
   * Comma-separated entries let through to the origin in maintenance and read-only mode, each
   * `METHOD ... PATH` with its methods written out (`POST /webhooks/stripe,GET HEAD /assets/*`);
   * modes/gate-paths.ts says how they are written and matched. Empty when none are declared.
   */
  readonly ALLOW_PATHS: string;
  /** Comma-separated paths and `/prefix/*` entries refused with JSON whatever Accept says (`/graphql,/api/*`). */
  readonly API_PATHS: string;
  /** Comma-separated IPs/CIDRs compared with CF-Connecting-IP. */
  readonly BYPASS_ALLOW_IPS: string;
  readonly BYPASS_COOKIE: string;
  readonly BYPASS_TTL_SECONDS: string;
  readonly BYPASS_PATH: string;
  readonly BRAND_NAME: string;
  readonly BRAND_COLOUR: string;
  readonly STATUS_URL: string;
  readonly CONTACT: string;
}

/** What the maintenance page shows, for the gate and the static down page alike. */
export type PageBindings = Pick<GateBindings, 'REASON' | 'WINDOW_ANNOUNCE' | 'WINDOW_START' | 'WINDOW_END' | 'TIME_ZONES' | 'BRAND_NAME' | 'BRAND_COLOUR' | 'STATUS_URL' | 'CONTACT'>;

/** Name of the gate's secret_text binding holding the bypass HMAC key. */
export const GATE_SECRET_BINDING = 'BYPASS_SECRET';

/** Brand colour when the estate names none (and what the gate falls back to on a bad binding). */
export const DEFAULT_BRAND_COLOUR = '#1f4e79';
/** Name of the staff bypass cookie when the estate names none. */
export const DEFAULT_BYPASS_COOKIE = 'drawbridge_bypass';
/** Lifetime of the bypass cookie, in seconds, when the estate names none. */
export const DEFAULT_BYPASS_TTL_SECONDS = 3600;
/** Path of the staff bypass form when the estate names none. */
export const DEFAULT_BYPASS_PATH = '/__drawbridge/bypass';
/** Shortest bypass HMAC key accepted anywhere: the cookie bypass is only as strong as its key. */
export const MIN_BYPASS_SECRET_LENGTH = 32;
/** Least estimated entropy of a bypass key, in bits (a random 32-character hex key has about 110). */
export const MIN_BYPASS_SECRET_BITS = 80;

/**
 * Why `secret` is too weak to be the bypass key, or undefined when it will do. Never includes the
 * key, nor its length: the message is safe in any log. The estimate is the key's length times the
 * Shannon entropy of its characters, and a key that repeats a shorter run (`abcabc...`,
 * `password-password-...`) is refused whatever its length: it is guessed as fast as the run is.
 */
export function bypassSecretProblem(secret: string): string | undefined {
  const weakness = bypassSecretWeakness(secret);
  if (weakness === undefined) return undefined;
  return weakness.kind === 'short' ? weakness.reason : `${weakness.reason}; generate one with \`openssl rand -hex 32\``;
}

/** What is wrong with a weak bypass key, without the advice (each caller says how to set a new one). */
export function bypassSecretWeakness(secret: string): { readonly kind: 'short' | 'predictable'; readonly reason: string } | undefined {
  const chars = [...secret];
  if (chars.length < MIN_BYPASS_SECRET_LENGTH) return { kind: 'short', reason: `is shorter than ${MIN_BYPASS_SECRET_LENGTH} characters` };
  const counts = new Map<string, number>();
  for (const c of chars) counts.set(c, (counts.get(c) ?? 0) + 1);
  let perChar = 0;
  for (const n of counts.values()) perChar -= (n / chars.length) * Math.log2(n / chars.length);
  if (perChar * chars.length < MIN_BYPASS_SECRET_BITS) return { kind: 'predictable', reason: 'is too predictable (too few different characters)' };
  for (let p = 1; p <= chars.length / 2; p++) {
    let repeats = true;
    for (let i = p; i < chars.length && repeats; i++) repeats = chars[i] === chars[i - p];
    if (repeats) return { kind: 'predictable', reason: 'is too predictable (one short run of characters repeated)' };
  }
  return undefined;
}
