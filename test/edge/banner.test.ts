/**
 * The announcement banner fails open (dist/edge/gate.js in workerd): a page HTMLRewriter cannot
 * rewrite is served exactly as the origin sent it, with one log line; the banner goes only into
 * 200 text/html answers, once, and the rewritten page drops the origin's ETag and Content-Length.
 */
import { Edge, explicitBindings, type Fetcher, type Origin, SITE, startOrigin, windowAt } from './harness';

/** Explicit bindings (no estate file): normal mode, a window announced an hour ago, starting in an hour. */
const ANNOUNCED = explicitBindings({ MAINTENANCE: '0', ...windowAt(-1, 1, 3), TIME_ZONES: 'Europe/London', BYPASS_ALLOW_IPS: '' });

const PAGE = '<!doctype html><html><head><title>Shop</title></head><body><p>Welcome</p></body></html>';
const BIG_ATTRIBUTE = `<!doctype html><html><head></head><body data-x="${'a'.repeat(6 * 1024 * 1024 + 17)}"><p>end</p></body></html>`;
const TWO_BODIES = '<!doctype html><html><body><p>one</p></body><body><p>two</p></body></html>';
const MARK = 'id="drawbridge-announcement"';

/** path -> [status, headers, body] the origin answers with. */
const ANSWERS: Record<string, [number, Record<string, string>, string | Buffer]> = {
  '/utf16': [200, { 'Content-Type': 'text/html; charset=utf-16' }, Buffer.from(`\ufeff${PAGE}`, 'utf16le')],
  '/utf16le': [200, { 'Content-Type': 'text/html; charset="UTF-16LE"' }, Buffer.from(PAGE, 'utf16le')],
  '/utf7': [200, { 'Content-Type': 'text/html; charset=utf-7' }, PAGE],
  '/unknown': [200, { 'Content-Type': 'text/html; charset=x-unknown' }, PAGE],
  '/binary': [200, { 'Content-Type': 'text/html; charset=binary' }, PAGE],
  '/big-attribute': [200, { 'Content-Type': 'text/html; charset=utf-8' }, BIG_ATTRIBUTE],
  '/two-bodies': [200, { 'Content-Type': 'text/html' }, TWO_BODIES],
  '/etag': [200, { 'Content-Type': 'text/html; charset=utf-8', ETag: '"v1-abc"', 'Cache-Control': 'max-age=60' }, PAGE],
  '/404': [404, { 'Content-Type': 'text/html; charset=utf-8' }, PAGE],
  '/500': [500, { 'Content-Type': 'text/html; charset=utf-8' }, PAGE],
  '/302': [302, { 'Content-Type': 'text/html; charset=utf-8', Location: '/elsewhere' }, PAGE],
  '/latin1': [200, { 'Content-Type': 'text/html; charset=ISO-8859-1' }, PAGE],
  '/csp-nonce': [200, { 'Content-Type': 'text/html', 'Content-Security-Policy': "default-src 'self'; script-src 'nonce-aGVsbG8=' 'strict-dynamic'; style-src 'self' 'nonce-aGVsbG8='" }, PAGE],
  '/csp-strict': [200, { 'Content-Type': 'text/html', 'Content-Security-Policy': "default-src 'self'" }, PAGE],
  '/csp-report-only': [200, { 'Content-Type': 'text/html', 'Content-Security-Policy-Report-Only': "script-src 'self'" }, PAGE],
  '/csp-meta': [200, { 'Content-Type': 'text/html' }, PAGE.replace('<title>', `<meta http-equiv="Content-Security-Policy" content="script-src 'nonce-bWV0YQ'; style-src 'unsafe-inline'"><title>`)],
  '/csp-inline': [200, { 'Content-Type': 'text/html', 'Content-Security-Policy': "default-src 'self' 'unsafe-inline'" }, PAGE],
};

let origin: Awaited<ReturnType<typeof startOrigin>> | undefined;
let edge: Edge;
let announced: Fetcher;

beforeAll(async () => {
  origin = await startOrigin((req, res) => {
    const answer = ANSWERS[(req.url ?? '').split('?')[0] ?? ''];
    if (!answer) {
      res.writeHead(404).end();
      return;
    }
    const [status, headers, body] = answer;
    res.writeHead(status, { ...headers, 'Content-Length': String(Buffer.byteLength(body)) });
    res.end(body);
  });
  edge = new Edge({ port: origin.port } as Origin, { announced: ANNOUNCED });
  announced = await edge.worker('announced');
});

afterAll(async () => {
  await edge?.dispose();
  await origin?.close();
});

async function bytesOf(res: Response): Promise<Buffer> {
  return Buffer.from(await res.arrayBuffer());
}

