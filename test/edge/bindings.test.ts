/**
 * Bad bindings in workerd (dist/edge/gate.js): each is refused with one clear log line and a safe
 * fallback that never takes the site down: an impossible date drops the window, a health path
 * without '/' still passes, a bypass path that shadows a health path or robots.txt is switched off,
 * an allow-list entry that lets everyone through is ignored, a predictable key opens nothing.
 * MAINTENANCE=true|yes|on is accepted as '1' (documented in README), with a log line.
 */
import { makeCookieValue } from '../../edge/bypass';
import { ACCEPT, Edge, explicitBindings, type Fetcher, newSecret, type Origin, SITE, startOrigin } from './harness';

const SECRET = newSecret();
const HOST = 'www.example-shop.com';
const BASE = explicitBindings({ BYPASS_SECRET: SECRET });

const WORKERS = {
  'impossible-end': { ...BASE, WINDOW_END: '2027-02-30T10:00:00Z' },
  'impossible-hour': { ...BASE, WINDOW_END: '2027-03-01T24:00:00Z' },
  'health-no-slash': { ...BASE, HEALTH_PATHS: 'healthz-a,/ok' },
  'bypass-is-health': { ...BASE, HEALTH_PATHS: '/healthz,/__drawbridge/bypass' },
  'bypass-is-robots': { ...BASE, BYPASS_PATH: '/robots.txt' },
  'allow-everyone-v4': { ...BASE, BYPASS_ALLOW_IPS: '0.0.0.0/0,203.0.113.10' },
  'allow-everyone-v6': { ...BASE, BYPASS_ALLOW_IPS: '::/0' },
  'allow-v4-mapped': { ...BASE, BYPASS_ALLOW_IPS: '::ffff:0:0/96' },
  'weak-secret': { ...BASE, BYPASS_SECRET: 'a'.repeat(32) },
  'repeated-secret': { ...BASE, BYPASS_SECRET: 'password-'.repeat(4) },
  'maintenance-true': { ...BASE, MAINTENANCE: 'true' },
  'maintenance-on': { ...BASE, MAINTENANCE: 'ON' },
  'maintenance-junk': { ...BASE, MAINTENANCE: 'please' },
};

const hits: string[] = [];
let origin: Awaited<ReturnType<typeof startOrigin>> | undefined;
let edge: Edge;
const gates: Record<string, Fetcher> = {};

