/**
 * The cache behind `drawbridge diff`: one entry per synthesis of one (estate, mode state) on one
 * engine (the AWS stacks' templates, or the Cloudflare resources as the offline preview renders
 * them), one per AWS comparison of two syntheses (keyed by theirs; it spares loading
 * cloudformation-diff's database), and the Cloudflare table of replace-forcing inputs (the code
 * alone), so a diff that was computed before is read back instead of synthesized again.
 *
 * An entry can only be served for exactly the inputs it was made from. Its key is a sha256 over:
 * the validated Estate and the ModeState (every field, in order; a value JSON cannot carry exactly,
 * such as a Map or an undefined array element, makes the synthesis uncacheable rather than
 * approximated), the engine's options (built-in validation, Pulumi stack), the engine's environment
 * variables (CDK_*, JSII_* or PULUMI_*: what aws-cdk-lib and the Pulumi runtime read), and a code
 * fingerprint: the content of every project source the synthesis is built from (modes/, stacks/,
 * edge/, bin/, the bundle being run), the installed dependencies (package-lock.json and npm's
 * node_modules/.package-lock.json) and the Node version. The fingerprint is taken again before an
 * entry is written, and an entry is not written when it changed meanwhile (a file edited while
 * synthesizing). A failed synthesis is never written. Each file carries its key and a sha256 of its
 * value; one that does not match, or does not parse, is ignored and written again.
 *
 * Entries are written whole (temporary file + rename), so concurrent runs only ever see complete
 * ones. The directory keeps the MAX_ENTRIES most recently used entries within MAX_BYTES. What is
 * cached is what `drawbridge diff` prints anyway: templates and preview inputs, where every secret
 * is already '[secret]' or a Secrets Manager reference (the bypass key is a fixed placeholder
 * here and never reaches a value).
 *
 * No engine is loaded here: the module reads and writes files and hashes.
 */
import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeSync } from 'node:fs';
import * as path from 'node:path';

/** Bumped when the layout of an entry or of what it holds changes: older entries are then misses. */
export const CACHE_FORMAT = 1;
/** The most entries kept; the least recently used go first. */
export const MAX_ENTRIES = 200;
/** The most bytes kept (a 500-site estate's templates are a few MB). */
export const MAX_BYTES = 256 * 1024 * 1024;

/** A value that cannot be written as JSON exactly, so a synthesis with it is not cached. */
export class Uncacheable extends Error {}

/**
 * `value` as text that tells apart every two plain-data values that differ, keys in their order:
 * the input of a cache key (it is hashed, never parsed). Throws Uncacheable for anything but
 * null, booleans, finite numbers, strings, arrays and plain objects (undefined properties are kept
 * apart from missing ones).
 */
export function keyText(value: unknown): string {
  return encode(value, true);
}

/**
 * `value` as JSON that parses back to an identical value (same keys, same order, same numbers):
 * what an entry holds. Throws Uncacheable where JSON would drop or change something (an
 * undefined, NaN, -0, a Map, a Date, a class instance).
 */
export function exactJson(value: unknown): string {
  return encode(value, false);
}

function encode(value: unknown, forKey: boolean): string {
  const parts: string[] = [];
  const seen = new Set<object>();
  const walk = (v: unknown, at: string): void => {
    if (v === null || typeof v === 'boolean' || typeof v === 'string') {
      parts.push(JSON.stringify(v));
      return;
    }
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) throw new Uncacheable(`${at} is ${v}`);
      if (Object.is(v, -0)) {
        if (!forKey) throw new Uncacheable(`${at} is -0`);
        parts.push('-0');
        return;
      }
      parts.push(JSON.stringify(v));
      return;
    }
    if (v === undefined) {
      if (!forKey) throw new Uncacheable(`${at} is undefined`);
      parts.push('undefined');
      return;
    }
    if (typeof v !== 'object') throw new Uncacheable(`${at} is a ${typeof v}`);
    if (seen.has(v)) throw new Uncacheable(`${at} refers back to itself`);
    seen.add(v);
    if (Array.isArray(v)) {
      parts.push('[');
      for (let i = 0; i < v.length; i++) {
        if (!(i in v)) throw new Uncacheable(`${at}[${i}] is a hole`);
        if (i > 0) parts.push(',');
        if (v[i] === undefined) throw new Uncacheable(`${at}[${i}] is undefined`);
        walk(v[i], `${at}[${i}]`);
      }
      parts.push(']');
    } else {
      const proto = Object.getPrototypeOf(v) as unknown;
      if (proto !== Object.prototype && proto !== null) throw new Uncacheable(`${at} is a ${(v as object).constructor?.name ?? 'non-plain object'}`);
      if (Object.getOwnPropertySymbols(v).length) throw new Uncacheable(`${at} has symbol keys`);
      parts.push('{');
      let first = true;
      for (const k of Object.keys(v)) {
        const x = (v as Record<string, unknown>)[k];
        if (x === undefined && !forKey) throw new Uncacheable(`${at}.${k} is undefined`);
        if (!first) parts.push(',');
        first = false;
        parts.push(JSON.stringify(k), ':');
        walk(x, `${at}.${k}`);
      }
      parts.push('}');
    }
    seen.delete(v);
  };
  walk(value, 'value');
  return parts.join('');
}

