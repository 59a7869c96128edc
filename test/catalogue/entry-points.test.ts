/**
 * The bad-input catalogue, entry points: CLI arguments, CDK context, Pulumi stack config and
 * build:edge arguments a careless user types, checks only `diff` used to make, and what a full disk
 * does to the files each entry point writes. Each case asserts the exact message, the exit code, no
 * stack trace and that nothing was written (or nothing half-written was left).
 */
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { stringify } from 'yaml';
import { fleetEstate } from '../../bench/fleet';
import { cdkMain, constructRefusal, declareCdkApp } from '../../bin/cdk';
import { DrawbridgeError } from '../../modes/errors';
import { buildEdge, parseArgs as buildEdgeArgs } from '../../scripts/build-edge';
import { parseStackConfig } from '../../stacks/cloudflare/config';
import { spawnSync } from 'node:child_process';
import * as pulumi from '@pulumi/pulumi';
import { useDrawbridgeMocks } from '../../stacks/cloudflare/mocks';
import { runCloudflareStack } from '../../stacks/cloudflare/program';
import { cliIn, defaultText, edit } from '../support/catalogue';
import { ROOT } from '../support/estates';

const DEFAULT = join(ROOT, 'estates/default.yaml');
const HUGE = 'x'.repeat(100 * 1024);
const HUGE_ECHO = `"${'x'.repeat(60)}"... (102400 characters)`;
const STACK_TRACE = /^\s+at /m;
/** The fs module every module shares (a namespace import is a copy a spy would not reach). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const fs = require('node:fs') as typeof import('node:fs');

/** What `fn` throws (it must throw). */
function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    if (e instanceof Error) return e;
    throw new Error(`threw a non-error: ${String(e)}`);
  }
  throw new Error('expected a refusal');
}

/** An error as Node's fs raises it on a full disk. */
function enospc(path?: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`ENOSPC: no space left on device, write${path ? ` '${path}'` : ''}`), { code: 'ENOSPC', errno: -28, syscall: 'write', ...(path ? { path } : {}) });
}

describe('bad CLI arguments: a flag where a value belongs, empty values, huge words', () => {
  const cases: [label: string, argv: string[], message: string][] = [
    ['--format followed by --json', ['plan', 'normal', 'maintenance', '--format', '--json'], 'drawbridge: option --format needs a value, got the option --json; to give a value starting with a dash write --format=VALUE; see `drawbridge --help`'],
    ['--estate followed by -q', ['diff', 'normal', 'maintenance', '--estate', '-q'], 'drawbridge: option --estate needs a value, got the option -q; to give a value starting with a dash write --estate=VALUE; see `drawbridge --help`'],
    ['--from-estate followed by --json', ['plan', 'normal', 'maintenance', '--from-estate', '--json'], 'drawbridge: option --from-estate needs a value, got the option --json; to give a value starting with a dash write --from-estate=VALUE; see `drawbridge --help`'],
    ['--stack followed by --format', ['plan', 'normal', 'maintenance', '--stack', '--format', 'md'], 'drawbridge: option --stack needs a value, got the option --format; to give a value starting with a dash write --stack=VALUE; see `drawbridge --help`'],
    ['an empty --format=', ['plan', 'normal', 'maintenance', '--estate', DEFAULT, '--format='], 'drawbridge: option --format is empty; allowed: md, json; see `drawbridge plan --help`'],
    ['an empty --stack=', ['plan', 'normal', 'maintenance', '--estate', DEFAULT, '--stack='], 'drawbridge: option --stack is empty; give a value (--stack STACK), or leave it out for the default; see `drawbridge plan --help`'],
    ['an empty --from-estate=', ['diff', 'normal', 'maintenance', '--estate', DEFAULT, '--from-estate='], 'drawbridge: option --from-estate is empty; give a value (--from-estate FILE), or leave it out for the default; see `drawbridge diff --help`'],
    [
      'a 100 KB mode word',
      ['plan', 'normal', HUGE, '--estate', DEFAULT],
      `drawbridge: unknown mode ${HUGE_ECHO}; allowed: normal, maintenance, maintenance:hard-down, cutover, each optionally @blue or @green (cutover@blue->green) and :STAGE (maintenance:ahead, cutover:freeze@blue->green), or committed`,
    ],
    ['a 100 KB command', [HUGE], `drawbridge: unknown command ${HUGE_ECHO}; commands: check, diff, plan, statuspage, affected, help; see \`drawbridge --help\``],
    ['a 100 KB format', ['plan', 'normal', 'maintenance', '--estate', DEFAULT, '--format', HUGE], `drawbridge: unknown format ${HUGE_ECHO}; allowed: md, json; see \`drawbridge plan --help\``],
  ];
  test.each(cases)('%s', async (_label, argv, message) => {
    const r = await cliIn({}, argv);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`${message}\n`);
    expect(r.err).not.toMatch(STACK_TRACE);
    expect(r.out).toBe('');
    expect(r.after).toEqual([]);
  });
});

