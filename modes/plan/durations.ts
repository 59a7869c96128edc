/**
 * How long a deploy takes (minutes): rough, on the safe side. A deploy of a few resources takes its
 * engine's base time; the slowest of its effects adds to it (the engine updates resources side by
 * side, and one resource's several changes in one update), except that what waits for a new
 * database (an environment pointed at it) comes after it; a DNS change counts until the old TTL
 * has run out. The estate's own steps carry their own minutes. Runbook 004's timings: an
 * environment update about 5 minutes, a restore from a snapshot about 20 (timed at 14 and 16).
 */
import type { Change, Effect } from '../component';
import { ENGINES, type Provider } from '../engines';

/** Minutes an effect adds to the deploy that has it (once, however many changes have it). */
export const EFFECT_MINUTES: Readonly<Partial<Record<Effect, number>>> = {
  /** Instances start or stop. */
  scales: 5,
  /** Beanstalk applies new settings as a rolling update of the environment. */
  'rolling-update': 5,
  /** A new RDS database (a restore from a snapshot included). */
  'creates-stateful': 20,
};

export function deployMinutes(provider: Provider, changes: readonly Change[]): number {
  const effects = new Set(changes.flatMap((c) => c.effects));
  const minutes = [...effects].map((e) => EFFECT_MINUTES[e] ?? 0);
  const created = effects.has('creates-stateful') ? (EFFECT_MINUTES['creates-stateful'] ?? 0) : 0;
  const others = Math.max(0, ...[...effects].filter((e) => e !== 'creates-stateful').map((e) => EFFECT_MINUTES[e] ?? 0));
  const work = created ? created + others : Math.max(0, ...minutes);
  const wait = Math.max(0, ...changes.map((c) => c.waitSeconds ?? 0));
  return ENGINES[provider].baseDeployMinutes + work + Math.ceil(wait / 60);
}
