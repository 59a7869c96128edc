/**
 * The bad-input catalogue, estate files as files: what is not a readable UTF-8 YAML file of one
 * document (a directory, a pipe, a device, a symlink loop, an unreadable file, UTF-16, Latin-1,
 * two documents, an alias bomb, deep nesting), values YAML reads as something other than what was
 * typed, and a bad file among several. Across the four entry points: the CLI, the CDK app, the
 * Pulumi program and `npm run build:edge`. Each case asserts the exit code, the exact message, no
 * stack trace and that nothing was written.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { App } from 'aws-cdk-lib';
import { declareCdkApp } from '../../bin/cdk';
import { DrawbridgeError } from '../../modes/errors';
import { buildEdge } from '../../scripts/build-edge';
import { useDrawbridgeMocks } from '../../stacks/cloudflare/mocks';
import { runCloudflareStack } from '../../stacks/cloudflare/program';
import { captureIo, loadCli } from '../bin/io';
import { cliIn, defaultText, refusal } from '../support/catalogue';
import { ROOT } from '../support/estates';

const NO_STACK = /^\s+at /m;
/** node:fs itself (not an import's copy of it), so a spy on it reaches modes/load.ts. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const fs = require('node:fs') as typeof import('node:fs');
const beanstalkText = readFileSync(join(ROOT, 'estates/beanstalk.yaml'), 'utf8');

/** An error with an errno code, as node:fs throws it. */
function errno(code: string, syscall = 'open', path = 'estate.yaml'): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: ${syscall} '${path}'`), { code, syscall, path });
}

/** A fresh directory made by `setup` (pipes, links, directories cliIn cannot write). */
function dirMadeBy(setup: (dir: string) => void): string {
  const dir = mkdtempSync(join(tmpdir(), 'catalogue-files-'));
  setup(dir);
  return dir;
}

/** Runs the CLI in `dir`; what it said, and what the directory holds after. */
async function cliAt(dir: string, argv: string[]) {
  const c = captureIo({ cwd: dir });
  const code = await loadCli().run(argv, c.io);
  return { code, err: c.err().replaceAll(`${dir}/`, ''), out: c.out(), after: readdirSync(dir).sort() };
}

const mkfifo = (path: string) => {
  const r = spawnSync('mkfifo', [path]);
  if (r.status !== 0) throw new Error(`mkfifo failed: ${r.stderr}`);
};

const utf16 = (text: string, bom: boolean, big = false) => {
  const bytes = Buffer.from(text, 'utf16le');
  if (big) bytes.swap16();
  return Buffer.concat([bom ? Buffer.from(big ? [0xfe, 0xff] : [0xff, 0xfe]) : Buffer.alloc(0), bytes]);
};

const BOMB = 'a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n';
const SAVE = 'save it as UTF-8 (in most editors: Save with Encoding, UTF-8)';
const DEEP = (line: number) => `estate.yaml:${line}: lists and mappings nest more than 64 levels deep here; an estate nests a handful of levels, so this is not an estate file`;
const pastWindow = defaultText
  .replace('  mode: normal ', '  mode: maintenance')
  .replace('announce: "2030-01-18T09:00:00Z"', 'announce: "2020-01-01T00:00:00Z"')
  .replace('start: "2030-01-19T22:00:00Z"', 'start: "2020-01-01T01:00:00Z"')
  .replace('end: "2030-01-20T00:30:00Z"', 'end: "2020-01-01T02:00:00Z"');

type FileCase = [label: string, text: string | Buffer, message: string];

const fileCases: FileCase[] = [
  // encodings
  ['UTF-16 little-endian with a byte-order mark', utf16(defaultText, true), `estate.yaml: is UTF-16 (little-endian, with a byte-order mark), not UTF-8; ${SAVE}`],
  ['UTF-16 big-endian with a byte-order mark', utf16(defaultText, true, true), `estate.yaml: is UTF-16 (big-endian, with a byte-order mark), not UTF-8; ${SAVE}`],
  ['UTF-16 little-endian without a byte-order mark', utf16(defaultText, false), `estate.yaml: is UTF-16 (little-endian, without a byte-order mark), not UTF-8; ${SAVE}`],
  ['UTF-16 big-endian without a byte-order mark', utf16(defaultText, false, true), `estate.yaml: is UTF-16 (big-endian, without a byte-order mark), not UTF-8; ${SAVE}`],
  ['UTF-32 with a byte-order mark', Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), Buffer.from('name: x\n')]), `estate.yaml: is UTF-32 (little-endian, with a byte-order mark), not UTF-8; ${SAVE}`],
  [
    'Latin-1 bytes (invalid UTF-8) in the brand name',
    Buffer.from(defaultText.replace('  name: Example Shop', '  name: Caf\u00e9 Shop'), 'latin1'),
    `estate.yaml:12: is not valid UTF-8: byte 0xE9 at offset 553 (byte 12 of line 12) is not part of a UTF-8 character (saved as Latin-1 or Windows-1252?); ${SAVE}, or pages would show U+FFFD in its place`,
  ],
  [
    'a UTF-8 sequence cut short at the end of the file',
    Buffer.concat([Buffer.from(defaultText), Buffer.from('# caf'), Buffer.from([0xc3])]),
    `estate.yaml:208: is not valid UTF-8: byte 0xC3 at offset ${Buffer.byteLength(defaultText) + 5} (byte 6 of line 208) is not part of a UTF-8 character (saved as Latin-1 or Windows-1252?); ${SAVE}, or pages would show U+FFFD in its place`,
  ],
  // YAML shape
  ['two YAML documents', `${defaultText}---\nname: again\n`, 'estate.yaml: holds 2 YAML documents (--- at line 208); an estate is one document: remove the --- line or split the file'],
  ['three YAML documents, the first opened with ---', `---\n${defaultText}---\nname: b\n---\nname: c\n`, 'estate.yaml: holds 3 YAML documents (--- at line 209); an estate is one document: remove the --- line or split the file'],
  ['a second document after an end marker (...)', `${defaultText}...\nname: again\n`, 'estate.yaml: holds 2 YAML documents (the second starts at line 209); an estate is one document: remove the --- line or split the file'],
  ['a YAML alias bomb (billion laughs)', BOMB, 'estate.yaml:2: its YAML aliases (*name) expand past the limit of 100 (maxAliasCount), as in a "billion laughs" file; write the values out, or use an alias only for a small value used a few times'],
  ['10000 nested flow lists', `name: ${'['.repeat(10000)}${']'.repeat(10000)}\n`, DEEP(1)],
  ['100 nested flow mappings', `name: shop\nsite: ${'{a: '.repeat(100)}1${'}'.repeat(100)}\n`, DEEP(2)],
  ['10000 nested block lists on one line', `name: shop\nsite:\n${'- '.repeat(10000)}x\n`, DEEP(3)],
  // values as typed
  ['.inf where a port belongs', defaultText.replace('port: 443', 'port: .inf'), 'estate.yaml:44: aws.loadBalancer.listener.port: expected number, got .inf; allowed: a finite number'],
  ['.nan where a port belongs', defaultText.replace('port: 443', 'port: .NaN'), 'estate.yaml:44: aws.loadBalancer.listener.port: expected number, got .NaN; allowed: a finite number'],
  ['.inf where a name belongs', defaultText.replace('  name: Example Shop', '  name: .inf'), 'estate.yaml:12: brand.name: expected string, got .inf (a number; quote it: ".inf")'],
  ['a version number read as a number (16.10)', beanstalkText.replace('engineVersion: "16.9"', 'engineVersion: 16.10'), 'estate.yaml:112: aws.databases[0].engineVersion: expected string, got 16.10 (a number; quote it: "16.10")'],
  ['an account id with a leading zero, unquoted', defaultText.replace('account: "123456789012"', 'account: 012345678901'), 'estate.yaml:32: aws.account: expected string, got 012345678901 (a number; quote it: "012345678901")'],
  ['a hexadecimal number where a name belongs', defaultText.replace('  name: Example Shop', '  name: 0x1F'), 'estate.yaml:12: brand.name: expected string, got 0x1F (a number; quote it: "0x1F")'],
  ['true where a name belongs', defaultText.replace('  name: Example Shop', '  name: true'), 'estate.yaml:12: brand.name: expected string, got true (a boolean; quote it: "true")'],
  // the committed state
  ['a committed maintenance whose end has passed, at its state: line', pastWindow, 'estate.yaml:18: state: window.end 2020-01-01T02:00:00Z is in the past'],
];

describe('bad estate files as files: drawbridge check FILE', () => {
  test.each(fileCases)('%s', async (_label, text, message) => {
    const r = await cliIn({ 'estate.yaml': text }, ['check', './estate.yaml']);
    expect(r.code).toBe(1);
    expect(r.err.split('\n')).toEqual(expect.arrayContaining([expect.stringContaining(`drawbridge: ${message}`)]));
    expect(r.err).not.toMatch(NO_STACK);
    expect(r.out).toBe('');
    expect(r.after).toEqual(r.before);
  });
});

describe('things that are not estate files: drawbridge check/diff/plan', () => {
  const DIR = 'estates: is a directory, not an estate file; pass a YAML file such as estates/default.yaml';
  test.each<[string, (dir: string) => void, string[], string]>([
    ['check: a directory of estates', (d) => { mkdirSync(join(d, 'estates')); writeFileSync(join(d, 'estates/default.yaml'), defaultText); }, ['check', 'estates'], DIR],
    ['diff --estate a directory', (d) => { mkdirSync(join(d, 'estates')); writeFileSync(join(d, 'estates/default.yaml'), defaultText); }, ['diff', 'normal', 'maintenance', '--estate', 'estates'], DIR],
    ['plan --estate a directory (trailing slash)', (d) => { mkdirSync(join(d, 'estates')); writeFileSync(join(d, 'estates/default.yaml'), defaultText); }, ['plan', 'maintenance', '--estate', 'estates/'], 'estates: is a directory, not an estate file; pass a YAML file such as estates/default.yaml'],
    ['plan --from-estate a directory without YAML files', (d) => { mkdirSync(join(d, 'empty')); writeFileSync(join(d, 'estate.yaml'), defaultText); }, ['plan', 'normal', 'maintenance', '--estate', 'estate.yaml', '--from-estate', 'empty'], 'empty: is a directory, not an estate file; pass a YAML file (for example estates/default.yaml)'],
    ['check: a named pipe with no writer (does not hang)', (d) => mkfifo(join(d, 'pipe.yaml')), ['check', 'pipe.yaml'], 'pipe.yaml: is a named pipe (FIFO), not an estate file; an estate is a regular YAML file of at most 1048576 bytes'],
    ['diff --estate a named pipe with no writer (does not hang)', (d) => mkfifo(join(d, 'pipe.yaml')), ['diff', 'normal', 'maintenance', '--estate', 'pipe.yaml'], 'pipe.yaml: is a named pipe (FIFO), not an estate file; an estate is a regular YAML file of at most 1048576 bytes'],
    ['check /dev/zero (not read at all)', () => undefined, ['check', '/dev/zero'], '/dev/zero: is a character device, not an estate file; an estate is a regular YAML file of at most 1048576 bytes'],
    ['a symlink to /dev/zero', (d) => symlinkSync('/dev/zero', join(d, 'zero.yaml')), ['check', 'zero.yaml'], 'zero.yaml: is a character device, not an estate file; an estate is a regular YAML file of at most 1048576 bytes'],
    ['a symlink loop', (d) => { symlinkSync('b.yaml', join(d, 'a.yaml')); symlinkSync('a.yaml', join(d, 'b.yaml')); }, ['check', 'a.yaml'], 'estate file "a.yaml" is a symlink loop (its links lead back to themselves); point the link at a YAML file, or pass the file itself'],
    ['check with no file and a cdk.json that is a directory', (d) => mkdirSync(join(d, 'cdk.json')), ['check'], 'no --estate given and cdk.json is not a regular file, so it names no default estate; pass one with `--estate FILE`'],
    ['plan with no --estate and a cdk.json that is a named pipe (does not hang)', (d) => mkfifo(join(d, 'cdk.json')), ['plan', 'maintenance'], 'no --estate given and cdk.json is not a regular file, so it names no default estate; pass one with `--estate FILE`'],
    ['a path through a file', (d) => writeFileSync(join(d, 'estate.yaml'), defaultText), ['check', 'estate.yaml/default.yaml'], 'estate file "estate.yaml/default.yaml" not found: part of its path is a file, not a directory; pass an existing YAML file (for example estates/default.yaml)'],
  ])('%s', async (_label, setup, argv, message) => {
    const dir = dirMadeBy(setup);
    const before = readdirSync(dir).sort();
    const r = await cliAt(dir, argv);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`drawbridge: ${message}\n`);
    expect(r.err).not.toMatch(NO_STACK);
    expect(r.out).toBe('');
    expect(r.after).toEqual(before);
  });
});

describe('a file that cannot be read (EACCES; the suite runs as root, so the file system call is made to fail)', () => {
  afterEach(() => jest.restoreAllMocks());

  test('drawbridge check names the file, says permission denied and what to do', async () => {
    jest.spyOn(fs, 'openSync').mockImplementation(() => {
      throw errno('EACCES');
    });
    const r = await cliIn({ 'estate.yaml': defaultText }, ['check', 'estate.yaml']);
    jest.restoreAllMocks();
    expect(r.code).toBe(1);
    expect(r.err).toBe('drawbridge: estate file "estate.yaml" cannot be read: permission denied (EACCES); make it readable (chmod u+r), or run as a user who can read it\n');
    expect(r.after).toEqual(r.before);
  });

  test('a directory on the way that cannot be searched (stat fails with EACCES)', async () => {
    jest.spyOn(fs, 'statSync').mockImplementation(() => {
      throw errno('EACCES', 'stat');
    });
    const r = await cliIn({ 'estate.yaml': defaultText }, ['check', 'estate.yaml']);
    jest.restoreAllMocks();
    expect(r.code).toBe(1);
    expect(r.err).toBe('drawbridge: estate file "estate.yaml" cannot be read: permission denied (EACCES); make it readable (chmod u+r), or run as a user who can read it\n');
  });
});

describe('several files: drawbridge check a.yaml bad.yaml c.yaml', () => {
  test('a bad file in the middle: every file is checked, each reported, exit 1 at the end', async () => {
    const r = await cliIn({ 'a.yaml': defaultText, 'bad.yaml': BOMB, 'c.yaml': defaultText }, ['check', 'a.yaml', 'bad.yaml', 'c.yaml']);
    expect(r.code).toBe(1);
    expect(r.out.trimEnd().split('\n')).toEqual([expect.stringMatching(/^a\.yaml: valid \(shop;/), expect.stringMatching(/^c\.yaml: valid \(shop;/)]);
    expect(r.err).toBe(
      'drawbridge: bad.yaml:2: its YAML aliases (*name) expand past the limit of 100 (maxAliasCount), as in a "billion laughs" file; write the values out, or use an alias only for a small value used a few times\n' +
        'drawbridge: 1 of 3 estate files are invalid\n',
    );
  });

  test('a directory, a pipe and a good file: the good one is still checked', async () => {
    const dir = dirMadeBy((d) => {
      mkdirSync(join(d, 'estates'));
      mkfifo(join(d, 'pipe'));
      writeFileSync(join(d, 'good.yaml'), defaultText);
    });
    const r = await cliAt(dir, ['check', 'estates', 'pipe', 'good.yaml']);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^good\.yaml: valid \(shop;/);
    expect(r.err).toBe(
      'drawbridge: estates: is a directory, not an estate file; pass a YAML file (for example estates/default.yaml)\n' +
        'drawbridge: pipe: is a named pipe (FIFO), not an estate file; an estate is a regular YAML file of at most 1048576 bytes\n' +
        'drawbridge: 2 of 3 estate files are invalid\n',
    );
  });
});

describe('the other entry points: the same refusals, nothing written', () => {
  const CDK_JSON = JSON.stringify({ app: 'npx tsx bin/cdk.ts', context: { estate: 'estates/default.yaml' } });
  const secret = { 'drawbridge:bypassSecret': 'Zk3q9TxW7mPa2LrV8nB4cY6dH1sJ5gFu0eKoQwXi' };

  /** A project directory: cdk.json, estates/default.yaml, and whatever `extra` adds. */
  const project = (extra: (dir: string) => void = () => undefined) =>
    dirMadeBy((d) => {
      writeFileSync(join(d, 'cdk.json'), CDK_JSON);
      mkdirSync(join(d, 'estates'));
      writeFileSync(join(d, 'estates/default.yaml'), defaultText);
      extra(d);
    });

  const cdk = async (dir: string, estate: string) => {
    const outdir = join(dir, 'cdk.out');
    const r = await refusal(dir, () => declareCdkApp(new App({ outdir, context: { estate } }), dir, () => undefined));
    expect(r.error).toBeInstanceOf(DrawbridgeError);
    expect((r.error as DrawbridgeError).exitCode).toBe(1);
    expect(r.message).not.toMatch(NO_STACK);
    expect(readdirSync(outdir)).toEqual([]);
    return r.message;
  };

  const pulumiProgram = async (dir: string, estate: string) => {
    const mocks = await useDrawbridgeMocks({ config: { 'drawbridge:estate': estate, ...secret }, secretKeys: ['drawbridge:bypassSecret'] });
    const r = await refusal(dir, () => runCloudflareStack({ projectRoot: dir }));
    expect(pulumi.RunError.isInstance(r.error)).toBe(true);
    expect(r.message).not.toMatch(NO_STACK);
    expect(mocks.resources).toEqual([]);
    return r.message;
  };

  const buildEdgeIn = async (dir: string, estate: string) => {
    const before = readdirSync(dir).sort();
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const r = await refusal(dir, () => buildEdge({ root: dir, estateFile: estate, log: () => undefined }));
      expect(r.error).toBeInstanceOf(DrawbridgeError);
      expect((r.error as DrawbridgeError).exitCode).toBe(1);
      expect(readdirSync(dir).sort()).toEqual(before);
      return r.message;
    } finally {
      process.chdir(cwd);
    }
  };

  test('CDK app: --context estate=estates (a directory)', async () => {
    const dir = project();
    expect(await cdk(dir, 'estates')).toBe('estates: is a directory, not an estate file; pass a YAML file such as estates/default.yaml');
  });

  test('CDK app: --context estate=a named pipe (does not hang)', async () => {
    const dir = project((d) => mkfifo(join(d, 'pipe.yaml')));
    expect(await cdk(dir, 'pipe.yaml')).toBe('pipe.yaml: is a named pipe (FIFO), not an estate file; an estate is a regular YAML file of at most 1048576 bytes');
  });

  test('CDK app: --context estate=an alias bomb', async () => {
    const dir = project((d) => writeFileSync(join(d, 'bomb.yaml'), BOMB));
    expect(await cdk(dir, 'bomb.yaml')).toBe('bomb.yaml:2: its YAML aliases (*name) expand past the limit of 100 (maxAliasCount), as in a "billion laughs" file; write the values out, or use an alias only for a small value used a few times');
  });

  test('Pulumi program: drawbridge:estate=estates (a directory)', async () => {
    const dir = project();
    expect(await pulumiProgram(dir, 'estates')).toBe('estates: is a directory, not an estate file; pass a YAML file such as estates/default.yaml');
  });

  test('Pulumi program: drawbridge:estate=/dev/zero', async () => {
    const dir = project();
    expect(await pulumiProgram(dir, '/dev/zero')).toBe('/dev/zero: is a character device, not an estate file; an estate is a regular YAML file of at most 1048576 bytes');
  });

  test('Pulumi program: drawbridge:estate=a UTF-16 file', async () => {
    const dir = project((d) => writeFileSync(join(d, 'utf16.yaml'), utf16(defaultText, true)));
    expect(await pulumiProgram(dir, 'utf16.yaml')).toBe(`utf16.yaml: is UTF-16 (little-endian, with a byte-order mark), not UTF-8; ${SAVE}`);
  });

  test('npm run build:edge -- --estate estates (a directory)', async () => {
    const dir = project();
    expect(await buildEdgeIn(dir, 'estates')).toBe('estates: is a directory, not an estate file; pass a YAML file such as estates/default.yaml');
  });

  test('npm run build:edge -- --estate a symlink loop', async () => {
    const dir = project((d) => symlinkSync('loop.yaml', join(d, 'loop.yaml')));
    expect(await buildEdgeIn(dir, 'loop.yaml')).toBe('estate file "loop.yaml" is a symlink loop (its links lead back to themselves); point the link at a YAML file, or pass the file itself');
  });

  test('npm run build:edge -- --estate two documents', async () => {
    const dir = project((d) => writeFileSync(join(d, 'two.yaml'), `${defaultText}---\nname: again\n`));
    expect(await buildEdgeIn(dir, 'two.yaml')).toBe('two.yaml: holds 2 YAML documents (--- at line 208); an estate is one document: remove the --- line or split the file');
  });
});
