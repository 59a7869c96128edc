/**
 * What people see, in Debian's Chromium (one launch for the file): the maintenance page and the
 * read-only page from the gate in workerd, the down page from its Pages `_worker.js` in workerd,
 * and the announcement banner on a sample shop page. Pages are served on the site's own origin
 * (browser-kit.ts serveSite), so CSP, localStorage and Referer behave as in production.
 *
 * Covered: phone and desktop widths, light and dark schemes (computed colours and their contrast),
 * the compact banner on a 375 x 667 phone (height, one date, no time split over lines, dismissal
 * remembered per window, keyboard, blocked storage, strict host CSP, host CSS kept out), the
 * read-only wording and its way back, the visitor's own time zone and the relative time (updated
 * as time passes), and that without JavaScript the listed zones and absolute times are all there.
 * Screenshots go to test/__screenshots__/ (gitignored) for people to look at; `npm run screenshots`
 * makes the full light/dark set.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { pagesDir } from '../../edge/contract';
import { contrast, zoneLabel } from '../../edge/page';
import { loadEstate } from '../../modes/load';
import { formatInZone } from '../../modes/time';
import { HOST_NONCE, HOST_PAGE_CSP, HOST_PAGE_HTML, launchChromium, serveSite } from './browser-kit';
import { Edge, estateBindings, type Fetcher, HOUR, newSecret, type Origin, ROOT, SITE, startOrigin, windowAt } from './harness';

const SHOTS = join(ROOT, 'test/__screenshots__');
const WIDTHS = [375, 1280] as const;
const PHONE = { width: 375, height: 667 } as const;

const now = Date.now();
const estate = loadEstate(join(ROOT, 'estates/default.yaml'));
const estateWindow = estate.window;
if (!estateWindow) throw new Error('the default estate declares a window');

/** Window bindings are whole seconds: so are the instants the pages show. */
const at = (hours: number) => Math.floor((now + hours * HOUR) / 1000) * 1000;
const secret = newSecret();
const gateEnd = at(2);
const WORKERS = {
  maintenance: { ...estateBindings('maintenance'), ...windowAt(-1, -0.5, 2, now), BYPASS_SECRET: secret },
  'read-only': { ...estateBindings('cutover'), ...windowAt(-1, -0.5, 2, now), BYPASS_SECRET: secret },
  announced: { ...estateBindings('normal'), ...windowAt(-1, 20, 22.5, now), BYPASS_SECRET: secret },
  /** The next window: a dismissal of the first must not hide it. */
  'announced-next': { ...estateBindings('normal'), ...windowAt(-1, 44, 46, now), BYPASS_SECRET: secret },
};
type WorkerName = keyof typeof WORKERS | 'down';
const zones = WORKERS.maintenance.TIME_ZONES.split(',');

/**
 * The sample shop: /html with its strict nonce CSP, /plain the same page without one, /strict with
 * a CSP that lets only the page's own nonced styles in and no inline script at all.
 */
const STRICT_CSP = `default-src 'self'; style-src 'self' 'nonce-${HOST_NONCE}'`;
let origin: Awaited<ReturnType<typeof startOrigin>>;
let gate: Edge;
let down: Edge;
let browser: Browser;
const workers: Partial<Record<WorkerName, Fetcher>> = {};

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  origin = await startOrigin((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    const csp = path === '/html' ? HOST_PAGE_CSP : path === '/strict' ? STRICT_CSP : undefined;
    if (path === '/html' || path === '/plain' || path === '/strict') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', ...(csp ? { 'Content-Security-Policy': csp } : {}) });
      res.end(HOST_PAGE_HTML);
    } else {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
    }
  });
  gate = new Edge({ port: origin.port } as Origin, WORKERS);
  down = new Edge({ port: origin.port } as Origin, { down: {} }, { scriptPath: join(ROOT, pagesDir(estate.name), '_worker.js') });
  const [launched] = await Promise.all([
    launchChromium(),
    ...(Object.keys(WORKERS) as (keyof typeof WORKERS)[]).map(async (name) => (workers[name] = await gate.worker(name))),
    (async () => (workers.down = await down.worker('down')))(),
  ]);
  browser = launched;
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([gate?.dispose(), down?.dispose()]);
  await origin?.close();
});