describe('estates check used to pass: drawbridge check FILE', () => {
  const cases: [label: string, text: string, message: string][] = [
    [
      'a Lambda target in another region',
      edit((e) => (e.aws.scheduledJobs[0].targetArn = 'arn:aws:lambda:us-east-1:123456789012:function:shop-order-export')),
      "estate.yaml:109: aws.scheduledJobs[0].targetArn: Lambda target arn:aws:lambda:us-east-1:123456789012:function:shop-order-export is in region us-east-1, not the estate's region eu-west-2 (aws.region); use one in eu-west-2, or move the estate",
    ],
    [
      'a Lambda target in another account',
      edit((e) => (e.aws.scheduledJobs[1].targetArn = 'arn:aws:lambda:eu-west-2:999999999999:function:shop-nightly-report')),
      "estate.yaml:113: aws.scheduledJobs[1].targetArn: Lambda target arn:aws:lambda:eu-west-2:999999999999:function:shop-nightly-report is in account 999999999999, not the estate's account 123456789012 (aws.account); use one in account 123456789012",
    ],
  ];
  test.each(cases)('%s', async (_label, text, message) => {
    const r = await cliIn({ 'estate.yaml': text }, ['check', './estate.yaml']);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`drawbridge: ${message}\n`);
    expect(r.err).not.toMatch(STACK_TRACE);
    expect(r.out).toBe('');
    expect(r.after).toEqual(r.before);
  });

  test('more than 500 resources in one stack: check refuses what diff and cdk synth refuse', async () => {
    const fleet = fleetEstate(70);
    const text = stringify({ ...fleet, aws: { ...fleet.aws, split: 'none' } });
    const r = await cliIn({ 'estate.yaml': text }, ['check', './estate.yaml']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^drawbridge: estate\.yaml: stack fleet-aws has \d+ resources; CloudFormation allows 500: set aws\.split: component in the estate, or split the estate into several estate files\n$/);
    expect(r.err).not.toMatch(STACK_TRACE);
    expect(r.out).toBe('');
    expect(r.after).toEqual(r.before);
  });
});

describe('bad CDK context: empty values and mode names as keys are refused, not ignored', () => {
  const KEYS = 'keys: estate, mode, live, target, hardDown, stage';
  const committed = "leave --context %s out to deploy what the estate file's state: commits";
  const cases: [label: string, context: Record<string, unknown>, message: string][] = [
    ['an empty mode=', { mode: '' }, `--context mode= is empty; allowed mode values: normal, maintenance, cutover; ${committed.replace('%s', 'mode')}`],
    ['an empty live=', { live: '' }, `--context live= is empty; allowed live values: blue, green; ${committed.replace('%s', 'live')}`],
    ['an empty target=', { target: '' }, `--context target= is empty; allowed target values: blue, green; ${committed.replace('%s', 'target')}`],
    ['an empty hardDown=', { hardDown: '' }, `--context hardDown= is empty; allowed hardDown values: true, false; ${committed.replace('%s', 'hardDown')}`],
    ['an empty stage=', { stage: '' }, `--context stage= is empty; allowed stage values: ahead, page, behind, prepare, freeze, restore, move; ${committed.replace('%s', 'stage')}`],
    ['maintenance=true', { maintenance: 'true' }, `--context maintenance is not a Drawbridge context key; to override for this run write --context mode=maintenance; ${KEYS}`],
    ['normal=true', { normal: 'true' }, `--context normal is not a Drawbridge context key; to override for this run write --context mode=normal; ${KEYS}`],
    ['green=true', { green: 'true' }, `--context green is not a Drawbridge context key; to override for this run write --context live=green; ${KEYS}`],
    ['hard-down=true', { 'hard-down': 'true' }, `--context hard-down is not a Drawbridge context key; to override for this run write --context mode=maintenance --context hardDown=true; ${KEYS}`],
    ['freeze=true', { freeze: 'true' }, `--context freeze is not a Drawbridge context key; to override for this run write --context stage=freeze; ${KEYS}`],
    ['a 100 KB mode', { mode: HUGE }, `--context mode=${HUGE_ECHO} is not allowed; allowed mode values: normal, maintenance, cutover`],
  ];
  test.each(cases)('--context %s', (_label, context, message) => {
    const outdir = mkdtempSync(join(tmpdir(), 'catalogue-cdk-'));
    const lines: string[] = [];
    const error = thrown(() => declareCdkApp(new App({ outdir, context: { estate: DEFAULT, ...context } }), ROOT, (l) => lines.push(l)));
    expect(error).toBeInstanceOf(DrawbridgeError);
    expect((error as DrawbridgeError).exitCode).toBe(1);
    expect((error as DrawbridgeError).problems).toEqual([message]);
    expect(lines).toEqual([]);
    expect(readdirSync(outdir)).toEqual([]);
  });
});

