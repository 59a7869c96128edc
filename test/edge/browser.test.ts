/**
 * The maintenance page (from the gate in workerd) and the down page (its Pages `_worker.js` in
 * workerd) rendered by Debian's Chromium at a phone width and a desktop width. Screenshots go to
 * test/__screenshots__/ (gitignored) for people to look at.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { pagesDir } from '../../edge/contract';
import { loadEstate } from '../../modes/load';
import { formatInZone } from '../../modes/time';
import { Edge, estateBindings, HOUR, newSecret, Origin, ROOT, windowAt } from './harness';

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = join(ROOT, 'test/__screenshots__');
const WIDTHS = [375, 1280] as const;

const now = Date.now();
const estate = loadEstate(join(ROOT, 'estates/default.yaml'));
const estateWindow = estate.window;
if (!estateWindow) throw new Error('the default estate declares a window');

interface Scenario {
  readonly name: string;
  /** What must be visible, and the status the document must have. */
  readonly status: number;
  readonly visible: readonly string[];
  readonly path: string;
}

const gateEnd = now + 2 * HOUR;
const gateBindings = { ...estateBindings('maintenance'), ...windowAt(-1, -0.5, 2, now), BYPASS_SECRET: newSecret() };
const announced = { ...estateBindings('normal'), ...windowAt(-1, 20, 22.5, now), BYPASS_SECRET: newSecret() };
const zones = gateBindings.TIME_ZONES.split(',');

const SCENARIOS: Scenario[] = [
  {
    name: 'gate-maintenance',
    status: 503,
    path: '/',
    visible: [gateBindings.REASON, 'Example Shop', ...zones.map((z) => formatInZone(new Date(Math.floor(gateEnd / 1000) * 1000), z)), 'status page'],
  },
  {
    name: 'down-page',
    status: 503,
    path: '/',
    visible: [estateWindow.reason, 'Example Shop', ...estateWindow.timeZones.map((z) => formatInZone(estateWindow.end, z)), 'status page'],
  },
  {
    name: 'gate-announcement',
    status: 200,
    path: '/html',
    visible: [
      'Welcome to the shop',
      ...zones.map((z) => `${formatInZone(new Date(Math.floor((now + 20 * HOUR) / 1000) * 1000), z)} until ${formatInZone(new Date(Math.floor((now + 22.5 * HOUR) / 1000) * 1000), z)}`),
    ],
  },
];

const origin = new Origin();
const edges: Record<string, Edge> = {};
const urls: Record<string, string> = {};
let browser: Browser;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  await origin.start();
  edges['gate-maintenance'] = new Edge(origin, { gate: gateBindings });
  edges['gate-announcement'] = new Edge(origin, { gate: announced });
  edges['down-page'] = new Edge(origin, { down: {} }, { scriptPath: join(ROOT, pagesDir(estate.name), '_worker.js') });
  const [launched] = await Promise.all([
    chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    }),
    ...Object.entries(edges).map(async ([name, edge]) => (urls[name] = (await edge.mf.ready).href)),
  ]);
  browser = launched;
});

afterAll(async () => {
  await browser?.close();
  await Promise.all(Object.values(edges).map((e) => e.dispose()));
  await origin.stop();
});

/** Opens `url` at `width`, recording console errors, page errors and every request the page makes. */
async function open(url: string, width: number): Promise<{ page: Page; status: number; errors: string[]; requests: string[] }> {
  const context = await browser.newContext({ viewport: { width, height: 800 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    // Chromium reports the document's own status on the console; the 503 is the point of the page.
    if (/^Failed to load resource: the server responded with a status of 503/.test(m.text()) && m.location().url === url) return;
    errors.push(`${m.type()}: ${m.text()} (${m.location().url})`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('request', (r) => requests.push(r.url()));
  const response = await page.goto(url, { waitUntil: 'load' });
  return { page, status: response?.status() ?? 0, errors, requests };
}

describe.each(SCENARIOS)('GIVEN the $name', (scenario) => {
  test.each(WIDTHS)(`WHEN Chromium opens it %p px wide THEN the reason and the time in each zone are visible, nothing overflows and nothing errs`, async (width) => {
    const url = new URL(scenario.path, urls[scenario.name]).href;
    const { page, status, errors, requests } = await open(url, width);
    try {
      expect(status).toBe(scenario.status);
      for (const text of scenario.visible) await expect(page.getByText(text, { exact: false }).first().isVisible()).resolves.toBe(true);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      // Everything the page loaded came from the server that served it: no fonts, CDNs or trackers.
      expect(requests.filter((r) => !r.startsWith(new URL(url).origin))).toEqual([]);
      await page.screenshot({ path: join(SHOTS, `${scenario.name}-${width}.png`), fullPage: true });
      expect(errors).toEqual([]);
    } finally {
      await page.context().close();
    }
  });
});

describe('GIVEN the gate page at 375 px', () => {
  test('WHEN it is read THEN body text is at least 16 px and the heading is the first thing after the brand', async () => {
    const { page } = await open(urls['gate-maintenance'] ?? '', 375);
    try {
      const body = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
      expect(body).toBeGreaterThanOrEqual(16);
      const h1 = await page.locator('h1').boundingBox();
      expect(h1?.y).toBeLessThan(200);
      expect(await page.locator('main').count()).toBe(1);
      expect(await page.getAttribute('html', 'lang')).toBe('en');
    } finally {
      await page.context().close();
    }
  });
});