interface Opened {
  readonly page: Page;
  readonly status: number;
  readonly errors: string[];
  readonly requests: string[];
  /** Serve the site from another Worker from now on (same origin, so same storage). */
  use(name: WorkerName): void;
}

/** Opens `path` on the site served by `worker`, recording console errors, page errors and every request. */
async function open(worker: WorkerName, path: string, options: BrowserContextOptions = {}, before?: (page: Page) => Promise<unknown>): Promise<Opened> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1, ...options });
  let current: WorkerName = worker;
  await serveSite(context, () => {
    const w = workers[current];
    if (!w) throw new Error(`no worker ${current}`);
    return w;
  });
  const page = await context.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    // Chromium reports the document's own status on the console; the 503 is the point of the page.
    if (/^Failed to load resource: the server responded with a status of 503/.test(m.text()) && m.location().url.startsWith(SITE)) return;
    errors.push(`${m.type()}: ${m.text()} (${m.location().url})`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('request', (r) => requests.push(r.url()));
  await before?.(page);
  const response = await page.goto(`${SITE}${path}`, { waitUntil: 'load' });
  return {
    page,
    status: response?.status() ?? 0,
    errors,
    requests,
    use: (name) => {
      current = name;
    },
  };
}

async function closing<T>(opened: Opened, body: (o: Opened) => Promise<T>): Promise<T> {
  try {
    return await body(opened);
  } finally {
    await opened.page.context().close();
  }
}

/** "rgb(11, 83, 148)" -> "#0b5394" (the colours here are opaque). */
function hexOf(css: string): string {
  const m = /^rgba?\((\d+), (\d+), (\d+)(?:, ([\d.]+))?\)$/.exec(css);
  if (!m) throw new Error(`not an rgb() colour: ${css}`);
  if (m[4] !== undefined && Number(m[4]) !== 1) throw new Error(`translucent colour: ${css}`);
  return `#${[m[1], m[2], m[3]].map((c) => Number(c).toString(16).padStart(2, '0')).join('')}`;
}

async function colours(page: Page, selector: string): Promise<{ color: string; background: string }> {
  const c = await page.locator(selector).first().evaluate((el) => {
    const s = getComputedStyle(el);
    return { color: s.color, background: s.backgroundColor };
  });
  // An element without a background of its own (h1, a link) shows its parent's: report it as ''.
  return { color: hexOf(c.color), background: c.background === 'rgba(0, 0, 0, 0)' ? '' : hexOf(c.background) };
}

const hm = (instant: number, zone: string) => /, (\d\d:\d\d) /.exec(formatInZone(new Date(instant), zone))?.[1] ?? '?';

// ---- Every page at a phone width and a desktop width ------------------------------------------

interface Scenario {
  readonly name: string;
  readonly worker: WorkerName;
  readonly path: string;
  readonly status: number;
  /** What must be visible. */
  readonly visible: readonly string[];
}

const SCENARIOS: Scenario[] = [
  {
    name: 'gate-maintenance',
    worker: 'maintenance',
    status: 503,
    path: '/',
    visible: [WORKERS.maintenance.REASON, 'Example Shop', ...zones.map((z) => formatInZone(new Date(gateEnd), z)), 'status page'],
  },
  {
    name: 'down-page',
    worker: 'down',
    status: 503,
    path: '/',
    visible: [estateWindow.reason, 'Example Shop', ...estateWindow.timeZones.map((z) => formatInZone(estateWindow.end, z)), 'status page'],
  },
  { name: 'gate-announcement', worker: 'announced', status: 200, path: '/html', visible: ['Welcome to the shop', 'Scheduled maintenance', WORKERS.announced.REASON] },
];

describe.each(SCENARIOS)('GIVEN the $name', (scenario) => {
  test.each(WIDTHS)('WHEN Chromium opens it %p px wide THEN the reason and the times are visible, nothing overflows and nothing errs', async (width) => {
    await closing(await open(scenario.worker, scenario.path, { viewport: { width, height: 800 } }), async ({ page, status, errors, requests }) => {
      expect(status).toBe(scenario.status);
      for (const text of scenario.visible) await expect(page.getByText(text, { exact: false }).first().isVisible()).resolves.toBe(true);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      // Everything the page loaded came from the site itself: no fonts, CDNs or trackers.
      expect(requests.filter((r) => !r.startsWith(`${SITE}/`))).toEqual([]);
      await page.screenshot({ path: join(SHOTS, `${scenario.name}-${width}.png`), fullPage: true });
      expect(errors).toEqual([]);
    });
  });
});

