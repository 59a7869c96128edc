/**
 * The gate Worker (dist/edge/gate.js) in real workerd via miniflare, origin on 127.0.0.1.
 * One workerd process runs one Worker per binding set; every test talks to the one it names.
 */
import { createHash, randomBytes } from 'node:crypto';
import { makeCookieValue, sign } from '../../edge/bypass';
import { main as bypassLinkMain } from '../../edge/bypass-link';
import { zoneLabel } from '../../edge/page';
import { formatInZone } from '../../modes/time';
import { ACCEPT, Edge, estateBindings, type Fetcher, HOUR, newSecret, Origin, ORIGIN_HTML, SITE, windowAt } from './harness';

const SECRET = newSecret();
const OTHER_SECRET = newSecret();
const ZONES = ['Europe/London', 'America/New_York', 'America/Los_Angeles'];
const now = Date.now();
const END = now + 2 * HOUR;
const V6_RANGE = '2001:db8:abcd::/48';

const normal = { ...estateBindings('normal'), BYPASS_SECRET: SECRET };
const maintenance = {
  ...estateBindings('maintenance'),
  ...windowAt(-2, -1, 2, now),
  BYPASS_SECRET: SECRET,
  BYPASS_ALLOW_IPS: `${estateBindings('maintenance').BYPASS_ALLOW_IPS},${V6_RANGE}`,
};
const cookieName = maintenance.BYPASS_COOKIE;
const ttl = Number(maintenance.BYPASS_TTL_SECONDS);
const bypassPath = maintenance.BYPASS_PATH;

const WORKERS = {
  normal,
  maintenance,
  'maintenance-ended': { ...maintenance, ...windowAt(-4, -3, -1, now) },
  'maintenance-open-ended': { ...maintenance, ...windowAt(undefined, undefined, undefined) },
  'maintenance-no-secret': { ...maintenance, BYPASS_SECRET: '' },
  'maintenance-short-secret': { ...maintenance, BYPASS_SECRET: 'short-secret' },
  'read-only': { ...estateBindings('cutover'), ...windowAt(-2, -1, 2, now), BYPASS_SECRET: SECRET },
  announced: { ...normal, ...windowAt(-1, 1, 3, now) },
  'not-yet-announced': { ...normal, ...windowAt(1, 2, 3, now) },
  started: { ...normal, ...windowAt(-2, -1, 1, now) },
  'bad-end-maintenance': { ...maintenance, WINDOW_END: 'soon-ish-A' },
  'bad-end-normal': { ...normal, ...windowAt(-1, 1, 3, now), WINDOW_END: 'soon-ish-B' },
  'bad-zone-maintenance': { ...maintenance, TIME_ZONES: 'Europe/London,Mars/Olympus_Mons' },
  'bad-zone-normal': { ...normal, ...windowAt(-1, 1, 3, now), TIME_ZONES: 'Europe/London,Mars/Tharsis' },
  'bad-everything-maintenance': {
    ...maintenance,
    MAINTENANCE: '1',
    BRAND_COLOUR: 'red;}</style><script>alert(1)</script>',
    STATUS_URL: 'javascript:alert(1)',
    BRAND_NAME: '<script>alert("x")</script>Shop',
    REASON: '<img src=x onerror=alert(1)> & more',
    BYPASS_ALLOW_IPS: 'not-an-ip,203.0.113.10,10.0.0.0/33',
    BYPASS_TTL_SECONDS: 'forever',
  },
  'bad-flag': { ...normal, MAINTENANCE: 'yes please' },
};

const origin = new Origin();
let edge: Edge;
const gates: Record<string, Fetcher> = {};

beforeAll(async () => {
  await origin.start();
  edge = new Edge(origin, WORKERS);
  for (const name of Object.keys(WORKERS)) gates[name] = await edge.worker(name);
});

afterAll(async () => {
  await edge?.dispose();
  await origin.stop();
});

const gate = (name: keyof typeof WORKERS): Fetcher => {
  const g = gates[name];
  if (!g) throw new Error(`no worker ${name}`);
  return g;
};

/** A fresh path so origin hits are counted per test. */
const unique = (prefix = '/p'): string => `${prefix}-${randomBytes(6).toString('hex')}`;

function expectMaintenancePage(res: Response): void {
  expect(res.status).toBe(503);
  expect(res.headers.get('Cache-Control')).toBe('no-store');
  expect(res.headers.get('X-Robots-Tag')).toBe('noindex');
}

