/**
 * Staff answers and read-only paths in workerd (dist/edge/gate.js): `Vary: Cookie` on answers that
 * depend on the bypass cookie, every bypass cookie read (up to a bound), a non-ASCII `next`
 * percent-encoded in Location, and health paths and robots.txt passing only GET and HEAD.
 */
import { randomBytes } from 'node:crypto';
import { makeCookieValue, MAX_BYPASS_COOKIES, sign } from '../../edge/bypass';
import { ACCEPT, Edge, explicitBindings, type Fetcher, newSecret, type Origin, SITE, startOrigin } from './harness';

const SECRET = newSecret();
const HOST = 'www.example-shop.com';
const COOKIE = 'drawbridge_bypass';
const BYPASS = '/__drawbridge/bypass';
const BASE = explicitBindings({ HEALTH_PATHS: '/healthz,/api/healthz', BYPASS_COOKIE: COOKIE, BYPASS_PATH: BYPASS, BYPASS_SECRET: SECRET });
const WORKERS = { maintenance: BASE, 'read-only': { ...BASE, MAINTENANCE: '0', READ_ONLY: '1' } };

/** What reached the origin: method and path. */
const hits: string[] = [];
let origin: Awaited<ReturnType<typeof startOrigin>> | undefined;
let edge: Edge;
const gates: Record<string, Fetcher> = {};

beforeAll(async () => {
  origin = await startOrigin((req, res) => {
    req.resume();
    req.on('end', () => {
      hits.push(`${req.method} ${req.url}`);
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'public, max-age=300', Vary: 'Accept-Encoding', 'X-Origin': 'yes' });
      res.end('origin');
    });
  });
  edge = new Edge({ port: origin.port } as Origin, WORKERS);
  for (const name of Object.keys(WORKERS)) gates[name] = await edge.worker(name);
});

afterAll(async () => {
  await edge?.dispose();
  await origin?.close();
});

const gate = (name: keyof typeof WORKERS): Fetcher => gates[name]!;
const unique = (): string => `/p-${randomBytes(6).toString('hex')}`;
const nowSeconds = (): number => Math.floor(Date.now() / 1000);
const goodCookie = (): Promise<string> => makeCookieValue(SECRET, HOST, nowSeconds(), 3600);
/** Well-formed but signed with another key: looks like a bypass cookie, opens nothing. */
const staleCookie = async (): Promise<string> => makeCookieValue(newSecret(), HOST, nowSeconds(), 3600);

