/**
 * `drawbridge affected` and `drawbridge diff --affected`: which estate files a change affects (git:
 * from the merge base of --base to the working tree), and one `diff` child process per affected
 * estate, from its file at the base to the working tree's. No engine is loaded here: each diff runs
 * in its own process (bin/drawbridge.js diff), at most one per core at a time.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import * as path from 'node:path';
import { typedWord } from '../../modes/echo';
import { DrawbridgeError } from '../../modes/errors';
import { cdkDefaultEstate } from '../../modes/estate-file';
import { ansi, plain } from '../../modes/diff';
import { formatOf, usage, type Command, type Values } from './args';
import { EXIT, useColour, type Io } from './io';

/** The directory holding the repository's estates: every `*.yaml` / `*.yml` directly in it is one. */
export const ESTATES_DIR = 'estates';

/**
 * Files every estate is synthesized or rendered with, relative to the repository root: a change
 * to one affects every estate. As the help and README name them.
 */
export const CODE_FILES = ['modes/', 'stacks/', 'edge/', 'bin/', 'schema/', 'scripts/build-edge.ts', 'package.json', 'package-lock.json', 'cdk.json', 'Pulumi*.yaml', 'tsconfig.json'] as const;

const CODE_PATTERNS: readonly RegExp[] = [
  /^(modes|stacks|edge|bin|schema)\//,
  /^scripts\/build-edge\.ts$/,
  /^package(-lock)?\.json$/,
  /^cdk\.json$/,
  /^tsconfig\.json$/,
  /^Pulumi[^/]*\.ya?ml$/,
];

/** A file every estate depends on (CODE_FILES). */
export function isCodeFile(file: string): boolean {
  return CODE_PATTERNS.some((p) => p.test(file));
}

/** What happened to one file between the base and the working tree. */
export type ChangeKind = 'added' | 'changed' | 'removed';

export interface FileChange {
  /** Relative to the repository root, with `/`. */
  readonly file: string;
  readonly kind: ChangeKind;
  /** A rename: the file's path at the base. */
  readonly from?: string;
}

export interface AffectedEstate {
  readonly file: string;
  /** Why it is affected: `changed`, `added`, `code changed (stacks/aws/app.ts)`, or both joined by `; `. */
  readonly why: string;
  /** Renamed since the base: its path there, which its diff starts from. */
  readonly from?: string;
}

export interface Affected {
  /** Estates changed, added, or rendered with changed code, by file name. */
  readonly estates: readonly AffectedEstate[];
  /** Estate files deleted since the base (nothing to diff them to). */
  readonly removed: readonly string[];
}

/** Code files named in a `why` before the rest are counted. */
const CODE_NAMED = 3;

/**
 * The estates `changes` affect. Pure. `estates`: the estate files of the working tree;
 * `isEstate`: whether a path is an estate file (a removed one is no longer among `estates`).
 */
export function affectedEstates(changes: readonly FileChange[], estates: readonly string[], isEstate: (file: string) => boolean): Affected {
  const own = new Map<string, ChangeKind>();
  const renamedFrom = new Map<string, string>();
  const code: string[] = [];
  for (const c of changes) {
    if (isEstate(c.file)) {
      own.set(c.file, c.kind);
      if (c.from) renamedFrom.set(c.file, c.from);
    } else if (isCodeFile(c.file)) code.push(c.file);
  }
  code.sort();
  const codeWhy = code.length
    ? `code changed (${code.slice(0, CODE_NAMED).join(', ')}${code.length > CODE_NAMED ? ` and ${code.length - CODE_NAMED} more` : ''})`
    : undefined;
  const removed = [...own].filter(([, kind]) => kind === 'removed').map(([file]) => file);
  const files = new Set([...[...own].filter(([, kind]) => kind !== 'removed').map(([file]) => file), ...(codeWhy ? estates : [])]);
  const list = [...files]
    .filter((file) => !removed.includes(file))
    .sort()
    .map((file) => {
      const kind = own.get(file);
      const from = renamedFrom.get(file);
      return { file, why: [from ? `renamed from ${from}` : kind, codeWhy].filter((w): w is string => !!w).join('; '), ...(from ? { from } : {}) };
    });
  return { estates: list, removed: removed.sort() };
}

