// Runs one of the project's TypeScript entry points as JavaScript: esbuild bundles bin/<name>.ts (the
// project's own modules; packages stay external) to dist/bin/<name>.js, and the bundle is reused
// while every source file it was built from is unchanged (size and modification time, recorded
// beside it). Any edit rebuilds it before the run, so the JavaScript is never older than the
// TypeScript. `npm install` builds it ahead (package.json "prepare").
//
// This saves what tsx costs at every start (its loader and a transpile or cache read per file):
// about half a second of `cdk synth` and most of `drawbridge --help`. Without esbuild (a
// production install) or a writable dist/, it falls back to tsx and runs the TypeScript as is.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..');
const OUT = path.join(ROOT, 'dist', 'bin');

/**
 * Packages bundled in: the pure model's (zod alone is some 130 files and 75 ms to load one by one;
 * bundled and tree-shaken it is one parse). Every other package stays external, loaded from
 * node_modules as usual (aws-cdk-lib and @pulumi/* only by the commands that need them).
 */
const BUNDLED = ['zod', 'yaml'];

function externals() {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const names = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }).filter((n) => !BUNDLED.includes(n));
  return names.flatMap((n) => [n, `${n}/*`]);
}

/** Files a bundle depends on besides the sources esbuild read: how it is built. */
const BUILD_INPUTS = ['bin/compiled.js', 'package.json', 'tsconfig.json'];

/**
 * The recorded inputs still match the files on disk, and so does the bundle itself: two builds
 * racing could otherwise leave one's bundle beside the other's stamp.
 */
function fresh(stampFile) {
  let stamp;
  try {
    stamp = JSON.parse(fs.readFileSync(stampFile, 'utf8'));
    if (!stamp || typeof stamp.inputs !== 'object' || !Array.isArray(stamp.bundle)) return false;
  } catch {
    return false;
  }
  const entries = [...Object.entries(stamp.inputs), [path.relative(ROOT, stampFile.replace(/\.inputs\.json$/, '.js')), stamp.bundle]];
  for (const [file, recorded] of entries) {
    if (!Array.isArray(recorded)) return false;
    const [size, mtimeMs] = recorded;
    let st;
    try {
      st = fs.statSync(path.join(ROOT, file));
    } catch {
      return false;
    }
    if (st.size !== size || st.mtimeMs !== mtimeMs) return false;
  }
  return true;
}