const sha256 = (text: string | Buffer): string => createHash('sha256').update(text).digest('hex');

/** The repository root: the nearest directory up from this module with drawbridge's package.json (this module may run from dist/bin/). */
export function projectRoot(from = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    try {
      if ((JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string }).name === 'drawbridge') return dir;
    } catch {
      // no package.json here
    }
    if (path.dirname(dir) === dir) return path.resolve(from, '..');
  }
}

/** Source directories the synthesis is built from (every file in them counts, wherever it is imported). */
const SOURCE_DIRS = ['modes', 'stacks', 'edge', 'bin'];
/** Single files that count: build settings and the installed dependencies. */
const SOURCE_FILES = ['scripts/build-edge.ts', 'package.json', 'package-lock.json', 'node_modules/.package-lock.json', 'tsconfig.json', 'cdk.json'];
const SOURCE_EXTENSIONS = /\.(ts|js|cjs|mjs|json)$/;

/** The files the code fingerprint reads, relative to `root`, sorted. */
export function fingerprintFiles(root: string): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    let names: string[];
    try {
      names = readdirSync(path.join(root, dir));
    } catch {
      return;
    }
    for (const name of names) {
      const rel = path.posix.join(dir, name);
      let st;
      try {
        st = statSync(path.join(root, rel));
      } catch {
        continue;
      }
      if (st.isDirectory()) walk(rel);
      else if (st.isFile() && SOURCE_EXTENSIONS.test(name)) files.push(rel);
    }
  };
  for (const dir of SOURCE_DIRS) walk(dir);
  return [...files, ...SOURCE_FILES].sort();
}

/**
 * The code fingerprint of the project at `root`: a sha256 over every fingerprintFiles() file's
 * path and content (a missing one counts as missing), the file this module runs from when that is
 * a bundle outside them (dist/bin/*.js), and the Node version. Some 150 files: a few milliseconds.
 */
export function codeFingerprint(root = projectRoot(), running = __filename): string {
  const h = createHash('sha256');
  h.update(`node ${process.version}\0`);
  const files = fingerprintFiles(root);
  const rel = path.relative(root, running).split(path.sep).join('/');
  if (!files.includes(rel)) files.push(rel);
  for (const file of files) {
    let content: Buffer | undefined;
    try {
      content = readFileSync(path.join(root, file));
    } catch {
      content = undefined;
    }
    h.update(`${file}\0${content ? `${content.length}\0` : 'missing\0'}`);
    if (content) h.update(content);
  }
  return h.digest('hex');
}

/** The environment variables a synthesis on `engine` reads, in name order. */
export function engineEnvironment(engine: string, env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const prefixes = engine.startsWith('aws') ? ['CDK_', 'JSII_'] : engine.startsWith('cloudflare') ? ['PULUMI_'] : [];
  const out: Record<string, string> = {};
  for (const name of Object.keys(env).sort()) {
    const value = env[name];
    if (value === undefined || !prefixes.some((p) => name.startsWith(p))) continue;
    // Credentials only decide who talks to a backend, never what the program declares.
    if (/ACCESS_TOKEN|PASSPHRASE/.test(name)) continue;
    out[name] = value;
  }
  if (env.NODE_OPTIONS) out.NODE_OPTIONS = env.NODE_OPTIONS;
  return out;
}

export interface DiffCacheOptions {
  /** Directory the entries are kept in. */
  readonly dir: string;
  /**
   * The code fingerprint, taken once for the keys and again before writing.
   * @default codeFingerprint
   */
  readonly fingerprint?: () => string;
  /** The environment the synthesis runs in. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** @default MAX_ENTRIES */
  readonly maxEntries?: number;
  /** @default MAX_BYTES */
  readonly maxBytes?: number;
}

/** How one lookup went: for the debug log and the tests (never timing). */
export interface CacheStats {
  hits: number;
  misses: number;
  writes: number;
  /** Entries read but not usable (unparsable, wrong key, wrong checksum). */
  corrupt: number;
  /** Results that could not be cached (not exact JSON, or the code changed during the synthesis). */
  skipped: number;
}

/** One unit to look up: an engine, and what its synthesis is a function of besides the code. */
export interface CacheUnit {
  readonly engine: 'aws' | 'aws-diff' | 'cloudflare' | 'cloudflare-replace-table';
  readonly inputs: Readonly<Record<string, unknown>>;
}

interface Entry {
  readonly format: number;
  readonly key: string;
  readonly engine: string;
  readonly sha256: string;
  readonly value: unknown;
}

