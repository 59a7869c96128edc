/**
 * Example estates with a Cloudflare part, the test estates beside them (fixtures/), the mode states
 * each supports (and the stages of the moves between them), and snapshot scrubbing.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadEstate } from '../../../modes/load';
import type { Estate, ModeState } from '../../../modes/schema';
import { modeStateSlug, supportedModeStates } from '../../../modes/state';
import type { CloudflareResource } from '../../../stacks/cloudflare/preview';
import { stagedStates } from '../states';

export const ROOT = join(__dirname, '..', '..', '..');

/** A bypass key nobody would type by accident: it must never show up in a snapshot, output or log. */
export const TEST_SECRET = 'TEST-SECRET-0f1e2d3c4b5a69788796a5b4c3d2e1f0';

export const cloudflareEstates: { file: string; estate: Estate }[] = readdirSync(join(ROOT, 'estates'))
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map((f) => ({ file: join('estates', f), estate: loadEstate(join(ROOT, 'estates', f)) }))
  .filter(({ estate }) => !!estate.cloudflare);

export type Case = [string, string, Estate, ModeState];

const caseOf = (estate: Estate) => (s: ModeState): Case => [estate.name, modeStateSlug(s), estate, s];

/** [estate name, mode-state slug, estate, state] for every example Cloudflare estate and every state it supports (what the snapshots hold). */
export const cases: Case[] = cloudflareEstates.flatMap(({ estate }) => supportedModeStates(estate).map(caseOf(estate)));

/**
 * Test estates with shapes no example has: runbook 000's site with its own Workers and no gate, as
 * the ticketing example, plus a read-only key, an origin per colour (so it cuts over) and a hard-down
 * to the down page. Not snapshotted; rendered by the no-gate tests and the renderer registry tests.
 */
export const fixtureEstates: { file: string; estate: Estate }[] = readdirSync(join(__dirname, 'fixtures'))
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map((f) => ({ file: join(__dirname, 'fixtures', f), estate: loadEstate(join(__dirname, 'fixtures', f)) }));

/** Every state the estate supports and, after each, the stages of the moves into it that the estate allows (../states.ts). */
export const withStages = stagedStates;

/** Every example Cloudflare estate in every state it supports and every stage. */
export const exampleStagedCases: Case[] = cloudflareEstates.flatMap(({ estate }) => withStages(estate).map(caseOf(estate)));

/** Every Cloudflare estate, examples and fixtures, in every state it supports and every stage. */
export const stagedCases: Case[] = [...cloudflareEstates, ...fixtureEstates].flatMap(({ estate }) => withStages(estate).map(caseOf(estate)));

export function estateNamed(name: string): Estate {
  const found = [...cloudflareEstates, ...fixtureEstates].find((e) => e.estate.name === name);
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
