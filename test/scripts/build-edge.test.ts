/**
 * scripts/build-edge.ts: writes via a temporary file and a rename; a failed write leaves neither.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DrawbridgeError } from '../../modes/errors';
import { writeAtomic } from '../../scripts/build-edge';

// The module every module shares: a spy on a namespace import's copy would not reach build-edge.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const fs = require('node:fs') as typeof import('node:fs');

afterEach(() => jest.restoreAllMocks());

describe('writeAtomic', () => {
  test('GIVEN a writable directory THEN the file holds the content and no temporary file is left', () => {
    const dir = mkdtempSync(join(tmpdir(), 'atomic-'));
    writeAtomic(join(dir, 'sub', 'a.txt'), 'hello');
    expect(readFileSync(join(dir, 'sub', 'a.txt'), 'utf8')).toBe('hello');
    expect(readdirSync(join(dir, 'sub'))).toEqual(['a.txt']);
  });

  test('GIVEN a full disk half-way through THEN one line naming the file, the old file untouched and no .tmp left', () => {
    const dir = mkdtempSync(join(tmpdir(), 'atomic-'));
    const file = join(dir, 'gate.js');
    writeFileSync(file, 'previous build');
    const real = fs.writeFileSync;
    jest.spyOn(fs, 'writeFileSync').mockImplementation((f, data, options) => {
      real(f, String(data).slice(0, 3), options);
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write' });
    });
    let error: unknown;
    try {
      writeAtomic(file, 'new build');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DrawbridgeError);
    expect((error as DrawbridgeError).message).toMatch(/^no space left on device writing \S*gate\.js; free some space and run it again$/);
    jest.restoreAllMocks();
    expect(readdirSync(dir)).toEqual(['gate.js']);
    expect(readFileSync(file, 'utf8')).toBe('previous build');
  });

  test('GIVEN a bug in the write THEN it is rethrown as it was, and no .tmp is left', () => {
    const dir = mkdtempSync(join(tmpdir(), 'atomic-'));
    const bug = new TypeError('bad data');
    jest.spyOn(fs, 'writeFileSync').mockImplementation(() => {
      throw bug;
    });
    expect(() => writeAtomic(join(dir, 'x.js'), 'x')).toThrow(bug);
    jest.restoreAllMocks();
    expect(readdirSync(dir)).toEqual([]);
  });
});