describe('GIVEN maintenance mode WHEN an answer depends on the bypass cookie', () => {
  test('WHEN staff with a cookie get the origin\'s answer THEN Vary keeps the origin\'s value and adds Cookie', async () => {
    const res = await gate('maintenance').fetch(`${SITE}${unique()}`, { headers: { Cookie: `${COOKIE}=${await goodCookie()}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('X-Drawbridge-Bypass')).toBe('cookie');
    expect(res.headers.get('Vary')).toBe('Accept-Encoding, Cookie');
    expect(res.headers.get('Cache-Control')).toBe('public, max-age=300');
  });

  test('WHEN staff come from an allow-listed IP THEN the answer also varies on Cookie', async () => {
    const res = await gate('maintenance').fetch(`${SITE}${unique()}`, { headers: { 'CF-Connecting-IP': '203.0.113.10' } });
    expect(res.headers.get('X-Drawbridge-Bypass')).toBe('ip');
    expect(res.headers.get('Vary')).toBe('Accept-Encoding, Cookie');
  });

  test('WHEN the public is refused THEN the 503 varies on Cookie too', async () => {
    const res = await gate('maintenance').fetch(`${SITE}${unique()}`, { headers: { Accept: ACCEPT.browser } });
    expect(res.status).toBe(503);
    expect(res.headers.get('Vary')).toBe('Accept, Sec-Fetch-Dest, Cookie');
  });
});

describe('GIVEN maintenance mode WHEN a request carries several bypass cookies', () => {
  test('WHEN the valid one comes after five stale ones THEN it still opens the site', async () => {
    const stale = await Promise.all([1, 2, 3, 4, 5].map(() => staleCookie()));
    const cookies = [...stale, await goodCookie()].map((v) => `${COOKIE}=${v}`).join('; ');
    const path = unique();
    const res = await gate('maintenance').fetch(`${SITE}${path}`, { headers: { Cookie: `a=1; ${cookies}` } });
    expect(res.status).toBe(200);
    expect(hits).toContain(`GET ${path}`);
  });

  test('WHEN junk values come first THEN they do not use up the cap', async () => {
    const junk = Array.from({ length: 40 }, (_, i) => `${COOKIE}=junk${i}`).join('; ');
    const res = await gate('maintenance').fetch(`${SITE}${unique()}`, { headers: { Cookie: `${junk}; ${COOKIE}=${await goodCookie()}` } });
    expect(res.status).toBe(200);
  });

  test('WHEN two Cookie headers arrive (joined by the runtime) THEN a valid cookie in the second counts', async () => {
    const headers = new Headers();
    headers.append('Cookie', `${COOKIE}=${await staleCookie()}`);
    headers.append('Cookie', `other=x; ${COOKIE}=${await goodCookie()}`);
    const res = await gate('maintenance').fetch(`${SITE}${unique()}`, { headers });
    expect(res.status).toBe(200);
  });

  test(`WHEN more than ${MAX_BYPASS_COOKIES} well-formed stale cookies come first THEN the work is bounded and the request is refused`, async () => {
    const stale = await Promise.all(Array.from({ length: MAX_BYPASS_COOKIES }, () => staleCookie()));
    const cookies = [...stale, await goodCookie()].map((v) => `${COOKIE}=${v}`).join('; ');
    const res = await gate('maintenance').fetch(`${SITE}${unique()}`, { headers: { Cookie: cookies } });
    expect(res.status).toBe(503);
  });
});

describe('GIVEN the bypass endpoint WHEN next is not ASCII', () => {
  async function link(next: string): Promise<string> {
    const exp = nowSeconds() + 600;
    const sig = await sign(SECRET, 'link', HOST, exp);
    return `${SITE}${BYPASS}?exp=${exp}&sig=${sig}&next=${encodeURIComponent(next)}`;
  }

  test.each([
    ['/caf\u00e9?q=\u00fcber#fr\u00fch', '/caf%C3%A9?q=%C3%BCber#fr%C3%BCh'],
    ['/\u65e5\u672c/a b', '/%E6%97%A5%E6%9C%AC/a%20b'],
    ['/already%20encoded', '/already%20encoded'],
  ])('WHEN next is %s THEN Location is %s, a same-site path in ASCII', async (next, location) => {
    const res = await gate('maintenance').fetch(await link(next), { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('Location')).toBe(location);
    expect(new URL(res.headers.get('Location') ?? '', SITE).origin).toBe(SITE);
  });

  test('WHEN next is typed into the form THEN Location is percent-encoded too', async () => {
    const res = await gate('maintenance').fetch(`${SITE}${BYPASS}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: SECRET, next: '/\u00e9t\u00e9' }).toString(),
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('Location')).toBe('/%C3%A9t%C3%A9');
  });
});

describe.each(['maintenance', 'read-only'] as const)('GIVEN %s mode WHEN health paths and robots.txt are written to', (mode) => {
  test.each([
    ['POST', '/healthz'],
    ['PUT', '/api/healthz'],
    ['DELETE', '/robots.txt'],
    ['PATCH', '/robots.txt'],
  ])('WHEN a %s %s arrives THEN it does not reach the origin and gets the refusal', async (method, path) => {
    const before = hits.filter((h) => h === `${method} ${path}`).length;
    const res = await gate(mode).fetch(`${SITE}${path}`, { method, body: 'x', headers: { Accept: ACCEPT.json } });
    expect(res.status).toBe(503);
    expect(res.headers.get('X-Drawbridge-Mode')).toBe(mode);
    expect(hits.filter((h) => h === `${method} ${path}`).length).toBe(before);
  });

  test.each([
    ['GET', '/healthz'],
    ['HEAD', '/api/healthz'],
    ['GET', '/robots.txt'],
  ])('WHEN a %s %s arrives THEN it reaches the origin', async (method, path) => {
    const before = hits.filter((h) => h === `${method} ${path}`).length;
    const res = await gate(mode).fetch(`${SITE}${path}`, { method });
    expect(res.status).toBe(200);
    expect(hits.filter((h) => h === `${method} ${path}`).length).toBe(before + 1);
  });
});
