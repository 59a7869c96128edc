/**
 * Cloudflare-specific checks of a desired state that the estate schema cannot make on its own
 * (they depend on how Cloudflare treats records and routes). Pure; every problem names the estate
 * field, the value and what to do, and all are reported before any resource is declared.
 */
import { show } from './errors';
import type { DesiredCloudflareRecord, DesiredState } from './resolve';

const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)$/;
const IPV6 = /^[0-9a-f:]+:[0-9a-f:.]*$/i;
const HOSTNAME = /^(?=.{1,253}$)(?:(?!-)[a-z0-9_-]{1,63}(?<!-)\.)+[a-z]{2,63}\.?$/i;

function contentProblem(type: DesiredCloudflareRecord['type'], content: string): string | undefined {
  if (type === 'A' && !IPV4.test(content)) return `${show(content)} is not an IPv4 address, which an A record needs`;
  if (type === 'AAAA' && !IPV6.test(content)) return `${show(content)} is not an IPv6 address, which an AAAA record needs`;
  if (type === 'CNAME' && !HOSTNAME.test(content)) return `${show(content)} is not a host name, which a CNAME needs (no scheme, port or path)`;
  return undefined;
}

/** Every reason the Cloudflare part of `desired` cannot be rendered; empty when it can. */
export function cloudflareProblems(desired: DesiredState): string[] {
  const cf = desired.cloudflare;
  if (!cf) return [];
  const problems: string[] = [];

  const patterns = new Map<string, string>();
  for (const route of cf.gate.routes) {
    const first = patterns.get(route.pattern);
    if (first !== undefined) {
      problems.push(`cloudflare.gate.routes: pattern ${show(route.pattern)} is listed twice (zones ${first} and ${route.zone}); list each pattern once`);
    }
    patterns.set(route.pattern, route.zone);
  }

  const byName = new Map<string, DesiredCloudflareRecord[]>();
  for (const record of cf.records) {
    const at = `cloudflare.records[${record.id}]`;
    byName.set(record.name, [...(byName.get(record.name) ?? []), record]);
    if (record.target.kind === 'loadBalancer' && record.type !== 'CNAME') {
      problems.push(`${at}.type: ${record.type} cannot point at the load balancer (its addresses change); use type CNAME`);
      continue;
    }
    const problem = contentProblem(record.type, record.target.value);
    if (problem) problems.push(`${at}.target: ${problem}`);
  }
  for (const [name, records] of byName) {
    if (records.length > 1 && records.some((r) => r.type === 'CNAME')) {
      problems.push(`cloudflare.records: ${name} is declared by ${records.map((r) => r.id).join(' and ')}; a CNAME cannot share its name with another record`);
    }
  }

  // The gate runs only on proxied traffic: a route whose host is a DNS-only record never sees a request.
  cf.gate.routes.forEach((route, i) => {
    const host = route.pattern.split('/')[0]!.replace(/^\*\./, '');
    const unproxied = cf.records.filter((r) => r.name === host && !r.proxied);
    if (unproxied.length) {
      problems.push(`cloudflare.gate.routes[${i}]: ${show(route.pattern)} is on ${unproxied.map((r) => `record ${r.id}`).join(', ')}, which is DNS-only (proxied: false), so the gate never runs there; set proxied: true on the record or drop the route`);
    }
  });

  const domain = cf.downPage?.domain;
  if (domain && byName.has(domain)) {
    problems.push(`cloudflare.downPage.domain: ${domain} is also record ${byName.get(domain)!.map((r) => r.id).join(', ')}; Drawbridge creates the down page's record itself, remove one of them`);
  }
  return problems;
}