describe('bad Pulumi stack config: a key in the wrong namespace, empty values, huge values', () => {
  const secret = 'dff25dd51b0bf3966a86c9f47901b260a889da65';
  const ALLOWED = 'allowed keys: drawbridge:estate, drawbridge:mode, drawbridge:live, drawbridge:target, drawbridge:hardDown, drawbridge:stage, drawbridge:bypassSecret';
  const cases: [label: string, config: Record<string, string>, message: string][] = [
    ['Drawbridge:mode (capital namespace)', { 'Drawbridge:mode': 'maintenance' }, `Drawbridge:mode is not a Drawbridge setting: the namespace is drawbridge (lower case) (did you mean drawbridge:mode?); ${ALLOWED}. Remove it with \`pulumi config rm Drawbridge:mode\``],
    ['DRAWBRIDGE:estate', { 'DRAWBRIDGE:estate': 'estates/shop.yaml' }, `DRAWBRIDGE:estate is not a Drawbridge setting: the namespace is drawbridge (lower case) (did you mean drawbridge:estate?); ${ALLOWED}. Remove it with \`pulumi config rm DRAWBRIDGE:estate\``],
    ['drawbrige:mode (misspelt namespace)', { 'drawbrige:mode': 'maintenance' }, `drawbrige:mode is not a Drawbridge setting: the namespace is drawbridge (lower case) (did you mean drawbridge:mode?); ${ALLOWED}. Remove it with \`pulumi config rm drawbrige:mode\``],
    ['drawbridge:Mode (capital key)', { 'drawbridge:Mode': 'maintenance' }, `drawbridge:Mode is not a Drawbridge setting (did you mean drawbridge:mode?); ${ALLOWED}. Remove it with \`pulumi config rm drawbridge:Mode\``],
    ['an empty drawbridge:mode', { 'drawbridge:mode': '' }, 'drawbridge:mode is empty; allowed values: normal, maintenance, cutover (`pulumi config set drawbridge:mode <value>`, or `pulumi config rm drawbridge:mode` to follow the estate)'],
    ['an empty drawbridge:live', { 'drawbridge:live': ' ' }, 'drawbridge:live is empty; allowed values: blue, green (`pulumi config set drawbridge:live <value>`, or `pulumi config rm drawbridge:live` to follow the estate)'],
    ['an empty drawbridge:estate', { 'drawbridge:estate': '' }, 'drawbridge:estate is empty; set a file with `pulumi config set drawbridge:estate FILE`, or `pulumi config rm drawbridge:estate` for the estate cdk.json names'],
    ['a 100 KB drawbridge:mode', { 'drawbridge:mode': HUGE }, `drawbridge:mode=${HUGE_ECHO} is not allowed; allowed values: normal, maintenance, cutover (\`pulumi config set drawbridge:mode <value>\`, or \`pulumi config rm drawbridge:mode\` to follow the estate)`],
  ];
  test.each(cases)('%s', (_label, config, message) => {
    const error = thrown(() => parseStackConfig({ 'drawbridge:bypassSecret': secret, ...config }, (key) => key === 'drawbridge:bypassSecret'));
    expect(error).toBeInstanceOf(DrawbridgeError);
    expect((error as DrawbridgeError).exitCode).toBe(1);
    expect((error as DrawbridgeError).problems).toEqual([message]);
    expect(error.message).not.toContain(secret);
  });
});

