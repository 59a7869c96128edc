/** Logical ids come from estate ids only, never from mode values, so they are identical in every mode. */
export function logicalId(kind: string, id: string): string {
  return kind + id.split('-').map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join('');
}
