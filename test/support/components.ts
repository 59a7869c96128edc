/**
 * Helpers for the component table tests (test/modes/components/**): the mode states that matter,
 * a small resolve context and rule context built without an estate file, identities of a
 * component's items in every example estate and every stage, and an example estate's items.
 */
import type { Change, EstateFacts, RelativePath, ResolveContext, RuleFacts, VerifyContext } from '../../modes/component';
import type { DesiredAws, DesiredCloudflare, DesiredState } from '../../modes/desired';
import type { ModeState, RecordTargetSpec } from '../../modes/fields';
import { ModeTable } from '../../modes/mode-table';
import { formatPath } from '../../modes/path';
import type { AnyComponent } from '../../modes/registry';
import { partOf, resolve } from '../../modes/resolve';
import type { Estate } from '../../modes/schema';
import { STAGES_OF } from '../../modes/stages';
import { checkModeState, supportedModeStates, modeStateSlug } from '../../modes/state';
import { recordTarget, type TargetSources } from '../../modes/targets';
import { estateNamed, estates } from './estates';

/** The mode states the components' tables are written for. */
export const S = {
  normalBlue: { mode: 'normal', live: 'blue', hardDown: false },
  maintenance: { mode: 'maintenance', live: 'blue', hardDown: false },
  hardDown: { mode: 'maintenance', live: 'blue', hardDown: true },
  cutoverBlueGreen: { mode: 'cutover', live: 'blue', target: 'green', hardDown: false },
  normalGreen: { mode: 'normal', live: 'green', hardDown: false },
  maintenanceGreen: { mode: 'maintenance', live: 'green', hardDown: false },
  cutoverGreenBlue: { mode: 'cutover', live: 'green', target: 'blue', hardDown: false },
} as const satisfies Record<string, ModeState>;

export type StateName = keyof typeof S;

/** What record targets point at in the test facts unless a test says otherwise. */
export const SOURCES: TargetSources = {
  loadBalancerDnsName: 'web-1.eu-west-2.elb.amazonaws.com',
  beanstalk: [
    { colour: 'blue', cname: 'app-blue.eu-west-2.elasticbeanstalk.com' },
    { colour: 'green', cname: 'app-green.eu-west-2.elasticbeanstalk.com' },
  ],
};

/** Estate facts of a small estate in `state`; `more` replaces any of them. */
export function facts(state: ModeState, more: Partial<EstateFacts> = {}, sources: TargetSources = SOURCES): EstateFacts {
  return {
    name: 'test',
    brand: { name: 'Test Shop', colour: '#123456' },
    siteHealthPath: '/health',
    region: 'eu-west-2',
    privateSubnetIds: ['subnet-0000000000000000a'],
    targetGroups: [],
    zones: new Map([['main', { zoneId: 'a'.repeat(32), name: 'example.com', plan: 'pro' }]]),
    hardDownRecords: [],
    recordTarget: (target: RecordTargetSpec, at: string) => recordTarget(target, state, sources, at),
    // A gate in front, as the example estates with Cloudflare have: staff test behind its page.
    policy: { freeze: 'read-only', test: 'behind-page' },
    hasGate: true,
    ...more,
  };
}

/** A resolve context in one of the named states, with the mode table of its facts' policy. */
export function ctxIn(state: StateName | ModeState, more: Partial<EstateFacts> = {}): ResolveContext {
  const s = typeof state === 'string' ? S[state] : state;
  const f = facts(s, more);
  return { state: s, facts: f, table: new ModeTable(s, f.policy) };
}

/** Rule facts of a small estate; `more` replaces any of them. */
export function ruleFacts(more: Partial<RuleFacts> = {}): RuleFacts {
  return { targetGroups: [], hasLoadBalancer: true, hasBeanstalk: true, zones: new Map([['main', 'example.com']]), hasDownPage: true, ...more };
}

/**
 * Runs the component's rule named `name` on `input` (parsed by the component's own schema, so
 * defaults apply) and returns each problem as `<path>: <message>`, the path from the estate's top.
 * Fails when the component has no rule of that name.
 */
export function runRule(c: AnyComponent, name: string, input: unknown, more: Partial<RuleFacts> = {}): string[] {
  const rule = (c.rules ?? []).find((r: { name: string }) => r.name === name);
  if (!rule) throw new Error(`${c.kind} has no rule ${name}; it has ${(c.rules ?? []).map((r: { name: string }) => r.name).join(', ')}`);
  const at: RelativePath = [c.provider, c.key];
  const out: string[] = [];
  rule(c.schema.parse(input), {
    facts: ruleFacts(more),
    report: (rel: RelativePath, message: string) => out.push(`${formatPath([...at, ...rel])}: ${message}`),
    where: (rel: RelativePath) => formatPath([...at, ...rel]),
  });
  return out;
}

