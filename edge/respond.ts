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

/** Renders and remembers the HTML page per configuration and kind (the page does not depend on the clock). */
export class PageCache {
  private readonly html = new Map<PageKind, string>();
  constructor(private readonly config: GateConfig) {}
  page(kind: PageKind): string {
    let html = this.html.get(kind);
    if (html === undefined) {
      html = renderPage(this.config.page, kind);
      this.html.set(kind, html);
    }
    return html;
  }
}

/** The 503 for `request`: HTML or JSON by Accept, Retry-After while the end is ahead. */
export function closedResponse(request: Request, config: GateConfig, pages: PageCache, kind: PageKind, nowMs: number): Response {
  const retry = retryAfterSeconds(config, nowMs);
  const json = wantsJson(request.headers);
  const headers = ownHeaders(json ? 'application/json; charset=utf-8' : 'text/html; charset=utf-8');
  headers.set('Vary', 'Accept, Sec-Fetch-Dest');
  headers.set('X-Drawbridge-Mode', kind);
  if (retry !== undefined) headers.set('Retry-After', String(retry));
  const body = request.method === 'HEAD' ? null : json ? renderJson(config.page, kind, retry) : pages.page(kind);
  return new Response(body, { status: 503, headers });
}
