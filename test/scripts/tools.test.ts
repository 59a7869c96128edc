/**
 * scripts/tools.ts and scripts/preflight.ts: where Chromium, cfn-lint and moto_server are, what is
 * installed when they are not (Debian's packages, as root only), and the one line otherwise. The
 * unit tests inject a fake machine: apt never runs here.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DrawbridgeError } from '../../modes/errors';
import { CFN_LINT_MISSING } from '../../scripts/cfn-lint';
import { MOTO_MISSING } from '../../scripts/moto/server';
import {
  badVariableLine,
  CFN_LINT_TOOL,
  CHROMIUM_TOOL,
  debianMajor,
  findTool,
  missingLine,
  MOTO_SERVER_TOOL,
  nodeHost,
  type RunResult,
  type ToolHost,
  type ToolSpec,
} from '../../scripts/tools';

const ROOT = join(__dirname, '..', '..');
const OK: RunResult = { status: 0, stdout: '', stderr: '' };

interface Fake {
  readonly host: ToolHost;
  /** Every command run, as one string each. */
  readonly calls: string[];
  /** The environment each command was given. */
  readonly runEnvs: (Readonly<Record<string, string>> | undefined)[];
  readonly notes: string[];
}

/** A machine with `files` executable; `apt` answers each command run (default: success, nothing printed). */
function fake(options: {
  files?: readonly string[];
  env?: Record<string, string>;
  debian?: boolean;
  root?: boolean;
  platform?: NodeJS.Platform;
  apt?: (line: string, files: Set<string>) => RunResult;
}): Fake {
  const files = new Set(options.files ?? []);
  const calls: string[] = [];
  const runEnvs: (Readonly<Record<string, string>> | undefined)[] = [];
  const notes: string[] = [];
  const host: ToolHost = {
    env: { PATH: '/usr/local/bin:/usr/bin:/bin', ...options.env },
    platform: options.platform ?? 'linux',
    debian: options.debian ?? false,
    root: options.root ?? false,
    isExecutable: (path) => files.has(path),
    run: (command, args, env) => {
      const line = [command, ...args].join(' ');
      calls.push(line);
      runEnvs.push(env);
      return options.apt ? options.apt(line, files) : OK;
    },
    note: (line) => notes.push(line),
  };
  return { host, calls, runEnvs, notes };
}

/** The DrawbridgeError `f` throws (fails the test when it throws nothing or something else). */
function problemOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof DrawbridgeError) return e.message;
    throw e;
  }
  throw new Error('expected a DrawbridgeError, nothing was thrown');
}

const APT_INSTALL_CHROMIUM = 'apt-get -o DPkg::Lock::Timeout=300 install -y -qq chromium';

describe('findTool: the variable', () => {
  test.each([
    ['CHROMIUM_PATH', CHROMIUM_TOOL, '/opt/chromium/chrome', ['/usr/bin/chromium']],
    ['CFN_LINT_PATH', CFN_LINT_TOOL, '/opt/py/bin/cfn-lint', ['/usr/bin/cfn-lint']],
    ['MOTO_SERVER_PATH', MOTO_SERVER_TOOL, '/opt/py/bin/moto_server', ['/usr/bin/moto_server']],
  ] as [string, ToolSpec, string, string[]][])('GIVEN %s names an executable THEN that file, even with another in the usual places or on PATH', (_, spec, path, others) => {
    const { host, calls } = fake({ files: [path, ...others], env: { [spec.variable]: path } });
    expect(findTool(spec, host)).toBe(path);
    expect(calls).toEqual([]);
  });

  test.each([CHROMIUM_TOOL, CFN_LINT_TOOL, MOTO_SERVER_TOOL])('GIVEN $variable at a missing file on Debian as root, the tool on PATH THEN the one line, no fall-back, no install', (spec) => {
    const { host, calls, notes } = fake({ files: ['/usr/bin/chromium', '/usr/bin/cfn-lint', '/usr/bin/moto_server'], env: { [spec.variable]: '/nope/tool' }, debian: true, root: true });
    expect(problemOf(() => findTool(spec, host))).toBe(badVariableLine(spec, '/nope/tool', 'linux'));
    expect(calls).toEqual([]);
    expect(notes).toEqual([]);
  });

  test('GIVEN CHROMIUM_PATH at a missing file THEN the line names the variable, the value and the Debian package', () => {
    const { host } = fake({ env: { CHROMIUM_PATH: '/nope/chromium' } });
    expect(problemOf(() => findTool(CHROMIUM_TOOL, host))).toBe(
      'CHROMIUM_PATH="/nope/chromium" is not an executable file: set it to Chromium\'s executable, or unset it to look in the usual places and on PATH (install: `apt-get install chromium`)',
    );
  });

  test('GIVEN an empty CHROMIUM_PATH THEN it counts as unset', () => {
    const { host } = fake({ files: ['/usr/bin/chromium'], env: { CHROMIUM_PATH: '' } });
    expect(findTool(CHROMIUM_TOOL, host)).toBe('/usr/bin/chromium');
  });
});