beforeAll(async () => {
  origin = await startOrigin((req, res) => {
    req.resume();
    req.on('end', () => {
      hits.push(`${req.method} ${req.url}`);
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end(`origin ${req.url}`);
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

/** The log line naming `marker` appears exactly once after a few requests. */
async function loggedOnce(marker: string): Promise<void> {
  await edge.waitForLog(marker);
  expect(edge.logs().split(marker).length - 1).toBe(1);
}

describe('GIVEN an impossible date in a window binding', () => {
  test.each([
    ['impossible-end', '2027-02-30T10:00:00Z'],
    ['impossible-hour', '2027-03-01T24:00:00Z'],
  ] as const)('WHEN %s is bound THEN it is refused (never shown rolled over) and the page has no time and no Retry-After', async (name, value) => {
    for (let i = 0; i < 2; i++) {
      const res = await gate(name).fetch(`${SITE}/`, { headers: { Accept: ACCEPT.browser } });
      expect(res.status).toBe(503);
      expect(res.headers.has('Retry-After')).toBe(false);
      const html = await res.text();
      expect(html).toContain('We don\u2019t have a finish time yet');
      expect(html).not.toMatch(/March|2 Mar|1 Mar/);
    }
    await loggedOnce(`WINDOW_END=\\"${value}\\" is not an ISO-8601 date-time with offset on the calendar`);
  });
});

describe('GIVEN a health path without a leading slash', () => {
  test('WHEN the health check arrives THEN it still reaches the origin (fail open) and the entry is logged', async () => {
    const res = await gate('health-no-slash').fetch(`${SITE}/healthz-a`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('origin /healthz-a');
    expect((await gate('health-no-slash').fetch(`${SITE}/ok`)).status).toBe(200);
    await loggedOnce(`HEALTH_PATHS entry \\"healthz-a\\" does not start with '/'; taken as \\"/healthz-a\\"`);
  });
});

describe('GIVEN a bypass path that is also a health path or robots.txt', () => {
  test.each([
    ['bypass-is-health', '/__drawbridge/bypass', 'a health path'],
    ['bypass-is-robots', '/robots.txt', 'robots.txt'],
  ] as const)('WHEN %s is bound THEN %s still reaches the origin, the form is off, and it is logged', async (name, path, what) => {
    const res = await gate(name).fetch(`${SITE}${path}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(`origin ${path}`);
    await loggedOnce(`BYPASS_PATH=\\"${path}\\" is also ${what}; the bypass link is switched off`);
  });
});

describe('GIVEN an allow-list entry that lets everyone through', () => {
  test.each([
    ['allow-everyone-v4', '0.0.0.0/0', ['192.0.2.1', '::ffff:198.51.100.1']],
    ['allow-everyone-v6', '::/0', ['2001:db8::1', '192.0.2.1']],
    ['allow-v4-mapped', '::ffff:0:0/96', ['192.0.2.1']],
  ] as const)('WHEN %s is bound THEN the entry is ignored, strangers get the page, and it is logged', async (name, entry, strangers) => {
    for (const ip of strangers) {
      const res = await gate(name).fetch(`${SITE}/`, { headers: { 'CF-Connecting-IP': ip } });
      expect(res.status).toBe(503);
    }
    await loggedOnce(`BYPASS_ALLOW_IPS entry \\"${entry}\\" would let nearly everyone bypass the page`);
  });

  test('WHEN good entries sit beside the broad one THEN they still work', async () => {
    const res = await gate('allow-everyone-v4').fetch(`${SITE}/x`, { headers: { 'CF-Connecting-IP': '203.0.113.10' } });
    expect(res.status).toBe(200);
  });
});

describe('GIVEN a predictable bypass key', () => {
  test.each([
    ['weak-secret', 'a'.repeat(32), 'too few different characters'],
    ['repeated-secret', 'password-'.repeat(4), 'one short run of characters repeated'],
  ] as const)('WHEN %s is bound THEN even a cookie signed with it opens nothing, and the log never shows the key', async (name, key, why) => {
    const cookie = await makeCookieValue(key, HOST, Math.floor(Date.now() / 1000), 3600);
    const res = await gate(name).fetch(`${SITE}/`, { headers: { Cookie: `drawbridge_bypass=${cookie}` } });
    expect(res.status).toBe(503);
    const form = await gate(name).fetch(`${SITE}/__drawbridge/bypass`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `token=${encodeURIComponent(key)}`,
    });
    expect(form.status).toBe(403);
    expect(form.headers.has('Set-Cookie')).toBe(false);
    await loggedOnce(`BYPASS_SECRET is too predictable (${why})`);
    expect(edge.logs()).not.toContain(key);
  });
});

describe('GIVEN MAINTENANCE typed by hand', () => {
  test.each([
    ['maintenance-true', 'true'],
    ['maintenance-on', 'ON'],
  ] as const)('WHEN %s is bound THEN it is accepted as 1 (as README says) and logged once', async (name, value) => {
    const res = await gate(name).fetch(`${SITE}/`);
    expect(res.status).toBe(503);
    await loggedOnce(`MAINTENANCE=\\"${value}\\" is not one of '0' or '1' (taken as '1')`);
  });

  test('WHEN it is anything else THEN it is refused and the site stays open', async () => {
    const res = await gate('maintenance-junk').fetch(`${SITE}/open`);
    expect(res.status).toBe(200);
    expect(hits).toContain('GET /open');
    await loggedOnce(`MAINTENANCE=\\"please\\" is not allowed; allowed: '0' or '1' (taken as '0')`);
  });
});
