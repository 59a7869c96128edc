/**
 * The Pulumi names the Cloudflare renderers share. Each renderer owns its own names and component
 * type (`components/`); every name comes from the estate's name and ids (never from a mode value),
 * so the URNs are identical in every mode and a mode switch is always an update.
 */

/** Component resource type of the whole edge (the root of every URN's type chain). */
export const EDGE_TYPE = 'drawbridge:cloudflare:Edge';

/** Name of the edge component. */
export const edgeName = (estate: string): string => estate;

/** Comment on every DNS record Drawbridge manages; the same in every mode. */
export function recordComment(estate: string, id: string): string {
  return `Managed by Drawbridge (estate ${estate}, record ${id}); edit the estate file, not this record`;
}
