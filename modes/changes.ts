/**
 * What changes between two desired states, component by component, as structured records: the one
 * loop over the registry that the plan (and anything else that says what a move does) reads. Pure.
 */
import { pairById, type Change } from './component';
import type { DesiredAws, DesiredCloudflare, DesiredState } from './desired';
import { ENGINES, PROVIDERS, type Provider } from './engines';
import { componentsOf } from './registry';

/** Every change of one provider's part between two states, in registry order. */
export function describePart(provider: Provider, a: DesiredAws | DesiredCloudflare | undefined, b: DesiredAws | DesiredCloudflare | undefined): Change[] {
  if (!a && !b) return [];
  if (!a || !b) {
    // A whole provider appears or disappears: an estate change, said in one line.
    const what = provider === 'aws' ? 'the AWS stack' : 'the Cloudflare program';
    return [{ provider, component: provider, id: provider, name: ENGINES[provider].label, action: b ? 'add' : 'remove', effects: [], text: `${what} is ${b ? 'added' : 'removed'}` }];
  }
  return componentsOf(provider).flatMap((c) => pairById(c.items(a), c.items(b)).flatMap((p) => c.describe(p.before, p.after, { before: a, after: b })));
}

/** Every change between two desired states, per provider. */
export function describeChanges(a: DesiredState, b: DesiredState): Record<Provider, Change[]> {
  return Object.fromEntries(PROVIDERS.map((p) => [p, describePart(p, a[p], b[p])])) as Record<Provider, Change[]>;
}

/** Whether any change has the effect. */
export function hasEffect(changes: readonly Change[], effect: Change['effects'][number]): boolean {
  return changes.some((c) => c.effects.includes(effect));
}
