/**
 * The 503 the gate and the down page answer with: the page or the JSON body, Retry-After when the
 * window's end is known and ahead, and headers that keep it out of caches and search indexes.
 */
import { retryAfterSeconds, type GateConfig } from './config';
import { wantsJson } from './negotiate';
import { PAGE_CSP, renderJson, renderPage, type PageKind } from './page';

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

/** Renders and remembers the HTML page per configuration, kind and whether the end has passed. */
export class PageCache {
  private readonly html = new Map<string, string>();
  constructor(private readonly config: GateConfig) {}
  page(kind: PageKind, overrun = false): string {
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

/** The 503 for `request`: HTML or JSON by Accept, Retry-After while the end is ahead. */
export function closedResponse(request: Request, config: GateConfig, pages: PageCache, kind: PageKind, nowMs: number): Response {
  const retry = retryAfterSeconds(config, nowMs);
  const json = wantsJson(request.headers);
  const headers = ownHeaders(json ? 'application/json; charset=utf-8' : 'text/html; charset=utf-8');
  headers.set('Vary', 'Accept, Sec-Fetch-Dest');
  headers.set('X-Drawbridge-Mode', kind);
  if (retry !== undefined) headers.set('Retry-After', String(retry));
  const late = overrun(config, nowMs);
  const body = request.method === 'HEAD' ? null : json ? renderJson(config.page, kind, retry, late) : pages.page(kind, late);
  return new Response(body, { status: 503, headers });
}