export class DiffCache {
  readonly dir: string;
  readonly stats: CacheStats = { hits: 0, misses: 0, writes: 0, corrupt: 0, skipped: 0 };
  private readonly fingerprintOf: () => string;
  private readonly env: Readonly<Record<string, string | undefined>>;
  private readonly maxEntries: number;
  private readonly maxBytes: number;
  private fingerprint: string | undefined;

  constructor(options: DiffCacheOptions) {
    this.dir = options.dir;
    this.fingerprintOf = options.fingerprint ?? defaultFingerprint;
    this.env = options.env ?? process.env;
    this.maxEntries = options.maxEntries ?? MAX_ENTRIES;
    this.maxBytes = options.maxBytes ?? MAX_BYTES;
  }

  /** The key of `unit`, or undefined when its inputs are not plain data (then it is not cached). */
  key(unit: CacheUnit): string | undefined {
    this.fingerprint ??= this.fingerprintOf();
    try {
      return sha256(keyText({ format: CACHE_FORMAT, engine: unit.engine, code: this.fingerprint, env: engineEnvironment(unit.engine, this.env), inputs: unit.inputs }));
    } catch (e) {
      if (e instanceof Uncacheable) return undefined;
      throw e;
    }
  }

  private file(key: string): string {
    return path.join(this.dir, `${key}.json`);
  }

  /** The value stored under `key`, or undefined (no entry, or an unusable one). */
  read(key: string): { value: unknown } | undefined {
    let text: string;
    try {
      text = readFileSync(this.file(key), 'utf8');
    } catch {
      this.stats.misses++;
      return undefined;
    }
    try {
      const entry = JSON.parse(text) as Entry;
      if (entry.format !== CACHE_FORMAT || entry.key !== key || entry.sha256 !== sha256(JSON.stringify(entry.value))) throw new Error('mismatch');
      this.stats.hits++;
      // Used: keep it among the most recent.
      const now = new Date();
      try {
        utimesSync(this.file(key), now, now);
      } catch {
        // read-only cache: still a hit
      }
      return { value: entry.value };
    } catch {
      this.stats.corrupt++;
      this.stats.misses++;
      return undefined;
    }
  }

  /**
   * Stores each result under its key, whole or not at all; then prunes. Call it once every
   * synthesis it holds has finished: nothing is stored when the code fingerprint changed since the
   * keys were made (a source edited meanwhile), and a result that is not exact JSON is skipped.
   * Never throws: a cache that cannot be written only costs the next run its time.
   */
  write(results: readonly { readonly key: string; readonly engine: string; readonly value: unknown }[]): void {
    if (!results.length) return;
    if (this.fingerprint !== undefined && this.fingerprintOf() !== this.fingerprint) {
      this.stats.skipped += results.length;
      return;
    }
    let wrote = false;
    for (const { key, engine, value } of results) {
      let json: string;
      try {
        json = exactJson(value);
      } catch (e) {
        if (!(e instanceof Uncacheable)) throw e;
        this.stats.skipped++;
        continue;
      }
      const text = `{"format":${CACHE_FORMAT},"key":${JSON.stringify(key)},"engine":${JSON.stringify(engine)},"sha256":"${sha256(json)}","value":${json}}\n`;
      const file = this.file(key);
      const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
      try {
        mkdirSync(this.dir, { recursive: true });
        const fd = openSync(tmp, 'w');
        try {
          writeSync(fd, text);
        } finally {
          closeSync(fd);
        }
        renameSync(tmp, file);
        this.stats.writes++;
        wrote = true;
      } catch {
        try {
          rmSync(tmp, { force: true });
        } catch {
          // nothing was created
        }
        return;
      }
    }
    if (wrote) this.prune();
  }

  /** Removes the least recently used entries past the limits, and temporary files left by a crash. */
  prune(): void {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return;
    }
    const entries: { file: string; mtime: number; size: number }[] = [];
    const hourAgo = Date.now() - 3600_000;
    for (const name of names) {
      const file = path.join(this.dir, name);
      try {
        const st = statSync(file);
        if (name.endsWith('.tmp')) {
          if (st.mtimeMs < hourAgo) rmSync(file, { force: true });
        } else if (/^[0-9a-f]{64}\.json$/.test(name)) entries.push({ file, mtime: st.mtimeMs, size: st.size });
      } catch {
        // gone meanwhile
      }
    }
    entries.sort((a, b) => b.mtime - a.mtime);
    let bytes = 0;
    entries.forEach((e, i) => {
      bytes += e.size;
      if (i < this.maxEntries && (i === 0 || bytes <= this.maxBytes)) return;
      try {
        rmSync(e.file, { force: true });
      } catch {
        // someone else's, or gone: the next prune tries again
      }
    });
  }
}

const defaultFingerprint = (): string => codeFingerprint();