describe('GIVEN the gate page at 375 px', () => {
  test('WHEN it is read THEN body text is at least 16 px and the heading is the first thing after the brand', async () => {
    await closing(await open('maintenance', '/', { viewport: PHONE }), async ({ page }) => {
      const body = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
      expect(body).toBeGreaterThanOrEqual(16);
      const h1 = await page.locator('h1').boundingBox();
      expect(h1?.y).toBeLessThan(200);
      expect(await page.locator('main').count()).toBe(1);
      expect(await page.getAttribute('html', 'lang')).toBe('en');
    });
  });
});

// ---- Dark mode -------------------------------------------------------------------------------

describe.each([
  ['maintenance page', 'maintenance', '/'],
  ['down page', 'down', '/'],
] as const)('GIVEN the %s in the light and the dark scheme', (_what, worker, path) => {
  test('WHEN the scheme changes THEN page, card, text and brand band change colour, and text keeps at least 4.5:1 in both', async () => {
    const seen: Record<string, Record<string, { color: string; background: string }>> = {};
    for (const colorScheme of ['light', 'dark'] as const) {
      seen[colorScheme] = await closing(await open(worker, path, { colorScheme }), async ({ page, errors }) => {
        const c = {
          body: await colours(page, 'body'),
          card: await colours(page, '.card'),
          heading: await colours(page, 'h1'),
          band: await colours(page, '.band'),
          link: await colours(page, '.card a'),
          zone: await colours(page, '.times .zone'),
        };
        expect(errors).toEqual([]);
        return c;
      });
      const c = seen[colorScheme] ?? {};
      expect(contrast(c.heading?.color ?? '', c.card?.background ?? '')).toBeGreaterThanOrEqual(4.5);
      expect(contrast(c.link?.color ?? '', c.card?.background ?? '')).toBeGreaterThanOrEqual(4.5);
      expect(contrast(c.zone?.color ?? '', c.card?.background ?? '')).toBeGreaterThanOrEqual(4.5);
      // The brand band's text is computed for the band's colour in each scheme.
      expect(contrast(c.band?.color ?? '', c.band?.background ?? '')).toBeGreaterThanOrEqual(4.5);
    }
    for (const part of ['body', 'card', 'heading', 'band', 'link'] as const) {
      const prop = part === 'heading' || part === 'link' ? 'color' : 'background';
      expect(seen.dark?.[part]?.[prop]).not.toBe(seen.light?.[part]?.[prop]);
    }
    // Dark means dark: the page background is darker than its text.
    expect(contrast(seen.dark?.body?.background ?? '', '#000000')).toBeLessThan(contrast(seen.dark?.body?.color ?? '', '#000000'));
  });
});

describe('GIVEN the announcement banner in the light and the dark scheme', () => {
  test('WHEN the scheme changes THEN its band changes colour and its text and link keep at least 4.5:1', async () => {
    const seen: Record<string, { band: { color: string; background: string }; link: string }> = {};
    for (const colorScheme of ['light', 'dark'] as const) {
      seen[colorScheme] = await closing(await open('announced', '/html', { colorScheme, viewport: PHONE }), async ({ page }) => ({
        band: await colours(page, '#drawbridge-announcement'),
        link: (await colours(page, '#drawbridge-announcement a')).color,
      }));
      const s = seen[colorScheme];
      expect(contrast(s?.band.color ?? '', s?.band.background ?? '')).toBeGreaterThanOrEqual(4.5);
      expect(contrast(s?.link ?? '', s?.band.background ?? '')).toBeGreaterThanOrEqual(4.5);
    }
    expect(seen.dark?.band.background).not.toBe(seen.light?.band.background);
  });
});

// ---- The compact banner on a phone -----------------------------------------------------------

