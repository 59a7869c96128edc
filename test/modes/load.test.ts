/**
 * modes/load.ts as a reader of files: file system errors as user mistakes, only regular files
 * read and only up to the cap, UTF-8 only, one YAML document of a sane depth, aliases bounded, and
 * values echoed as typed.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DrawbridgeError } from '../../modes/errors';
import { decodeEstate, fileProblem, invalidUtf8At, lineIn, loadEstate, MAX_ESTATE_BYTES, parseEstateText, readEstateBytes } from '../../modes/load';
import { defaultText } from '../support/catalogue';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const fs = require('node:fs') as typeof import('node:fs');

const errno = (code: string) => Object.assign(new Error(`${code}: some message, open 'x'`), { code });

/** The message `fn` throws as a DrawbridgeError. */
function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DrawbridgeError);
    return (e as DrawbridgeError).message;
  }
  throw new Error('expected a refusal');
}

describe('fileProblem', () => {
  test.each([
    ['ENOENT', 'estate file "e.yaml" not found; pass an existing YAML file (for example estates/default.yaml)'],
    ['ENOTDIR', 'estate file "e.yaml" not found: part of its path is a file, not a directory; pass an existing YAML file (for example estates/default.yaml)'],
    ['ELOOP', 'estate file "e.yaml" is a symlink loop (its links lead back to themselves); point the link at a YAML file, or pass the file itself'],
    ['EACCES', 'estate file "e.yaml" cannot be read: permission denied (EACCES); make it readable (chmod u+r), or run as a user who can read it'],
    ['EPERM', 'estate file "e.yaml" cannot be read: permission denied (EPERM); make it readable (chmod u+r), or run as a user who can read it'],
    ['EISDIR', 'e.yaml: is a directory, not an estate file; pass a YAML file (for example estates/default.yaml)'],
    ['ENAMETOOLONG', 'estate file "e.yaml": the name is too long for the file system; pass an existing YAML file (for example estates/default.yaml)'],
    ['EIO', 'estate file "e.yaml" cannot be read (EIO: some message, open \'x\'); pass a readable YAML file'],
  ])('GIVEN a %s error WHEN mapped THEN it is a DrawbridgeError naming the file and what to do', (code, message) => {
    const e = fileProblem(errno(code), 'e.yaml');
    expect(e).toBeInstanceOf(DrawbridgeError);
    expect(e.exitCode).toBe(1);
    expect(e.message).toBe(message);
  });
});

describe('readEstateBytes', () => {
  afterEach(() => jest.restoreAllMocks());

  test('GIVEN /dev/zero WHEN read THEN it is refused from stat alone, never opened', () => {
    const open = jest.spyOn(fs, 'openSync');
    expect(refusal(() => readEstateBytes('/dev/zero'))).toBe('/dev/zero: is a character device, not an estate file; an estate is a regular YAML file of at most 1048576 bytes');
    expect(open).not.toHaveBeenCalled();
  });

  test('GIVEN a file that grows after stat WHEN read THEN reading stops one byte past the cap', () => {
    const dir = mkdtempSync(join(tmpdir(), 'load-'));
    const file = join(dir, 'big.yaml');
    writeFileSync(file, 'x'.repeat(MAX_ESTATE_BYTES + 4096));
    const small = { ...fs.statSync(file), size: 10, isFile: () => true } as unknown as import('node:fs').Stats;
    jest.spyOn(fs, 'statSync').mockReturnValue(small);
    jest.spyOn(fs, 'fstatSync').mockReturnValue(small);
    const read = jest.spyOn(fs, 'readSync');
    expect(refusal(() => readEstateBytes(file, 'big.yaml'))).toBe(`big.yaml: is more than ${MAX_ESTATE_BYTES + 1} bytes; an estate file may be at most ${MAX_ESTATE_BYTES} bytes`);
    const asked = read.mock.calls.reduce((n, c) => n + ((c as unknown[])[3] as number), 0);
    expect(asked).toBeLessThanOrEqual(2 * (MAX_ESTATE_BYTES + 1));
  });

  test('GIVEN open fails with EACCES WHEN read THEN permission denied, file named', () => {
    jest.spyOn(fs, 'openSync').mockImplementation(() => {
      throw errno('EACCES');
    });
    expect(refusal(() => loadEstate(join(__dirname, '../../estates/default.yaml'), 'estates/default.yaml'))).toMatch(/^estate file "estates\/default.yaml" cannot be read: permission denied \(EACCES\)/);
  });
});

