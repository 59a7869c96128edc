/**
 * Gate overhead: requests per second through the gate Worker in normal mode against a bare
 * pass-through Worker (`fetch(request)` and nothing else), both in workerd (miniflare) on
 * 127.0.0.1 in front of the same local origin, same load, same duration, one after the other
 * after a warm-up. Then the maintenance 503's requests per second, and a mixed maintenance run that
 * checks every answer: 503 except the health paths, robots.txt and staff with a bypass cookie.
 * Figures, not a pass/fail timing; the process fails only when an answer is wrong.
 *
 *   npx tsx bench/gate.ts            (BENCH_SECONDS=5 by default, BENCH_CONNECTIONS=32)
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { Miniflare } from 'miniflare';
import { makeCookieValue } from '../edge/bypass';
import { GATE_COMPATIBILITY_DATE } from '../edge/contract';
import { loadEstate } from '../modes/load';
import type { GateBindings } from '../modes/gate-contract';
import { resolve } from '../modes/resolve';
import { buildEdge } from '../scripts/build-edge';

interface RequestSpec {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  onResponse?: (status: number, body: string) => void;
}
interface Result {
  requests: { average: number; total: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  '2xx': number;
}
type Autocannon = (opts: { url: string; connections: number; duration: number; requests?: RequestSpec[]; headers?: Record<string, string> }) => Promise<Result>;
// autocannon ships no types; this is the part used here.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as Autocannon;

const ROOT = join(__dirname, '..');
const BARE_WORKER = 'export default { fetch(request) { return fetch(request); } };';
/** A small HTML page, the usual size of a dynamic response's first bytes. */
const ORIGIN_BODY = Buffer.from(`<!doctype html><html><head><title>Shop</title></head><body>${'<p>product</p>'.repeat(100)}</body></html>`);

export interface GateBenchFigures {
  readonly gatePassthroughRps: number;
  readonly barePassthroughRps: number;
  readonly ratio: number;
  readonly maintenanceRps: number;
  readonly mixed: { readonly total: number; readonly refused: number; readonly passed: number; readonly unexpected: number };
}

async function startOrigin(): Promise<Server> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': ORIGIN_BODY.length });
      res.end(ORIGIN_BODY);
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return server;
}

function worker(origin: Server, opts: { scriptPath?: string; script?: string; bindings?: Record<string, string> }): Miniflare {
  const common = {
    host: '127.0.0.1',
    port: 0,
    modules: true,
    compatibilityDate: GATE_COMPATIBILITY_DATE,
    outboundService: { external: { address: `127.0.0.1:${(origin.address() as AddressInfo).port}`, http: {} } },
    ...(opts.bindings ? { bindings: opts.bindings } : {}),
  };
  return opts.scriptPath ? new Miniflare({ ...common, scriptPath: opts.scriptPath, modulesRoot: dirname(opts.scriptPath) }) : new Miniflare({ ...common, script: opts.script ?? '' });
}

function bindings(mode: 'normal' | 'maintenance'): GateBindings {
  const estate = loadEstate(join(ROOT, 'estates/default.yaml'));
  const gate = resolve(estate, { ...estate.state, mode }).cloudflare?.gate?.bindings;
  if (!gate) throw new Error('the default estate has no Cloudflare gate');
  return gate;
}

