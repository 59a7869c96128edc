/**
 * Where the external tools the suite and the scripts run are: Chromium (browser tests, screenshots),
 * cfn-lint and moto_server (Python tools). One place decides, so the preflight (scripts/preflight.ts,
 * run by `npm test` before jest), the suite and the scripts find the same binary and, when it is
 * nowhere, say the same one line.
 *
 * Order: the tool's variable (CHROMIUM_PATH, CFN_LINT_PATH, MOTO_SERVER_PATH) when set, and then
 * nothing else: a variable that names no executable file is a stop, never a fall-back; when unset,
 * the usual places and PATH. A missing tool is installed only on Debian as root, and only from
 * Debian's own packages when they are the versions the suite is tested with (Chromium always is;
 * cfn-lint and moto come from pip, which is no registry this project reaches).
 *
 * Pure Node; everything that touches the machine goes through a `ToolHost`, so tests inject one.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { DrawbridgeError, isDrawbridgeError } from '../modes/errors';

/** What one command run by the host gave back. */
export interface RunResult {
  /** Exit code; null when it could not be started or was killed. */
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The machine, as far as finding and installing a tool needs it. */
export interface ToolHost {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly platform: NodeJS.Platform;
  /** /etc/debian_version exists. */
  readonly debian: boolean;
  /** The process runs as root (uid 0). */
  readonly root: boolean;
  /** `path` is a regular file this process may execute. */
  isExecutable(path: string): boolean;
  /** Runs `command` to completion; the only way findTool queries or changes the machine (apt-cache, apt-get). */
  run(command: string, args: readonly string[], env?: Readonly<Record<string, string>>): RunResult;
  /** A progress line (an install starting), for stderr. */
  note(line: string): void;
}

/** A Debian package that provides the tool. */
export interface DebianPackage {
  readonly name: string;
  /**
   * The lowest major version of the package's upstream version the suite works with. When set, the
   * package is installed only if apt's candidate is at least that; when unset, always.
   * @default any version
   */
  readonly minimumMajor?: number;
}

/** One external tool: how to find it and what to tell the user when it is nowhere. */
export interface ToolSpec {
  /** As messages name it. */
  readonly name: string;
  /** The environment variable that says where it is. */
  readonly variable: string;
  /** Absolute paths tried, in order, before PATH. */
  readonly places: (platform: NodeJS.Platform) => readonly string[];
  /** Command names looked up on PATH, in order. */
  readonly commands: readonly string[];
  /** The command that installs it, as the message tells the user. */
  readonly install: string;
  /** Said after the install command in the message (the versions the suite is tested with). */
  readonly tested?: string;
  /** Debian's package, when Debian has one worth installing as root. */
  readonly debian?: DebianPackage;
}

export const CHROMIUM_TOOL: ToolSpec = {
  name: 'Chromium',
  variable: 'CHROMIUM_PATH',
  places: (platform) =>
    platform === 'darwin'
      ? ['/Applications/Chromium.app/Contents/MacOS/Chromium', '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome']
      : ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable', '/snap/bin/chromium'],
  commands: ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'],
  install: 'apt-get install chromium',
  debian: { name: 'chromium' },
};

export const CFN_LINT_TOOL: ToolSpec = {
  name: 'cfn-lint',
  variable: 'CFN_LINT_PATH',
  places: () => [],
  commands: ['cfn-lint'],
  install: 'pip install cfn-lint',
  tested: 'the suite is tested with cfn-lint 1.51',
  debian: { name: 'cfn-lint', minimumMajor: 1 },
};

export const MOTO_SERVER_TOOL: ToolSpec = {
  name: 'moto_server',
  variable: 'MOTO_SERVER_PATH',
  places: () => [],
  commands: ['moto_server'],
  install: 'pip install "moto[server]"',
  tested: 'the suite is tested with moto 5.2',
  debian: { name: 'python3-moto', minimumMajor: 5 },
};

/** Every tool `npm test` needs, in the order the preflight reports them. */
export const SUITE_TOOLS: readonly ToolSpec[] = [CHROMIUM_TOOL, CFN_LINT_TOOL, MOTO_SERVER_TOOL];

/** The real machine. */
export function nodeHost(): ToolHost {
  return {
    env: process.env,
    platform: process.platform,
    debian: existsSync('/etc/debian_version'),
    root: process.getuid?.() === 0,
    isExecutable: (path) => {
      try {
        if (!statSync(path).isFile()) return false;
        accessSync(path, constants.X_OK);
        return true;
      } catch {
        return false;
      }
    },
    run: (command, args, env) => {
      const r = spawnSync(command, args, { encoding: 'utf8', env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024, timeout: 30 * 60_000 });
      return { status: r.status, stdout: r.stdout ?? '', stderr: `${r.stderr ?? ''}${r.error ? `\n${r.error.message}` : ''}` };
    },
    note: (line) => process.stderr.write(`drawbridge: ${line}\n`),
  };
}

/** The line for a tool that is nowhere (its variable unset), before any Debian detail. */
export function missingLine(spec: ToolSpec, platform: NodeJS.Platform = process.platform): string {
  const places = spec.places(platform);
  const where = places.length > 0 ? `not at ${places[0]} or the other usual places, nor on PATH` : 'not on PATH';
  const tested = spec.tested ? ` (${spec.tested})` : '';
  return `${spec.name} not found (${spec.variable} unset; ${where}): install it with \`${spec.install}\`${tested} or set ${spec.variable} to its executable`;
}

/** The line for a variable that names no executable file. */
export function badVariableLine(spec: ToolSpec, value: string, platform: NodeJS.Platform = process.platform): string {
  const fallback = spec.places(platform).length > 0 ? 'in the usual places and on PATH' : 'on PATH';
  return `${spec.variable}=${JSON.stringify(value)} is not an executable file: set it to ${spec.name}'s executable, or unset it to look ${fallback} (install: \`${spec.install}\`)`;
}

/** The tool where it already is, without installing: the variable's file, the usual places, PATH. */
export function locateTool(spec: ToolSpec, host: ToolHost): string | undefined {
  const value = host.env[spec.variable];
  if (value !== undefined && value !== '') {
    const path = resolve(value);
    if (host.isExecutable(path)) return path;
    throw new DrawbridgeError(badVariableLine(spec, value, host.platform));
  }
  for (const place of spec.places(host.platform)) if (host.isExecutable(place)) return place;
  const dirs = (host.env.PATH ?? '').split(delimiter).filter((d) => d !== '');
  for (const command of spec.commands) {
    for (const dir of dirs) {
      const path = join(dir, command);
      if (host.isExecutable(path)) return path;
    }
  }
  return undefined;
}

/** The upstream major version of a Debian version string (`1:0.72.10-1` -> 0). */
export function debianMajor(version: string): number | undefined {
  const m = /^(?:\d+:)?(\d+)/.exec(version.trim());
  return m ? Number(m[1]) : undefined;
}

/** apt's candidate version of `pkg`, or undefined when apt knows no such package. */
function aptCandidate(pkg: string, host: ToolHost): string | undefined {
  const r = host.run('apt-cache', ['show', '--no-all-versions', pkg]);
  if (r.status !== 0) return undefined;
  return /^Version:\s*(\S+)/m.exec(r.stdout)?.[1];
}

const APT_ENV = { DEBIAN_FRONTEND: 'noninteractive' } as const;

/** The last non-empty line of a command's stderr, for a one-line report. */
function lastLine(text: string): string {
  return (
    text
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '')
      .pop() ?? 'no message'
  );
}