/** A file name fit for an artifact or a job id (`estates/shop.yaml` -> `estates_shop.yaml`). */
export function slug(file: string): string {
  return file.replace(/[^A-Za-z0-9._-]/g, '_');
}

// ---------------------------------------------------------------------------------------------
// git

interface GitRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function git(io: Io, args: readonly string[]): GitRun {
  const r = spawnSync('git', args, {
    cwd: io.cwd,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    // C messages; no prompt; no index refresh written (others may run git in the same checkout).
    // File names are paths, never pathspec magic (`:(glob)`, `*`).
    env: { ...process.env, ...io.env, LC_ALL: 'C', GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0', GIT_LITERAL_PATHSPECS: '1' },
  });
  if (r.error) {
    const code = (r.error as NodeJS.ErrnoException).code;
    throw new DrawbridgeError(code === 'ENOENT' ? 'git was not found on PATH; affected estates are found with git' : `git could not be run (${r.error.message})`, EXIT.usage);
  }
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** git's first line of complaint, without its `fatal: `. */
const complaint = (r: GitRun) => (r.stderr.split('\n').find((l) => l.trim()) ?? `exit ${r.status}`).replace(/^(fatal|error): /, '');

function gitOk(io: Io, args: readonly string[]): string {
  const r = git(io, args);
  if (r.status !== 0) throw new DrawbridgeError(`git ${args[0]} failed: ${complaint(r)}`);
  return r.stdout;
}

function commit(io: Io, ref: string): string | undefined {
  if (ref.startsWith('-')) return undefined; // never an option of git's
  const r = git(io, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** The base to compare with: --base, else origin/main, else main. */
function baseOf(io: Io, given: string | undefined, command: Command): { ref: string; sha: string } {
  if (given !== undefined) {
    const sha = commit(io, given);
    if (!sha) throw usage(`--base ${typedWord(given)} is not a commit in this repository; give a branch, tag or commit (e.g. --base origin/main)`, command);
    return { ref: given, sha };
  }
  for (const ref of ['origin/main', 'main']) {
    const sha = commit(io, ref);
    if (sha) return { ref, sha };
  }
  throw usage('no --base given, and neither origin/main nor main is a commit in this repository; give the base with --base REF', command);
}

/** Refuses a directory outside a git working tree (exit 2). */
function inWorkTree(io: Io): void {
  const inside = git(io, ['rev-parse', '--is-inside-work-tree']);
  if (inside.status === 0 && inside.stdout.trim() === 'true') {
    // The estates directory and cdk.json are read from here: in a subdirectory, nothing would match.
    const prefix = git(io, ['rev-parse', '--show-prefix']).stdout.trim();
    if (prefix) throw new DrawbridgeError(`${io.cwd} is ${prefix.replace(/\/$/, '')}/ inside the repository; run this from its top level (cd ${path.resolve(io.cwd, prefix.split('/').filter(Boolean).map(() => '..').join('/'))}), where cdk.json and ${ESTATES_DIR}/ are`, EXIT.usage);
    return;
  }
  throw new DrawbridgeError(
    /not a git repository/.test(inside.stderr) || inside.stdout.trim() === 'false'
      ? `${io.cwd} is not in a git working tree; affected estates are what changed since a base commit, so run this in a clone of the repository`
      : `git cannot read ${io.cwd}: ${complaint(inside)}`,
    EXIT.usage,
  );
}

/** The merge base of the base and HEAD, where the change starts. */
function mergeBase(io: Io, base: { ref: string; sha: string }, command: Command): string {
  if (!commit(io, 'HEAD')) throw usage('HEAD has no commit yet; commit the base first, then compare with it', command);
  const r = git(io, ['merge-base', base.sha, 'HEAD']);
  if (r.status === 0) return r.stdout.trim();
  const shallow = git(io, ['rev-parse', '--is-shallow-repository']).stdout.trim() === 'true';
  throw usage(
    `--base ${typedWord(base.ref)} and HEAD share no history${shallow ? ' in this shallow clone; fetch the whole history (git fetch --unshallow, or fetch-depth: 0 in actions/checkout)' : '; give a base this branch was made from'}`,
    command,
  );
}

/** `a\0b\0...` -> [a, b, ...]. */
const nulList = (text: string) => text.split('\0').filter((s) => s !== '');

/** The repository's estates: estates/*.yaml and *.yml, and the file cdk.json names, relative to `root` with `/`. */
function estateFiles(root: string): { files: string[]; isEstate: (file: string) => boolean } {
  const named = cdkDefaultEstate(root);
  const cdk = named !== undefined ? path.relative(root, path.resolve(root, named)).split(path.sep).join('/') : undefined;
  const inside = cdk !== undefined && cdk !== '' && !cdk.startsWith('../') && !path.isAbsolute(cdk) ? cdk : undefined;
  const isEstate = (file: string) => new RegExp(`^${ESTATES_DIR}/[^/]+\\.ya?ml$`).test(file) || file === inside;
  const files = new Set<string>();
  try {
    for (const f of readdirSync(path.join(root, ESTATES_DIR))) {
      const file = `${ESTATES_DIR}/${f}`;
      if (isEstate(file) && isFile(path.join(root, file))) files.add(file);
    }
  } catch {
    // no estates directory
  }
  if (inside && isFile(path.join(root, inside))) files.add(inside);
  return { files: [...files].sort(), isEstate };
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

export interface AffectedSince extends Affected {
  /** The ref compared with, as given (or the default). */
  readonly ref: string;
  /** The merge base's sha. */
  readonly base: string;
}

/** The estates affected since the merge base of `given` (default origin/main, else main) and HEAD, working tree included. */
export function findAffected(io: Io, given: string | undefined, command: Command = 'affected'): AffectedSince {
  // Not a repository is said before a bad --base: no --base is a commit there.
  inWorkTree(io);
  const ref = baseOf(io, given, command);
  const base = mergeBase(io, ref, command);
  const { files, isEstate } = estateFiles(io.cwd);
  const changes = new Map<string, ChangeKind>();
  // Against the working tree: committed, staged and unstaged edits. A rename (or a copy) is the new
  // path changed from the old one, so its diff starts from the old path's base version: an estate
  // moved to another file and edited on the way is reviewed, not shown as new.
  const diff = nulList(gitOk(io, ['diff', '--name-status', '--find-renames', '--relative', '-z', base, '--']));
  const renamed = new Map<string, string>();
  for (let i = 0; i + 1 < diff.length; ) {
    const status = diff[i]![0];
    if ((status === 'R' || status === 'C') && i + 2 < diff.length) {
      const [from, to] = [diff[i + 1]!, diff[i + 2]!];
      changes.set(to, 'changed');
      renamed.set(to, from);
      i += 3;
      continue;
    }
    changes.set(diff[i + 1]!, status === 'A' ? 'added' : status === 'D' ? 'removed' : 'changed');
    i += 2;
  }
  // New estate files git does not know yet (not ignored ones).
  const pathspecs = [`${ESTATES_DIR}/`, ...files.filter((f) => !f.startsWith(`${ESTATES_DIR}/`))];
  for (const file of nulList(gitOk(io, ['ls-files', '--others', '--exclude-standard', '-z', '--', ...pathspecs]))) {
    // Removed from the index but still on disk: it is there at the base, so it changed at most.
    changes.set(file, changes.get(file) === 'removed' ? 'changed' : 'added');
  }
  const affected = affectedEstates(
    [...changes].map(([file, kind]) => ({ file, kind, ...(renamed.has(file) ? { from: renamed.get(file) } : {}) })),
    files,
    isEstate,
  );
  return { ...affected, ref: ref.ref, base };
}

/** `drawbridge affected --json`: the estates, and the same as a GitHub Actions matrix. */
export function affectedJson(a: AffectedSince): object {
  return {
    base: a.base,
    baseRef: a.ref,
    estates: a.estates,
    removed: a.removed,
    matrix: { include: a.estates.map((e) => ({ estate: e.file, baseFile: e.from ?? e.file, why: e.why, slug: slug(e.file) })) },
  };
}

export function affectedCommand(io: Io, values: Values, words: readonly string[]): number {
  if (words.length) throw usage(`affected takes no arguments, got ${words.map(typedWord).join(' ')}; give the base with --base REF`, 'affected');
  const a = findAffected(io, values.base, 'affected');
  if (values.json) {
    io.stdout.write(`${JSON.stringify(affectedJson(a), null, 2)}\n`);
    return EXIT.ok;
  }
  for (const e of a.estates) io.stdout.write(`${e.file}: ${e.why}\n`);
  for (const file of a.removed) io.stdout.write(`${file}: removed (not diffed)\n`);
  if (!a.estates.length && !a.removed.length) io.stderr.write(`drawbridge: no estate is affected since ${a.base.slice(0, 7)} (the merge base with ${a.ref})\n`);
  return EXIT.ok;
}

// ---------------------------------------------------------------------------------------------
// diff --affected

/** The CLI, run by each diff child process (`__dirname` is bin/cli, or dist/bin in the bundle). */
const BIN = path.join(__dirname, '..', '..', 'bin', 'drawbridge.js');

interface DiffRun {
  readonly estate: AffectedEstate;
  /** No file at the base: diffed from its own committed state. */
  readonly isNew: boolean;
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly seconds: number;
}

/** Worst first: a bug or a killed child, unsafe, usage, invalid, safe. */
const SEVERITY: Readonly<Record<number, number>> = { [EXIT.ok]: 0, [EXIT.invalid]: 1, [EXIT.usage]: 2, [EXIT.unsafe]: 3 };
const severity = (code: number) => SEVERITY[code] ?? 4;

/** The worst of some exit codes: 70 (bug) > 3 (unsafe) > 2 > 1 > 0. */
export function worstExit(codes: readonly number[]): number {
  return codes.reduce((worst, c) => (severity(c) > severity(worst) ? c : worst), EXIT.ok);
}

/** Writes the base version of `file` under `dir`; undefined when the base has no such file. */
function baseVersion(io: Io, base: string, file: string, dir: string): string | undefined {
  // Only a file the base does not have is new; any other failure to read it must not pass as "new, safe".
  if (git(io, ['cat-file', '-e', `${base}:./${file}`]).status !== 0) return undefined;
  const r = git(io, ['show', `${base}:./${file}`]);
  if (r.status !== 0) throw new DrawbridgeError(`git could not read ${file} at ${base.slice(0, 7)} (${complaint(r)}); it is there, so it cannot be diffed as a new estate`);
  const out = path.join(dir, file);
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, r.stdout);
  return out;
}

function runDiff(io: Io, args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: io.cwd, env: { ...process.env, ...io.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => err.push(Buffer.from(`drawbridge: internal error (please report it): ${e.message}\n`)));
    child.on('close', (code) => done({ code: code ?? EXIT.bug, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
  });
}

/** Runs `fn` on every item, at most `limit` at once; `settled(i)` after each, in any order. */
async function inParallel<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>, settled: (i: number, r: R) => void): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      settled(i, await fn(items[i]!));
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** `drawbridge: X` lines of a child, naming the estate: `drawbridge: estates/shop.yaml: X`. */
function childLines(file: string, stderr: string): string {
  return stderr.replace(/^drawbridge: /gm, `drawbridge: ${file}: `);
}

function outcome(run: DiffRun): string {
  switch (run.code) {
    case EXIT.ok:
      return run.isNew ? 'safe (new estate: its committed state on its own)' : 'safe';
    case EXIT.unsafe:
      return 'UNSAFE (exit 3): a resource would be replaced or removed';
    default:
      return `failed (exit ${run.code})`;
  }
}

export async function diffAffectedCommand(io: Io, values: Values, words: readonly string[]): Promise<number> {
  if (words.length > 2) throw usage(`too many arguments (${words.map(typedWord).join(' ')}); give at most FROM and TO`, 'diff');
  const format = formatOf(values, ['text', 'json'], 'diff');
  const colour = format === 'text' && useColour(io, values);
  const paint = colour ? ansi : plain;
  const a = findAffected(io, values.base, 'diff');
  const short = a.base.slice(0, 7);
  const quiet = !!values.quiet;
  const dir = mkdtempSync(path.join(tmpdir(), 'drawbridge-base-'));
  const runs: DiffRun[] = [];
  try {
    const jobs = a.estates.map((estate) => ({ estate, from: baseVersion(io, a.base, estate.from ?? estate.file, dir) }));
    const limit = Math.max(1, availableParallelism());
    if (!quiet && jobs.length) io.stderr.write(`drawbridge: diffing ${jobs.length} affected ${jobs.length === 1 ? 'estate' : 'estates'} since ${short} (${a.ref}), ${Math.min(limit, jobs.length)} at a time\n`);
    // The base file's temporary path reads as git's BASE:FILE in the output.
    const named = (text: string) => text.split(`${dir}${path.sep}`).join(`${short}:`);
    const done: (DiffRun | undefined)[] = [];
    let printed = 0;
    const print = (run: DiffRun) => {
      if (format === 'json') return;
      io.stdout.write(`${printed ? '\n' : ''}${paint.bold(`== ${run.estate.file}: ${run.estate.why} ==`)}\n${run.stdout}`);
      if (run.stderr) io.stderr.write(childLines(run.estate.file, run.stderr));
    };
    await inParallel(
      jobs,
      limit,
      async ({ estate, from }) => {
        const t0 = Date.now();
        const args = ['diff', ...words, `--estate=${estate.file}`, ...(from ? [`--from-estate=${from}`] : []), '--quiet', ...(values['no-cache'] ? ['--no-cache'] : []), ...(format === 'json' ? ['--json'] : []), colour ? '--color' : '--no-color'];
        const r = await runDiff(io, args);
        return { estate, isNew: !from, code: r.code, stdout: named(r.stdout), stderr: named(r.stderr), seconds: (Date.now() - t0) / 1000 };
      },
      (i, run) => {
        done[i] = run;
        if (!quiet) io.stderr.write(`drawbridge: ${run.estate.file}: diffed (${run.seconds.toFixed(1)}s, exit ${run.code})\n`);
        // Each estate's output in the list's order, as soon as the ones before it are done.
        while (printed < jobs.length && done[printed]) {
          runs.push(done[printed]!);
          print(done[printed]!);
          printed++;
        }
      },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const code = worstExit(runs.map((r) => r.code));
  if (format === 'json') {
    const estates = runs.map((r) => {
      let diff: unknown = null;
      try {
        diff = r.stdout.trim() ? JSON.parse(r.stdout) : null;
      } catch {
        diff = null;
      }
      const errors = r.stderr.split('\n').filter((l) => l.trim() !== '');
      return { file: r.estate.file, why: r.estate.why, new: r.isNew, exitCode: r.code, diff, ...(errors.length ? { errors } : {}) };
    });
    io.stdout.write(`${JSON.stringify({ base: a.base, baseRef: a.ref, safe: code === EXIT.ok, exitCode: code, estates, removed: a.removed }, null, 2)}\n`);
    return code;
  }
  if (!runs.length && !a.removed.length) {
    io.stderr.write(`drawbridge: no estate is affected since ${short} (the merge base with ${a.ref}); nothing to diff\n`);
    return code;
  }
  let s = `${runs.length ? '\n' : ''}${paint.bold(`drawbridge diff --affected: since ${short} (${a.ref})`)}\n`;
  for (const r of runs) s += `  ${r.estate.file}: ${r.code === EXIT.ok ? paint.green(outcome(r)) : paint.red(outcome(r))}\n`;
  for (const file of a.removed) s += `  ${file}: removed, not diffed\n`;
  io.stdout.write(s);
  return code;
}
