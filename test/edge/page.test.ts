/**
 * The page and the banner as strings (Node, no browser): the script hash in the CSP, the host-page
 * CSP decisions for the banner's inline code, the banner's compact times and scoping, the
 * read-only wording and its back link. browser.test.ts runs the same in Chromium.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { BANNER_SCRIPT, PAGE_SCRIPT } from '../../edge/client';
import { parseGateConfig, type Window } from '../../edge/config';
import { inlineAllowance, policiesOf } from '../../edge/csp';
import { BANNER_ID, bannerFor, compactWindow, PAGE_CSP, PAGE_SCRIPT_SHA256, renderBanner, renderBypassPage, renderPage } from '../../edge/page';
import { backPath } from '../../edge/respond';
import { formatInZone } from '../../modes/time';
import { estateBindings } from './harness';

const SITE = 'https://www.example-shop.com';

function configWith(overrides: Record<string, string>) {
  return parseGateConfig({ ...estateBindings('maintenance'), ...overrides });
}

function windowOf(overrides: Record<string, string>): { window: Window; config: ReturnType<typeof parseGateConfig> } {
  const config = configWith(overrides);
  if (!config.window) throw new Error(`no window: ${config.problems.join('; ')}`);
  return { window: config.window, config };
}

const JAN = { WINDOW_ANNOUNCE: '2030-01-18T09:00:00Z', WINDOW_START: '2030-01-19T22:00:00Z', WINDOW_END: '2030-01-20T00:30:00Z' };

describe('GIVEN the scripts', () => {
  test('WHEN the CSP names the page script THEN its hash is the SHA-256 of PAGE_SCRIPT, and nothing else may run', () => {
    expect(createHash('sha256').update(PAGE_SCRIPT, 'utf8').digest('base64')).toBe(PAGE_SCRIPT_SHA256);
    expect(PAGE_CSP).toContain(`script-src 'sha256-${PAGE_SCRIPT_SHA256}'`);
    expect(PAGE_CSP).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    expect(PAGE_CSP).toContain("default-src 'none'");
  });

  test.each([
    ['PAGE_SCRIPT', PAGE_SCRIPT],
    ['BANNER_SCRIPT', BANNER_SCRIPT],
  ])('WHEN %s goes inside <script> THEN it is ASCII, cannot close the element and writes no markup', (_name, script) => {
    expect(script).toMatch(/^[\x09\x0a\x20-\x7e]*$/);
    expect(script).not.toMatch(/<\/|<!--/i);
    expect(script).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function/);
  });

  test('WHEN the bypass form is rendered THEN it carries no script', () => {
    expect(renderBypassPage(configWith({}).page, { action: '/b', next: '/' })).not.toContain('<script');
  });
});

describe('GIVEN a host page CSP', () => {
  test.each([
    ['no policy', [], 'script', {}],
    ['only other directives', ["img-src 'self'"], 'script', {}],
    ['unsafe-inline', ["script-src 'self' 'unsafe-inline'"], 'script', {}],
    ['default-src unsafe-inline', ["default-src 'self' 'unsafe-inline'"], 'style', {}],
    ['a nonce', ["script-src 'nonce-abc123=' 'strict-dynamic'"], 'script', { nonce: 'abc123=' }],
    ['a nonce and unsafe-inline (ignored, CSP2 fallback)', ["script-src 'unsafe-inline' 'nonce-abc'"], 'script', { nonce: 'abc' }],
    ['script-src-elem over script-src', ["script-src 'none'; script-src-elem 'unsafe-inline'"], 'script', {}],
    ['script-src over default-src', ["default-src 'none'; script-src 'unsafe-inline'"], 'script', {}],
    ['the first of a repeated directive', ["script-src 'unsafe-inline'; script-src 'none'"], 'script', {}],
    ['two policies, both with the same nonce', ["script-src 'nonce-n1'", "default-src 'nonce-n1'"], 'script', { nonce: 'n1' }],
    ['two policies, one allowing inline, one with a nonce', ["script-src 'unsafe-inline'", "script-src 'nonce-n2'"], 'script', { nonce: 'n2' }],
    ['self only', ["default-src 'self'"], 'script', false],
    ['none', ["script-src 'none'"], 'script', false],
    ['hashes only', ["script-src 'sha256-AAAA'"], 'script', false],
    ['unsafe-inline switched off by strict-dynamic', ["script-src 'unsafe-inline' 'strict-dynamic' https:"], 'script', false],
    ['unsafe-inline switched off by a hash', ["style-src 'unsafe-inline' 'sha256-AAAA'"], 'style', false],
    ['two policies with different nonces', ["script-src 'nonce-a'", "script-src 'nonce-b'"], 'script', false],
    ['a nonce that is not base64 (never echoed into HTML)', ["script-src 'nonce-\"><x>'"], 'script', false],
    ['strict-dynamic does not concern styles', ["style-src 'unsafe-inline' 'strict-dynamic'"], 'style', {}],
  ] as const)('WHEN it has %s THEN the inline %s is allowed as %p', (_what, policies, kind, expected) => {
    expect(inlineAllowance(policies, kind)).toEqual(expected);
  });

  test('WHEN header values hold several policies or repeated headers THEN each is one policy', () => {
    expect(policiesOf(["default-src 'self', script-src 'none'", null, '', "img-src *"])).toEqual(["default-src 'self'", "script-src 'none'", 'img-src *']);
  });

  test('WHEN the policy has a nonce THEN the banner reuses it on both elements; WHEN nothing allows inline code THEN both are left out', () => {
    const { window, config } = windowOf(JAN);
    const banner = bannerFor(config.page, window);
    expect(banner([])).toBe(renderBanner(config.page, window));
    const nonced = banner(["default-src 'self'; script-src 'nonce-Zm9v' 'strict-dynamic'; style-src 'self' 'nonce-Zm9v'"]);
    expect(nonced).toContain('<style nonce="Zm9v">');
    expect(nonced).toContain('<script nonce="Zm9v">');
    const strict = banner(["default-src 'self'"]);
    expect(strict).not.toMatch(/<style|<script|<button/);
    // Still the whole message.
    expect(strict).toContain('Scheduled maintenance');
    expect(strict).toContain('22:00');
    const noScript = banner(["script-src 'self'"]);
    expect(noScript).toContain('<style>');
    expect(noScript).not.toMatch(/<script|<button/);
  });
});

describe('GIVEN an announced window', () => {
  test('WHEN the banner is rendered THEN it is kept out of snippets, labelled, and its dismiss button waits for the script', () => {
    const { window, config } = windowOf(JAN);
    const html = renderBanner(config.page, window);
    expect(html).toMatch(new RegExp(`^<div id="${BANNER_ID}" data-nosnippet role="region" aria-label="Scheduled maintenance" lang="en" data-window="2030-01-19T22:00:00.000Z/2030-01-20T00:30:00.000Z"`));
    expect(html).toContain('<button type="button" class="dba-x" aria-label="Dismiss the maintenance announcement" title="Dismiss" hidden>');
    expect(html.indexOf('<button')).toBeLessThan(html.indexOf('<script>'));
    expect(html.endsWith('</script></div>')).toBe(true);
    expect(html).toContain(`<a href="${config.page.statusUrl}">Status page</a>`);
    expect(html).toContain(`${config.page.reason}.`);
  });

  test('WHEN its stylesheet is read THEN every rule is under the banner id (nothing leaks into the host page)', () => {
    const { window, config } = windowOf(JAN);
    const css = /<style>(.*?)<\/style>/s.exec(renderBanner(config.page, window))?.[1] ?? '';
    expect(css.length).toBeGreaterThan(100);
    // Flatten @media blocks, then look at every selector list.
    const flat = css.replace(/@media[^{]*\{/g, '').replace(/\}\}/g, '}');
    const selectors = [...flat.matchAll(/([^{}]+)\{[^{}]*\}/g)].flatMap((m) => (m[1] ?? '').split(','));
    expect(selectors.length).toBeGreaterThan(10);
    for (const s of selectors) expect(s.trim()).toMatch(new RegExp(`^#${BANNER_ID}(?![\\w-])`));
    expect(css).not.toMatch(/@import|@font-face|:root|\bhtml\b|\bbody\b|url\(/);
  });

  test('WHEN the zones fall on different days THEN one date heads the banner and other days carry their weekday', () => {
    const { window } = windowOf({ ...JAN, TIME_ZONES: 'Europe/London,America/New_York,Asia/Tokyo' });
    expect(compactWindow(window)).toEqual({
      date: 'Sat 19 Jan',
      ranges: [
        { zone: 'Europe/London', label: 'London', from: '22:00', to: 'Sun\u00a000:30' },
        { zone: 'America/New_York', label: 'New York', from: '17:00', to: '19:30' },
        { zone: 'Asia/Tokyo', label: 'Tokyo', from: 'Sun\u00a007:00', to: 'Sun\u00a009:30' },
      ],
    });
  });

  test('WHEN the window starts in another year than announced or lasts beyond a week THEN the year and the full end date show', () => {
    const { window } = windowOf({ WINDOW_ANNOUNCE: '2029-12-20T09:00:00Z', WINDOW_START: '2030-01-02T08:00:00Z', WINDOW_END: '2030-01-12T08:00:00Z', TIME_ZONES: 'UTC' });
    expect(compactWindow(window)).toEqual({ date: 'Wed 2 Jan 2030', ranges: [{ zone: 'UTC', label: 'UTC', from: '08:00', to: 'Sat 12 Jan\u00a008:00' }] });
  });

  test('WHEN any window in any zone is compacted THEN each time is the hour and minute formatInZone gives, on the day it names', () => {
    const zones = ['Europe/London', 'America/New_York', 'America/Los_Angeles', 'Asia/Tokyo', 'Australia/Sydney', 'Asia/Kolkata', 'UTC', 'Pacific/Kiritimati'];
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2027, 0, 1) / 60000, max: Date.UTC(2035, 0, 1) / 60000 }), fc.integer({ min: 1, max: 60 * 24 * 9 }), fc.subarray(zones, { minLength: 1 }), (startMin, minutes, tz) => {
        const iso = (m: number) => new Date(m * 60000).toISOString().replace('.000Z', 'Z');
        const { window } = windowOf({ WINDOW_ANNOUNCE: iso(startMin - 60), WINDOW_START: iso(startMin), WINDOW_END: iso(startMin + minutes), TIME_ZONES: tz.join(',') });
        const { date, ranges } = compactWindow(window);
        const head = formatInZone(new Date(startMin * 60000), tz[0] ?? 'UTC');
        expect(head.startsWith(date.split(' ').slice(0, 3).join(' '))).toBe(true);
        ranges.forEach((r, i) => {
          const zone = tz[i] ?? 'UTC';
          for (const [shown, m] of [[r.from, startMin], [r.to, startMin + minutes]] as const) {
            const full = formatInZone(new Date(m * 60000), zone);
            const hm = /, (\d\d:\d\d) /.exec(full)?.[1];
            expect(shown.endsWith(hm ?? '?')).toBe(true);
            const day = shown.slice(0, -5).trim();
            // No day: the headline's date. A weekday (with a date when far): the date it names.
            if (day === '') expect(full.startsWith(head.slice(0, head.indexOf(',')))).toBe(true);
            else expect(full.startsWith(day)).toBe(true);
          }
        });
      }),
      { numRuns: 150 },
    );
  });
});

describe('GIVEN the read-only page (the site is up, writes are paused)', () => {
  const page = configWith({}).page;

  test('WHEN it is rendered THEN it says browsing goes on and when changes resume, never "Expected back"', () => {
    const html = renderPage(page, 'read-only');
    expect(html).toContain('You can keep browsing Example Shop; changes are paused until the times below');
    expect(html).toContain('>Changes resume<');
    expect(html).not.toContain('Expected back');
    expect(html).not.toContain('unavailable');
    expect(html).toContain('<a class="go" href="/">Go to the home page</a>');
    for (const t of page.endIn) expect(html).toContain(t.text);
  });

  test('WHEN its end has passed or is unknown THEN it promises no time that is gone', () => {
    const late = renderPage(page, 'read-only', true);
    expect(late).toContain('Taking longer than planned');
    expect(late).toContain('changes to resume by the times below');
    expect(late).not.toContain('<p class="relative"');
    const open = renderPage(configWith({ WINDOW_ANNOUNCE: '', WINDOW_START: '', WINDOW_END: '' }).page, 'read-only');
    expect(open).toContain('for a short while');
    expect(open).toContain('time yet for when changes resume');
  });

  test('WHEN the visitor came from a page of the site THEN the link leads back there', () => {
    expect(renderPage(page, 'read-only', false, { back: '/basket?step=2' })).toContain('<a class="go" href="/basket?step=2">Keep browsing</a>');
  });

  test.each([
    [`${SITE}/basket?step=2`, `${SITE}/cart`, '/basket?step=2'],
    [`${SITE}/a#frag`, `${SITE}/cart`, '/a'],
    [`${SITE}/`, `${SITE}/cart`, '/'],
    [null, `${SITE}/cart`, '/'],
    ['', `${SITE}/cart`, '/'],
    ['not a url', `${SITE}/cart`, '/'],
    ['https://evil.example/phish', `${SITE}/cart`, '/'],
    ['http://www.example-shop.com/basket', `${SITE}/cart`, '/'],
    ['https://www.example-shop.com:8443/basket', `${SITE}/cart`, '/'],
    ['https://api.example-shop.com/basket', `${SITE}/cart`, '/'],
    [`${SITE}//evil.example/x`, `${SITE}/cart`, '/'],
    [`${SITE}/\\evil.example`, `${SITE}/cart`, '/'],
    ['javascript:alert(1)', `${SITE}/cart`, '/'],
  ])('WHEN the Referer is %p on a request for %s THEN the link goes to %p', (referer, url, expected) => {
    expect(backPath(referer, url)).toBe(expected);
  });

  test('WHEN any back path is asked for THEN the link is a same-origin path or the home page, escaped', () => {
    fc.assert(
      fc.property(fc.string(), (back) => {
        const html = renderPage(page, 'read-only', false, { back });
        const href = /<a class="go" href="([^"]*)"/.exec(html)?.[1] ?? '';
        const decoded = href.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
        expect(new URL(decoded, SITE).origin).toBe(SITE);
        expect(decoded.startsWith('/')).toBe(true);
        expect(decoded.startsWith('//')).toBe(false);
      }),
    );
  });

  test.each(['maintenance', 'down'] as const)('WHEN the %s page is rendered THEN it keeps "Expected back" and has no back link', (kind) => {
    const html = renderPage(page, kind);
    expect(html).toContain('>Expected back<');
    expect(html).not.toContain('class="go"');
  });
});