/**
 * Installs `pkg` with apt-get; `apt-get update` only when the first try fails (stale or empty lists),
 * then once more. Returns undefined on success, else why it failed.
 */
function aptInstall(pkg: string, host: ToolHost): string | undefined {
  const install = () => host.run('apt-get', ['-o', 'DPkg::Lock::Timeout=300', 'install', '-y', '-qq', pkg], APT_ENV);
  if (install().status === 0) return undefined;
  const update = host.run('apt-get', ['update', '-qq'], APT_ENV);
  if (update.status !== 0) return `\`apt-get update\` failed (exit ${update.status}: ${lastLine(update.stderr)})`;
  const again = install();
  return again.status === 0 ? undefined : `\`apt-get install ${pkg}\` failed (exit ${again.status}: ${lastLine(again.stderr)})`;
}

export interface FindOptions {
  /**
   * Install a missing tool when the machine allows (Debian, root, a usable package). The suite
   * passes false: the preflight installs, a test only looks.
   * @default true
   */
  readonly install?: boolean;
}

/**
 * The path of `spec`'s executable. When it is nowhere: on Debian as root with a usable Debian
 * package, installs that and looks again; otherwise (or when that fails) throws a DrawbridgeError
 * with one line naming the package to install and the variable to set.
 */
export function findTool(spec: ToolSpec, host: ToolHost = nodeHost(), options: FindOptions = {}): string {
  const found = locateTool(spec, host);
  if (found) return found;
  const missing = missingLine(spec, host.platform);
  const pkg = spec.debian;
  if (options.install === false || !pkg || !host.debian || !host.root) throw new DrawbridgeError(missing);
  if (pkg.minimumMajor !== undefined) {
    const candidate = aptCandidate(pkg.name, host);
    if (candidate === undefined) throw new DrawbridgeError(missing);
    const major = debianMajor(candidate);
    if (major === undefined || major < pkg.minimumMajor) {
      throw new DrawbridgeError(`${missing}; Debian's ${pkg.name} ${candidate} is too old (needs ${pkg.minimumMajor}.x), so it is not installed`);
    }
  }
  host.note(`${spec.name} not found; installing Debian's ${pkg.name} (apt-get install ${pkg.name})`);
  const failed = aptInstall(pkg.name, host);
  if (failed) throw new DrawbridgeError(`${missing}; ${failed}`);
  const installed = locateTool(spec, host);
  if (installed) return installed;
  throw new DrawbridgeError(`${missing}; Debian's ${pkg.name} installed but ${spec.name} is still not found`);
}

/**
 * The path of `spec`'s executable, or undefined when it is nowhere; only looks (for version probes:
 * a DrawbridgeError naming the package is what every other caller wants).
 */
export function toolIfFound(spec: ToolSpec, host: ToolHost = nodeHost()): string | undefined {
  try {
    return findTool(spec, host, { install: false });
  } catch (e) {
    if (isDrawbridgeError(e)) return undefined;
    throw e;
  }
}
