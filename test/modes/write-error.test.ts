/**
 * modes/write-error.ts: a failed write as one line naming the file; anything else stays a bug.
 */
import { DrawbridgeError } from '../../modes/errors';
import { failedPath, isWriteFailure, mapWriteFailure, writeFailure } from '../../modes/write-error';

const sysError = (code: string, path?: string) => Object.assign(new Error(`${code}: failed`), { code, ...(path ? { path } : {}) });

describe('writeFailure', () => {
  test.each<[string, string]>([
    ['ENOSPC', 'no space left on device writing dist/edge/gate.js; free some space and run it again'],
    ['EDQUOT', 'disk quota exceeded writing dist/edge/gate.js; free some space and run it again'],
    ['EROFS', 'read-only file system writing dist/edge/gate.js; check the directory and run it again'],
    ['EACCES', 'permission denied writing dist/edge/gate.js; check the directory and run it again'],
  ])('GIVEN %s THEN one line naming the file', (code, message) => {
    const e = writeFailure(sysError(code), 'dist/edge/gate.js');
    expect(e).toBeInstanceOf(DrawbridgeError);
    expect(e!.problems).toEqual([message]);
  });

  test('GIVEN a bug (no system code, or one no write meets) THEN it is not a write failure', () => {
    expect(writeFailure(new TypeError('x is undefined'), 'f')).toBeUndefined();
    expect(writeFailure(sysError('ECONNRESET'), 'f')).toBeUndefined();
    expect(isWriteFailure(undefined)).toBe(false);
  });

  test('GIVEN an error naming its path THEN failedPath gives it, else the fallback', () => {
    expect(failedPath(sysError('ENOSPC', '/out/a.json'), '/out')).toBe('/out/a.json');
    expect(failedPath(sysError('ENOSPC'), '/out')).toBe('/out');
  });

  test('GIVEN mapWriteFailure THEN a write failure is mapped, a bug rethrown as it was', () => {
    expect(() => mapWriteFailure('x.txt', () => { throw sysError('ENOSPC'); })).toThrow(new DrawbridgeError('no space left on device writing x.txt; free some space and run it again'));
    const bug = new RangeError('bug');
    expect(() => mapWriteFailure('x.txt', () => { throw bug; })).toThrow(bug);
    expect(mapWriteFailure('x.txt', () => 42)).toBe(42);
  });
});
