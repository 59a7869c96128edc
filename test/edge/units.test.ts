/**
 * The edge's pure parts in Node: IP parsing and matching, binding parsing, Accept negotiation,
 * signatures, page colours and escaping. Fast tables and properties; workerd runs the whole in gate.test.ts.
 */
import fc from 'fast-check';
import { base64url, bypassLink, makeCookieValue, safeNext, timingSafeEqual, tokenMatches, verify, verifyCookieValue } from '../../edge/bypass';
import { inAnnouncement, parseGateConfig, retryAfterSeconds } from '../../edge/config';
import { ipAllowed, parseIp, parseIpList, parseIpRange } from '../../modes/ip';
import { wantsJson } from '../../edge/negotiate';
import { PAGE_SCRIPT } from '../../edge/client';
import { contrast, escapeHtml, palette, renderBanner, renderPage, SURFACES } from '../../edge/page';
import { estateBindings, newSecret } from './harness';

describe('GIVEN IP addresses', () => {
  test.each([
    ['203.0.113.10', '::ffff:cb00:710a'],
    ['::ffff:203.0.113.10', '::ffff:cb00:710a'],
    ['2001:db8::1', '2001:db8:0:0:0:0:0:1'],
    ['::', '0:0:0:0:0:0:0:0'],
    ['::1', '0:0:0:0:0:0:0:1'],
    ['2001:DB8:0:0:1::', '2001:db8:0:0:1:0:0:0'],
  ])('WHEN %s is parsed THEN it equals %s', (a, b) => {
    expect(parseIp(a)).toEqual(parseIp(b));
    expect(parseIp(a)).toHaveLength(16);
  });

  test.each(['', '1.2.3', '1.2.3.4.5', '256.1.1.1', '01.2.3.4', '1.2.3.4x', '2001:db8::1::2', '2001:db8:0:0:0:0:0:0:1', 'fe80::1%eth0', 'gggg::1', '1.2.3.4/', '::ffff:1.2.3.256', 'localhost'])(
    'WHEN %p is parsed THEN it is not an address',
    (text) => {
      expect(parseIp(text)).toBeUndefined();
    },
  );

  test.each([
    ['198.51.100.0/24', '198.51.100.0', true],
    ['198.51.100.0/24', '198.51.100.255', true],
    ['198.51.100.0/24', '198.51.101.0', false],
    ['198.51.100.0/24', '198.51.99.255', false],
    ['10.0.0.0/8', '10.255.1.2', true],
    ['0.0.0.0/0', '8.8.8.8', true],
    ['0.0.0.0/0', '2001:db8::1', false],
    ['203.0.113.10', '203.0.113.10', true],
    ['203.0.113.10', '203.0.113.11', false],
    ['2001:db8:abcd::/48', '2001:db8:abcd:ffff::1', true],
    ['2001:db8:abcd::/48', '2001:db8:abce::1', false],
    ['2001:db8::/127', '2001:db8::1', true],
    ['2001:db8::/127', '2001:db8::2', false],
    ['203.0.113.0/24', '::ffff:203.0.113.99', true],
  ])('WHEN the list is %s and CF-Connecting-IP is %s THEN allowed is %s', (list, ip, allowed) => {
    expect(ipAllowed(ip, parseIpList(list).ranges)).toBe(allowed);
  });

  test.each(['1.2.3.4/33', '::/129', '1.2.3.4/-1', '1.2.3.4/08', 'nope/8'])('WHEN the range %p is parsed THEN it is refused', (text) => {
    expect(parseIpRange(text)).toBeUndefined();
  });

  test('WHEN any IPv4 address is checked against any /n THEN it is inside exactly when its first n bits equal the network', () => {
    fc.assert(
      fc.property(fc.ipV4(), fc.ipV4(), fc.integer({ min: 0, max: 32 }), (net, addr, n) => {
        const toInt = (ip: string) => ip.split('.').reduce((a, o) => a * 256 + Number(o), 0);
        const mask = n === 0 ? 0 : (0xffffffff << (32 - n)) >>> 0;
        const expected = ((toInt(net) & mask) >>> 0) === ((toInt(addr) & mask) >>> 0);
        expect(ipAllowed(addr, parseIpList(`${net}/${n}`).ranges)).toBe(expected);
      }),
    );
  });

  test('WHEN any IPv6 address is written in fast-check\'s forms THEN it parses and matches itself as a /128', () => {
    fc.assert(
      fc.property(fc.ipV6(), (ip) => {
        expect(parseIp(ip)).toBeDefined();
        expect(ipAllowed(ip, parseIpList(ip).ranges)).toBe(true);
      }),
    );
  });

  test('WHEN X-Forwarded-For style lists arrive THEN they never match', () => {
    expect(ipAllowed('203.0.113.10, 198.51.100.1', parseIpList('203.0.113.10').ranges)).toBe(false);
    expect(ipAllowed(null, parseIpList('203.0.113.10').ranges)).toBe(false);
  });
});