describe('findTool: the usual places and PATH', () => {
  test.each([
    [['/usr/bin/chromium', '/usr/bin/google-chrome'], '/usr/bin/chromium'],
    [['/usr/bin/chromium-browser', '/usr/bin/google-chrome'], '/usr/bin/chromium-browser'],
    [['/usr/bin/google-chrome-stable'], '/usr/bin/google-chrome-stable'],
    [['/snap/bin/chromium', '/usr/local/bin/chromium'], '/snap/bin/chromium'],
    [['/usr/local/bin/google-chrome'], '/usr/local/bin/google-chrome'],
    [['/usr/local/bin/chromium', '/usr/local/bin/google-chrome'], '/usr/local/bin/chromium'],
  ])('GIVEN Chromium at %j THEN %s', (files, expected) => {
    expect(findTool(CHROMIUM_TOOL, fake({ files }).host)).toBe(expected);
  });

  test('GIVEN macOS THEN Chromium.app before Google Chrome.app', () => {
    const files = ['/Applications/Chromium.app/Contents/MacOS/Chromium', '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'];
    expect(findTool(CHROMIUM_TOOL, fake({ files, platform: 'darwin' }).host)).toBe(files[0]);
    expect(findTool(CHROMIUM_TOOL, fake({ files: files.slice(1), platform: 'darwin' }).host)).toBe(files[1]);
  });

  test('GIVEN cfn-lint and moto_server in a PATH directory THEN found there, the first directory winning', () => {
    const { host } = fake({ files: ['/root/.pyenv/shims/cfn-lint', '/usr/bin/cfn-lint', '/root/.pyenv/shims/moto_server'], env: { PATH: '/root/.pyenv/shims:/usr/bin' } });
    expect(findTool(CFN_LINT_TOOL, host)).toBe('/root/.pyenv/shims/cfn-lint');
    expect(findTool(MOTO_SERVER_TOOL, host)).toBe('/root/.pyenv/shims/moto_server');
  });
});

