/**
 * Staff bypass: signed cookies and signed links, HMAC-SHA-256 with Web Crypto (`crypto.subtle`),
 * so the same code runs in workerd and in Node (tests, the link generator).
 *
 * Cookie value:  `<exp>.<sig>` where sig = base64url(HMAC(secret, "drawbridge/v1/cookie|<host>|<exp>"))
 * Link query:    `?exp=<exp>&sig=<base64url(HMAC(secret, "drawbridge/v1/link|<host>|<exp>"))>[&next=/path]`
 *
 * `exp` is a Unix time in seconds. Binding the host means a cookie or link minted for one host is
 * refused on another; the different prefixes mean a cookie's signature is not a valid link and the
 * other way round. Signatures are compared in constant time. The secret itself never appears in a
 * URL, a cookie or a log.
 */

const encoder = new TextEncoder();

/** Longest a signed link may stay valid; a link claiming more is refused. */
export const MAX_LINK_SECONDS = 24 * 60 * 60;
/** Clock skew tolerated between the signer and the edge. */
export const SKEW_SECONDS = 60;

export type BypassPurpose = 'cookie' | 'link';

let cachedKey: { secret: string; key: Promise<CryptoKey> } | undefined;

function hmacKey(secret: string): Promise<CryptoKey> {
  if (cachedKey?.secret !== secret) {
    cachedKey = {
      secret,
      key: crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']),
    };
  }
  return cachedKey.key;
}

async function hmac(secret: string, message: string): Promise<Uint8Array> {
  const sig = await crypto.subtle.sign('HMAC', await hmacKey(secret), encoder.encode(message));
  return new Uint8Array(sig);
}

export function base64url(bytes: Uint8Array): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * Decodes canonical base64url only: the last character of an encoding carries unused bits, so
 * several strings decode to the same bytes. Accepting only the one `base64url` writes means a
 * signature has exactly one valid spelling, and any changed character is refused.
 */
export function fromBase64url(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return undefined;
  try {
    const bin = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
    const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
    return base64url(bytes) === text ? bytes : undefined;
  } catch {
    return undefined;
  }
}

/** Compares two byte strings in time that depends only on their lengths, never on their contents. */
export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  let diff = a.length ^ b.length;
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

function message(purpose: BypassPurpose, host: string, exp: number): string {
  return `drawbridge/v1/${purpose}|${host.toLowerCase()}|${exp}`;
}

/** The signature of (purpose, host, exp), base64url. */
export async function sign(secret: string, purpose: BypassPurpose, host: string, exp: number): Promise<string> {
  return base64url(await hmac(secret, message(purpose, host, exp)));
}

export type VerifyResult = { ok: true; exp: number } | { ok: false; why: 'malformed' | 'expired' | 'too-long-lived' | 'bad-signature' };

/**
 * Checks `exp` and `sig` for `host` at `nowSeconds`. `maxLifetime` bounds how far in the future
 * `exp` may be (a cookie: its TTL; a link: MAX_LINK_SECONDS).
 */
export async function verify(
  secret: string,
  purpose: BypassPurpose,
  host: string,
  expText: string,
  sigText: string,
  nowSeconds: number,
  maxLifetime: number,
): Promise<VerifyResult> {
  if (!/^[1-9]\d{0,11}$/.test(expText)) return { ok: false, why: 'malformed' };
  const given = fromBase64url(sigText);
  if (!given || given.length !== 32) return { ok: false, why: 'malformed' };
  const exp = Number(expText);
  // Always compute the MAC, so a refusal for any reason costs the same time.
  const expected = await hmac(secret, message(purpose, host, exp));
  const good = timingSafeEqual(given, expected);
  if (!good) return { ok: false, why: 'bad-signature' };
  if (exp <= nowSeconds) return { ok: false, why: 'expired' };
  if (exp > nowSeconds + maxLifetime + SKEW_SECONDS) return { ok: false, why: 'too-long-lived' };
  return { ok: true, exp };
}

/** A cookie value for `host` valid for `ttlSeconds` from `nowSeconds`. */
export async function makeCookieValue(secret: string, host: string, nowSeconds: number, ttlSeconds: number): Promise<string> {
  const exp = nowSeconds + ttlSeconds;
  return `${exp}.${await sign(secret, 'cookie', host, exp)}`;
}

