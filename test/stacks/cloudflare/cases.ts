/** Example estates with a Cloudflare part, the mode states each supports, and snapshot scrubbing. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadEstate } from '../../../modes/load';
import type { Estate, ModeState } from '../../../modes/schema';
import { modeStateSlug, supportedModeStates } from '../../../modes/state';
import type { CloudflareResource } from '../../../stacks/cloudflare/preview';

export const ROOT = join(__dirname, '..', '..', '..');

/** A bypass key nobody would type by accident: it must never show up in a snapshot, output or log. */
export const TEST_SECRET = 'TEST-SECRET-0f1e2d3c4b5a69788796a5b4c3d2e1f0';

export const cloudflareEstates: { file: string; estate: Estate }[] = readdirSync(join(ROOT, 'estates'))
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map((f) => ({ file: join('estates', f), estate: loadEstate(join(ROOT, 'estates', f)) }))
  .filter(({ estate }) => !!estate.cloudflare);

/** [estate name, mode-state slug, estate, state] for every Cloudflare estate and every state it supports. */
export const cases: [string, string, Estate, ModeState][] = cloudflareEstates.flatMap(({ estate }) =>
  supportedModeStates(estate).map((s): [string, string, Estate, ModeState] => [estate.name, modeStateSlug(s), estate, s]),
);

export function estateNamed(name: string): Estate {
  const found = cloudflareEstates.find((e) => e.estate.name === name);
  if (!found) throw new Error(`no example estate named ${name} with a cloudflare part`);
  return found.estate;
}

export const normal: ModeState = { mode: 'normal', live: 'blue', hardDown: false };
export const maintenance: ModeState = { mode: 'maintenance', live: 'blue', hardDown: false };
export const hardDown: ModeState = { mode: 'maintenance', live: 'blue', hardDown: true };
export const cutover: ModeState = { mode: 'cutover', live: 'blue', target: 'green', hardDown: false };

/** `cloudflare:index/dnsRecord:DnsRecord` -> `DnsRecord` */
export const shortType = (type: string): string => type.slice(type.lastIndexOf(':') + 1);

/**
 * The reviewed form of a rendering: `Type name` -> inputs, with the gate bundle's source replaced
 * (it changes with edge/, not with the mode; like an asset hash in a CDK snapshot).
 */
export function scrub(resources: readonly CloudflareResource[]): Record<string, Record<string, unknown>> {
  return Object.fromEntries(
    resources.map((r) => [
      `${shortType(r.type)} ${r.name}`,
      shortType(r.type) === 'WorkersScript' ? { ...r.inputs, content: '[gate bundle]' } : r.inputs,
    ]),
  );
}

export function only(resources: readonly CloudflareResource[], type: string): CloudflareResource[] {
  return resources.filter((r) => shortType(r.type) === type);
}

export function binding(resources: readonly CloudflareResource[], name: string): unknown {
  const [script] = only(resources, 'WorkersScript');
  const bindings = (script?.inputs.bindings ?? []) as { name: string; text?: unknown }[];
  return bindings.find((b) => b.name === name)?.text;
}