function retryAfterOf(res: Response): number | undefined {
  const v = res.headers.get('Retry-After');
  return v === null ? undefined : Number(v);
}

describe('GIVEN normal mode', () => {
  test.each(['GET', 'POST', 'PUT', 'PATCH', 'DELETE'])('WHEN a %s request arrives THEN the origin receives method, path, headers and body untouched', async (method) => {
    const path = `${unique()}?q=1&q=2&x=%20y`;
    const body = method === 'GET' ? undefined : randomBytes(64 * 1024);
    const res = await gate('normal').fetch(`${SITE}${path}`, {
      method,
      headers: {
        Authorization: 'Bearer abc',
        Cookie: 'session=s1; other=o2',
        'X-Custom': 'custom value',
        'Content-Type': 'application/octet-stream',
        'CF-Connecting-IP': '192.0.2.44',
      },
      ...(body ? { body } : {}),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('X-Origin')).toBe('yes');
    expect(res.headers.get('X-Drawbridge-Mode')).toBeNull();
    const [hit] = origin.hits(path);
    expect(hit).toBeDefined();
    expect(hit?.method).toBe(method);
    expect(hit?.headers.host).toBe('www.example-shop.com');
    expect(hit?.headers.authorization).toBe('Bearer abc');
    expect(hit?.headers.cookie).toBe('session=s1; other=o2');
    expect(hit?.headers['x-custom']).toBe('custom value');
    expect(hit?.bodyLength).toBe(body?.length ?? 0);
    if (body) expect(hit?.bodySha256).toBe(createHash('sha256').update(body).digest('hex'));
    expect(await res.json()).toEqual({ method, url: path, bodySha256: hit?.bodySha256, bodyLength: hit?.bodyLength });
  });

  test.each([
    ['/teapot', 418, 'teapot'],
    ['/status/404', 404, 'status /status/404'],
    ['/status/500', 500, 'status /status/500'],
  ])('WHEN the origin answers %s THEN status, headers and body come back as they are', async (path, status, text) => {
    const res = await gate('normal').fetch(`${SITE}${path}`);
    expect(res.status).toBe(status);
    expect(res.headers.get('X-Origin')).toBe('yes');
    expect(await res.text()).toBe(text);
  });

  test('WHEN the origin redirects and sets two cookies THEN the redirect is not followed and both cookies arrive', async () => {
    const res = await gate('normal').fetch(`${SITE}/redirect`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('Location')).toBe('/elsewhere');
    expect(res.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; Path=/; HttpOnly']);
  });

  test('WHEN the origin streams a response THEN the first chunk reaches the client before the origin finishes', async () => {
    const started = origin.streamStarted();
    const res = await gate('normal').fetch(`${SITE}/stream`);
    await started;
    const reader = res.body?.getReader();
    if (!reader) throw new Error('no body');
    let timer: NodeJS.Timeout | undefined;
    const first = await Promise.race([
      reader.read(),
      new Promise<never>((_, fail) => (timer = setTimeout(() => fail(new Error('first chunk was held back until the origin finished')), 5000))),
    ]).finally(() => clearTimeout(timer));
    expect(new TextDecoder().decode(first.value)).toBe('first chunk\n');
    origin.releaseStream();
    let rest = '';
    for (let r = await reader.read(); !r.done; r = await reader.read()) rest += new TextDecoder().decode(r.value);
    expect(rest).toBe('second chunk\n');
  });

  test('WHEN a client streams a large request body THEN the origin receives every byte', async () => {
    const path = unique('/upload');
    const chunks = Array.from({ length: 16 }, () => randomBytes(128 * 1024));
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const c of chunks) controller.enqueue(c);
        controller.close();
      },
    });
    const res = await gate('normal').fetch(`${SITE}${path}`, { method: 'POST', body: stream, duplex: 'half' } as RequestInit);
    expect(res.status).toBe(200);
    const hash = createHash('sha256');
    for (const c of chunks) hash.update(c);
    expect(origin.hits(path)[0]?.bodySha256).toBe(hash.digest('hex'));
  });

  test('WHEN the window is declared but far away THEN HTML pages get no banner', async () => {
    const res = await gate('normal').fetch(`${SITE}/html`);
    expect(await res.text()).toBe(ORIGIN_HTML);
  });
});

