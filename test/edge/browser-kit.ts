/**
 * What the browser tests and `npm run screenshots` share: Chromium (one launch per file; Debian's by default),
 * the site's real address (https://www.example-shop.com) served by a named gate Worker in workerd,
 * and a sample host page for the announcement banner.
 *
 * serveSite routes every request the page makes for the site to a Worker through miniflare's
 * dispatchFetch, with the URL, method, headers (Referer, Cookie...) and body as the browser sent
 * them: the page sees the gate's real answer (status, CSP and other headers, rewritten HTML) on
 * the site's own origin, so localStorage and Referer behave as in production, and switching the
 * Worker (another window) keeps the same origin.
 */
import type { Browser, BrowserContext } from 'playwright-core';
import { chromium } from 'playwright-core';
import { CHROMIUM_TOOL, findTool } from '../../scripts/tools';
import { type Fetcher, SITE } from './harness';

/**
 * Chromium's executable: CHROMIUM_PATH, else Debian's /usr/bin/chromium or another usual place
 * (scripts/tools.ts). Only looks: the preflight of `npm test` installs a missing one; here it is a
 * one-line DrawbridgeError saying what to install.
 */
export function chromiumPath(): string {
  return findTool(CHROMIUM_TOOL, undefined, { install: false });
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * Request headers the browser sets that a fetch() may not (or must not) pass on. Origin too:
 * miniflare's local dev server refuses a request whose Origin is not a local host (403 "Invalid
 * Origin header"), and the gate never reads it.
 */
const HOP_HEADERS = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive', 'upgrade', 'expect', 'origin']);

/**
 * Serves `SITE` in `context` from the Worker `worker()` returns at the time of each request.
 * Anything else the page asks for is aborted (and so shows up as a failed request).
 */
export async function serveSite(context: BrowserContext, worker: () => Fetcher): Promise<void> {
  await context.route('**/*', async (route) => {
    const request = route.request();
    if (!request.url().startsWith(`${SITE}/`)) {
      await route.abort('blockedbyclient');
      return;
    }
    const headers = Object.fromEntries(Object.entries(await request.allHeaders()).filter(([name]) => !HOP_HEADERS.has(name.toLowerCase()) && !name.startsWith(':')));
    const body = request.postDataBuffer();
    const res = await worker().fetch(request.url(), { method: request.method(), headers, ...(body ? { body: new Uint8Array(body) } : {}), redirect: 'manual' });
    await route.fulfill({ status: res.status, headers: Object.fromEntries([...(res.headers as unknown as Iterable<[string, string]>)]), body: Buffer.from(await res.arrayBuffer()) });
  });
}

/**
 * A host page as a shop might have it, with the kind of global CSS that breaks injected markup
 * (resets, element selectors, !important-free but broad), a form that writes, and its own CSP:
 * inline code allowed with a nonce only, as strict sites do (the gate must reuse that nonce).
 */
export const HOST_NONCE = 'c2hvcC1ub25jZS0xMjM0NQ==';

export const HOST_PAGE_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Example Shop</title>
<style nonce="${HOST_NONCE}">
*{margin:0;padding:0}
body{font:18px/1.6 Georgia,serif;color:#222;background:#fffaf2}
div{padding:24px}
p{margin:0 0 1em;text-transform:uppercase;letter-spacing:.2em}
a{color:#c2185b;font-weight:900}
strong{color:#c2185b}
span{border-bottom:2px dotted #c2185b}
button{background:#c2185b;color:#fff;font-size:20px;padding:12px 28px;border-radius:30px;border:0}
header.site{display:flex;justify-content:space-between;align-items:center;padding:16px 24px;background:#3e2723;color:#fff}
header.site a{color:#fff}
main.shop{max-width:960px;margin:0 auto}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(200px,1fr));gap:16px;padding:0}
.item{background:#fff;border:1px solid #eadfcf;border-radius:12px}
</style></head>
<body>
<header class="site"><b>Example Shop</b><nav><a href="/html">Shop</a> &middot; <a href="/cart">Cart</a></nav></header>
<main class="shop">
<div><h1>Welcome to the shop</h1><p>Winter sale: everything must go</p></div>
<div class="grid">
<div class="item"><h2>Blue mug</h2><p>&pound;12</p><form method="post" action="/cart"><input type="hidden" name="item" value="mug"><button type="submit">Add to cart</button></form></div>
<div class="item"><h2>Red scarf</h2><p>&pound;25</p></div>
<div class="item"><h2>Green hat</h2><p>&pound;18</p></div>
</div>
</main>
</body></html>`;

/** The CSP the sample host sends with HOST_PAGE_HTML. */
export const HOST_PAGE_CSP = `default-src 'self'; script-src 'nonce-${HOST_NONCE}' 'strict-dynamic'; style-src 'self' 'nonce-${HOST_NONCE}'; object-src 'none'; base-uri 'none'`;