describe('GIVEN bindings', () => {
  const base = estateBindings('maintenance');

  test('WHEN they come from resolve() on the default estate THEN they parse without a problem', () => {
    for (const mode of ['normal', 'maintenance', 'cutover'] as const) {
      expect(parseGateConfig({ ...estateBindings(mode), BYPASS_SECRET: newSecret() }).problems).toEqual([]);
    }
  });

  test.each([
    ['true', true],
    ['ON', true],
    ['yes', true],
    ['false', false],
    ['off', false],
    ['maybe', false],
  ] as const)('WHEN MAINTENANCE=%s (typed by hand) THEN maintenance is %s', (value, on) => {
    expect(parseGateConfig({ ...base, MAINTENANCE: value }).maintenance).toBe(on);
  });

  test.each([
    [{ MAINTENANCE: 'maybe' }, /^MAINTENANCE="maybe" is not allowed/],
    [{ MAINTENANCE: 'true' }, /^MAINTENANCE="true" is not one of '0' or '1' \(taken as '1'\)$/],
    [{ READ_ONLY: '2' }, /^READ_ONLY="2" is not allowed/],
    [{ WINDOW_END: '2030-01-20' }, /^WINDOW_END="2030-01-20" is not an ISO-8601 date-time with offset/],
    [{ WINDOW_START: 'tomorrow' }, /^WINDOW_START="tomorrow"/],
    [{ WINDOW_START: '', WINDOW_ANNOUNCE: '' }, /must be set together/],
    [{ WINDOW_ANNOUNCE: '2031-01-01T00:00:00Z' }, /window is out of order/],
    [{ TIME_ZONES: 'Europe/London,Atlantis/Lost' }, /^TIME_ZONES entry "Atlantis\/Lost" is not a time zone/],
    [{ BRAND_COLOUR: 'blue' }, /^BRAND_COLOUR="blue" is not a #rrggbb colour; using #1f4e79/],
    [{ STATUS_URL: 'javascript:alert(1)' }, /^STATUS_URL="javascript:alert\(1\)" is not an http\(s\) URL/],
    [{ BYPASS_ALLOW_IPS: '1.2.3.4,999.1.1.1' }, /^BYPASS_ALLOW_IPS entry "999.1.1.1"/],
    [{ BYPASS_COOKIE: 'a b' }, /^BYPASS_COOKIE="a b"/],
    [{ BYPASS_TTL_SECONDS: '5' }, /^BYPASS_TTL_SECONDS="5" is not a whole number from 60 to 86400/],
    [{ BYPASS_PATH: 'bypass' }, /^BYPASS_PATH="bypass" must be a path/],
    [{ BYPASS_SECRET: 'x'.repeat(31) }, /^BYPASS_SECRET is shorter than 32 characters; the cookie bypass is switched off$/],
  ])('WHEN %p THEN the one problem reads %s', (override, message) => {
    const problems = parseGateConfig({ ...base, ...override }).problems;
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
  });

  test('WHEN the secret is too short THEN the problem never quotes it', () => {
    const secret = 'hunter2-hunter2';
    expect(parseGateConfig({ ...base, BYPASS_SECRET: secret }).problems.join('\n')).not.toContain(secret);
  });

  test('WHEN the window is announced THEN the banner shows start until end in each zone and Retry-After counts to the end', () => {
    const config = parseGateConfig({ ...base, WINDOW_ANNOUNCE: '2030-01-18T09:00:00Z', WINDOW_START: '2030-01-19T22:00:00Z', WINDOW_END: '2030-01-20T00:30:00Z' });
    expect(inAnnouncement(config, Date.parse('2030-01-18T08:59:59Z'))).toBe(false);
    expect(inAnnouncement(config, Date.parse('2030-01-18T09:00:00Z'))).toBe(true);
    expect(inAnnouncement(config, Date.parse('2030-01-19T22:00:00Z'))).toBe(false);
    expect(retryAfterSeconds(config, Date.parse('2030-01-20T00:00:00Z'))).toBe(1800);
    expect(retryAfterSeconds(config, Date.parse('2030-01-20T00:30:00Z'))).toBeUndefined();
    if (!config.window) throw new Error('the window did not parse');
    const banner = renderBanner(config.page, config.window);
    // One date (the start's, in the first zone), then each zone's range; a time on another day carries its weekday.
    expect(banner).toContain('<span class="dba-date">Sat 19 Jan</span>');
    expect(banner.match(/19 Jan/g)).toHaveLength(1);
    expect(banner).toContain('London</span>\u00a0<time datetime="2030-01-19T22:00:00.000Z">22:00</time>\u2013<time datetime="2030-01-20T00:30:00.000Z">Sun\u00a000:30</time>');
    expect(banner).toContain('New York</span>\u00a0<time datetime="2030-01-19T22:00:00.000Z">17:00</time>\u2013<time datetime="2030-01-20T00:30:00.000Z">19:30</time>');
    expect(banner).toContain('Los Angeles</span>\u00a0<time datetime="2030-01-19T22:00:00.000Z">14:00</time>\u2013<time datetime="2030-01-20T00:30:00.000Z">16:30</time>');
  });
});

describe('GIVEN Accept headers', () => {
  test.each([
    [{ Accept: 'text/html' }, false],
    [{ Accept: 'application/json' }, true],
    [{ Accept: 'application/vnd.api+json' }, true],
    [{ Accept: 'application/json;q=0.9, text/html;q=0.8' }, true],
    [{ Accept: 'text/html;q=0.8, application/json;q=0.8' }, false],
    [{ Accept: 'application/json;q=0' }, false],
    [{ Accept: '*/*' }, false],
    [{ Accept: '*/*', 'Sec-Fetch-Dest': 'empty' }, true],
    [{ Accept: 'text/html', 'Sec-Fetch-Dest': 'empty' }, false],
    [{}, false],
  ])('WHEN the headers are %p THEN wantsJson is %s', (headers, json) => {
    expect(wantsJson(new Headers(headers))).toBe(json);
  });
});

describe('GIVEN signatures', () => {
  const secret = newSecret();
  const host = 'www.example-shop.com';

  test('WHEN a cookie is made THEN it verifies for its host until it expires, and nowhere else', async () => {
    const value = await makeCookieValue(secret, host, 1_000_000, 3600);
    expect(await verifyCookieValue(secret, host, value, 1_000_000, 3600)).toEqual({ ok: true, exp: 1_003_600 });
    expect(await verifyCookieValue(secret, 'WWW.EXAMPLE-SHOP.COM', value, 1_000_000, 3600)).toMatchObject({ ok: true });
    expect(await verifyCookieValue(secret, 'api.example-shop.com', value, 1_000_000, 3600)).toEqual({ ok: false, why: 'bad-signature' });
    expect(await verifyCookieValue(secret, host, value, 1_003_600, 3600)).toEqual({ ok: false, why: 'expired' });
    expect(await verifyCookieValue(newSecret(), host, value, 1_000_000, 3600)).toEqual({ ok: false, why: 'bad-signature' });
  });

  test('WHEN any single character of a cookie changes THEN it no longer verifies', async () => {
    const value = await makeCookieValue(secret, host, 1_000_000, 3600);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: value.length - 1 }), fc.constantFrom(...'0123456789abcXYZ-_.'), async (i, c) => {
        fc.pre(value[i] !== c);
        const tampered = value.slice(0, i) + c + value.slice(i + 1);
        expect((await verifyCookieValue(secret, host, tampered, 1_000_000, 3600)).ok).toBe(false);
      }),
      { numRuns: 200 },
    );
  });

  test('WHEN a link is made THEN it verifies as a link for its host and never as a cookie', async () => {
    const link = new URL(await bypassLink({ secret, siteUrl: `https://${host}`, path: '/__drawbridge/bypass', validSeconds: 600, next: '/x', now: new Date(1_000_000_000) }));
    expect(link.pathname).toBe('/__drawbridge/bypass');
    expect(link.searchParams.get('next')).toBe('/x');
    const exp = link.searchParams.get('exp') ?? '';
    const sig = link.searchParams.get('sig') ?? '';
    expect(await verify(secret, 'link', host, exp, sig, 1_000_000, 86400)).toMatchObject({ ok: true });
    expect(await verify(secret, 'cookie', host, exp, sig, 1_000_000, 86400)).toMatchObject({ ok: false });
    expect(link.href).not.toContain(secret);
  });

  test.each([0, 86401, 1.5])('WHEN a link is asked to last %p seconds THEN it is refused', async (validSeconds) => {
    await expect(bypassLink({ secret, siteUrl: `https://${host}`, path: '/b', validSeconds })).rejects.toThrow(RangeError);
  });

  test('WHEN keys are compared THEN only the exact key matches', async () => {
    expect(await tokenMatches(secret, secret)).toBe(true);
    for (const wrong of ['', secret.slice(0, -1), `${secret}x`, secret.toUpperCase()]) expect(await tokenMatches(secret, wrong)).toBe(false);
  });

  test('WHEN bytes are compared THEN timingSafeEqual agrees with plain equality', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.uint8Array({ maxLength: 40 }), (a, b) => {
        expect(timingSafeEqual(a, b)).toBe(base64url(a) === base64url(b) && a.length === b.length);
        expect(timingSafeEqual(a, Uint8Array.from(a))).toBe(true);
      }),
    );
  });

  test.each([
    ['/checkout?x=1', '/checkout?x=1'],
    [null, '/'],
    ['', '/'],
    ['//evil.example/', '/'],
    ['/\\evil.example', '/'],
    ['https://evil.example', '/'],
    ['/a\nSet-Cookie: x', '/'],
  ])('WHEN next is %p THEN the redirect goes to %p', (next, to) => {
    expect(safeNext(next)).toBe(to);
  });
});

