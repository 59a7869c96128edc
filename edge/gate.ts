/**
 * The maintenance gate: a Cloudflare Worker in front of the site, driven by the bindings the
 * Pulumi stack sets from resolve() (modes/gate-contract.ts GateBindings + BYPASS_SECRET).
 *
 * Per request, in this order:
 * 1. BYPASS_PATH: the staff bypass (signed link or key form) sets the bypass cookie. Any mode.
 * 2. Maintenance, or read-only and a write (anything but GET/HEAD/OPTIONS):
 *    - GET/HEAD of health paths and /robots.txt go to the origin (a write to them is refused like any other);
 *    - a method and path an ALLOW_PATHS entry lets through (`POST /webhooks/stripe`, `GET HEAD /assets/*`)
 *      go to the origin untouched, writes included in read-only mode (modes/gate-paths.ts says how
 *      entries match: exact or on a segment boundary, on the parsed pathname, a prefix only for a
 *      path that stays clean once decoded);
 *    - staff (CF-Connecting-IP in BYPASS_ALLOW_IPS, or a valid bypass cookie) go to the origin;
 *    - everyone else gets 503 + page/JSON (respond.ts; always JSON under API_PATHS).
 * 3. Otherwise the request goes to the origin untouched (`fetch(request)`: method, headers, body,
 *    streaming, redirects and WebSocket upgrades as they are). Between WINDOW_ANNOUNCE and
 *    WINDOW_START, 200 text/html responses get the announcement banner via HTMLRewriter, once; a
 *    page it cannot rewrite is served untouched (withBanner).
 * Answers that depend on the bypass cookie (refusals and staff answers) carry `Vary: Cookie`.
 *
 * Bad bindings are logged once per isolate and replaced by safe fallbacks (config.ts).
 */
import { cookieValues, verifyCookieValue } from './bypass';
import { bypassEndpoint } from './bypass-endpoint';
import { inAnnouncement, parseGateConfig, type GateConfig } from './config';
import { allowedBy } from '../modes/gate-paths';
import { ipAllowed } from '../modes/ip';
import { policiesOf } from './csp';
import { bannerFor } from './page';
import { closedResponse, PageCache } from './respond';
import { htmlRewriter, type GateEnv, type WorkerModule } from './runtime';

/** Methods that never change anything; everything else is a write in read-only mode. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const ROBOTS = '/robots.txt';

interface GateState {
  readonly config: GateConfig;
  readonly pages: PageCache;
  /** The announcement banner, given the host page's CSP policies, enforced and report-only (page.ts bannerFor). */
  readonly banner?: (policies: readonly string[]) => string;
}

/** One parsed configuration per `env` object (workerd keeps the same one for an isolate's life). */
const states = new WeakMap<object, GateState>();
const logged = new Set<string>();

function stateFor(env: GateEnv): GateState {
  let state = states.get(env);
  if (!state) {
    const config = parseGateConfig(env);
    state = {
      config,
      pages: new PageCache(config),
      ...(config.window ? { banner: bannerFor(config.page, config.window) } : {}),
    };
    states.set(env, state);
    const key = config.problems.join('\n');
    if (config.problems.length > 0 && !logged.has(key)) {
      logged.add(key);
      console.error(
        JSON.stringify({
          message: 'drawbridge gate: bad bindings; serving safe fallbacks until they are fixed',
          problems: config.problems,
        }),
      );
    }
  }
  return state;
}

/** Health paths and robots.txt are read-only: they pass for GET and HEAD only, never a write. */
const READ_METHODS = new Set(['GET', 'HEAD']);

function alwaysOpen(config: GateConfig, path: string, method: string): boolean {
  return READ_METHODS.has(method) && (path === ROBOTS || config.healthPaths.has(path));
}