describe('invalidUtf8At', () => {
  test.each<[string, number[], number | undefined]>([
    ['ASCII', [0x61, 0x62], undefined],
    ['é in UTF-8', [0x63, 0xc3, 0xa9], undefined],
    ['a 4-byte character', [0xf0, 0x9f, 0x98, 0x80], undefined],
    ['é in Latin-1', [0x63, 0x61, 0xe9, 0x20], 2],
    ['a lone continuation byte', [0x80], 0],
    ['an overlong encoding', [0xc0, 0xaf], 0],
    ['a UTF-16 surrogate encoded', [0xed, 0xa0, 0x80], 0],
    ['a cut-off sequence', [0x61, 0xe2, 0x82], 1],
    ['past U+10FFFF', [0xf4, 0x90, 0x80, 0x80], 0],
  ])('%s', (_label, bytes, at) => {
    expect(invalidUtf8At(Uint8Array.from(bytes))).toBe(at);
  });
});

describe('decodeEstate', () => {
  test('GIVEN a UTF-8 byte-order mark WHEN decoded THEN it is dropped', () => {
    expect(decodeEstate(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('name: x\n')]))).toBe('name: x\n');
  });

  test('GIVEN Latin-1 on line 2 WHEN decoded THEN the line, the byte and its offset are named', () => {
    expect(refusal(() => decodeEstate(Buffer.from('name: x\nbrand: Caf\u00e9\n', 'latin1'), 'e.yaml'))).toMatch(/^e\.yaml:2: is not valid UTF-8: byte 0xE9 at offset 18 \(byte 11 of line 2\)/);
  });

  test('GIVEN a PNG WHEN decoded THEN it is a binary file, not UTF-16', () => {
    expect(refusal(() => decodeEstate(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]), 'e.png'))).toBe('e.png: is a binary file, not a YAML estate');
  });
});

describe('parseEstateText: YAML shape', () => {
  test('GIVEN 64 nested lists WHEN parsed THEN the depth is allowed (the schema answers)', () => {
    expect(refusal(() => parseEstateText(`name: ${'['.repeat(63)}${']'.repeat(63)}\n`, 'e.yaml'))).not.toMatch(/nest/);
  });

  test('GIVEN 65 nested lists WHEN parsed THEN too deep, with the line', () => {
    expect(refusal(() => parseEstateText(`name: shop\n\nsite: ${'['.repeat(65)}${']'.repeat(65)}\n`, 'e.yaml'))).toMatch(/^e\.yaml:3: lists and mappings nest more than 64 levels deep here/);
  });

  test('GIVEN brackets inside quotes and comments WHEN parsed THEN they do not count as nesting', () => {
    const text = `${defaultText}# ${'['.repeat(1000)}\ndescription: "${'{'.repeat(400)}"\n`.replace(/^description: .*\n/m, '');
    expect(parseEstateText(text, 'e.yaml').name).toBe('shop');
  });

  test('GIVEN a document start marker before one document WHEN parsed THEN it is one document', () => {
    expect(parseEstateText(`---\n${defaultText}...\n`, 'e.yaml').name).toBe('shop');
  });

  test('GIVEN a few small aliases WHEN parsed THEN they are fine', () => {
    const text = defaultText.replace('timeZones: [Europe/London, America/New_York, America/Los_Angeles]', 'timeZones: &zones [Europe/London]');
    expect(parseEstateText(text, 'e.yaml').window?.timeZones).toEqual(['Europe/London']);
  });

  test('GIVEN an alias to an anchor that is not defined WHEN parsed THEN a YAML error with its line', () => {
    expect(refusal(() => parseEstateText('name: *nope\n', 'e.yaml'))).toMatch(/^e\.yaml:1: /);
  });
});

describe('lineIn', () => {
  test('GIVEN a loaded estate WHEN asked for state THEN the line of the state: key', () => {
    const estate = parseEstateText(defaultText, 'e.yaml');
    expect(lineIn(estate, ['state'])).toBe(defaultText.split('\n').indexOf('state:') + 1);
    expect(lineIn(estate, ['nothing'])).toBeUndefined();
  });
});