describe('GIVEN the page', () => {
  test.each(['light', 'dark'] as const)('WHEN any brand colour is used in the %s scheme THEN header text, links and button text keep WCAG AA contrast (4.5:1)', (scheme) => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffff }), (n) => {
        const brand = `#${n.toString(16).padStart(6, '0')}`;
        const p = palette(brand, scheme);
        expect(contrast(p.onBand, p.band)).toBeGreaterThanOrEqual(4.5);
        expect(contrast(p.accent, SURFACES[scheme].paper)).toBeGreaterThanOrEqual(4.5);
        expect(contrast(p.onAccent, p.accent)).toBeGreaterThanOrEqual(4.5);
      }),
    );
  });

  test.each(['light', 'dark'] as const)('WHEN the %s scheme is used THEN body, muted and error text read at 4.5:1 on the card and the page', (scheme) => {
    const s = SURFACES[scheme];
    for (const text of [s.ink, s.muted, s.error]) for (const ground of [s.paper, s.bg, s.inset]) expect(contrast(text, ground)).toBeGreaterThanOrEqual(4.5);
  });

  test('WHEN text carries markup THEN it is escaped', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });

  test.each(['maintenance', 'read-only', 'down'] as const)('WHEN the %s page is rendered THEN it is a complete, self-contained, noindex document', (kind) => {
    const html = renderPage(parseGateConfig(estateBindings('maintenance')).page, kind);
    expect(html).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(html).toContain('<meta name="robots" content="noindex, nofollow">');
    expect(html).not.toMatch(/<link rel="stylesheet"|src=|url\(/);
    // One inline script, the one PAGE_CSP allows by its hash.
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).toContain(`<script>${PAGE_SCRIPT}</script>`);
    expect(html).toContain('<h1>');
  });
});