/** How this request proves it is staff: an allow-listed CF-Connecting-IP or a valid bypass cookie. */
async function bypassedBy(request: Request, host: string, config: GateConfig, nowMs: number): Promise<'ip' | 'cookie' | undefined> {
  // CF-Connecting-IP is set by Cloudflare's edge; X-Forwarded-For is whatever the client sent.
  if (ipAllowed(request.headers.get('CF-Connecting-IP'), config.bypass.allow)) return 'ip';
  const secret = config.bypass.secret;
  if (!secret) return undefined;
  const now = Math.floor(nowMs / 1000);
  for (const value of cookieValues(request.headers.get('Cookie'), config.bypass.cookieName)) {
    if ((await verifyCookieValue(secret, host, value, now, config.bypass.ttlSeconds)).ok) return 'cookie';
  }
  return undefined;
}

function markBypassed(response: Response, by: 'ip' | 'cookie'): Response {
  if (response.status === 101) return response; // a WebSocket upgrade must be returned as it is
  const marked = varyCookie(response);
  marked.headers.set('X-Drawbridge-Bypass', by);
  return marked;
}

/** Largest HTML answer the banner is put into; a bigger page passes untouched (streamed as it came). */
const MAX_BANNER_PAGE_BYTES = 2 * 1024 * 1024;

/**
 * Charsets HTMLRewriter parses (ASCII-compatible: the bytes of `<body` mean the same in them). A page
 * declaring any other charset (UTF-16, UTF-7, one nobody knows) passes untouched: rewriting it would
 * answer 500.
 */
const REWRITABLE_CHARSETS = new Set([
  'utf-8', 'utf8', 'unicode-1-1-utf-8', 'us-ascii', 'ascii', 'iso-8859-1', 'latin1', 'l1', 'windows-1252', 'cp1252',
  'iso-8859-2', 'iso-8859-15', 'windows-1250', 'windows-1251', 'koi8-r', 'shift_jis', 'euc-jp', 'euc-kr', 'gbk', 'gb2312', 'gb18030', 'big5',
]);

/** The charset parameter of a Content-Type, lower-cased and unquoted; '' when there is none. */
function charsetOf(contentType: string): string {
  const m = /;\s*charset\s*=\s*("?)([^";,\s]*)\1/i.exec(contentType);
  return (m?.[2] ?? '').toLowerCase();
}

const bannerLogged = new Set<string>();

/** One log line per reason (per isolate) for a page the banner was not put into. */
function logSkippedBanner(why: string): void {
  if (bannerLogged.has(why) || bannerLogged.size > 32) return;
  bannerLogged.add(why);
  console.error(JSON.stringify({ message: 'drawbridge gate: announcement banner skipped; the page is served untouched', why }));
}

/** Reads up to `max` bytes; `rest` is the unread remainder when the body is longer. */
async function readUpTo(body: ReadableStream<Uint8Array>, max: number): Promise<{ chunks: Uint8Array[]; size: number; rest?: ReadableStreamDefaultReader<Uint8Array> }> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { chunks, size };
    chunks.push(value);
    size += value.byteLength;
    if (size > max) return { chunks, size, rest: reader };
  }
}

function concat(chunks: readonly Uint8Array[], size: number): Uint8Array<ArrayBuffer> {
  const all = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.byteLength;
  }
  return all;
}

/** The bytes read so far followed by the rest of the origin's body, as one stream. */
function replay(chunks: readonly Uint8Array[], rest: ReadableStreamDefaultReader<Uint8Array>): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (i < chunks.length) {
        controller.enqueue(chunks[i++] as Uint8Array);
        return;
      }
      const { done, value } = await rest.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel(reason) {
      return rest.cancel(reason);
    },
  });
}

/**
 * The origin's answer with the banner at the top of its first <body>. Fails open: anything but a
 * 200 text/html page in a charset HTMLRewriter reads, a page too large to hold, or a rewrite that
 * throws, is served exactly as the origin sent it. The rewritten page loses the origin's ETag and
 * Content-Length (its bytes are no longer the origin's).
 */