describe('npm run build:edge: a flag where a value belongs', () => {
  test.each([
    [['--estate', '--out', 'dist'], 'usage: build-edge [--estate FILE] [--out DIR]', '--estate needs a value, got the option --out; to give a value starting with a dash write --estate=VALUE'],
    [['--out', '--estate', 'estates/default.yaml'], 'usage: build-edge [--estate FILE] [--out DIR]', '--out needs a value, got the option --estate; to give a value starting with a dash write --out=VALUE'],
  ])('%j', (argv, usage, message) => {
    const error = thrown(() => buildEdgeArgs(argv));
    expect(error).toBeInstanceOf(DrawbridgeError);
    expect((error as DrawbridgeError).exitCode).toBe(1);
    expect(error.message).toBe(`${message}; ${usage}`);
  });
});

describe('a full disk: one line naming the file, nothing half-written left behind', () => {
  afterEach(() => jest.restoreAllMocks());

  test('npm run build:edge: no space left writing the gate bundle leaves no .tmp file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'catalogue-edge-'));
    const real = fs.writeFileSync;
    jest.spyOn(fs, 'writeFileSync').mockImplementation((file, data, options) => {
      if (String(file).endsWith('.tmp')) {
        real(file, String(data).slice(0, 10), options); // half a file, then the disk is full
        throw enospc();
      }
      return real(file, data, options);
    });
    let error: unknown;
    try {
      await buildEdge({ estateFile: DEFAULT, outDir: dir, log: () => undefined });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DrawbridgeError);
    expect((error as DrawbridgeError).message).toMatch(/^no space left on device writing \S*edge\/gate\.js; free some space and run it again$/);
    const left = readdirSync(dir, { recursive: true }).map(String);
    expect(left.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(left.filter((f) => f.endsWith('gate.js'))).toEqual([]);
  });

  test('cdk synth: no space left writing a template is one line, and the previous validation report is gone', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'catalogue-synth-'));
    writeFileSync(join(outdir, 'validation-report.json'), '{"previous":"run"}');
    const real = fs.writeFileSync;
    jest.spyOn(fs, 'writeFileSync').mockImplementation((file, data, options) => {
      if (String(file).endsWith('.template.json')) throw enospc(String(file));
      return real(file, data, options);
    });
    const error = thrown(() => cdkMain(new App({ outdir, context: { estate: DEFAULT } }), ROOT, () => undefined));
    expect(error).toBeInstanceOf(DrawbridgeError);
    expect((error as DrawbridgeError).problems).toEqual([`no space left on device writing ${join(outdir, 'shop-aws.template.json')}; free some space and run it again`]);
    expect(readdirSync(outdir)).not.toContain('validation-report.json');
  });

  test('cdk synth: a template half written when the disk fills is removed, and so is the previous manifest', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'catalogue-synth-'));
    writeFileSync(join(outdir, 'manifest.json'), '{"version":"previous"}');
    writeFileSync(join(outdir, 'shop-aws.template.json'), '{"previous":"run"}');
    writeFileSync(join(outdir, 'notes.txt'), 'left alone');
    const real = fs.writeFileSync;
    jest.spyOn(fs, 'writeFileSync').mockImplementation((file, data, options) => {
      if (String(file).endsWith('.template.json')) {
        real(file, String(data).slice(0, 100), options); // half a file, then the disk is full (a write names no path)
        throw enospc();
      }
      return real(file, data, options);
    });
    const error = thrown(() => cdkMain(new App({ outdir, context: { estate: DEFAULT } }), ROOT, () => undefined));
    expect(error).toBeInstanceOf(DrawbridgeError);
    expect((error as DrawbridgeError).problems[0]).toMatch(/^no space left on device writing \S+; free some space and run it again$/);
    expect(readdirSync(outdir).sort()).toEqual(['notes.txt']);
  });

  test('drawbridge diff: no space left in the temporary directory is one line, exit 1', async () => {
    const real = fs.writeFileSync;
    jest.spyOn(fs, 'writeFileSync').mockImplementation((file, data, options) => {
      if (String(file).includes('drawbridge-synth-')) throw enospc();
      return real(file, data, options);
    });
    const r = await cliIn({ 'estate.yaml': defaultText }, ['diff', 'normal', 'maintenance', '--estate', './estate.yaml']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^drawbridge: no space left on device writing \S*drawbridge-synth-\w+; free some space and run it again\n$/);
    expect(r.err).not.toMatch(STACK_TRACE);
    expect(r.out).toBe('');
    expect(r.after).toEqual(r.before);
  });
});

describe('the CDK app: a construct refusal no check caught is one line', () => {
  test('a ValidationError becomes its first line, naming the construct', () => {
    const app = new App();
    const e = thrown(() => new Stack(app, 'Shop', { stackName: 'not a stack name!' }));
    const refusal = constructRefusal(e);
    expect(refusal).toBeInstanceOf(DrawbridgeError);
    expect(refusal!.problems).toHaveLength(1);
    expect(refusal!.message).toMatch(/^Shop: Stack name must match the regular expression: .+ \(CDK refused the estate; `drawbridge check` should have: please report it with the estate\)$/);
    expect(refusal!.message).not.toMatch(STACK_TRACE);
  });
});