/** Writes `text` to `file` whole or not at all (other processes may be reading or building it too). */
function writeAtomically(file, text) {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

/** Bundles bin/<name>.ts to dist/bin/<name>.js and records the inputs; returns the bundle's path. */
function build(name) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const esbuild = require('esbuild');
  const outfile = path.join(OUT, `${name}.js`);
  const started = Date.now();
  const result = esbuild.buildSync({
    absWorkingDir: ROOT,
    entryPoints: [path.join('bin', `${name}.ts`)],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: externals(),
    // __dirname in a bundled module is dist/bin, two levels under the root like every source
    // directory that reads a file relative to itself (bin/cli, stacks/cloudflare).
    outfile,
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  // Bundled packages change only with an install, which rewrites npm's record of node_modules:
  // that one file stands for them, so the check before each run stats the project's files alone.
  const files = Object.keys(result.metafile.inputs).filter((f) => !f.startsWith('node_modules/'));
  if (files.length < Object.keys(result.metafile.inputs).length) files.push(path.join('node_modules', '.package-lock.json'));
  for (const file of BUILD_INPUTS) if (fs.existsSync(path.join(ROOT, file))) files.push(file);
  const inputs = {};
  for (const file of files) {
    const st = fs.statSync(path.join(ROOT, file));
    // A file edited while esbuild read it may be in the bundle as it was: recorded as stale.
    inputs[file] = [st.size, st.mtimeMs >= started - 1000 ? -1 : st.mtimeMs];
  }
  fs.mkdirSync(OUT, { recursive: true });
  for (const out of result.outputFiles) writeAtomically(out.path, out.contents);
  for (const file of fs.readdirSync(OUT)) if (file.startsWith(`${name}.js.`) && file.endsWith('.cache')) fs.rmSync(path.join(OUT, file), { force: true });
  // The stamp last, naming the bundle as written: a bundle another build renames over it later no
  // longer matches, and the next run builds again.
  const written = fs.statSync(outfile);
  writeAtomically(path.join(OUT, `${name}.inputs.json`), `${JSON.stringify({ entry: `bin/${name}.ts`, inputs, bundle: [written.size, written.mtimeMs] })}\n`);
  return outfile;
}

/** The bundle of bin/<name>.ts, built when missing or stale, or undefined when it cannot be built. */
function bundle(name) {
  const outfile = path.join(OUT, `${name}.js`);
  if (fresh(path.join(OUT, `${name}.inputs.json`)) && fs.existsSync(outfile)) return outfile;
  try {
    return build(name);
  } catch {
    return undefined;
  }
}

/**
 * Requires the bundle with V8's code cache: the functions an earlier run compiled are not parsed
 * and compiled again. One cache per command word (what `check` compiles is not what `--help` does),
 * written after the command ran when there was none or V8 refused it. V8 checks a cache against
 * the source's length only, so the file name also carries the bundle's size and time, and a build
 * removes the old caches.
 */
function requireWithCodeCache(outfile) {
  const vm = require('node:vm');
  const Module = require('node:module');
  const word = /^[a-z][a-z-]{0,19}$/.test(process.argv[2] || '') ? process.argv[2] : 'default';
  // One open file for the name and the text, so a bundle renamed over it meanwhile cannot pair new
  // text with an old cache.
  const fd = fs.openSync(outfile, 'r');
  let st;
  let source;
  try {
    st = fs.fstatSync(fd);
    source = fs.readFileSync(fd, 'utf8');
  } finally {
    fs.closeSync(fd);
  }
  const cacheFile = `${outfile}.${word}.${st.size}-${Math.trunc(st.mtimeMs)}.cache`;
  let cachedData;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(Module.wrap(source), { filename: outfile, cachedData });
  if (!cachedData || script.cachedDataRejected) {
    process.once('exit', () => {
      try {
        writeAtomically(cacheFile, script.createCachedData());
      } catch {
        // A cache that cannot be written only costs the next run its compile time.
      }
    });
  }
  const m = new Module(outfile, module);
  m.filename = outfile;
  m.paths = Module._nodeModulePaths(path.dirname(outfile));
  require.cache[outfile] = m;
  script.runInThisContext().call(m.exports, m.exports, Module.createRequire(outfile), m, outfile, path.dirname(outfile));
  m.loaded = true;
  return m.exports;
}

/** The exports of bin/<name>.ts: from its bundle, or through tsx when there is none. */
function load(name) {
  const outfile = process.env.DRAWBRIDGE_TSX ? undefined : bundle(name);
  if (outfile) return process.env.DRAWBRIDGE_CODE_CACHE === '0' ? require(outfile) : requireWithCodeCache(outfile);
  require('tsx/cjs');
  return require(path.join(ROOT, 'bin', `${name}.ts`));
}

/**
 * The path of bin/<name>.ts's bundle, built when missing or stale, or undefined where the TypeScript
 * runs as is (DRAWBRIDGE_TSX, or no esbuild): for a worker thread's entry point.
 */
function bundlePath(name) {
  return process.env.DRAWBRIDGE_TSX ? undefined : bundle(name);
}

module.exports = { load, build, fresh, bundlePath, ENTRY_POINTS: ['drawbridge', 'cdk', 'aws-worker'] };

// `node bin/compiled.js` (package.json "prepare"): build every entry point now.
if (require.main === module) {
  for (const name of module.exports.ENTRY_POINTS) {
    try {
      build(name);
    } catch (e) {
      process.stderr.write(`drawbridge: could not prebuild bin/${name}.ts (${e && e.message ? e.message.split('\n')[0] : e}); it runs through tsx instead\n`);
    }
  }
}