describe('GIVEN a window that is announced WHEN the banner cannot be put into a page', () => {
  test.each(['/utf16', '/utf16le', '/utf7', '/unknown', '/binary'])('WHEN %s declares a charset HTMLRewriter cannot read THEN the page is served untouched (not 500) and logged once', async (path) => {
    const [, headers, body] = ANSWERS[path]!;
    for (let i = 0; i < 2; i++) {
      const res = await announced.fetch(`${SITE}${path}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('Content-Type')).toBe(headers['Content-Type']);
      expect((await bytesOf(res)).equals(Buffer.from(body))).toBe(true);
    }
    const charset = /charset="?([^";]+)/.exec(headers['Content-Type'] ?? '')?.[1]?.toLowerCase() ?? '';
    const marker = `charset \\"${charset}\\"`;
    await edge.waitForLog(marker);
    expect(edge.logs().split(marker).length - 1).toBe(1);
    expect(edge.logs()).toContain('announcement banner skipped');
  });

  test('WHEN <body> carries a 6 MiB attribute THEN the whole page arrives, byte for byte', async () => {
    const res = await announced.fetch(`${SITE}/big-attribute`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text.length).toBe(BIG_ATTRIBUTE.length);
    expect(text === BIG_ATTRIBUTE).toBe(true);
  });
});

describe('GIVEN a window that is announced WHEN the banner goes into a page', () => {
  test('WHEN the page has two <body> tags THEN the banner appears once, in the first', async () => {
    const text = await (await announced.fetch(`${SITE}/two-bodies`)).text();
    expect(text.split(MARK).length - 1).toBe(1);
    expect(text.indexOf(MARK)).toBeLessThan(text.indexOf('<p>one</p>'));
  });

  test('WHEN the origin sends an ETag and Content-Length THEN the rewritten page carries neither (its bytes are not the origin\'s)', async () => {
    const res = await announced.fetch(`${SITE}/etag`);
    const text = await res.text();
    expect(text).toContain(MARK);
    expect(res.headers.get('ETag')).toBeNull();
    const length = res.headers.get('Content-Length');
    // Either chunked, or the length of what is actually sent: never the origin's.
    if (length !== null) expect(Number(length)).toBe(Buffer.byteLength(text));
    expect(Number(length ?? '0')).not.toBe(Buffer.byteLength(PAGE));
    expect(res.headers.get('Cache-Control')).toBe('max-age=60');
  });

  test('WHEN the page is in an ASCII-compatible charset such as ISO-8859-1 THEN it gets the banner', async () => {
    expect(await (await announced.fetch(`${SITE}/latin1`)).text()).toContain(MARK);
  });

  test.each(['/404', '/500', '/302'])('WHEN the origin answers %s with HTML THEN there is no banner', async (path) => {
    const res = await announced.fetch(`${SITE}${path}`, { redirect: 'manual' });
    expect(res.status).toBe(Number(path.slice(1)));
    expect(await res.text()).toBe(PAGE);
  });
});

describe('GIVEN a window that is announced WHEN the host page has a Content-Security-Policy', () => {
  test('WHEN the policy names a nonce THEN the banner\'s <style> and <script> carry it and the origin\'s CSP is passed on unchanged', async () => {
    const res = await announced.fetch(`${SITE}/csp-nonce`);
    const text = await res.text();
    expect(res.headers.get('Content-Security-Policy')).toBe(ANSWERS['/csp-nonce']?.[1]['Content-Security-Policy']);
    expect(text).toContain('<style nonce="aGVsbG8=">');
    expect(text).toContain('<script nonce="aGVsbG8=">');
    expect(text).toContain('class="dba-x"');
  });

  test('WHEN the nonce is in a <meta http-equiv> in <head> THEN the script carries it and the style goes in as is', async () => {
    const text = await (await announced.fetch(`${SITE}/csp-meta`)).text();
    expect(text).toContain('<script nonce="bWV0YQ">');
    expect(text).toContain('<style>');
  });

  test.each(['/csp-strict', '/csp-report-only'])('WHEN %s allows no inline script THEN the banner has no script and no dismiss button, and the page is otherwise untouched', async (path) => {
    const res = await announced.fetch(`${SITE}${path}`);
    const text = await res.text();
    expect(text).toContain(MARK);
    expect(text).not.toContain('<script');
    expect(text).not.toContain('class="dba-x"');
    if (path === '/csp-strict') expect(text).not.toContain('<style');
    const banner = /<div id="drawbridge-announcement".*?<\/div>/s.exec(text)?.[0] ?? '';
    expect(text.replace(banner, '')).toBe(PAGE);
  });

  test('WHEN the policy allows inline code THEN the banner goes in whole, without a nonce', async () => {
    const text = await (await announced.fetch(`${SITE}/csp-inline`)).text();
    expect(text).toContain('<style>');
    expect(text).toContain('<script>');
  });
});