const BANNER = '#drawbridge-announcement';
const MONTH_DAY = /\b\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\b/g;

describe('GIVEN an announced window on a 375 x 667 phone', () => {
  test.each(['Europe/London', 'Asia/Tokyo'])('WHEN the visitor is in %s THEN the banner is under 15%% of the screen, shows one date, the times in each zone and splits no time over lines', async (timezoneId) => {
    await closing(await open('announced', '/html', { viewport: PHONE, timezoneId }), async ({ page, errors }) => {
      const banner = page.locator(BANNER);
      const box = await banner.boundingBox();
      expect(box?.y).toBe(0);
      expect(box?.height).toBeLessThan(PHONE.height * 0.15);
      const text = await banner.innerText();
      expect(text.match(MONTH_DAY)).toHaveLength(1);
      for (const zone of zones) {
        const item = await page.locator(`${BANNER} [data-zone="${zone}"]`).innerText();
        expect(item).toMatch(new RegExp(`^${zoneLabel(zone)}\\s(\\w{3}\\s)?${hm(at(20), zone)}\u2013(\\w{3}\\s)?${hm(at(22.5), zone)}$`));
      }
      // Every zone's range, and every time in it, sits on one line (all its boxes share one top).
      const split = await page
        .locator(`${BANNER} .dba-t, ${BANNER} time, ${BANNER} .dba-date`)
        .evaluateAll((els) => els.filter((el) => new Set(Array.from(el.getClientRects()).map((r) => Math.round(r.bottom))).size !== 1).map((el) => el.outerHTML));
      expect(await page.locator(`${BANNER} .dba-t`).count()).toBeGreaterThanOrEqual(zones.length);
      expect(split).toEqual([]);
      expect(await page.locator(`${BANNER} .dba-x`).isVisible()).toBe(true);
      expect(await banner.getAttribute('data-nosnippet')).not.toBeNull();
      expect(errors).toEqual([]);
    });
  });

  test('WHEN it is dismissed THEN it stays dismissed after a reload, and comes back for the next window', async () => {
    await closing(await open('announced', '/html', { viewport: PHONE }), async ({ page, use }) => {
      await page.locator(`${BANNER} .dba-x`).click();
      expect(await page.locator(BANNER).count()).toBe(0);
      await page.reload();
      expect(await page.getByText('Welcome to the shop').isVisible()).toBe(true);
      expect(await page.locator(BANNER).count()).toBe(0);
      // Same site, same storage, a new window: announced again.
      use('announced-next');
      await page.reload();
      expect(await page.locator(BANNER).isVisible()).toBe(true);
      expect(await page.locator(`${BANNER} .dba-date`).innerText()).toMatch(MONTH_DAY);
    });
  });

  test('WHEN the keyboard is used THEN Tab reaches the dismiss button, which is labelled, and Enter closes the banner', async () => {
    await closing(await open('announced', '/html', { viewport: PHONE }), async ({ page }) => {
      const region = page.getByRole('region', { name: 'Scheduled maintenance' });
      expect(await region.isVisible()).toBe(true);
      const button = page.getByRole('button', { name: 'Dismiss the maintenance announcement' });
      for (let i = 0; i < 3 && !(await button.evaluate((b) => b === document.activeElement)); i++) await page.keyboard.press('Tab');
      expect(await button.evaluate((b) => b === document.activeElement)).toBe(true);
      const outline = await button.evaluate((b) => getComputedStyle(b).outlineStyle);
      expect(outline).toBe('solid');
      await page.keyboard.press('Enter');
      expect(await region.count()).toBe(0);
    });
  });

  test('WHEN storage is blocked THEN the banner still shows, and dismissing it closes it on this page', async () => {
    const blockStorage = async (page: Page) =>
      page.addInitScript(() => {
        Object.defineProperty(window, 'localStorage', {
          get() {
            throw new DOMException('blocked', 'SecurityError');
          },
        });
      });
    await closing(await open('announced', '/html', { viewport: PHONE }, blockStorage), async ({ page, errors }) => {
      expect(await page.locator(BANNER).isVisible()).toBe(true);
      await page.locator(`${BANNER} .dba-x`).click();
      expect(await page.locator(BANNER).count()).toBe(0);
      await page.reload();
      expect(await page.locator(BANNER).isVisible()).toBe(true);
      expect(errors).toEqual([]);
    });
  });

  test('WHEN the host page allows no inline script THEN the banner still shows the window, styled with the page\'s nonce, without a dismiss button and without a CSP violation', async () => {
    const recordViolations = (page: Page) =>
      page.addInitScript(() => {
        const seen: string[] = [];
        (window as unknown as { violations: string[] }).violations = seen;
        document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
      });
    await closing(await open('announced', '/strict', { viewport: PHONE }, recordViolations), async ({ page, errors }) => {
      expect(await page.locator(BANNER).isVisible()).toBe(true);
      expect(await page.locator(`${BANNER} button`).count()).toBe(0);
      expect(await page.locator(`${BANNER} style`).getAttribute('nonce')).not.toBeNull();
      expect((await page.locator(BANNER).boundingBox())?.height).toBeLessThan(PHONE.height * 0.15);
      expect(await page.locator(BANNER).innerText()).toContain(hm(at(20), zones[0] ?? 'UTC'));
      expect(await page.evaluate(() => (window as unknown as { violations: string[] }).violations)).toEqual([]);
      expect(errors.filter((e) => /Content Security Policy/i.test(e))).toEqual([]);
    });
  });

  test('WHEN it lands in a page with its own global CSS THEN neither side restyles the other', async () => {
    const hostStyles = async (page: Page) =>
      page.evaluate(() => {
        const s = (sel: string) => getComputedStyle(document.querySelector(sel) as Element);
        return { p: s('main p').textTransform, pFont: s('main p').fontFamily, button: s('main button').backgroundColor, header: s('header.site').backgroundColor, span: s('#drawbridge-announcement .dba-z').borderBottomStyle, bannerP: s('#drawbridge-announcement p').textTransform, bannerStrong: s('#drawbridge-announcement strong').color };
      });
    await closing(await open('announced', '/plain', { viewport: PHONE }), async ({ page }) => {
      const styles = await hostStyles(page);
      // The host's rules still apply to the host's page...
      expect(styles).toMatchObject({ p: 'uppercase', button: 'rgb(194, 24, 91)', header: 'rgb(62, 39, 35)' });
      expect(styles.pFont).toContain('Georgia');
      // ...and not inside the banner.
      expect(styles.span).toBe('none');
      expect(styles.bannerP).toBe('none');
      expect(styles.bannerStrong).not.toBe('rgb(194, 24, 91)');
    });
  });

  test('WHEN the host page\'s CSP allows inline code only by nonce THEN the banner\'s script runs with it (dismiss button shown, no violation)', async () => {
    await closing(await open('announced', '/html', { viewport: PHONE }), async ({ page, errors }) => {
      expect(await page.locator(`${BANNER} .dba-x`).isVisible()).toBe(true);
      expect(await page.locator(`${BANNER} .dba-rel-narrow`).isVisible()).toBe(true);
      expect(errors).toEqual([]);
    });
  });
});

