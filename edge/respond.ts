/**
 * The 503 the gate and the down page answer with: the page or the JSON body, Retry-After when the
 * window's end is known and ahead, and headers that keep it out of caches and search indexes.
 * A path under API_PATHS always gets JSON (an API client sending `Accept: *\/*` cannot parse a page).
 */
import { retryAfterSeconds, type GateConfig } from './config';
import { isApiPath } from '../modes/gate-paths';
import { wantsJson } from './negotiate';
import { PAGE_CSP, renderJson, renderPage, sameOriginPath, type PageKind } from './page';

/** Headers on every response the edge writes itself (never on the origin's). */
export function ownHeaders(contentType: string): Headers {
  return new Headers({
    'Content-Type': contentType,
    'Cache-Control': 'no-store',
    'X-Robots-Tag': 'noindex',
    'Content-Security-Policy': PAGE_CSP,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
  });
}

/**
 * Where the read-only page's "keep browsing" link leads: the page the visitor came from when the
 * Referer is on this very origin (scheme, host and port), as a path; the home page otherwise. Only
 * ever a same-origin path, so the link cannot be turned into a way off the site.
 */
export function backPath(referer: string | null, requestUrl: string): string {
  if (!referer) return '/';
  let from: URL;
  try {
    from = new URL(referer);
  } catch {
    return '/';
  }
  if (from.origin !== new URL(requestUrl).origin) return '/';
  const path = `${from.pathname}${from.search}`;
  // new URL('https://site//evil.example/').pathname is '//evil.example/': a protocol-relative link.
  return path.length <= 2000 ? sameOriginPath(path) : '/';
}

/** Renders and remembers the HTML page per configuration, kind and whether the end has passed. */
export class PageCache {
  private readonly html = new Map<string, string>();
  constructor(private readonly config: GateConfig) {}
  page(kind: PageKind, overrun = false, back = '/'): string {
    // A read-only page leading back to a particular page is rendered for that request, not kept.
    if (back !== '/') return renderPage(this.config.page, kind, overrun, { back });
    const key = `${kind}:${overrun}`;
    let html = this.html.get(key);
    if (html === undefined) {
      html = renderPage(this.config.page, kind, overrun);
      this.html.set(key, html);
    }
    return html;
  }
}

/** The window's end is known and has passed (the page is up longer than announced). */
export function overrun(config: GateConfig, nowMs: number): boolean {
  const end = config.page.endIso ? Date.parse(config.page.endIso) : Number.NaN;
  return !Number.isNaN(end) && end <= nowMs;
}

/** The 503 for `request`: JSON on an API path, otherwise HTML or JSON by Accept; Retry-After while the end is ahead. */
export function closedResponse(request: Request, config: GateConfig, pages: PageCache, kind: PageKind, nowMs: number): Response {
  const retry = retryAfterSeconds(config, nowMs);
  const api = isApiPath(config.apiPaths, new URL(request.url).pathname);
  const json = api || wantsJson(request.headers);
  const headers = ownHeaders(json ? 'application/json; charset=utf-8' : 'text/html; charset=utf-8');
  // An API path's answer is JSON whatever the request says; elsewhere it depends on these headers.
  if (!api) headers.set('Vary', 'Accept, Sec-Fetch-Dest');
  headers.set('X-Drawbridge-Mode', kind);
  if (retry !== undefined) headers.set('Retry-After', String(retry));
  const late = overrun(config, nowMs);
  const back = kind === 'read-only' ? backPath(request.headers.get('Referer'), request.url) : '/';
  const body = request.method === 'HEAD' ? null : json ? renderJson(config.page, kind, retry, late) : pages.page(kind, late, back);
  return new Response(body, { status: 503, headers });
}
