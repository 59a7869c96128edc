/**
 * ALLOW_PATHS and API_PATHS in real workerd (dist/edge/gate.js), origin on 127.0.0.1: in
 * maintenance and read-only mode each declared method and path reaches the origin untouched and
 * nothing else does (near-misses on the prefix boundary, the method, encoded dots, case, trailing
 * slash, doubled slash); API paths are refused with JSON whatever Accept says. Raw request lines
 * (dots and escapes as an attacker types them, not as a client library cleans them) go through
 * workerd's own HTTP listener.
 */
import { createHash, randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { parseGateConfig } from '../../edge/config';
import { ACCEPT, Edge, explicitBindings, type Fetcher, HOUR, Origin, SITE, windowAt } from './harness';

const ALLOW_PATHS = 'POST /webhooks/stripe,GET HEAD /assets/*';
const API_PATHS = '/api/*,/graphql';
const now = Date.now();
const MAINTENANCE = explicitBindings({ ALLOW_PATHS, API_PATHS }, now);
const READ_ONLY = { ...MAINTENANCE, MAINTENANCE: '0', READ_ONLY: '1' };

const WORKERS = {
  // First: workerd's HTTP listener sends raw requests to it.
  maintenance: MAINTENANCE,
  'read-only': READ_ONLY,
  // Read-only during the announcement (banner on GET pages), the origin's /html page let through or not.
  'read-only-announced-allowed': { ...READ_ONLY, ...windowAt(-1, 1, 3, now), ALLOW_PATHS: `${ALLOW_PATHS},GET /html` },
  'read-only-announced': { ...READ_ONLY, ...windowAt(-1, 1, 3, now) },
  normal: { ...MAINTENANCE, MAINTENANCE: '0' },
  'no-paths': { ...MAINTENANCE, ALLOW_PATHS: '', API_PATHS: '' },
  'bad-paths': { ...MAINTENANCE, ALLOW_PATHS: '/,/*,webhooks/paypal,POST /webhooks/ok', API_PATHS: 'POST /graphql,/v2/*' },
};

const origin = new Origin();
let edge: Edge;
let listener: URL;
const gates: Record<string, Fetcher> = {};

beforeAll(async () => {
  await origin.start();
  edge = new Edge(origin, WORKERS);
  for (const name of Object.keys(WORKERS)) gates[name] = await edge.worker(name);
  listener = await edge.mf.ready;
});

afterAll(async () => {
  await edge?.dispose();
  await origin.stop();
});

const gate = (name: keyof typeof WORKERS): Fetcher => gates[name]!;
const tag = (): string => randomBytes(4).toString('hex');
/** Requests the origin saw whose path (query aside) is `path`, made after `since`. */
const hitsSince = (since: number, path: string) => origin.requests.slice(since).filter((r) => r.url.split('?')[0] === path);

function expectUntouched(res: Response): void {
  expect(res.status).toBe(200);
  expect(res.headers.get('X-Origin')).toBe('yes');
  expect(res.headers.get('X-Drawbridge-Mode')).toBeNull();
  expect(res.headers.get('X-Drawbridge-Bypass')).toBeNull();
  expect(res.headers.get('Vary')).toBeNull();
}

describe.each(['maintenance', 'read-only'] as const)('GIVEN the gate in %s mode with ALLOW_PATHS %j', (mode) => {
  test('WHEN Stripe POSTs its webhook THEN the origin receives method, path, query, headers and body untouched', async () => {
    const body = JSON.stringify({ id: `evt_${tag()}`, type: 'payment_intent.succeeded' });
    const query = `?attempt=${tag()}`;
    const res = await gate(mode).fetch(`${SITE}/webhooks/stripe${query}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Stripe-Signature': 't=1,v1=abc', Accept: ACCEPT.any },
      body,
    });
    expectUntouched(res);
    const hit = origin.hits(`/webhooks/stripe${query}`);
    expect(hit).toHaveLength(1);
    expect(hit[0]?.method).toBe('POST');
    expect(hit[0]?.headers['stripe-signature']).toBe('t=1,v1=abc');
    expect(hit[0]?.bodySha256).toBe(createHash('sha256').update(body).digest('hex'));
  });

  test.each([
    ['GET', '/assets/app.css'],
    ['HEAD', '/assets/img/logo.png'],
    ['GET', '/assets'],
    ['GET', '/assets/'],
    ['GET', '/assets/a%20b.css'],
  ])('WHEN %s %s (under GET HEAD /assets/*) arrives THEN it reaches the origin untouched', async (method, path) => {
    const since = origin.requests.length;
    const res = await gate(mode).fetch(`${SITE}${path}`, { method, headers: { Accept: ACCEPT.browser } });
    expectUntouched(res);
    expect(hitsSince(since, path).map((r) => r.method)).toEqual([method]);
  });

  // Reads pass in read-only mode anyway; each of these is a write, or maintenance refuses everything.
  test.each([
    ['PUT', '/webhooks/stripe', 'another method'],
    ['POST', '/webhooks/stripe/', 'a trailing slash'],
    ['POST', '/Webhooks/Stripe', 'other case'],
    ['POST', '/webhooks//stripe', 'a doubled slash'],
    ['POST', '/webhooks/%73tripe', 'an escaped letter'],
    ['POST', '/webhooks/stripe/refunds', 'a path below an exact entry'],
    ['POST', '/webhooks/stripe-test', 'a look-alike of an exact entry'],
    ['POST', '/assets/upload', 'a write under a read-only prefix'],
    ['DELETE', '/assets/app.css', 'a write under a read-only prefix'],
    ['POST', '/assetsx/app.css', 'past the prefix boundary'],
    ['POST', '/', 'the home page'],
  ])('WHEN %s %s arrives (%s) THEN it gets the 503 and never reaches the origin', async (method, path) => {
    const since = origin.requests.length;
    const res = await gate(mode).fetch(`${SITE}${path}`, { method, headers: { Accept: ACCEPT.browser } });
    expect(res.status).toBe(503);
    expect(res.headers.get('X-Drawbridge-Mode')).toBe(mode);
    expect(origin.requests.length).toBe(since);
  });
});

describe('GIVEN the gate in maintenance mode', () => {
  test.each([
    ['GET', '/webhooks/stripe', 'a method the entry does not name'],
    ['GET', '/assetsx/app.css', 'past the prefix boundary'],
    ['GET', '/assets.zip', 'a look-alike file'],
    ['GET', '/Assets/app.css', 'other case'],
    ['GET', '/assets//app.css', 'a doubled slash'],
    ['GET', '/assets/..%2fadmin', 'an encoded slash before ..'],
    ['GET', '/assets/..%5cadmin', 'an encoded backslash before ..'],
    ['GET', '/assets/%252e%252e/admin', 'double-encoded dots'],
    ['GET', '/assets/a%00.css', 'an encoded NUL'],
    ['GET', '/?next=/assets/app.css', 'the path in the query string'],
  ])('WHEN %s %s arrives (%s) THEN it gets the page and never reaches the origin', async (method, path) => {
    const since = origin.requests.length;
    const res = await gate('maintenance').fetch(`${SITE}${path}`, { method, headers: { Accept: ACCEPT.browser } });
    expect(res.status).toBe(503);
    expect(res.headers.get('Content-Type')).toMatch(/^text\/html/);
    expect(origin.requests.length).toBe(since);
  });

  test('WHEN the same paths arrive with ALLOW_PATHS empty THEN the webhook and the assets get the page too', async () => {
    const since = origin.requests.length;
    for (const [method, path] of [['POST', '/webhooks/stripe'], ['GET', '/assets/app.css']] as const) {
      expect((await gate('no-paths').fetch(`${SITE}${path}`, { method, headers: { Accept: ACCEPT.any } })).status).toBe(503);
    }
    expect(origin.requests.length).toBe(since);
  });
});

describe('GIVEN the gate in read-only mode', () => {
  test('WHEN a read of any path arrives THEN it passes as before; a write outside ALLOW_PATHS is refused', async () => {
    const path = `/orders-${tag()}`;
    expect((await gate('read-only').fetch(`${SITE}${path}`)).status).toBe(200);
    const write = await gate('read-only').fetch(`${SITE}${path}`, { method: 'POST', body: 'x' });
    expect(write.status).toBe(503);
    expect(origin.hits(path).map((r) => r.method)).toEqual(['GET']);
  });

  test('WHEN a GET page ALLOW_PATHS names arrives during the announcement THEN it has no banner; the same page not named gets one', async () => {
    const allowed = await (await gate('read-only-announced-allowed').fetch(`${SITE}/html`, { headers: { Accept: ACCEPT.browser } })).text();
    const other = await (await gate('read-only-announced').fetch(`${SITE}/html`, { headers: { Accept: ACCEPT.browser } })).text();
    expect(allowed).toBe(await (await fetch(`http://127.0.0.1:${origin.port}/html`)).text());
    expect(other).not.toBe(allowed);
    expect(other).toContain('id="origin"');
  });
});

describe('GIVEN API_PATHS /api/* and /graphql', () => {
  const end = now + 2 * HOUR;
  test.each([
    ['maintenance', 'GET', '/api/orders', ACCEPT.any],
    ['maintenance', 'GET', '/api/v1/cart.json', ACCEPT.any],
    ['maintenance', 'GET', '/api/orders', 'text/html'],
    ['maintenance', 'GET', '/api/orders', ACCEPT.browser],
    ['maintenance', 'GET', '/api', ''],
    ['maintenance', 'POST', '/graphql', ACCEPT.any],
    ['maintenance', 'POST', '/graphql', 'text/html'],
    ['read-only', 'POST', '/api/orders', ACCEPT.any],
    ['read-only', 'POST', '/graphql', 'text/html'],
  ] as const)('WHEN the gate is in %s and %s %s arrives with Accept %j THEN it gets the JSON 503 with Retry-After', async (mode, method, path, accept) => {
    const res = await gate(mode).fetch(`${SITE}${path}`, { method, headers: accept ? { Accept: accept } : {}, ...(method === 'POST' ? { body: '{"query":"{ orders }"}' } : {}) });
    expect(res.status).toBe(503);
    expect(res.headers.get('Content-Type')).toBe('application/json; charset=utf-8');
    const retry = Number(res.headers.get('Retry-After'));
    expect(Math.abs(retry - (end - Date.now()) / 1000)).toBeLessThan(60);
    expect(res.headers.get('Vary')).not.toMatch(/Accept/);
    expect(await res.json()).toMatchObject({ status: mode, retryAfterSeconds: retry });
  });

  test.each([
    ['/apiary', 'past the prefix boundary'],
    ['/graphql/', 'a trailing slash on an exact entry'],
    ['/api.json', 'a look-alike file'],
    ['/shop', 'another path'],
  ])('WHEN a browser asks for %s (%s) THEN it gets the HTML page', async (path) => {
    const res = await gate('maintenance').fetch(`${SITE}${path}`, { headers: { Accept: 'text/html' } });
    expect(res.status).toBe(503);
    expect(res.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('Vary')).toMatch(/Accept/);
  });

  test('WHEN the same API path arrives with API_PATHS empty THEN Accept decides, as before', async () => {
    const res = await gate('no-paths').fetch(`${SITE}/api/orders`, { headers: { Accept: ACCEPT.any } });
    expect(res.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
  });

  test('WHEN the gate is open THEN API paths reach the origin', async () => {
    const path = `/api/orders-${tag()}`;
    expect((await gate('normal').fetch(`${SITE}${path}`, { headers: { Accept: ACCEPT.any } })).status).toBe(200);
    expect(origin.hits(path)).toHaveLength(1);
  });
});

describe('GIVEN bad ALLOW_PATHS and API_PATHS entries', () => {
  test('WHEN the gate starts THEN each is logged once and ignored: the home page stays behind the page, the good entry works', async () => {
    const since = origin.requests.length;
    expect((await gate('bad-paths').fetch(`${SITE}/`, { headers: { Accept: ACCEPT.browser } })).status).toBe(503);
    expect((await gate('bad-paths').fetch(`${SITE}/anything`, { method: 'POST', body: 'x' })).status).toBe(503);
    expect((await gate('bad-paths').fetch(`${SITE}/webhooks/paypal`, { method: 'GET' })).status).toBe(503);
    expect(origin.requests.length).toBe(since);
    expectUntouched(await gate('bad-paths').fetch(`${SITE}/webhooks/ok`, { method: 'POST', body: '{}' }));
    // The good API entry still answers JSON to a browser.
    expect((await gate('bad-paths').fetch(`${SITE}/v2/x`, { headers: { Accept: 'text/html' } })).headers.get('Content-Type')).toMatch(/^application\/json/);
    for (const marker of [
      'ALLOW_PATHS entry \\"/\\" would let the home page through while the page is up',
      'ALLOW_PATHS entry \\"/*\\" would let the home page and the whole site through while the page is up',
      "ALLOW_PATHS entry \\\"webhooks/paypal\\\" does not start with '/'",
      'API_PATHS entry \\"POST /graphql\\" names a method (POST)',
    ]) {
      await edge.waitForLog(marker);
      expect(edge.logs().split(marker).length - 1).toBe(1);
    }
  });

  test('WHEN the bindings are parsed THEN each problem names the binding, the entry, what is allowed and the fallback', () => {
    const { problems, allowPaths, apiPaths } = parseGateConfig(WORKERS['bad-paths']);
    expect(allowPaths.map((r) => r.text)).toEqual(['POST /webhooks/ok']);
    expect(apiPaths.map((r) => r.text)).toEqual(['/v2/*']);
    expect(problems).toEqual([
      'ALLOW_PATHS entry "/" would let the home page through while the page is up; allowed: a path such as /webhooks/stripe or a prefix such as /assets/*, optionally after methods (POST /webhooks/stripe); it is ignored (the page answers there)',
      'ALLOW_PATHS entry "/*" would let the home page and the whole site through while the page is up; allowed: a path such as /webhooks/stripe or a prefix such as /assets/*, optionally after methods (POST /webhooks/stripe); it is ignored (the page answers there)',
      "ALLOW_PATHS entry \"webhooks/paypal\" does not start with '/'; allowed: a path such as /webhooks/stripe or a prefix such as /assets/*, optionally after methods (POST /webhooks/stripe); it is ignored (the page answers there)",
      'API_PATHS entry "POST /graphql" names a method (POST); an API path takes none: every request to it gets JSON; allowed: a path such as /graphql or a prefix such as /api/*; it is ignored (Accept decides there)',
    ]);
  });
});

/** Sends `requestLine` as typed to workerd's own listener (the first Worker); the status and what reached the origin. */
async function raw(method: string, target: string): Promise<{ status: number; reached: string[] }> {
  const since = origin.requests.length;
  const text = await new Promise<string>((ok, fail) => {
    const socket = connect(Number(listener.port), listener.hostname);
    const chunks: Buffer[] = [];
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('end', () => ok(Buffer.concat(chunks).toString('latin1')));
    socket.on('error', fail);
    const body = method === 'POST' ? '{}' : '';
    socket.write(`${method} ${target} HTTP/1.1\r\nHost: www.example-shop.com\r\nAccept: */*\r\nConnection: close\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
  });
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1]);
  return { status, reached: origin.requests.slice(since).map((r) => `${r.method} ${r.url}`) };
}

describe('GIVEN raw request lines to workerd (maintenance, as an attacker types them)', () => {
  test.each([
    ['POST', '/webhooks/stripe/../../admin'],
    ['POST', '/webhooks/stripe/%2e%2e/%2e%2e/admin'],
    ['POST', '/webhooks/stripe/%2E%2E/%2e./admin'],
    ['GET', '/assets/../admin'],
    ['GET', '/assets/%2e%2e/admin'],
    ['GET', '/assets/..%2fadmin'],
    ['GET', '/assets/..%2Fadmin'],
    ['GET', '/assets/..\\admin'],
    ['GET', '/assets/%2e%2e%5cadmin'],
    ['GET', '/%2e%2e/assets/../admin'],
    ['GET', '/assets/%252e%252e/admin'],
  ])('WHEN %s %s arrives THEN it gets the 503 and the origin sees nothing', async (method, target) => {
    const r = await raw(method, target);
    expect(r).toEqual({ status: 503, reached: [] });
  });

  test.each([
    ['POST', '/webhooks/stripe', 'POST /webhooks/stripe'],
    ['POST', '/webhooks/x/../stripe', 'POST /webhooks/stripe'],
    ['GET', '/assets/./css/../app.css', 'GET /assets/app.css'],
    ['GET', '/assets/%2e/app.css', 'GET /assets/app.css'],
  ])('WHEN %s %s arrives THEN the gate matches the normalised path and the origin gets exactly that', async (method, target, reached) => {
    expect(await raw(method, target)).toEqual({ status: 200, reached: [reached] });
  });
});
