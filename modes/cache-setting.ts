/**
 * DRAWBRIDGE_CACHE, read alike by `cdk synth` (remembered cdk-nag verdicts) and `drawbridge diff`
 * (reused syntheses): on, or unset, keeps them; off turns them off; anything else is refused.
 */
import { typed } from './echo';
import { DrawbridgeError } from './errors';

export function cachesOn(env: Readonly<Record<string, string | undefined>>, exitCode = 1): boolean {
  const setting = env.DRAWBRIDGE_CACHE ?? '';
  if (setting === '' || setting === 'on') return true;
  if (setting === 'off') return false;
  throw new DrawbridgeError(`DRAWBRIDGE_CACHE is ${typed(setting)}; allowed: on, off (or unset: on)`, exitCode);
}
