/**
 * The maintenance gate: a Cloudflare Worker in front of the site, driven by the bindings the
 * Pulumi stack sets from resolve() (modes/gate-contract.ts GateBindings + BYPASS_SECRET).
 *
 * Per request, in this order:
 * 1. BYPASS_PATH: the staff bypass (signed link or key form) sets the bypass cookie. Any mode.
 * 2. Maintenance, or read-only and a write (anything but GET/HEAD/OPTIONS):
 *    - health paths and /robots.txt go to the origin;
 *    - staff (CF-Connecting-IP in BYPASS_ALLOW_IPS, or a valid bypass cookie) go to the origin;
 *    - everyone else gets 503 + page/JSON (respond.ts).
 * 3. Otherwise the request goes to the origin untouched (`fetch(request)`: method, headers, body,
 *    streaming, redirects and WebSocket upgrades as they are). Between WINDOW_ANNOUNCE and
 *    WINDOW_START, text/html responses get the announcement banner via HTMLRewriter.
 *
 * Bad bindings are logged once per isolate and replaced by safe fallbacks (config.ts).
 */
import { cookieValues, verifyCookieValue } from './bypass';
import { bypassEndpoint } from './bypass-endpoint';
import { inAnnouncement, parseGateConfig, type GateConfig } from './config';
import { ipAllowed } from './ip';
import { renderBanner } from './page';
import { closedResponse, PageCache } from './respond';
import { htmlRewriter, type GateEnv, type WorkerModule } from './runtime';

/** Methods that never change anything; everything else is a write in read-only mode. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const ROBOTS = '/robots.txt';

interface GateState {
  readonly config: GateConfig;
  readonly pages: PageCache;
  readonly banner?: string;
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
      ...(config.window ? { banner: renderBanner(config.page, config.window) } : {}),
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

function alwaysOpen(config: GateConfig, path: string): boolean {
  return path === ROBOTS || config.healthPaths.has(path);
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
  const marked = new Response(response.body, response);
  marked.headers.set('X-Drawbridge-Bypass', by);
  return marked;
}

async function withBanner(request: Request, banner: string): Promise<Response> {
  const response = await fetch(request);
  if (request.method === 'HEAD' || response.body === null || response.status === 101) return response;
  if (!/^text\/html\b/i.test(response.headers.get('Content-Type') ?? '')) return response;
  const rewriter = htmlRewriter();
  if (!rewriter) return response;
  return rewriter
    .on('body', {
      element(body) {
        body.prepend(banner, { html: true });
      },
    })
    .transform(response);
}

async function handle(request: Request, env: GateEnv): Promise<Response> {
  const { config, pages, banner } = stateFor(env);
  const url = new URL(request.url);
  const path = url.pathname;
  const now = Date.now();

  if (config.bypass.path !== undefined && path === config.bypass.path) return bypassEndpoint(request, url, config, now);

  const refused = config.maintenance || (config.readOnly && !SAFE_METHODS.has(request.method));
  if (!refused || alwaysOpen(config, path)) {
    if (banner !== undefined && inAnnouncement(config, now) && !alwaysOpen(config, path)) return withBanner(request, banner);
    return fetch(request);
  }
  const by = await bypassedBy(request, url.hostname, config, now);
  if (by) return markBypassed(await fetch(request), by);
  return closedResponse(request, config, pages, config.maintenance ? 'maintenance' : 'read-only', now);
}

const gate: WorkerModule<GateEnv> = { fetch: handle };
export default gate;
