/**
 * Test harness for the edge: a local origin on 127.0.0.1 that records what reaches it, and the
 * built gate (dist/edge/gate.js) running in workerd via miniflare, one named Worker per binding
 * set in a single workerd process. Outbound fetches from the Workers go to the origin through
 * miniflare's `outboundService` (a workerd external server), so the gate has no test hook.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import { dirname, join } from 'node:path';
import { Miniflare, type MiniflareOptions, type WorkerOptions } from 'miniflare';
import { GATE_BUNDLE, GATE_COMPATIBILITY_DATE } from '../../edge/contract';
import { loadEstate } from '../../modes/load';
import type { GateBindings } from '../../modes/gate-contract';
import { resolve } from '../../modes/resolve';

export const ROOT = join(__dirname, '..', '..');
export const GATE_JS = join(ROOT, GATE_BUNDLE);
export const SITE = 'https://www.example-shop.com';
export const HOUR = 3600_000;

/** A secret as the Pulumi stack would generate it (random, 48 characters). */
export function newSecret(): string {
  return randomBytes(36).toString('base64url');
}

/** The default estate's gate bindings, as resolve() gives them for `mode`. */
export function estateBindings(mode: 'normal' | 'maintenance' | 'cutover' = 'normal'): GateBindings {
  const estate = loadEstate(join(ROOT, 'estates/default.yaml'));
  const desired = resolve(estate, { ...estate.state, mode: mode === 'cutover' ? 'normal' : mode });
  const bindings = desired.cloudflare?.gate?.bindings;
  if (!bindings) throw new Error('the default estate has no cloudflare gate');
  // The default estate has one colour, so a cutover cannot be resolved; READ_ONLY is what a cutover sets.
  return mode === 'cutover' ? { ...bindings, READ_ONLY: '1' } : bindings;
}

/** Window bindings relative to now (`hours` from now; undefined leaves the binding empty). */
export function windowAt(announce: number | undefined, start: number | undefined, end: number | undefined, now = Date.now()): Pick<GateBindings, 'WINDOW_ANNOUNCE' | 'WINDOW_START' | 'WINDOW_END'> {
  const iso = (h: number | undefined) => (h === undefined ? '' : new Date(now + h * HOUR).toISOString().replace(/\.\d{3}Z$/, 'Z'));
  return { WINDOW_ANNOUNCE: iso(announce), WINDOW_START: iso(start), WINDOW_END: iso(end) };
}

export interface OriginRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly rawHeaders: readonly string[];
  readonly bodySha256: string;
  readonly bodyLength: number;
}

export const ORIGIN_HTML = '<!doctype html><html><head><title>Shop</title></head><body><p id="origin">Welcome to the shop</p></body></html>';

/** The local origin. Every request is recorded; a few paths answer specially. */
export class Origin {
  readonly requests: OriginRequest[] = [];
  private server?: Server;
  private releases: (() => void)[] = [];
  /** Resolved when /stream has sent its first chunk. */
  private firstChunkSent?: () => void;

  get port(): number {
    return (this.server?.address() as AddressInfo).port;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.keepAliveTimeout = 1000;
    await new Promise<void>((ok) => this.server?.listen(0, '127.0.0.1', ok));
  }

  async stop(): Promise<void> {
    for (const r of this.releases) r();
    await new Promise<void>((ok) => {
      this.server?.closeAllConnections();
      this.server?.close(() => ok());
    });
  }

  /** Requests that reached the origin for `path` (path + query). */
  hits(path: string): OriginRequest[] {
    return this.requests.filter((r) => r.url === path);
  }

  /** Lets a pending /stream response finish. */
  releaseStream(): void {
    const all = this.releases;
    this.releases = [];
    for (const r of all) r();
  }

