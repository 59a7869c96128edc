/**
 * A failed write (a full disk, a read-only directory) as one line for the user instead of Node's
 * stack: what went wrong, the file, and what to do. Pure: the caller catches and hands the error over.
 */
import { DrawbridgeError } from './errors';

/** The system errors a write can meet that are the user's machine, not a bug: what each means. */
const WRITE_ERRORS: Readonly<Record<string, string>> = {
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'a directory is in the way',
  ENOTDIR: 'a file is in the way of a directory',
  EIO: 'input/output error',
};

/** Whether `e` is a Node system error from writing a file that the user can fix. */
export function isWriteFailure(e: unknown): e is NodeJS.ErrnoException {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && Object.hasOwn(WRITE_ERRORS, code);
}

/**
 * `e` as a DrawbridgeError naming `file`, e.g. "no space left on device writing
 * cdk.out/shop-aws.template.json; free some space and run it again"; undefined when `e` is not a
 * write failure (a bug, which keeps its stack). A caller that does not know the file passes
 * `failedPath(e, dir)`.
 */
export function writeFailure(e: unknown, file: string): DrawbridgeError | undefined {
  if (!isWriteFailure(e)) return undefined;
  const where = file;
  const fix = e.code === 'ENOSPC' || e.code === 'EDQUOT' ? 'free some space and run it again' : 'check the directory and run it again';
  return new DrawbridgeError(`${WRITE_ERRORS[e.code!]} writing ${where}; ${fix}`);
}

/** The file a system error names, else `fallback` (a write to an open file names none). */
export function failedPath(e: unknown, fallback: string): string {
  const path = (e as NodeJS.ErrnoException | undefined)?.path;
  return typeof path === 'string' && path !== '' ? path : fallback;
}

/** Runs `fn`; a write failure becomes its DrawbridgeError naming `file`, anything else is rethrown. */
export function mapWriteFailure<T>(file: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw writeFailure(e, file) ?? e;
  }
}
