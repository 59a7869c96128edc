/**
 * What both engines' renderer registries share: renderers keyed by the model component's kind, and
 * the union of their tables of replace-forcing inputs. Engine-neutral: no CDK or Pulumi imports.
 */
import type { ReplaceTable } from '../modes/diff';

/** A renderer of one model component, as the registries see it. */
export interface RegisteredRenderer {
  /** The model component's kind (`modes/registry.ts`), e.g. `targetGroup`. */
  readonly kind: string;
  /** Resource type -> inputs whose change replaces a resource of that type this renderer declares. */
  readonly replaceOnChange: ReplaceTable;
}

/** `renderers` keyed by kind, in the order given (the order they render in). Refuses a kind listed twice. */
export function byKind<R extends RegisteredRenderer>(renderers: readonly R[]): ReadonlyMap<string, R> {
  const map = new Map<string, R>();
  for (const r of renderers) {
    if (map.has(r.kind)) throw new Error(`two renderers for component kind '${r.kind}'; register one renderer per component`);
    map.set(r.kind, r);
  }
  return map;
}

/**
 * One table for every type the renderers declare. Two renderers that declare the same type must
 * list the same inputs for it (the union table is per type), or this throws naming both.
 */
export function unionTable(renderers: Iterable<RegisteredRenderer>): ReplaceTable {
  const table: Record<string, readonly string[]> = {};
  const owner: Record<string, string> = {};
  for (const r of renderers) {
    for (const [type, inputs] of Object.entries(r.replaceOnChange)) {
      const known = table[type];
      if (known && [...known].sort().join() !== [...inputs].sort().join()) {
        throw new Error(`renderers ${owner[type]} and ${r.kind} disagree on what replaces a ${type}: [${known.join(', ')}] vs [${inputs.join(', ')}]`);
      }
      table[type] = known ?? inputs;
      owner[type] ??= r.kind;
    }
  }
  return table;
}