async function withBanner(request: Request, banner: (policies: readonly string[]) => string): Promise<Response> {
  const response = await fetch(request);
  if (request.method === 'HEAD' || response.body === null || response.status !== 200) return response;
  const type = response.headers.get('Content-Type') ?? '';
  if (!/^\s*text\/html\s*(;|$)/i.test(type)) return response;
  const charset = charsetOf(type);
  if (charset !== '' && !REWRITABLE_CHARSETS.has(charset)) {
    logSkippedBanner(`charset ${JSON.stringify(charset.slice(0, 40))} is not one HTMLRewriter reads`);
    return response;
  }
  const rewriter = htmlRewriter();
  if (!rewriter) return response;
  const read = await readUpTo(response.body, MAX_BANNER_PAGE_BYTES);
  if (read.rest) {
    logSkippedBanner(`page larger than ${MAX_BANNER_PAGE_BYTES} bytes`);
    return new Response(replay(read.chunks, read.rest), response);
  }
  const original = concat(read.chunks, read.size);
  const headers = new Headers(response.headers);
  headers.delete('Content-Length');
  const init = { status: response.status, statusText: response.statusText, headers };
  try {
    let done = false;
    // The banner's inline <style>/<script> follow the page's CSP (headers, report-only included so
    // the banner never causes a report, and <meta> in <head>): the page's own nonce is reused, or
    // the element is left out; the origin's CSP is never changed.
    const policies = policiesOf([response.headers.get('Content-Security-Policy'), response.headers.get('Content-Security-Policy-Report-Only')]);
    const rewritten = rewriter
      .on('meta', {
        element(meta) {
          if (!done && (meta.getAttribute('http-equiv') ?? '').trim().toLowerCase() === 'content-security-policy') policies.push(...policiesOf([meta.getAttribute('content')]));
        },
      })
      .on('body', {
        element(body) {
          if (done) return;
          done = true;
          body.prepend(banner(policies), { html: true });
        },
      })
      .transform(new Response(original, init));
    const bytes = await rewritten.arrayBuffer();
    if (!done) return new Response(original, response);
    headers.delete('ETag');
    return new Response(bytes, init);
  } catch (e) {
    logSkippedBanner(`rewriting failed: ${String((e as Error)?.message ?? e).slice(0, 120)}`);
    return new Response(original, response);
  }
}

/** Adds `Cookie` to Vary, keeping what the origin put there. */
function varyCookie(response: Response): Response {
  if (response.status === 101) return response;
  const marked = new Response(response.body, response);
  const vary = marked.headers.get('Vary') ?? '';
  const names = vary.split(',').map((v) => v.trim().toLowerCase());
  if (!names.includes('*') && !names.includes('cookie')) marked.headers.set('Vary', vary.trim() === '' ? 'Cookie' : `${vary}, Cookie`);
  return marked;
}

async function handle(request: Request, env: GateEnv): Promise<Response> {
  const { config, pages, banner } = stateFor(env);
  const url = new URL(request.url);
  const path = url.pathname;
  const now = Date.now();

  if (config.bypass.path !== undefined && path === config.bypass.path) return bypassEndpoint(request, url, config, now);

  // While the gate holds the public, the declared paths (webhooks, assets) reach the origin as they came: no banner, no page.
  if ((config.maintenance || config.readOnly) && allowedBy(config.allowPaths, request.method, path)) return fetch(request);
  const refused = config.maintenance || (config.readOnly && !SAFE_METHODS.has(request.method));
  const open = alwaysOpen(config, path, request.method);
  if (!refused || open) {
    const passThrough = path === ROBOTS || config.healthPaths.has(path);
    if (banner !== undefined && inAnnouncement(config, now) && !passThrough) return withBanner(request, banner);
    return fetch(request);
  }
  const by = await bypassedBy(request, url.hostname, config, now);
  if (by) return markBypassed(await fetch(request), by);
  // Whether this request is refused depends on the bypass cookie: caches must key on it.
  return varyCookie(closedResponse(request, config, pages, config.maintenance ? 'maintenance' : 'read-only', now));
}

const gate: WorkerModule<GateEnv> = { fetch: handle };
export default gate;