export async function main(log: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Promise<GateBenchFigures> {
  const seconds = Math.max(1, Number(process.env.BENCH_SECONDS ?? 5));
  const connections = Math.max(1, Number(process.env.BENCH_CONNECTIONS ?? 32));
  const { gate } = await buildEdge({ log: () => undefined });
  const secret = randomBytes(36).toString('base64url');
  const origin = await startOrigin();
  const now = Date.now();
  const maintenance = {
    ...bindings('maintenance'),
    WINDOW_ANNOUNCE: new Date(now - 3_600_000).toISOString(),
    WINDOW_START: new Date(now - 1_800_000).toISOString(),
    WINDOW_END: new Date(now + 7_200_000).toISOString(),
    BYPASS_SECRET: secret,
  };
  const instances = {
    gate: worker(origin, { scriptPath: gate, bindings: { ...bindings('normal'), BYPASS_SECRET: secret } }),
    bare: worker(origin, { script: BARE_WORKER }),
    maintenance: worker(origin, { scriptPath: gate, bindings: maintenance }),
  };
  try {
    const url = async (name: keyof typeof instances) => (await instances[name].ready).href;
    const [gateUrl, bareUrl, maintenanceUrl] = await Promise.all([url('gate'), url('bare'), url('maintenance')]);
    const load = (target: string, duration: number, requests?: RequestSpec[]) =>
      autocannon({ url: target, connections, duration, headers: { Accept: 'text/html' }, ...(requests ? { requests } : {}) });

    // Warm both up (JIT, connection pools), then measure one after the other for the same time.
    await load(gateUrl, 1);
    await load(bareUrl, 1);
    const gateRun = await load(gateUrl, seconds);
    const bareRun = await load(bareUrl, seconds);
    for (const [name, r] of [['gate', gateRun], ['bare', bareRun]] as const) {
      if (r.non2xx || r.errors || r.timeouts) throw new Error(`${name} pass-through: ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts`);
    }
    const ratio = gateRun.requests.average / bareRun.requests.average;
    log(`gate.passthrough.rps: ${Math.round(gateRun.requests.average)}`);
    log(`bare.passthrough.rps: ${Math.round(bareRun.requests.average)}`);
    log(`gate.passthrough.ratio: ${ratio.toFixed(2)} (goal >= 0.9)`);

    const pageRun = await load(maintenanceUrl, seconds);
    if (pageRun['2xx'] || pageRun.errors || pageRun.timeouts) throw new Error(`maintenance: ${pageRun['2xx']} passed, ${pageRun.errors} errors, ${pageRun.timeouts} timeouts`);
    log(`gate.maintenance.rps: ${Math.round(pageRun.requests.average)}`);

    // Mixed maintenance traffic: every answer is checked.
    const host = new URL(maintenanceUrl).hostname;
    const cookie = `${maintenance.BYPASS_COOKIE}=${await makeCookieValue(secret, host, Math.floor(Date.now() / 1000), Number(maintenance.BYPASS_TTL_SECONDS))}`;
    const mixed = { total: 0, refused: 0, passed: 0, unexpected: 0 };
    const expect = (want: number) => (status: number) => {
      mixed.total++;
      if (status !== want) mixed.unexpected++;
      else if (status === 503) mixed.refused++;
      else mixed.passed++;
    };
    const health = maintenance.HEALTH_PATHS.split(',');
    const requests: RequestSpec[] = [
      { path: '/', onResponse: expect(503) },
      { path: '/products/42', headers: { Accept: 'application/json' }, onResponse: expect(503) },
      // No body: workerd closes a keep-alive connection whose request body the Worker left unread
      // (the gate refuses writes without reading them), and autocannon then misattributes answers.
      { method: 'POST', path: '/cart', onResponse: expect(503) },
      { path: '/', headers: { 'X-Forwarded-For': '203.0.113.10' }, onResponse: expect(503) },
      { path: '/account', headers: { Cookie: `${maintenance.BYPASS_COOKIE}=${Date.now()}.forged` }, onResponse: expect(503) },
      ...health.map((p): RequestSpec => ({ path: p, onResponse: expect(200) })),
      { path: '/robots.txt', onResponse: expect(200) },
      { path: '/account', headers: { Cookie: cookie }, onResponse: expect(200) },
    ];
    const mixedRun = await load(maintenanceUrl, Math.min(seconds, 2), requests);
    log(`gate.maintenance.mixed.responses: ${mixed.total} (${mixed.refused} x 503, ${mixed.passed} passed: health paths, robots.txt, bypass cookie; ${mixed.unexpected} unexpected)`);
    if (mixed.unexpected || mixedRun.errors || mixedRun.timeouts || mixed.total === 0) {
      throw new Error(`maintenance answered ${mixed.unexpected} requests wrongly (${mixedRun.errors} errors, ${mixedRun.timeouts} timeouts)`);
    }
    return {
      gatePassthroughRps: gateRun.requests.average,
      barePassthroughRps: bareRun.requests.average,
      ratio,
      maintenanceRps: pageRun.requests.average,
      mixed,
    };
  } finally {
    await Promise.all(Object.values(instances).map((m) => m.dispose()));
    await new Promise<void>((ok) => {
      origin.closeAllConnections();
      origin.close(() => ok());
    });
    const { stop } = await import('esbuild');
    await stop();
  }
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`bench/gate: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
