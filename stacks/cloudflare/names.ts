/**
 * Pulumi names and component types. Every name comes from the estate's name and ids (never from a
 * mode value), so the URNs are identical in every mode and a mode switch is always an update.
 */

/** Component resource types (the `drawbridge:cloudflare:*` part of URNs). */
export const COMPONENT_TYPES = {
  edge: 'drawbridge:cloudflare:Edge',
  gate: 'drawbridge:cloudflare:Gate',
  bots: 'drawbridge:cloudflare:Bots',
  dns: 'drawbridge:cloudflare:Dns',
  downPage: 'drawbridge:cloudflare:DownPage',
} as const;

export const names = {
  edge: (estate: string) => estate,
  gate: (estate: string) => `${estate}-gate`,
  /** A route is identified by its pattern (unique per account); changing the pattern is a new route. */
  route: (estate: string, pattern: string) => `${estate}-gate-route-${pattern}`,
  bots: (estate: string) => `${estate}-bots`,
  botsZone: (estate: string, zone: string) => `${estate}-bots-${zone}`,
  dns: (estate: string) => `${estate}-dns`,
  record: (estate: string, record: string) => `${estate}-dns-${record}`,
  downPage: (estate: string) => `${estate}-down-page`,
} as const;

/** Comment on every DNS record Drawbridge manages; the same in every mode. */
export function recordComment(estate: string, id: string): string {
  return `Managed by Drawbridge (estate ${estate}, record ${id}); edit the estate file, not this record`;
}
