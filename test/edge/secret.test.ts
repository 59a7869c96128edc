/**
 * The bypass key check shared by the gate (edge/config.ts) and the link printer: long random keys
 * pass, predictable ones are refused, and no message ever contains the key or its length.
 */
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { main as bypassLinkMain } from '../../edge/bypass-link';
import { bypassSecretProblem } from '../../modes/gate-contract';
import { ROOT } from './harness';

describe('bypassSecretProblem', () => {
  test('GIVEN keys as `openssl rand -hex 16|32` or the stack generates them THEN they pass', () => {
    for (let i = 0; i < 200; i++) {
      expect(bypassSecretProblem(randomBytes(16).toString('hex'))).toBeUndefined();
      expect(bypassSecretProblem(randomBytes(32).toString('hex'))).toBeUndefined();
      expect(bypassSecretProblem(randomBytes(36).toString('base64url'))).toBeUndefined();
    }
  });

  test.each([
    ['one letter repeated', 'a'.repeat(32), 'too few different characters'],
    ['two letters alternating', 'ab'.repeat(24), 'too few different characters'],
    ['a word repeated', 'password-'.repeat(4), 'one short run of characters repeated'],
    ['the alphabet twice', 'abcdefghijklmnopqrstuvwxyz'.repeat(2), 'one short run of characters repeated'],
    ['short', 'Zq8#r', 'is shorter than 32 characters'],
  ])('GIVEN %s (%s) THEN it is refused, with a reason and without echoing the key', (_what, key, why) => {
    const problem = bypassSecretProblem(key);
    expect(problem).toContain(why);
    expect(problem).not.toContain(key);
    expect(problem).not.toContain(`${key.length} characters`);
  });

  test('GIVEN any key THEN the message never contains it', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 0, maxLength: 80 }), (key) => {
        const problem = bypassSecretProblem(key);
        return problem === undefined || key.length < 4 || !problem.includes(key);
      }),
    );
  });

  test('GIVEN a predictable key WHEN bypass-link is asked for a link THEN it refuses, without the key', async () => {
    const key = 'k'.repeat(40);
    await expect(bypassLinkMain(['--estate', `${ROOT}/estates/default.yaml`, '--site', 'https://www.example-shop.com'], { BYPASS_SECRET: key })).rejects.toThrow(
      /^BYPASS_SECRET is too predictable \(too few different characters\); generate one with `openssl rand -hex 32`; the gate refuses such a key$/,
    );
  });
});
