/**
 * BYPASS_PATH: where staff obtain the bypass cookie.
 *
 * - GET  BYPASS_PATH?exp=..&sig=..[&next=/x]  a signed link (edge/bypass-link.ts makes one): valid
 *        for this host and not expired -> 303 to `next` with the cookie; otherwise 403.
 * - GET  BYPASS_PATH                          the key form (200).
 * - POST BYPASS_PATH  token=<BYPASS_SECRET>   the key typed into the form: right -> 303 with the
 *        cookie; wrong -> 403 and the form again.
 * - GET  BYPASS_PATH?token=..                 refused (400): a key in a URL ends up in logs and
 *        browser history, so it is never accepted there.
 *
 * Grants and refusals are logged with the host, the client IP and why; never a key or a signature.
 */
import { bypassSetCookie, makeCookieValue, MAX_LINK_SECONDS, safeNext, tokenMatches, verify } from './bypass';
import type { GateConfig } from './config';
import { renderBypassPage } from './page';
import { ownHeaders } from './respond';

/** Longest form body read; a key is far shorter. */
const MAX_FORM_BYTES = 8192;

function page(config: GateConfig, status: number, action: string, next: string, error?: string): Response {
  const html = renderBypassPage(config.page, { action, next, ...(error ? { error } : {}) });
  return new Response(html, { status, headers: ownHeaders('text/html; charset=utf-8') });
}

function audit(event: 'granted' | 'refused', how: string, url: URL, request: Request, why?: string): void {
  console.log(
    JSON.stringify({
      message: `drawbridge gate: bypass ${event}`,
      how,
      host: url.hostname,
      ip: request.headers.get('CF-Connecting-IP') ?? null,
      ...(why ? { why } : {}),
    }),
  );
}

async function grant(config: GateConfig, secret: string, host: string, next: string, nowMs: number): Promise<Response> {
  const value = await makeCookieValue(secret, host, Math.floor(nowMs / 1000), config.bypass.ttlSeconds);
  const headers = ownHeaders('text/plain; charset=utf-8');
  headers.set('Location', next);
  headers.append('Set-Cookie', bypassSetCookie(config.bypass.cookieName, value, config.bypass.ttlSeconds));
  return new Response('Staff bypass granted.\n', { status: 303, headers });
}

/** Reads at most `max` bytes of the body; undefined when it is longer. */
async function readCapped(request: Request, max: number): Promise<string | undefined> {
  const declared = Number(request.headers.get('Content-Length') ?? '0');
  if (declared > max) return undefined;
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.byteLength;
  }
  return new TextDecoder().decode(all);
}

export async function bypassEndpoint(request: Request, url: URL, config: GateConfig, nowMs: number): Promise<Response> {
  const action = url.pathname;
  const secret = config.bypass.secret;
  const q = url.searchParams;
  const next = safeNext(q.get('next'));

  if (request.method === 'GET' || request.method === 'HEAD') {
    if (q.has('token')) {
      audit('refused', 'url-token', url, request, 'key in URL');
      return page(config, 400, action, next, 'For safety, the bypass key is never accepted in a link. Type it into the form below instead.');
    }
    if (q.has('sig') || q.has('exp')) {
      if (!secret) {
        audit('refused', 'link', url, request, 'no BYPASS_SECRET');
        return page(config, 403, action, next, 'Staff bypass is not configured for this site.');
      }
      const result = await verify(secret, 'link', url.hostname, q.get('exp') ?? '', q.get('sig') ?? '', Math.floor(nowMs / 1000), MAX_LINK_SECONDS);
      if (!result.ok) {
        audit('refused', 'link', url, request, result.why);
        return page(config, 403, action, next, 'This bypass link is not valid for this site or has expired. Ask for a new one.');
      }
      audit('granted', 'link', url, request);
      return grant(config, secret, url.hostname, next, nowMs);
    }
    if (!secret) return page(config, 403, action, next, 'Staff bypass is not configured for this site.');
    return page(config, 200, action, next);
  }

  if (request.method === 'POST') {
    if (!secret) {
      audit('refused', 'form', url, request, 'no BYPASS_SECRET');
      return page(config, 403, action, next, 'Staff bypass is not configured for this site.');
    }
    const text = await readCapped(request, MAX_FORM_BYTES);
    if (text === undefined) return page(config, 413, action, next, 'That request was too large.');
    const form = new URLSearchParams(text);
    const formNext = safeNext(form.get('next') ?? q.get('next'));
    const token = form.get('token') ?? '';
    if (token === '' || !(await tokenMatches(secret, token))) {
      audit('refused', 'form', url, request, 'wrong key');
      return page(config, 403, action, formNext, 'That key was not accepted.');
    }
    audit('granted', 'form', url, request);
    return grant(config, secret, url.hostname, formNext, nowMs);
  }

  const headers = ownHeaders('text/plain; charset=utf-8');
  headers.set('Allow', 'GET, HEAD, POST');
  return new Response('Method not allowed.\n', { status: 405, headers });
}