describe('findTool: a missing tool', () => {
  test.each([
    ['not Debian, not root', { debian: false, root: false }],
    ['Debian, not root', { debian: true, root: false }],
    ['root, not Debian', { debian: false, root: true }],
  ])('GIVEN Chromium nowhere on a machine that is %s THEN the one line and no install is tried', (_, machine) => {
    const { host, calls } = fake(machine);
    expect(problemOf(() => findTool(CHROMIUM_TOOL, host))).toBe(
      'Chromium not found (CHROMIUM_PATH unset; not at /usr/bin/chromium or the other usual places, nor on PATH): install it with `apt-get install chromium` or set CHROMIUM_PATH to its executable',
    );
    expect(calls).toEqual([]);
  });

  test('GIVEN Chromium nowhere on Debian as root WHEN the install works THEN apt-get install runs once (no update) and the new binary is found', () => {
    const { host, calls, runEnvs, notes } = fake({
      debian: true,
      root: true,
      apt: (line, files) => {
        if (line === APT_INSTALL_CHROMIUM) files.add('/usr/bin/chromium');
        return OK;
      },
    });
    expect(findTool(CHROMIUM_TOOL, host)).toBe('/usr/bin/chromium');
    expect(calls).toEqual([APT_INSTALL_CHROMIUM]);
    expect(runEnvs).toEqual([{ DEBIAN_FRONTEND: 'noninteractive' }]);
    expect(notes).toEqual(["Chromium not found; installing Debian's chromium (apt-get install chromium)"]);
  });

  test('GIVEN stale apt lists (the first install fails) THEN apt-get update, then the install once more', () => {
    let updated = false;
    const { host, calls } = fake({
      debian: true,
      root: true,
      apt: (line, files) => {
        if (line === 'apt-get update -qq') updated = true;
        if (line === APT_INSTALL_CHROMIUM && !updated) return { status: 100, stdout: '', stderr: 'E: Unable to locate package chromium\n' };
        if (line === APT_INSTALL_CHROMIUM) files.add('/usr/bin/chromium');
        return OK;
      },
    });
    expect(findTool(CHROMIUM_TOOL, host)).toBe('/usr/bin/chromium');
    expect(calls).toEqual([APT_INSTALL_CHROMIUM, 'apt-get update -qq', APT_INSTALL_CHROMIUM]);
  });

  test('GIVEN the install fails after the update too THEN the one line, with apt\'s last line', () => {
    const { host, calls } = fake({ debian: true, root: true, apt: (line) => (line === APT_INSTALL_CHROMIUM ? { status: 100, stdout: '', stderr: 'W: something\nE: Unable to locate package chromium\n' } : OK) });
    expect(problemOf(() => findTool(CHROMIUM_TOOL, host))).toBe(`${missingLine(CHROMIUM_TOOL, 'linux')}; \`apt-get install chromium\` failed (exit 100: E: Unable to locate package chromium)`);
    expect(calls).toEqual([APT_INSTALL_CHROMIUM, 'apt-get update -qq', APT_INSTALL_CHROMIUM]);
  });

  test('GIVEN apt-get update fails THEN the one line says so and the install is not tried again', () => {
    const { host, calls } = fake({ debian: true, root: true, apt: (line) => ({ status: 100, stdout: '', stderr: line === 'apt-get update -qq' ? 'E: Could not get lock /var/lib/apt/lists/lock\n' : 'E: no\n' }) });
    expect(problemOf(() => findTool(CHROMIUM_TOOL, host))).toBe(`${missingLine(CHROMIUM_TOOL, 'linux')}; \`apt-get update\` failed (exit 100: E: Could not get lock /var/lib/apt/lists/lock)`);
    expect(calls).toEqual([APT_INSTALL_CHROMIUM, 'apt-get update -qq']);
  });

  test('GIVEN the install works but puts Chromium nowhere findTool looks THEN the one line says so', () => {
    const { host } = fake({ debian: true, root: true });
    expect(problemOf(() => findTool(CHROMIUM_TOOL, host))).toBe(`${missingLine(CHROMIUM_TOOL, 'linux')}; Debian's chromium installed but Chromium is still not found`);
  });

  test('GIVEN install: false (the suite) on Debian as root THEN only looks', () => {
    const { host, calls } = fake({ debian: true, root: true });
    expect(problemOf(() => findTool(CHROMIUM_TOOL, host, { install: false }))).toBe(missingLine(CHROMIUM_TOOL, 'linux'));
    expect(calls).toEqual([]);
  });

  test.each([
    ['cfn-lint', 'cfn-lint', 'Version: 0.72.10-1\n', CFN_LINT_TOOL, "; Debian's cfn-lint 0.72.10-1 is too old (needs 1.x), so it is not installed"],
    ['moto_server', 'python3-moto', 'Package: python3-moto\nVersion: 4.1.4-1\n', MOTO_SERVER_TOOL, "; Debian's python3-moto 4.1.4-1 is too old (needs 5.x), so it is not installed"],
    ['moto_server', 'python3-moto', 'Version: 1:4.2.0-1\n', MOTO_SERVER_TOOL, "; Debian's python3-moto 1:4.2.0-1 is too old (needs 5.x), so it is not installed"],
    ['cfn-lint', 'cfn-lint', undefined, CFN_LINT_TOOL, ''],
  ] as [string, string, string | undefined, ToolSpec, string][])('GIVEN %s nowhere on Debian as root and apt-cache showing %s as %j THEN not installed, the one line', (_, pkg, shown, spec, tail) => {
    const { host, calls } = fake({ debian: true, root: true, apt: () => (shown === undefined ? { status: 100, stdout: '', stderr: 'E: No packages found\n' } : { status: 0, stdout: shown, stderr: '' }) });
    expect(problemOf(() => findTool(spec, host))).toBe(`${missingLine(spec, 'linux')}${tail}`);
    expect(calls).toEqual([`apt-cache show --no-all-versions ${pkg}`]);
  });

  test('GIVEN a Debian python3-moto of the tested major THEN it is installed and moto_server found', () => {
    const { host, calls } = fake({
      debian: true,
      root: true,
      apt: (line, files) => {
        if (line.startsWith('apt-cache')) return { status: 0, stdout: 'Package: python3-moto\nVersion: 5.2.1-1\n', stderr: '' };
        if (line === 'apt-get -o DPkg::Lock::Timeout=300 install -y -qq python3-moto') files.add('/usr/bin/moto_server');
        return OK;
      },
    });
    expect(findTool(MOTO_SERVER_TOOL, host)).toBe('/usr/bin/moto_server');
    expect(calls).toEqual(['apt-cache show --no-all-versions python3-moto', 'apt-get -o DPkg::Lock::Timeout=300 install -y -qq python3-moto']);
  });

  test('the lines the suite throws are the preflight\'s', () => {
    expect(CFN_LINT_MISSING).toBe(
      'cfn-lint not found (CFN_LINT_PATH unset; not on PATH): install it with `pip install cfn-lint` (the suite is tested with cfn-lint 1.51) or set CFN_LINT_PATH to its executable',
    );
    expect(MOTO_MISSING).toBe(
      'moto_server not found (MOTO_SERVER_PATH unset; not on PATH): install it with `pip install "moto[server]"` (the suite is tested with moto 5.2) or set MOTO_SERVER_PATH to its executable',
    );
  });
});