describe('the engines themselves: what cdk and pulumi hand over is refused the same way', () => {
  test('npx cdk synth --context mode= --context maintenance=true: the CLI passes both on, both are refused, nothing synthesized', () => {
    const out = mkdtempSync(join(tmpdir(), 'catalogue-cdk-'));
    const r = spawnSync(join(ROOT, 'node_modules/.bin/cdk'), ['synth', '--no-notices', '--output', out, '--context', 'mode=', '--context', 'maintenance=true'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: '1' },
      timeout: 120_000,
    });
    expect(r.status).not.toBe(0);
    const lines = r.stderr.split('\n');
    expect(lines).toContain("drawbridge: --context mode= is empty; allowed mode values: normal, maintenance, cutover; leave --context mode out to deploy what the estate file's state: commits");
    expect(lines).toContain('drawbridge: --context maintenance is not a Drawbridge context key; to override for this run write --context mode=maintenance; keys: estate, mode, live, target, hardDown, stage');
    expect(r.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    expect(readdirSync(out)).toEqual([]);
  });

  test('npx cdk synth --context estate=: the CLI passes the empty value over cdk.json\'s, and it is named empty', () => {
    const out = mkdtempSync(join(tmpdir(), 'catalogue-cdk-'));
    const r = spawnSync(join(ROOT, 'node_modules/.bin/cdk'), ['synth', '--no-notices', '--output', out, '--context', 'estate='], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: '1' },
      timeout: 120_000,
    });
    expect(r.status).not.toBe(0);
    expect(r.stderr.split('\n')).toContain('drawbridge: --context estate= is empty; pass one with `--context estate=FILE`, or leave it out for the estate cdk.json names (estates/default.yaml)');
    expect(r.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    expect(readdirSync(out)).toEqual([]);
  });

  test('the Pulumi program: Drawbridge:mode on the stack is refused before any resource is declared', async () => {
    const mocks = await useDrawbridgeMocks({
      config: { 'drawbridge:bypassSecret': 'dff25dd51b0bf3966a86c9f47901b260a889da65', 'Drawbridge:mode': 'maintenance' },
      secretKeys: ['drawbridge:bypassSecret'],
    });
    let error: unknown;
    try {
      await runCloudflareStack({ projectRoot: ROOT });
    } catch (e) {
      error = e;
    }
    expect(pulumi.RunError.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe(
      'Drawbridge:mode is not a Drawbridge setting: the namespace is drawbridge (lower case) (did you mean drawbridge:mode?); allowed keys: drawbridge:estate, drawbridge:mode, drawbridge:live, drawbridge:target, drawbridge:hardDown, drawbridge:stage, drawbridge:bypassSecret. Remove it with `pulumi config rm Drawbridge:mode`',
    );
    expect(mocks.resources).toEqual([]);
  });
});

describe('messages name the estate file as it was typed, not its absolute path', () => {
  const bad = (dir: string) => {
    writeFileSync(join(dir, 'estate.yaml'), defaultText.replace(/^name: .*$/m, 'name: Bad Name'));
    return 'estate.yaml';
  };

  test('npm run build:edge --estate RELATIVE', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'catalogue-typed-'));
    const typed = join(relative(process.cwd(), dir), bad(dir));
    const error = await buildEdge({ estateFile: typed, outDir: join(dir, 'dist'), log: () => undefined }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DrawbridgeError);
    expect((error as Error).message.split('\n')[0]).toMatch(new RegExp(`^${typed.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+: name: `));
    expect(readdirSync(dir)).toEqual(['estate.yaml']);
  });

  test('the Pulumi program with drawbridge:estate RELATIVE to the project', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'catalogue-typed-'));
    const typed = bad(dir);
    const mocks = await useDrawbridgeMocks({
      config: { 'drawbridge:bypassSecret': 'dff25dd51b0bf3966a86c9f47901b260a889da65', 'drawbridge:estate': typed },
      secretKeys: ['drawbridge:bypassSecret'],
    });
    const error = await runCloudflareStack({ projectRoot: dir }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(pulumi.RunError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/^estate\.yaml:\d+: name: /);
    expect((error as Error).message).not.toContain(dir);
    expect(mocks.resources).toEqual([]);
  });
});
