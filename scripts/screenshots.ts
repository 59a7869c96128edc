/**
 * Screenshots of what people see, for people to look at (not compared by any test):
 *
 *   npm run screenshots [-- --out DIR]
 *
 * Builds the edge into a temporary directory, runs the gate in workerd (miniflare) in front of a
 * sample shop, and has Chromium (CHROMIUM_PATH, else Debian's /usr/bin/chromium) photograph, at
 * 375 and 1280 px wide, in the light and the dark scheme: the maintenance page, the read-only page (after a form post on
 * the shop, so it leads back to that page), and the announcement banner on the shop's home page.
 * Writes DIR/<what>-<width>-<scheme>.png (default DIR: screenshots/, which git ignores).
 */
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve as resolvePath } from 'node:path';
import { DrawbridgeError, runMain } from '../modes/errors';
import { HOST_PAGE_CSP, HOST_PAGE_HTML, launchChromium, serveSite } from '../test/edge/browser-kit';
import { Edge, estateBindings, type Fetcher, newSecret, type Origin, SITE, startOrigin, windowAt } from '../test/edge/harness';
import { buildEdge } from './build-edge';
import { CHROMIUM_TOOL, findTool } from './tools';

const WIDTHS = [375, 1280] as const;
const SCHEMES = ['light', 'dark'] as const;

function parseArgs(argv: readonly string[]): { out: string } {
  let out = resolvePath(__dirname, '..', 'screenshots');
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--out' && argv[i + 1]) out = resolvePath(argv[++i] ?? '');
    else if (arg.startsWith('--out=') && arg.length > 6) out = resolvePath(arg.slice(6));
    else throw new DrawbridgeError(`unknown argument ${JSON.stringify(arg)}; usage: screenshots [--out DIR]`);
  }
  return { out };
}

async function main(): Promise<void> {
  const { out } = parseArgs(process.argv.slice(2));
  // CHROMIUM_PATH or the usual places; installs Debian's as root on Debian, else one line saying how
  findTool(CHROMIUM_TOOL);
  const build = mkdtempSync(join(tmpdir(), 'drawbridge-shots-'));
  const origin = await startOrigin((req, res) => {
    if ((req.url ?? '').split('?')[0] === '/html') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': HOST_PAGE_CSP });
      res.end(HOST_PAGE_HTML);
    } else {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
    }
  });
  let edge: Edge | undefined;
  const browser = await launchChromium();
  try {
    const result = await buildEdge({ outDir: build, log: () => undefined });
    const now = Date.now();
    const secret = newSecret();
    edge = new Edge(
      { port: origin.port } as Origin,
      {
        maintenance: { ...estateBindings('maintenance'), ...windowAt(-1, -0.5, 2, now), BYPASS_SECRET: secret },
        'read-only': { ...estateBindings('cutover'), ...windowAt(-1, -0.5, 2, now), BYPASS_SECRET: secret },
        announced: { ...estateBindings('normal'), ...windowAt(-1, 20, 22.5, now), BYPASS_SECRET: secret },
      },
      { scriptPath: result.gate },
    );
    mkdirSync(out, { recursive: true });
    const written: string[] = [];
    for (const [name, worker, shoot] of [
      ['maintenance', 'maintenance', (url: string) => url],
      ['read-only', 'read-only', undefined],
      ['banner', 'announced', (url: string) => url],
    ] as const) {
      const fetcher: Fetcher = await edge.worker(worker);
      for (const width of WIDTHS) {
        for (const scheme of SCHEMES) {
          const context = await browser.newContext({ viewport: { width, height: width < 600 ? 667 : 800 }, colorScheme: scheme, timezoneId: 'Asia/Tokyo', deviceScaleFactor: width < 600 ? 2 : 1 });
          await serveSite(context, () => fetcher);
          const page = await context.newPage();
          if (shoot) {
            await page.goto(shoot(name === 'banner' ? `${SITE}/html` : `${SITE}/`));
          } else {
            // A write from the shop's own page (its "Add to cart" form): the read-only page then leads back to it.
            await page.goto(`${SITE}/html`);
            await Promise.all([page.waitForURL(`${SITE}/cart`), page.getByRole('button', { name: 'Add to cart' }).click()]);
          }
          const file = join(out, `${name}-${width}-${scheme}.png`);
          await page.screenshot({ path: file, fullPage: name !== 'banner' });
          written.push(relative(process.cwd(), file) || file);
          await context.close();
        }
      }
    }
    process.stdout.write(`${written.map((f) => `screenshot: ${f}`).join('\n')}\n`);
  } finally {
    await browser.close();
    await edge?.dispose();
    await origin.close();
    rmSync(build, { recursive: true, force: true });
  }
}

if (require.main === module) {
  void runMain(main);
}
