/**
 * A few end-to-end runs of the installed command as a child process: the package.json bin
 * (bin/drawbridge.js, through tsx) exactly as `npx drawbridge` starts it.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';
import { enginesLoadedAfter } from '../support/engines-loaded';
import { ROOT } from '../support/estates';

const BIN = join(ROOT, 'bin', 'drawbridge.js');

function drawbridge(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env }, timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('GIVEN the package bin WHEN installed THEN it is an executable node script', () => {
  expect(() => accessSync(BIN, constants.X_OK)).not.toThrow();
});

test('GIVEN --help WHEN run as a process THEN the usage is printed, exit 0', () => {
  const r = drawbridge(['--help']);
  expect(r.code).toBe(0);
  expect(r.out).toMatch(/^drawbridge: check an estate/);
});

test('GIVEN npx drawbridge diff normal maintenance --json WHEN run on the default estate THEN exit 0 with one safe JSON object', () => {
  const r = spawnSync('npx', ['--no-install', 'drawbridge', 'diff', 'normal', 'maintenance', '--json'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 120_000 });
  expect(r.status).toBe(0);
  const json = JSON.parse(r.stdout) as { safe: boolean; engines: { aws: { resources: unknown[] }; cloudflare: { resources: unknown[] } } };
  expect(json.safe).toBe(true);
  expect(json.engines.aws.resources.length).toBeGreaterThan(0);
  expect(json.engines.cloudflare.resources.length).toBeGreaterThan(0);
});

test('GIVEN plan normal maintenance on the ticketing estate WHEN run as a process THEN a Markdown runbook is printed, exit 0', () => {
  const r = drawbridge(['plan', 'normal', 'maintenance', '--estate', 'estates/ticketing.yaml']);
  expect(r.code).toBe(0);
  expect(r.err).toBe('');
  expect(r.out).toContain('verified bots blocked on ticketing-example.co.uk');
  expect(r.out).toContain('```mermaid\ngantt');
});

test.each<[string[], number, RegExp]>([
  [['plan', 'normal', 'sideways'], 2, /^drawbridge: unknown mode "sideways"; allowed: /],
  [['diff', 'normal', 'cutover@green->green', '--estate', 'estates/beanstalk.yaml'], 1, /^drawbridge: cutover target green equals live green; the target must be the other colour \(blue\)$/],
  [['check', '--estate', 'estates/missing.yaml'], 1, /^drawbridge: estate file "estates\/missing.yaml" not found; /],
])('GIVEN bad input %j WHEN run as a process THEN exit %d with one line and no stack trace', (args, code, message) => {
  const r = drawbridge(args);
  expect(r.code).toBe(code);
  expect(r.out).toBe('');
  expect(r.err.trimEnd().split('\n')).toHaveLength(1);
  expect(r.err.trimEnd()).toMatch(message);
});

describe('start-up: check and plan load only the pure model', () => {
  const runCli = (argv: string[]) =>
    `const io = { stdout: { write() {} }, stderr: { write(s) { process.stderr.write(s); } }, env: {}, cwd: process.cwd() };
     const code = await require('./bin/drawbridge.ts').run(${JSON.stringify(argv)}, io);
     if (code !== 0) throw new Error('exit ' + code);`;

  test.each([[['check', 'estates/default.yaml']], [['plan', 'normal', 'maintenance']], [['diff', '--help']]])('GIVEN %j WHEN run THEN no engine package is loaded', (argv) => {
    expect(enginesLoadedAfter(runCli(argv))).toEqual([]);
  });

  test('GIVEN diff WHEN run THEN the engines are loaded (so the probe above can fail)', () => {
    expect(enginesLoadedAfter(runCli(['diff', 'normal', 'maintenance', '--json']))).toEqual(expect.arrayContaining(['@aws-cdk/cloudformation-diff', '@pulumi/cloudflare', '@pulumi/pulumi', 'aws-cdk-lib']));
  });
});