/** The component's desired items after resolving `input` (parsed by its schema) in `state`. */
export function itemsIn(c: AnyComponent, input: unknown, state: StateName | ModeState, more: Partial<EstateFacts> = {}): unknown[] {
  const part = c.resolve(c.schema.parse(input), ctxIn(state, more));
  return [...c.items(part as AnyPart)];
}

/** The changes of one item between two states, with the given parts for context. */
export function changes<I>(c: AnyComponent, before: I | undefined, after: I | undefined, parts: { before?: object; after?: object } = {}): Change[] {
  return c.describe(before, after, { before: (parts.before ?? {}) as AnyPart, after: (parts.after ?? {}) as AnyPart });
}

/** What a component's functions take as a desired part; tests build parts with only the keys read. */
type AnyPart = DesiredAws & DesiredCloudflare;

/** A desired AWS part with only the keys the code under test reads. */
export const awsPart = (part: object): DesiredAws => part as DesiredAws;

/** A desired Cloudflare part with only the keys the code under test reads. */
export const cfPart = (part: object): DesiredCloudflare => part as DesiredCloudflare;

/** A change record reduced to what the tables compare. */
export function brief(c: Change): Pick<Change, 'text' | 'action' | 'field' | 'effects' | 'waitSeconds'> {
  return { text: c.text, action: c.action, ...(c.field !== undefined ? { field: c.field } : {}), effects: c.effects, ...(c.waitSeconds !== undefined ? { waitSeconds: c.waitSeconds } : {}) };
}

/**
 * Table rows `[what, ...inputs, expected]` as `{ what, expected, row }`, so a title can name the
 * case and its expected value (`$what`, `$expected`) when inputs a title cannot print (mode states,
 * facts, specs) lie between them.
 */
export function titled<R extends readonly [string, ...unknown[]]>(rows: readonly R[]): { what: string; expected: unknown; row: R }[] {
  return rows.map((row) => ({ what: row[0], expected: row[row.length - 1], row }));
}

/** A verify context for checks written after moving to `to`. */
export function verifyCtx(to: StateName | ModeState): VerifyContext {
  return {
    to: typeof to === 'string' ? S[to] : to,
    url: (path, host) => `https://${host ?? 'www.example.com'}${path}`,
    siteHealthPath: '/health',
    regionArg: ' --region eu-west-2',
    stack: 'production',
  };
}

/** The identities of a component's items in a desired state. */
export function identities(c: AnyComponent, d: DesiredState): unknown[] {
  const part = partOf(d, c);
  return part ? c.items(part).map((item: unknown) => c.identity(item)) : [];
}

/**
 * Every mode state an estate supports and each stage of it (modes/stages.ts): a cutover at prepare,
 * freeze, restore and move; entering maintenance at ahead and page; leaving it (also a hard-down) at
 * behind and page. Only states the estate accepts.
 */
export function supportedStagedStates(estate: Estate): ModeState[] {
  const out: ModeState[] = [];
  for (const s of supportedModeStates(estate)) {
    out.push(s, ...STAGES_OF[s.mode].map((stage): ModeState => ({ ...s, stage })));
    if (s.mode === 'maintenance' && s.hardDown) out.push(...STAGES_OF.normal.map((stage): ModeState => ({ mode: 'normal', live: s.live, hardDown: true, stage })));
  }
  return out.filter((s) => {
    try {
      checkModeState(estate, s, new Date(0));
      return true;
    } catch {
      return false;
    }
  });
}

/**
 * [estate name, the mode states it supports (with their stages), identities in each state, item
 * count] for every example estate that has items of the component: what the identity tables of
 * each component compare (an estate without any would compare nothing).
 */
export function identityCases(c: AnyComponent): [string, string, unknown[][], number][] {
  return estates.flatMap(({ estate }): [string, string, unknown[][], number][] => {
    const states = supportedStagedStates(estate);
    const ids = states.map((s) => identities(c, resolve(estate, s)));
    return ids.some((list) => list.length) ? [[estate.name, states.map(modeStateSlug).join(', '), ids, ids[0]?.length ?? 0]] : [];
  });
}

/** The component's desired items when the example estate `name` is resolved in `state`. */
export function estateItems<I = unknown>(c: AnyComponent, name: string, state: ModeState): I[] {
  const part = partOf(resolve(estateNamed(name), state), c);
  return part ? ([...c.items(part)] as I[]) : [];
}