describe('GIVEN maintenance mode', () => {
  test('WHEN a browser asks for a page THEN it gets the branded 503 page with Retry-After, no-store and noindex, and the origin is not asked', async () => {
    const path = unique();
    const res = await gate('maintenance').fetch(`${SITE}${path}`, { headers: { Accept: ACCEPT.browser } });
    expectMaintenancePage(res);
    expect(res.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
    const retry = retryAfterOf(res) ?? NaN;
    const expected = Math.ceil((END - Date.now()) / 1000);
    expect(retry).toBeLessThanOrEqual(expected + 2);
    expect(retry).toBeGreaterThan(expected - 60);
    const html = await res.text();
    expect(html).toContain(maintenance.REASON);
    expect(html).toContain('Example Shop');
    for (const zone of ZONES) expect(html).toContain(formatInZone(new Date(END), zone).replace(/&/g, '&amp;'));
    expect(html).toContain('href="https://status.example-shop.com/"');
    expect(origin.hits(path)).toHaveLength(0);
  });

  test('WHEN an API client asks THEN it gets a JSON 503 with the same facts', async () => {
    const res = await gate('maintenance').fetch(`${SITE}/api/orders`, { headers: { Accept: ACCEPT.json } });
    expectMaintenancePage(res);
    expect(res.headers.get('Content-Type')).toBe('application/json; charset=utf-8');
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      status: 'maintenance',
      error: 'down for maintenance',
      message: maintenance.REASON,
      site: 'Example Shop',
      retryAfterSeconds: retryAfterOf(res),
      expectedBack: new Date(END).toISOString().replace(/\.\d{3}Z$/, '.000Z'),
      statusUrl: 'https://status.example-shop.com/',
    });
    expect(body.expectedBackIn).toEqual(ZONES.map((zone) => ({ zone, text: formatInZone(new Date(END), zone) })));
  });

  test.each([
    [ACCEPT.browser, undefined, 'html'],
    [ACCEPT.json, undefined, 'json'],
    ['application/problem+json', undefined, 'json'],
    ['text/html;q=0.5, application/json', undefined, 'json'],
    ['application/json;q=0.5, text/html', undefined, 'html'],
    [ACCEPT.any, undefined, 'html'],
    [ACCEPT.any, 'empty', 'json'],
    [undefined, undefined, 'html'],
    [ACCEPT.any, 'document', 'html'],
  ])('WHEN Accept is %p and Sec-Fetch-Dest %p THEN the 503 body is %s', async (accept, dest, kind) => {
    const headers: Record<string, string> = {};
    if (accept) headers.Accept = accept;
    if (dest) headers['Sec-Fetch-Dest'] = dest;
    const res = await gate('maintenance').fetch(`${SITE}/`, { headers });
    expectMaintenancePage(res);
    expect(res.headers.get('Content-Type')).toBe(kind === 'json' ? 'application/json; charset=utf-8' : 'text/html; charset=utf-8');
    expect(res.headers.get('Vary')).toContain('Accept');
    const text = await res.text();
    if (kind === 'json') expect(() => JSON.parse(text)).not.toThrow();
    else expect(text.startsWith('<!doctype html>')).toBe(true);
  });

  test.each(['POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'])('WHEN a %s arrives THEN it gets 503 and the origin never sees it', async (method) => {
    const path = unique();
    const res = await gate('maintenance').fetch(`${SITE}${path}`, { method, ...(method === 'OPTIONS' ? {} : { body: 'x=1' }) });
    expectMaintenancePage(res);
    expect(origin.hits(path)).toHaveLength(0);
  });

  test('WHEN a HEAD arrives THEN it gets the 503 headers and no body', async () => {
    const res = await gate('maintenance').fetch(`${SITE}/`, { method: 'HEAD' });
    expectMaintenancePage(res);
    expect(retryAfterOf(res)).toBeGreaterThan(0);
    expect(await res.text()).toBe('');
  });

  test.each(['/healthz', '/healthz-maintenance', '/api/healthz', '/api/healthz-maintenance', '/robots.txt'])(
    'WHEN %s is requested THEN it goes to the origin, never 503',
    async (path) => {
      const before = origin.hits(path).length;
      const res = await gate('maintenance').fetch(`${SITE}${path}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('X-Origin')).toBe('yes');
      expect(origin.hits(path)).toHaveLength(before + 1);
      if (path === '/robots.txt') expect(await res.text()).toBe('User-agent: *\nDisallow: /checkout\n');
    },
  );

  test.each(['/healthz/', '/healthzx', '/robots.txt/x', '/HEALTHZ'])('WHEN %s (not exactly a health path) is requested THEN it is 503', async (path) => {
    expectMaintenancePage(await gate('maintenance').fetch(`${SITE}${path}`));
  });

  test('WHEN the end has passed THEN the page has no Retry-After', async () => {
    const res = await gate('maintenance-ended').fetch(`${SITE}/`, { headers: { Accept: ACCEPT.json } });
    expectMaintenancePage(res);
    expect(res.headers.has('Retry-After')).toBe(false);
    expect(((await res.json()) as { retryAfterSeconds: unknown; overrun: unknown })).toMatchObject({ retryAfterSeconds: null, overrun: true });
  });

  test('WHEN the end has passed THEN the page says it is taking longer instead of promising a time that is gone', async () => {
    const res = await gate('maintenance-ended').fetch(`${SITE}/`);
    const html = await res.text();
    expect(html).toContain('Taking longer than planned');
    expect(html).not.toContain('>Expected back<');
    const before = await (await gate('maintenance').fetch(`${SITE}/`)).text();
    expect(before).toContain('>Expected back<');
  });

  test('WHEN no window is declared THEN the page has no Retry-After and says there is no finish time yet', async () => {
    const res = await gate('maintenance-open-ended').fetch(`${SITE}/`);
    expectMaintenancePage(res);
    expect(res.headers.has('Retry-After')).toBe(false);
    expect(await res.text()).toContain('don\u2019t have a finish time yet');
  });
});

describe('GIVEN maintenance mode WHEN staff bypass', () => {
  test.each([
    ['an allow-listed IPv4 address', '203.0.113.10'],
    ['an address inside an allow-listed IPv4 CIDR', '198.51.100.77'],
    ['an IPv4-mapped IPv6 form of an allow-listed address', '::ffff:203.0.113.10'],
    ['an address inside an allow-listed IPv6 CIDR', '2001:db8:abcd:12::1'],
  ])('WHEN CF-Connecting-IP is %s THEN the request goes to the origin', async (_what, ip) => {
    const path = unique();
    const res = await gate('maintenance').fetch(`${SITE}${path}`, { method: 'POST', body: 'order=1', headers: { 'CF-Connecting-IP': ip } });
    expect(res.status).toBe(200);
    expect(res.headers.get('X-Drawbridge-Bypass')).toBe('ip');
    expect(origin.hits(path)).toHaveLength(1);
  });

  test('WHEN the request carries a valid bypass cookie THEN it goes to the origin', async () => {
    const path = unique();
    const cookie = await makeCookieValue(SECRET, 'www.example-shop.com', Math.floor(Date.now() / 1000), ttl);
    const res = await gate('maintenance').fetch(`${SITE}${path}`, { headers: { Cookie: `other=1; ${cookieName}=${cookie}`, 'CF-Connecting-IP': '192.0.2.1' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('X-Drawbridge-Bypass')).toBe('cookie');
    expect(origin.hits(path)).toHaveLength(1);
  });

  test('WHEN staff open a signed link THEN they get a Secure HttpOnly SameSite=Lax cookie that opens the site', async () => {
    const exp = Math.floor(Date.now() / 1000) + 600;
    const sig = await sign(SECRET, 'link', 'www.example-shop.com', exp);
    const res = await gate('maintenance').fetch(`${SITE}${bypassPath}?exp=${exp}&sig=${sig}&next=%2Fcheckout%3Fstep%3D2`, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('Location')).toBe('/checkout?step=2');
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    const [setCookie] = res.headers.getSetCookie();
    expect(setCookie).toMatch(new RegExp(`^${cookieName}=\\d+\\.[A-Za-z0-9_-]{43}; Max-Age=${ttl}; Path=/; Secure; HttpOnly; SameSite=Lax$`));

    const path = unique();
    const pair = (setCookie ?? '').split(';')[0] ?? '';
    const through = await gate('maintenance').fetch(`${SITE}${path}`, { headers: { Cookie: pair } });
    expect(through.status).toBe(200);
    expect(origin.hits(path)).toHaveLength(1);
  });

  test('WHEN staff use the link edge/bypass-link.ts prints THEN it opens the site, and the link never contains the key', async () => {
    const link = await bypassLinkMain(['--site', SITE, '--minutes', '5', '--next', '/orders'], { BYPASS_SECRET: SECRET });
    expect(link).not.toContain(SECRET);
    expect(link.startsWith(`${SITE}${bypassPath}?exp=`)).toBe(true);
    const res = await gate('maintenance').fetch(link, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('Location')).toBe('/orders');
    expect(res.headers.getSetCookie()).toHaveLength(1);
  });

  test.each([
    [[], {}, 'BYPASS_SECRET must be set'],
    [[], { BYPASS_SECRET: 'short' }, 'BYPASS_SECRET must be set'],
    [['--minutes', '0'], { BYPASS_SECRET: SECRET }, '--minutes "0" is not allowed'],
    [['--minutes', '5000'], { BYPASS_SECRET: SECRET }, '--minutes "5000" is not allowed'],
    [['--bogus', 'x'], { BYPASS_SECRET: SECRET }, 'unknown argument "--bogus"'],
  ])('WHEN bypass-link gets %p with %p THEN it refuses with a clear message', async (argv, env, message) => {
    await expect(bypassLinkMain(argv, env)).rejects.toThrow(message);
  });

  test('WHEN staff type the key into the form THEN they get the cookie; a wrong key gets none', async () => {
    const form = await gate('maintenance').fetch(`${SITE}${bypassPath}`);
    expect(form.status).toBe(200);
    expect(form.headers.get('X-Robots-Tag')).toBe('noindex');
    expect(await form.text()).toContain('name="token"');

    const good = await gate('maintenance').fetch(`${SITE}${bypassPath}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: SECRET, next: '/account' }).toString(),
    });
    expect(good.status).toBe(303);
    expect(good.headers.get('Location')).toBe('/account');
    expect(good.headers.getSetCookie()[0]).toContain('HttpOnly');

    const bad = await gate('maintenance').fetch(`${SITE}${bypassPath}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: `${SECRET}x` }).toString(),
    });
    expect(bad.status).toBe(403);
    expect(bad.headers.getSetCookie()).toEqual([]);
  });

  test('WHEN the key is put in the URL THEN it is refused and no cookie is set', async () => {
    const res = await gate('maintenance').fetch(`${SITE}${bypassPath}?token=${encodeURIComponent(SECRET)}`, { redirect: 'manual' });
    expect(res.status).toBe(400);
    expect(res.headers.getSetCookie()).toEqual([]);
  });

  test.each(['//evil.example', 'https://evil.example/', '/\\evil.example', 'javascript:alert(1)'])('WHEN next is %p THEN the redirect stays on the site', async (next) => {
    const exp = Math.floor(Date.now() / 1000) + 600;
    const sig = await sign(SECRET, 'link', 'www.example-shop.com', exp);
    const res = await gate('maintenance').fetch(`${SITE}${bypassPath}?exp=${exp}&sig=${sig}&next=${encodeURIComponent(next)}`, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('Location')).toBe('/');
  });
});

describe('GIVEN maintenance mode WHEN someone attacks the bypass', () => {
  const host = 'www.example-shop.com';
  const nowS = () => Math.floor(Date.now() / 1000);
  const cookieAttacks: [string, () => Promise<Record<string, string>>][] = [
    ['a forged signature', async () => ({ Cookie: `${cookieName}=${nowS() + 600}.${randomBytes(32).toString('base64url')}` })],
    ['a cookie signed with another secret', async () => ({ Cookie: `${cookieName}=${await makeCookieValue(OTHER_SECRET, host, nowS(), ttl)}` })],
    [
      'a valid cookie whose expiry was pushed later',
      async () => {
        const [exp, sig] = (await makeCookieValue(SECRET, host, nowS(), ttl)).split('.');
        return { Cookie: `${cookieName}=${Number(exp) + 86400}.${sig}` };
      },
    ],
    ['an expired cookie', async () => ({ Cookie: `${cookieName}=${await makeCookieValue(SECRET, host, nowS() - 2 * ttl, ttl)}` })],
    ['a cookie for another host', async () => ({ Cookie: `${cookieName}=${await makeCookieValue(SECRET, 'api.example-shop.com', nowS(), ttl)}` })],
    ['a correctly signed cookie that claims to live ten times the TTL', async () => ({ Cookie: `${cookieName}=${await makeCookieValue(SECRET, host, nowS(), 10 * ttl)}` })],
    ['a link signature replayed as a cookie', async () => ({ Cookie: `${cookieName}=${nowS() + 600}.${await sign(SECRET, 'link', host, nowS() + 600)}` })],
    ['a malformed cookie', async () => ({ Cookie: `${cookieName}=1.2.3; ${cookieName}=; ${cookieName}=abc` })],
    ['the secret itself as the cookie', async () => ({ Cookie: `${cookieName}=${SECRET}` })],
    ['a spoofed X-Forwarded-For', async () => ({ 'X-Forwarded-For': '203.0.113.10', 'CF-Connecting-IP': '192.0.2.1' })],
    ['spoofed X-Real-IP and True-Client-IP', async () => ({ 'X-Real-IP': '203.0.113.10', 'True-Client-IP': '203.0.113.10', 'CF-Connecting-IP': '192.0.2.1' })],
    ['an IP just outside the allow-listed CIDR', async () => ({ 'CF-Connecting-IP': '198.51.101.1' })],
    ['an IP next to an allow-listed address', async () => ({ 'CF-Connecting-IP': '203.0.113.11' })],
    ['an IPv6 address outside the allow-listed range', async () => ({ 'CF-Connecting-IP': '2001:db8:abce::1' })],
    ['a list of addresses in CF-Connecting-IP', async () => ({ 'CF-Connecting-IP': '203.0.113.10, 192.0.2.1' })],
    ['garbage in CF-Connecting-IP', async () => ({ 'CF-Connecting-IP': '203.0.113.10.evil' })],
  ];

  test.each(cookieAttacks)('WHEN the request brings %s THEN it gets 503 and the origin never sees it', async (_what, headers) => {
    const path = unique();
    const res = await gate('maintenance').fetch(`${SITE}${path}`, { headers: { 'CF-Connecting-IP': '192.0.2.1', ...(await headers()) } });
    expectMaintenancePage(res);
    expect(res.headers.get('X-Drawbridge-Bypass')).toBeNull();
    expect(origin.hits(path)).toHaveLength(0);
  });

  const linkAttacks: [string, () => Promise<string>][] = [
    ['a forged link', async () => `exp=${nowS() + 600}&sig=${randomBytes(32).toString('base64url')}`],
    ['an expired link', async () => `exp=${nowS() - 10}&sig=${await sign(SECRET, 'link', host, nowS() - 10)}`],
    ['a link for another host', async () => `exp=${nowS() + 600}&sig=${await sign(SECRET, 'link', 'api.example-shop.com', nowS() + 600)}`],
    ['a link valid for a week', async () => `exp=${nowS() + 7 * 86400}&sig=${await sign(SECRET, 'link', host, nowS() + 7 * 86400)}`],
    ['a cookie signature used as a link', async () => `exp=${nowS() + 600}&sig=${await sign(SECRET, 'cookie', host, nowS() + 600)}`],
    ['a link signed with another secret', async () => `exp=${nowS() + 600}&sig=${await sign(OTHER_SECRET, 'link', host, nowS() + 600)}`],
    ['a link with no signature', async () => `exp=${nowS() + 600}`],
  ];

  test.each(linkAttacks)('WHEN someone opens %s THEN it is refused with 403 and no cookie', async (_what, query) => {
    const res = await gate('maintenance').fetch(`${SITE}${bypassPath}?${await query()}`, { redirect: 'manual' });
    expect(res.status).toBe(403);
    expect(res.headers.getSetCookie()).toEqual([]);
  });

  test('WHEN BYPASS_SECRET is missing THEN no cookie opens the site and the form refuses every key', async () => {
    const path = unique();
    const cookie = await makeCookieValue('', host, nowS(), ttl).catch(() => 'x');
    const res = await gate('maintenance-no-secret').fetch(`${SITE}${path}`, { headers: { Cookie: `${cookieName}=${cookie}` } });
    expectMaintenancePage(res);
    const post = await gate('maintenance-no-secret').fetch(`${SITE}${bypassPath}`, { method: 'POST', body: 'token=', redirect: 'manual' });
    expect(post.status).toBe(403);
    expect(origin.hits(path)).toHaveLength(0);
  });

  test('WHEN BYPASS_SECRET is too short THEN the cookie bypass is off even for a cookie signed with it', async () => {
    const path = unique();
    const cookie = await makeCookieValue('short-secret', host, nowS(), ttl);
    const res = await gate('maintenance-short-secret').fetch(`${SITE}${path}`, { headers: { Cookie: `${cookieName}=${cookie}` } });
    expectMaintenancePage(res);
    expect(origin.hits(path)).toHaveLength(0);
  });

  test('WHEN bypasses are granted and refused THEN no log line contains the secret or a signature', async () => {
    // Its own grants and refusals, each handling a key or a signature, so it does not depend on the
    // tests above having run first (run alone, the logs were empty and it failed).
    const form = (worker: keyof typeof WORKERS, token: string) =>
      gate(worker).fetch(`${SITE}${bypassPath}`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token }).toString(),
      });
    const link = async (secret: string) => {
      const exp = nowS() + 600;
      return gate('maintenance').fetch(`${SITE}${bypassPath}?exp=${exp}&sig=${await sign(secret, 'link', host, exp)}`, { redirect: 'manual' });
    };
    expect((await form('maintenance', SECRET)).status).toBe(303);
    expect((await link(SECRET)).status).toBe(303);
    expect((await form('maintenance', `${SECRET}x`)).status).toBe(403);
    expect((await link(OTHER_SECRET)).status).toBe(403);
    expect((await gate('maintenance').fetch(`${SITE}${bypassPath}?token=${encodeURIComponent(SECRET)}`, { redirect: 'manual' })).status).toBe(400);
    expect((await form('maintenance-short-secret', 'short-secret')).status).toBe(403);
    await edge.waitForLog('bypass refused');
    await edge.waitForLog('bypass granted');
    const logs = edge.logs();
    expect(logs).toContain('bypass refused');
    expect(logs).toContain('bypass granted');
    for (const secret of [SECRET, OTHER_SECRET, 'short-secret']) expect(logs).not.toContain(secret);
    expect(logs).not.toMatch(/[A-Za-z0-9_-]{43}/);
  });
});

describe('GIVEN read-only mode (cutover)', () => {
  test.each(['GET', 'HEAD', 'OPTIONS'])('WHEN a %s arrives THEN it goes to the origin', async (method) => {
    const path = unique();
    const res = await gate('read-only').fetch(`${SITE}${path}`, { method });
    expect(res.status).toBe(200);
    expect(origin.hits(path)).toHaveLength(1);
  });

  test.each(['POST', 'PUT', 'PATCH', 'DELETE'])('WHEN an API client sends a %s THEN it gets 503 JSON saying writes are paused', async (method) => {
    const path = unique();
    const res = await gate('read-only').fetch(`${SITE}${path}`, { method, body: '{}', headers: { Accept: ACCEPT.json, 'Content-Type': 'application/json' } });
    expectMaintenancePage(res);
    expect(retryAfterOf(res)).toBeGreaterThan(0);
    expect(await res.json()).toMatchObject({ status: 'read-only', error: 'writes are paused', retryAfterSeconds: retryAfterOf(res) });
    expect(origin.hits(path)).toHaveLength(0);
  });

  test('WHEN a browser submits a form THEN it gets the page saying changes are paused', async () => {
    const res = await gate('read-only').fetch(`${SITE}/cart`, { method: 'POST', body: 'item=1', headers: { Accept: ACCEPT.browser } });
    expectMaintenancePage(res);
    const html = await res.text();
    expect(html).toContain('Changes are paused');
    for (const zone of ZONES) expect(html).toContain(formatInZone(new Date(END), zone));
  });

  test('WHEN staff with a bypass cookie write THEN the write reaches the origin', async () => {
    const path = unique();
    const cookie = await makeCookieValue(SECRET, 'www.example-shop.com', Math.floor(Date.now() / 1000), ttl);
    const res = await gate('read-only').fetch(`${SITE}${path}`, { method: 'POST', body: 'x', headers: { Cookie: `${cookieName}=${cookie}` } });
    expect(res.status).toBe(200);
    expect(origin.hits(path)).toHaveLength(1);
  });
});

describe('GIVEN a window that is announced but not started', () => {
  const start = now + HOUR;
  const end = now + 3 * HOUR;

  test('WHEN the origin answers HTML THEN the banner is injected at the top of <body> with start and end in each zone', async () => {
    const res = await gate('announced').fetch(`${SITE}/html`);
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
    const html = await res.text();
    expect(html.startsWith('<!doctype html><html><head><title>Shop</title></head><body><div id="drawbridge-announcement" data-nosnippet role="region"')).toBe(true);
    expect(html).toContain('<strong>Scheduled maintenance</strong>');
    // Each zone: its city, then start and end as HH:MM (with a weekday when on another day than the headline date).
    const hm = (t: number, zone: string) => /, (\d\d:\d\d) /.exec(formatInZone(new Date(t), zone))?.[1] ?? '?';
    for (const zone of ZONES) {
      expect(html).toMatch(new RegExp(`${zoneLabel(zone)}</span>\u00a0<time datetime="[^"]+">(\\w{3}\u00a0)?${hm(start, zone)}</time>\u2013<time datetime="[^"]+">(\\w{3}\u00a0)?${hm(end, zone)}</time>`));
    }
    expect(html).toContain(maintenance.REASON);
    expect(html.endsWith('<p id="origin">Welcome to the shop</p></body></html>')).toBe(true);
  });

  test.each([
    ['/json', '{"origin":true,"items":[1,2,3]}'],
    ['/text', '<body>not html</body>'],
  ])('WHEN the origin answers %s (not text/html) THEN the body is untouched', async (path, body) => {
    const res = await gate('announced').fetch(`${SITE}${path}`);
    expect(await res.text()).toBe(body);
  });

  test.each([
    ['not-yet-announced', 'before the announcement'],
    ['started', 'once the window has started (gate in normal mode)'],
  ] as const)('WHEN it is %s (%s) THEN there is no banner', async (name, _when) => {
    const res = await gate(name).fetch(`${SITE}/html`);
    expect(await res.text()).toBe(ORIGIN_HTML);
  });
});

describe('GIVEN bad bindings', () => {
  test.each([
    ['bad-end-maintenance', 'soon-ish-A'],
    ['bad-zone-maintenance', 'Mars/Olympus_Mons'],
  ] as const)('WHEN %s serves requests THEN it logs once and serves the page without Retry-After', async (name, marker) => {
    for (let i = 0; i < 3; i++) {
      const res = await gate(name).fetch(`${SITE}/`, { headers: { Accept: ACCEPT.browser } });
      expectMaintenancePage(res);
      expect(res.headers.has('Retry-After')).toBe(false);
      const html = await res.text();
      expect(html).toContain(maintenance.REASON);
      if (name === 'bad-zone-maintenance') {
        // The zone that works still shows the end; the unknown one is left out.
        expect(html).toContain(formatInZone(new Date(END), 'Europe/London'));
        expect(html).not.toContain('Olympus');
      }
    }
    await edge.waitForLog(marker);
    expect(edge.logs().split(marker).length - 1).toBe(1);
  });

  test.each([
    ['bad-end-normal', 'soon-ish-B'],
    ['bad-zone-normal', 'Mars/Tharsis'],
    ['bad-flag', 'yes please'],
  ] as const)('WHEN %s serves requests THEN they pass through untouched, with no banner, and it logs once', async (name, marker) => {
    for (let i = 0; i < 3; i++) {
      const path = unique();
      const res = await gate(name).fetch(`${SITE}${path}`, { method: 'POST', body: 'x' });
      expect(res.status).toBe(200);
      expect(origin.hits(path)).toHaveLength(1);
    }
    expect(await (await gate(name).fetch(`${SITE}/html`)).text()).toBe(ORIGIN_HTML);
    await edge.waitForLog(marker);
    expect(edge.logs().split(marker).length - 1).toBe(1);
  });

  test('WHEN brand, status URL and reason carry markup THEN the page escapes them, keeps the default colour and drops the link', async () => {
    const res = await gate('bad-everything-maintenance').fetch(`${SITE}/`);
    expectMaintenancePage(res);
    const html = await res.text();
    // The page's one script is its own (allowed by hash); nothing from the bindings became markup.
    expect(html.split('<script').length - 1).toBe(1);
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('javascript:');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt; &amp; more');
    expect(html).toContain('#1f4e79');
    expect(res.headers.get('Content-Security-Policy')).toContain("default-src 'none'");
  });

  test('WHEN one allow-list entry is bad THEN the good ones still work', async () => {
    const path = unique();
    const res = await gate('bad-everything-maintenance').fetch(`${SITE}${path}`, { headers: { 'CF-Connecting-IP': '203.0.113.10' } });
    expect(res.status).toBe(200);
    expect(origin.hits(path)).toHaveLength(1);
  });
});