// ---- The read-only page ----------------------------------------------------------------------

describe('GIVEN a cutover (writes paused, the site up)', () => {
  test('WHEN a visitor submits a form THEN the page says browsing goes on, when changes resume, and leads back to the page they were on', async () => {
    await closing(await open('read-only', '/html', { viewport: PHONE }), async ({ page, errors }) => {
      const [response] = await Promise.all([page.waitForResponse(`${SITE}/cart`), page.getByRole('button', { name: 'Add to cart' }).click()]);
      expect(response.status()).toBe(503);
      await page.waitForLoadState('load');
      const text = await page.locator('main').innerText();
      expect(text).toContain('You can keep browsing Example Shop; changes are paused until the times below');
      expect(text).not.toMatch(/expected back/i);
      expect(text).toMatch(/changes resume/i);
      for (const zone of zones) expect(text).toContain(formatInZone(new Date(gateEnd), zone));
      const back = page.getByRole('link', { name: 'Keep browsing' });
      expect(await back.getAttribute('href')).toBe('/html');
      await back.click();
      await page.waitForURL(`${SITE}/html`);
      expect(await page.getByText('Welcome to the shop').isVisible()).toBe(true);
      expect(errors).toEqual([]);
    });
  });

  test.each([
    ['another site', 'https://evil.example/phish'],
    ['a protocol-relative path', `${SITE}//evil.example/phish`],
    ['the same host over http', 'http://www.example-shop.com/basket'],
  ])('WHEN the write comes with a Referer from %s THEN the way back is the home page, never anywhere else', async (_what, referer) => {
    const res = await workers['read-only']?.fetch(`${SITE}/cart`, { method: 'POST', headers: { Referer: referer, Accept: 'text/html' }, body: 'x' });
    expect(res?.status).toBe(503);
    const html = (await res?.text()) ?? '';
    expect(html).toContain('<a class="go" href="/">Go to the home page</a>');
    expect(html).not.toContain('evil.example');
  });
});

