/**
 * Which inputs of each Cloudflare resource the provider cannot change in place. @pulumi/cloudflare
 * v6 is bridged from terraform-provider-cloudflare v5, where these attributes carry the
 * `RequiresReplace` plan modifier (internal/services/<resource>/schema.go); the bridged schema does
 * not list them, so they are kept here for offline diffs. A changed URN is a delete plus a create.
 */
import type { CloudflareResource } from './preview';

/** Type token -> inputs whose change replaces the resource (delete + create). */
export const REPLACE_ON_CHANGE: Readonly<Record<string, readonly string[]>> = {
  'cloudflare:index/workersScript:WorkersScript': ['accountId', 'scriptName'],
  'cloudflare:index/workersRoute:WorkersRoute': ['zoneId'],
  'cloudflare:index/botManagement:BotManagement': ['zoneId'],
  'cloudflare:index/dnsRecord:DnsRecord': ['zoneId'],
  'cloudflare:index/pagesProject:PagesProject': ['accountId', 'name'],
  'cloudflare:index/pagesDomain:PagesDomain': ['accountId', 'projectName', 'name'],
};

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The inputs that differ between two renderings of the same resource and force its replacement,
 * e.g. `['zoneId']`; empty when the change (if any) is an in-place update.
 */
export function replacingInputs(before: CloudflareResource, after: CloudflareResource): string[] {
  if (before.urn !== after.urn) throw new Error(`compare one resource with itself: ${before.urn} vs ${after.urn}`);
  return (REPLACE_ON_CHANGE[after.type] ?? []).filter((key) => !same(before.inputs[key], after.inputs[key]));
}
