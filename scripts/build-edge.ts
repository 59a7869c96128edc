/**
 * Builds the edge: the gate Worker bundle and an estate's static down page.
 *
 *   npm run build:edge [-- --estate estates/other.yaml] [--out DIR]
 *
 * Writes (under DIR, default dist/):
 *   edge/gate.js         the gate, one ES module (WorkersScript content, main module "gate.js")
 *   edge/manifest.json   main module, compatibility date, sha256, the bindings it reads
 *   pages/<estate>/      Cloudflare Pages build output: index.html, _worker.js (advanced mode), robots.txt
 *
 * The down page shows what resolve() gives for the estate (reason, end time in each zone, brand).
 * The estate is checked before anything is built; a bad one prints its problems and writes nothing.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve as resolvePath } from 'node:path';
import { build } from 'esbuild';
import { GATE_COMPATIBILITY_DATE, GATE_MAIN_MODULE, GATE_PLAIN_TEXT_BINDINGS, type GateManifest } from '../edge/contract';
import { parseGateConfig } from '../edge/config';
import { renderPage, ROBOTS_TXT } from '../edge/page';
import type { DownPageBindings } from '../edge/pages-worker';
import { typedWord } from '../modes/echo';
import { DrawbridgeError, runMain, show } from '../modes/errors';
import { resolveEstateFile } from '../modes/estate-file';
import { loadEstate } from '../modes/load';
import { pageBindings } from '../modes/components/cloudflare/gate';
import { GATE_SECRET_BINDING } from '../modes/gate-contract';
import { resolve } from '../modes/resolve';
import { writeFailure } from '../modes/write-error';

export interface BuildEdgeOptions {
  /** Estate file. @default cdk.json's context `estate` */
  readonly estateFile?: string;
  /** Repository root (holds cdk.json and edge/). @default the repository this script is in */
  readonly root?: string;
  /** Output directory. @default `<root>/dist` */
  readonly outDir?: string;
  /** Where progress lines go. @default stdout */
  readonly log?: (line: string) => void;
}

export interface BuildEdgeResult {
  readonly estate: string;
  readonly estateFile: string;
  /** Absolute path of the gate bundle. */
  readonly gate: string;
  readonly manifest: GateManifest;
  /** Absolute path of the Pages build output. */
  readonly pagesDir: string;
}

const REPO_ROOT = resolvePath(__dirname, '..');

/** The down page's bindings: the same page content the gate shows (modes/resolve pageBindings). */
function downPageBindings(estateFile: string, typed: string): { name: string; bindings: DownPageBindings } {
  const estate = loadEstate(estateFile, typed);
  // Resolving the committed state first refuses an estate the engines would refuse.
  resolve(estate, estate.state);
  const bindings: DownPageBindings = pageBindings(estate);
  // The edge reads these with its own parser: anything it would only tolerate is a build error here.
  const problems = parseGateConfig(bindings).problems;
  if (problems.length) throw new DrawbridgeError(problems.map((p) => `${typed}: down page: ${p}`));
  return { name: estate.name, bindings };
}

/**
 * Writes via a temporary name and a rename, so a reader never sees half a file. A failed write (a
 * full disk) removes the temporary file and becomes one line naming the file.
 */
export function writeAtomic(file: string, content: string | Uint8Array): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(tmp, content);
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw writeFailure(e, relative(process.cwd(), file) || file) ?? e;
  }
}

async function bundle(root: string, entry: { file: string } | { contents: string }, name: string): Promise<Uint8Array> {
  const result = await build({
    ...('file' in entry ? { entryPoints: [entry.file] } : { stdin: { contents: entry.contents, resolveDir: root, sourcefile: name, loader: 'ts' } }),
    absWorkingDir: root,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    write: false,
    outfile: name,
    legalComments: 'none',
    charset: 'utf8',
    logLevel: 'silent',
  });
  const out = result.outputFiles[0];
  if (!out) throw new Error(`esbuild produced no output for ${name}`);
  return out.contents;
}

export async function buildEdge(opts: BuildEdgeOptions = {}): Promise<BuildEdgeResult> {
  const root = resolvePath(opts.root ?? REPO_ROOT);
  const outDir = resolvePath(root, opts.outDir ?? 'dist');
  const log = opts.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  // --estate (relative to the working directory), else the estate cdk.json names (relative to root).
  const { path: estateFile, file: typedFile } = resolveEstateFile(opts.estateFile, { root, cwd: process.cwd(), entry: 'build-edge' });

  // Everything is checked and built in memory first: a bad estate writes nothing.
  const { name, bindings } = downPageBindings(estateFile, typedFile);
  const gate = await bundle(root, { file: join(root, 'edge/gate.ts') }, GATE_MAIN_MODULE);
  const pagesWorker = await bundle(
    root,
    { contents: `import { createDownPageWorker } from './edge/pages-worker';\nexport default createDownPageWorker(${JSON.stringify(bindings, null, 2)});\n` },
    '_worker.js',
  );
  const html = renderPage(parseGateConfig({ ...bindings, MAINTENANCE: '1' }).page, 'down');

  const gateFile = join(outDir, 'edge', GATE_MAIN_MODULE);
  const manifest: GateManifest = {
    file: GATE_MAIN_MODULE,
    mainModule: GATE_MAIN_MODULE,
    compatibilityDate: GATE_COMPATIBILITY_DATE,
    format: 'esm',
    sha256: createHash('sha256').update(gate).digest('hex'),
    bytes: gate.byteLength,
    plainTextBindings: GATE_PLAIN_TEXT_BINDINGS,
    secretTextBindings: [GATE_SECRET_BINDING],
  };
  writeAtomic(gateFile, gate);
  writeAtomic(join(outDir, 'edge', 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);

  const pagesDir = join(outDir, 'pages', name);
  rmSync(pagesDir, { recursive: true, force: true });
  writeAtomic(join(pagesDir, 'index.html'), html);
  writeAtomic(join(pagesDir, '_worker.js'), pagesWorker);
  writeAtomic(join(pagesDir, 'robots.txt'), ROBOTS_TXT);

  const rel = (p: string) => relative(process.cwd(), p) || '.';
  log(`edge: ${rel(gateFile)} (${(gate.byteLength / 1024).toFixed(1)} KiB, ES module, main module ${GATE_MAIN_MODULE}, compatibility date ${GATE_COMPATIBILITY_DATE})`);
  log(`pages: ${rel(pagesDir)}/ (index.html, _worker.js, robots.txt) for estate ${name} from ${rel(estateFile)}`);
  return { estate: name, estateFile, gate: gateFile, manifest, pagesDir };
}

const USAGE = 'usage: build-edge [--estate FILE] [--out DIR]';

export function parseArgs(argv: readonly string[]): BuildEdgeOptions {
  const opts: { estateFile?: string; outDir?: string } = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') throw new DrawbridgeError(`${flag} needs a value; ${USAGE}`);
      // `--estate --out dist`: the next option, not a file name.
      if (inline === undefined && v.startsWith('-')) throw new DrawbridgeError(`${flag} needs a value, got the option ${typedWord(v)}; to give a value starting with a dash write ${flag}=VALUE; ${USAGE}`);
      return v;
    };
    if (flag === '--estate') opts.estateFile = value();
    else if (flag === '--out') opts.outDir = resolvePath(value());
    else if (flag === '--help' || flag === '-h') throw new DrawbridgeError(USAGE, 0);
    else throw new DrawbridgeError(`unknown argument ${show(arg)}; ${USAGE}`);
  }
  return opts;
}

if (require.main === module) {
  void runMain(() => buildEdge(parseArgs(process.argv.slice(2))));
}
