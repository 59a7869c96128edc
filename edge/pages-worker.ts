/**
 * The static down page's `_worker.js` (Cloudflare Pages advanced mode), for a hard-down: the site's
 * CNAME points at the Pages project because the origin itself is unreachable.
 *
 * Every path answers 503 with the branded page (or JSON, by Accept), Retry-After while the end is
 * ahead, `X-Robots-Tag: noindex` and `Cache-Control: no-store`; `/robots.txt` answers 200 so
 * crawlers keep coming back. The page content is fixed at build time (scripts/build-edge.ts bakes
 * the estate's resolved bindings in); only Retry-After depends on the clock.
 */
import { parseGateConfig } from './config';
import { ROBOTS_TXT } from './page';
import { closedResponse, PageCache } from './respond';
import type { PageBindings } from '../modes/gate-contract';
import type { WorkerModule } from './runtime';

/** The bindings baked into the down page: what the page shows, nothing about the bypass. */
export type DownPageBindings = PageBindings;

export function createDownPageWorker(bindings: DownPageBindings): WorkerModule<unknown> {
  const config = parseGateConfig({ ...bindings, MAINTENANCE: '1' });
  const pages = new PageCache(config);
  return {
    async fetch(request: Request): Promise<Response> {
      const url = new URL(request.url);
      if (url.pathname === '/robots.txt') {
        return new Response(request.method === 'HEAD' ? null : ROBOTS_TXT, {
          status: 200,
          headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'public, max-age=300' },
        });
      }
      return closedResponse(request, config, pages, 'down', Date.now());
    },
  };
}