  /** Resolves once /stream has written its first chunk. */
  streamStarted(): Promise<void> {
    return new Promise((ok) => (this.firstChunkSent = ok));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const hash = createHash('sha256');
    let length = 0;
    for await (const chunk of req) {
      hash.update(chunk as Buffer);
      length += (chunk as Buffer).length;
    }
    const record: OriginRequest = {
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
      rawHeaders: req.rawHeaders,
      bodySha256: hash.digest('hex'),
      bodyLength: length,
    };
    this.requests.push(record);
    const path = (req.url ?? '').split('?')[0];
    res.setHeader('X-Origin', 'yes');
    switch (path) {
      case '/html':
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
        res.end(ORIGIN_HTML);
        return;
      case '/json':
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end('{"origin":true,"items":[1,2,3]}');
        return;
      case '/text':
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.end('<body>not html</body>');
        return;
      case '/robots.txt':
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.end('User-agent: *\nDisallow: /checkout\n');
        return;
      case '/redirect':
        res.writeHead(302, { Location: '/elsewhere', 'Set-Cookie': ['a=1; Path=/', 'b=2; Path=/; HttpOnly'] });
        res.end();
        return;
      case '/teapot':
        res.writeHead(418, { 'Content-Type': 'text/plain', 'X-Custom-Reply': 'short and stout' });
        res.end('teapot');
        return;
      case '/stream':
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.write('first chunk\n');
        this.firstChunkSent?.();
        await new Promise<void>((ok) => this.releases.push(ok));
        res.end('second chunk\n');
        return;
      default:
        if (path?.startsWith('/status/')) {
          res.writeHead(Number(path.slice('/status/'.length)), { 'Content-Type': 'text/plain' });
          res.end(`status ${path}`);
          return;
        }
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ method: record.method, url: record.url, bodySha256: record.bodySha256, bodyLength: length }));
    }
  }
}

export type Fetcher = { fetch(input: string, init?: RequestInit): Promise<Response> };

/** One workerd process running several Workers (one per binding set), all sending outbound to `origin`. */
export class Edge {
  readonly stdout: string[] = [];
  readonly stderr: string[] = [];
  readonly mf: Miniflare;

  constructor(origin: Origin, workers: Record<string, Record<string, string>>, opts: { scriptPath?: string; extra?: Partial<MiniflareOptions> } = {}) {
    const worker = (name: string, bindings: Record<string, string>): WorkerOptions => ({
      name,
      modules: true,
      scriptPath: opts.scriptPath ?? GATE_JS,
      // Module names are paths relative to this root; a bundle outside the repo (a temp build) needs its own.
      modulesRoot: dirname(opts.scriptPath ?? GATE_JS),
      compatibilityDate: GATE_COMPATIBILITY_DATE,
      bindings,
      outboundService: { external: { address: `127.0.0.1:${origin.port}`, http: {} } },
    });
    this.mf = new Miniflare({
      host: '127.0.0.1',
      port: 0,
      handleRuntimeStdio: (out: Readable, err: Readable) => {
        out.on('data', (d: Buffer) => this.stdout.push(String(d)));
        err.on('data', (d: Buffer) => this.stderr.push(String(d)));
      },
      workers: Object.entries(workers).map(([name, b]) => worker(name, b)),
      ...opts.extra,
    } as MiniflareOptions);
  }

  async worker(name: string): Promise<Fetcher> {
    return (await this.mf.getWorker(name)) as unknown as Fetcher;
  }

  /** Everything the Workers logged so far. */
  logs(): string {
    return [...this.stdout, ...this.stderr].join('');
  }

  /** Waits (briefly) until the logs contain `text`; workerd writes them asynchronously. */
  async waitForLog(text: string, ms = 3000): Promise<void> {
    const until = Date.now() + ms;
    while (!this.logs().includes(text) && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  }

  async dispose(): Promise<void> {
    await this.mf.dispose();
  }
}

/** Number of times `needle` occurs in `haystack`. */
export function count(haystack: string, needle: string): number {
  return haystack.split(needle).length - 1;
}

/** A browser's Accept header, an API client's, curl's. */
export const ACCEPT = {
  browser: 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8',
  json: 'application/json',
  any: '*/*',
} as const;

/**
 * Gate bindings written out by hand (no estate file): maintenance on, a window from an hour ago to
 * two hours ahead (announced two hours ago), the staff IP 203.0.113.10, a fresh key; `overrides` on top.
 */
export function explicitBindings(overrides: Readonly<Record<string, string>> = {}, now = Date.now()): Record<string, string> {
  return {
    MAINTENANCE: '1',
    READ_ONLY: '0',
    REASON: 'Database upgrade',
    ...windowAt(-2, -1, 2, now),
    TIME_ZONES: 'UTC',
    HEALTH_PATHS: '/healthz',
    BYPASS_ALLOW_IPS: '203.0.113.10',
    BYPASS_COOKIE: 'drawbridge_bypass',
    BYPASS_TTL_SECONDS: '3600',
    BYPASS_PATH: '/__drawbridge/bypass',
    BRAND_NAME: 'Example Shop',
    BRAND_COLOUR: '#1f4e79',
    STATUS_URL: '',
    CONTACT: '',
    BYPASS_SECRET: newSecret(),
    ...overrides,
  };
}

/** A throwaway origin on 127.0.0.1 answering with `handler` (for tests that need answers `Origin` does not give). */
export async function startOrigin(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ readonly port: number; close(): Promise<void> }> {
  const server = createServer(handler);
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
