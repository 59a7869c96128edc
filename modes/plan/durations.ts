/**
 * How long a deploy takes (minutes): rough, on the safe side. A deploy of a few resources takes its
 * engine's base time; some effects add to it, once each; a DNS change counts until the old TTL has
 * run out. The estate's own steps carry their own minutes.
 */
import type { Change, Effect } from '../component';
import { ENGINES, type Provider } from '../engines';

/** Minutes an effect adds to the deploy that has it (once, however many changes have it). */
export const EFFECT_MINUTES: Readonly<Partial<Record<Effect, number>>> = {
  /** Instances start or stop. */
  scales: 5,
  /** Beanstalk applies new settings as a rolling update of the environment. */
  'rolling-update': 10,
  /** A new RDS database (a restore from a snapshot included). */
  'creates-stateful': 20,
};

export function deployMinutes(provider: Provider, changes: readonly Change[]): number {
  const effects = new Set(changes.flatMap((c) => c.effects));
  const extra = [...effects].reduce((n, e) => n + (EFFECT_MINUTES[e] ?? 0), 0);
  const wait = Math.max(0, ...changes.map((c) => c.waitSeconds ?? 0));
  return ENGINES[provider].baseDeployMinutes + extra + Math.ceil(wait / 60);
}
