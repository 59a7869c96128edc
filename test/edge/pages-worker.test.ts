/**
 * The static down page's Pages output (dist/pages/<estate>/) with its `_worker.js` in real workerd.
 * The default estate's output comes from the global setup; variants are built into a temp folder.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { pagesDir } from '../../edge/contract';
import { ROBOTS_TXT } from '../../edge/page';
import { loadEstate } from '../../modes/load';
import { formatInZone } from '../../modes/time';
import { stop as stopEsbuild } from 'esbuild';
import { buildEdge } from '../../scripts/build-edge';
import { ACCEPT, Edge, type Fetcher, Origin, ROOT } from './harness';

const SITE = 'https://www.example-shop.com';
const estate = loadEstate(join(ROOT, 'estates/default.yaml'));
const window = estate.window;
if (!window) throw new Error('the default estate declares a window');
const defaultDir = join(ROOT, pagesDir(estate.name));

const tmp = mkdtempSync(join(tmpdir(), 'drawbridge-pages-'));

/** The default estate with its window replaced (or removed), written to a temp file and built. */
async function buildVariant(name: string, windowYaml: Record<string, unknown> | undefined): Promise<string> {
  const doc = parseDocument(readFileSync(join(ROOT, 'estates/default.yaml'), 'utf8'));
  doc.set('name', name);
  if (windowYaml) doc.set('window', windowYaml);
  else doc.delete('window');
  const file = join(tmp, `${name}.yaml`);
  writeFileSync(file, doc.toString());
  const out = join(tmp, 'dist');
  const result = await buildEdge({ estateFile: file, outDir: out, log: () => undefined });
  return result.pagesDir;
}

const origin = new Origin();
let edge: Edge;
let endedEdge: Edge;
let openEdge: Edge;
let down: Fetcher;
let ended: Fetcher;
let open: Fetcher;

beforeAll(async () => {
  await origin.start();
  const endedDir = await buildVariant('ended', {
    reason: 'Moving to a new data centre',
    announce: '2020-01-01T00:00:00Z',
    start: '2020-01-02T00:00:00Z',
    end: '2020-01-02T04:00:00Z',
    timeZones: ['Europe/Paris'],
  });
  const openDir = await buildVariant('open-ended', undefined);
  // Three instances because each _worker.js is its own script (the bindings are baked in).
  edge = new Edge(origin, { down: {} }, { scriptPath: join(defaultDir, '_worker.js') });
  endedEdge = new Edge(origin, { ended: {} }, { scriptPath: join(endedDir, '_worker.js') });
  openEdge = new Edge(origin, { open: {} }, { scriptPath: join(openDir, '_worker.js') });
  [down, ended, open] = await Promise.all([edge.worker('down'), endedEdge.worker('ended'), openEdge.worker('open')]);
});

afterAll(async () => {
  await Promise.all([edge?.dispose(), endedEdge?.dispose(), openEdge?.dispose()]);
  await origin.stop();
  rmSync(tmp, { recursive: true, force: true });
  await stopEsbuild(); // its service process would keep jest from exiting
});

describe('GIVEN the default estate down page', () => {
  test('WHEN the build ran THEN the output holds index.html, _worker.js and robots.txt', () => {
    expect(readFileSync(join(defaultDir, 'robots.txt'), 'utf8')).toBe(ROBOTS_TXT);
    const html = readFileSync(join(defaultDir, 'index.html'), 'utf8');
    expect(html).toContain(window.reason);
    for (const zone of window.timeZones) expect(html).toContain(formatInZone(window.end, zone));
    expect(readFileSync(join(defaultDir, '_worker.js'), 'utf8')).toMatch(/export\s*\{[^}]*as default/);
  });

  test.each(['/', '/products/42', '/checkout?step=2', '/index.html'])('WHEN a browser asks for %s THEN it gets the page as 503 with Retry-After, noindex and no-store', async (path) => {
    const res = await down.fetch(`${SITE}${path}`, { headers: { Accept: ACCEPT.browser } });
    expect(res.status).toBe(503);
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    expect(res.headers.get('X-Robots-Tag')).toBe('noindex');
    expect(res.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
    const expected = Math.ceil((Date.parse(window.end) - Date.now()) / 1000);
    const retry = Number(res.headers.get('Retry-After'));
    expect(retry).toBeLessThanOrEqual(expected + 2);
    expect(retry).toBeGreaterThan(expected - 60);
    expect(await res.text()).toBe(readFileSync(join(defaultDir, 'index.html'), 'utf8'));
  });

  test.each(['POST', 'PUT', 'DELETE'])('WHEN a %s arrives THEN it gets 503 too', async (method) => {
    const res = await down.fetch(`${SITE}/cart`, { method, body: 'x' });
    expect(res.status).toBe(503);
  });

  test('WHEN an API client asks THEN it gets the JSON body', async () => {
    const res = await down.fetch(`${SITE}/api/orders`, { headers: { Accept: ACCEPT.json } });
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({
      status: 'maintenance',
      message: window.reason,
      expectedBack: new Date(window.end).toISOString(),
      expectedBackIn: window.timeZones.map((zone) => ({ zone, text: formatInZone(window.end, zone) })),
    });
  });

  test('WHEN robots.txt is asked for THEN it answers 200 and lets crawlers come back', async () => {
    const res = await down.fetch(`${SITE}/robots.txt`);
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('text/plain; charset=utf-8');
    expect(await res.text()).toBe(ROBOTS_TXT);
  });

  test('WHEN a HEAD arrives THEN it gets the 503 headers and no body', async () => {
    const res = await down.fetch(`${SITE}/`, { method: 'HEAD' });
    expect(res.status).toBe(503);
    expect(res.headers.has('Retry-After')).toBe(true);
    expect(await res.text()).toBe('');
  });

  test('WHEN the page is served THEN nothing reached any origin', () => {
    expect(origin.requests).toHaveLength(0);
  });
});

describe('GIVEN a down page whose window has ended', () => {
  test('WHEN it is asked for THEN it is still 503 but without Retry-After', async () => {
    const res = await ended.fetch(`${SITE}/`);
    expect(res.status).toBe(503);
    expect(res.headers.has('Retry-After')).toBe(false);
    const html = await res.text();
    expect(html).toContain('Moving to a new data centre');
    expect(html).toContain(formatInZone('2020-01-02T04:00:00Z', 'Europe/Paris'));
  });
});

describe('GIVEN a down page for an estate with no window', () => {
  test('WHEN it is asked for THEN it is 503 without Retry-After and says there is no finish time yet', async () => {
    const res = await open.fetch(`${SITE}/`);
    expect(res.status).toBe(503);
    expect(res.headers.has('Retry-After')).toBe(false);
    expect(await res.text()).toContain('don\u2019t have a finish time yet');
  });
});