describe('debianMajor', () => {
  test.each([
    ['1.51.0-1', 1],
    ['0.72.10-1', 0],
    ['1:5.2.1-1', 5],
    ['150.0.7871.100-1~deb12u1', 150],
    ['x1', undefined],
  ])('%s -> %s', (version, major) => expect(debianMajor(version)).toBe(major));
});

describe('nodeHost().isExecutable', () => {
  test('GIVEN a directory, a file without x bits, a missing path and an executable THEN only the executable', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tools-'));
    try {
      const plain = join(dir, 'plain');
      const exe = join(dir, 'exe');
      writeFileSync(plain, 'x');
      chmodSync(plain, 0o644);
      writeFileSync(exe, '#!/bin/sh\n');
      chmodSync(exe, 0o755);
      const host = nodeHost();
      expect([dir, plain, join(dir, 'missing'), exe].map((p) => host.isExecutable(p))).toEqual([false, false, false, true]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('scripts/preflight.ts (a child process, every variable set: it never reaches apt)', () => {
  let dir: string;
  let fakeCfnLint: string;
  let fakeMoto: string;
  let fakeChromium: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'preflight-'));
    mkdirSync(join(dir, 'bin'));
    [fakeCfnLint, fakeMoto, fakeChromium] = ['cfn-lint', 'moto_server', 'chromium'].map((name) => {
      const file = join(dir, 'bin', name);
      writeFileSync(file, '#!/bin/sh\nexit 0\n');
      chmodSync(file, 0o755);
      return file;
    }) as [string, string, string];
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function preflight(vars: Record<string, string>): { status: number | null; stdout: string; stderr: string } {
    const r = spawnSync(join(ROOT, 'node_modules', '.bin', 'tsx'), ['scripts/preflight.ts'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...vars }, timeout: 60_000 });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  test('GIVEN CHROMIUM_PATH at a missing file THEN exit 1 and exactly one line naming CHROMIUM_PATH, the file and the package chromium', () => {
    const missing = join(dir, 'no-such-chromium');
    const r = preflight({ CHROMIUM_PATH: missing, CFN_LINT_PATH: fakeCfnLint, MOTO_SERVER_PATH: fakeMoto });
    expect(r).toEqual({
      status: 1,
      stdout: '',
      stderr: `drawbridge: CHROMIUM_PATH=${JSON.stringify(missing)} is not an executable file: set it to Chromium's executable, or unset it to look in the usual places and on PATH (install: \`apt-get install chromium\`)\n`,
    });
  });

  test('GIVEN CFN_LINT_PATH and MOTO_SERVER_PATH at missing files THEN exit 1 and one line for each, in order', () => {
    const r = preflight({ CHROMIUM_PATH: fakeChromium, CFN_LINT_PATH: join(dir, 'no-cfn-lint'), MOTO_SERVER_PATH: join(dir, 'no-moto') });
    expect(r).toEqual({
      status: 1,
      stdout: '',
      stderr:
        `drawbridge: CFN_LINT_PATH=${JSON.stringify(join(dir, 'no-cfn-lint'))} is not an executable file: set it to cfn-lint's executable, or unset it to look on PATH (install: \`pip install cfn-lint\`)\n` +
        `drawbridge: MOTO_SERVER_PATH=${JSON.stringify(join(dir, 'no-moto'))} is not an executable file: set it to moto_server's executable, or unset it to look on PATH (install: \`pip install "moto[server]"\`)\n`,
    });
  });

  test('GIVEN every variable at an executable THEN exit 0 and nothing printed', () => {
    expect(preflight({ CHROMIUM_PATH: fakeChromium, CFN_LINT_PATH: fakeCfnLint, MOTO_SERVER_PATH: fakeMoto })).toEqual({ status: 0, stdout: '', stderr: '' });
  });

  test("GIVEN CHROMIUM_PATH at this machine's real Chromium THEN exit 0", () => {
    const chromium = findTool(CHROMIUM_TOOL, nodeHost(), { install: false });
    expect(preflight({ CHROMIUM_PATH: chromium, CFN_LINT_PATH: fakeCfnLint, MOTO_SERVER_PATH: fakeMoto })).toEqual({ status: 0, stdout: '', stderr: '' });
  });
});