// ---- The visitor's zone and the relative time ------------------------------------------------

describe('GIVEN the maintenance page', () => {
  test('WHEN the visitor is in a zone not listed (Asia/Tokyo) THEN it is added beside the listed ones, formatted as the server formats', async () => {
    await closing(await open('maintenance', '/', { timezoneId: 'Asia/Tokyo' }), async ({ page, errors }) => {
      const items = page.locator('.times li');
      expect(await items.count()).toBe(zones.length + 1);
      const yours = page.locator('.times li.yours');
      expect(await yours.locator('.zone').innerText()).toBe('Your time (Tokyo)');
      expect(await yours.locator('time').innerText()).toBe(formatInZone(new Date(gateEnd), 'Asia/Tokyo'));
      expect(errors).toEqual([]);
    });
  });

  test('WHEN the visitor is in a listed zone (America/New_York) THEN nothing is added', async () => {
    await closing(await open('maintenance', '/', { timezoneId: 'America/New_York' }), async ({ page }) => {
      expect(await page.locator('.times li').count()).toBe(zones.length);
      expect(await page.locator('.times li.yours').count()).toBe(0);
    });
  });

  test('WHEN the page stays open THEN the relative time says "in about 2 hours" and follows the clock', async () => {
    const installClock = (page: Page) => page.clock.install({ time: now });
    await closing(await open('maintenance', '/', {}, installClock), async ({ page }) => {
      const relative = page.locator('[data-drawbridge-relative]');
      expect(await relative.isVisible()).toBe(true);
      expect(await relative.innerText()).toBe('That\u2019s in about 2 hours.');
      await page.clock.fastForward('01:20:00');
      expect(await relative.innerText()).toBe('That\u2019s in 40 minutes.');
      await page.clock.fastForward('01:00:00');
      expect(await relative.isVisible()).toBe(false);
    });
  });

  test('WHEN JavaScript is off THEN the listed zones and absolute times are all there, and no relative time is promised', async () => {
    await closing(await open('maintenance', '/', { javaScriptEnabled: false, timezoneId: 'Asia/Tokyo' }), async ({ page }) => {
      expect(await page.locator('.times li').count()).toBe(zones.length);
      for (const zone of zones) expect(await page.getByText(formatInZone(new Date(gateEnd), zone)).isVisible()).toBe(true);
      expect(await page.locator('[data-drawbridge-relative]').isVisible()).toBe(false);
    });
  });
});

describe('GIVEN the banner and a visitor outside the listed zones', () => {
  test('WHEN it loads THEN it adds "Your time" with the range in the visitor\'s zone and the start as "in about 20 hours"', async () => {
    await closing(await open('announced', '/html', { viewport: { width: 1280, height: 800 }, timezoneId: 'Asia/Tokyo' }), async ({ page }) => {
      const yours = page.locator(`${BANNER} .dba-you`);
      expect(await yours.innerText()).toMatch(new RegExp(`^Your time\\s(\\w{3}\\s)?${hm(at(20), 'Asia/Tokyo')}\u2013(\\w{3}\\s)?${hm(at(22.5), 'Asia/Tokyo')}$`));
      expect(await page.locator(`${BANNER} .dba-rel-wide`).innerText()).toBe(', in about 20 hours');
      expect(await page.locator(`${BANNER} .dba-rel-narrow`).isVisible()).toBe(false);
    });
  });
});