/** Checks one cookie value (`<exp>.<sig>`). */
export function verifyCookieValue(secret: string, host: string, value: string, nowSeconds: number, ttlSeconds: number): Promise<VerifyResult> {
  const dot = value.indexOf('.');
  if (dot < 1 || value.length > 128) return Promise.resolve({ ok: false, why: 'malformed' });
  return verify(secret, 'cookie', host, value.slice(0, dot), value.slice(dot + 1), nowSeconds, ttlSeconds);
}

/** Most bypass cookie values checked per request: enough for stale ones beside a fresh one, few enough to bound the work. */
export const MAX_BYPASS_COOKIES = 16;

/** What a bypass cookie value looks like (`<exp>.<43 base64url characters>`); nothing else is worth an HMAC. */
const COOKIE_VALUE = /^[1-9]\d{0,11}\.[A-Za-z0-9_-]{43}$/;

/**
 * The well-formed values of every cookie called `name` in a Cookie header, at most
 * MAX_BYPASS_COOKIES. Several Cookie headers arrive joined with ', ' by the Fetch API, so both ';'
 * and ',' separate cookies (a bypass value contains neither); junk values do not count against the cap.
 */
export function cookieValues(header: string | null, name: string): string[] {
  if (!header) return [];
  const out: string[] = [];
  for (const part of header.split(/[;,]/)) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    const value = part.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
    if (!COOKIE_VALUE.test(value)) continue;
    out.push(value);
    if (out.length === MAX_BYPASS_COOKIES) break;
  }
  return out;
}

/** The Set-Cookie header that grants the bypass. */
export function bypassSetCookie(name: string, value: string, ttlSeconds: number): string {
  return `${name}=${value}; Max-Age=${ttlSeconds}; Path=/; Secure; HttpOnly; SameSite=Lax`;
}

/**
 * A signed bypass link for `siteUrl` (e.g. https://www.example.com), valid `validSeconds` from
 * `now`. Opening it sets the bypass cookie and redirects to `next` (default /).
 */
export async function bypassLink(opts: {
  secret: string;
  siteUrl: string;
  path: string;
  validSeconds?: number;
  next?: string;
  now?: Date;
}): Promise<string> {
  const valid = opts.validSeconds ?? 15 * 60;
  if (!Number.isInteger(valid) || valid < 1 || valid > MAX_LINK_SECONDS) {
    throw new RangeError(`validSeconds ${valid} is not allowed; use a whole number from 1 to ${MAX_LINK_SECONDS}`);
  }
  const url = new URL(opts.path, opts.siteUrl);
  const exp = Math.floor((opts.now ?? new Date()).getTime() / 1000) + valid;
  url.searchParams.set('exp', String(exp));
  url.searchParams.set('sig', await sign(opts.secret, 'link', url.hostname, exp));
  if (opts.next) url.searchParams.set('next', opts.next);
  return url.href;
}

/** Does the secret typed by a person equal the configured one? Constant time, length included. */
export async function tokenMatches(secret: string, given: string): Promise<boolean> {
  // MACs of both under the secret are fixed-length, so comparing them leaks neither content nor length.
  const [a, b] = await Promise.all([hmac(secret, `drawbridge/v1/token|${given}`), hmac(secret, `drawbridge/v1/token|${secret}`)]);
  return timingSafeEqual(a, b);
}

/**
 * A same-site path to go to after the bypass, or '/' for anything else (no open redirect). Characters
 * outside printable ASCII are percent-encoded (UTF-8), so the Location header is always valid ASCII
 * and still a path on this site.
 */
export function safeNext(next: string | null): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\') || /[\x00-\x1f\x7f]/.test(next)) return '/';
  if (next.length > 2000) return '/';
  let encoded: string;
  try {
    encoded = next.replace(/[^\x21-\x7e]+/gu, (run) => encodeURIComponent(run));
  } catch {
    return '/'; // a lone surrogate has no UTF-8 form
  }
  return encoded.length > 2000 ? '/' : encoded;
}
