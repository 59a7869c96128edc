/**
 * The Cloudflare renderers' tables of replace-forcing inputs, checked against what the program
 * declares: every estate with a Cloudflare part (the examples and the test estates in fixtures/,
 * which hold what no example has yet, such as app Workers) is rendered in every mode state it
 * supports and every stage, and each resource is traced to its renderer by the parent component
 * type in its URN.
 * REPLACE_ON_CHANGE, the union `drawbridge diff` uses, is then exercised through modes/diff.ts.
 */
import { diffPulumi, replaceForcing, type ResourceChange } from '../../../modes/diff';
import { CLOUDFLARE_COMPONENTS } from '../../../modes/registry';
import { cloudflareResources, type CloudflareResource } from '../../../stacks/cloudflare/preview';
import { REPLACE_ON_CHANGE } from '../../../stacks/cloudflare/replacement';
import { CLOUDFLARE_RENDERERS } from '../../../stacks/cloudflare/renderers';
import { estateNamed, normal, only, stagedCases, TEST_SECRET } from './cases';

/** The component type a resource was declared under: the last parent in its URN's type chain. */
function parentType(urn: string): string {
  const chain = urn.split('::')[2]!.split('$');
  return chain[chain.length - 2] ?? '';
}

const renderers = [...CLOUDFLARE_RENDERERS.values()];
const rendererOfType = new Map(renderers.map((r) => [r.type, r]));

let rendered: CloudflareResource[] = [];
beforeAll(async () => {
  const all = await Promise.all(stagedCases.map(([, , estate, state]) => cloudflareResources(estate, state, { bypassSecret: TEST_SECRET })));
  rendered = all.flat();
});
/** Every resource a renderer declared, over every rendering. */
const declaredBy = (kind: string) => rendered.filter((r) => rendererOfType.get(parentType(r.urn))?.kind === kind);

const tableRows = renderers.flatMap((r) => Object.entries(r.replaceOnChange).map(([type, inputs]): [string, string, readonly string[]] => [r.kind, type, inputs]));

describe('the registry', () => {
  test.each(CLOUDFLARE_COMPONENTS.map((c) => [c.kind, c] as const))('GIVEN the model component %s THEN one renderer renders it', (kind, component) => {
    expect(CLOUDFLARE_RENDERERS.get(kind)?.component).toBe(component);
  });

  test('GIVEN the renderers THEN each renders a model component under a component type of its own', () => {
    expect([...CLOUDFLARE_RENDERERS.keys()].sort()).toEqual(CLOUDFLARE_COMPONENTS.map((c) => c.kind).sort());
    expect(rendererOfType.size).toBe(renderers.length);
  });
});

describe('what the renderers declare', () => {
  test('GIVEN every rendering THEN every resource was declared by a renderer, and its type is in that renderer\'s table', () => {
    expect(rendered.length).toBeGreaterThan(0);
    const problems = rendered.flatMap((r) => {
      const renderer = rendererOfType.get(parentType(r.urn));
      if (!renderer) return [`${r.urn}: no renderer declares ${parentType(r.urn)}`];
      return renderer.replaceOnChange[r.type] ? [] : [`${renderer.kind}: ${r.type} has no entry`];
    });
    expect([...new Set(problems)]).toEqual([]);
  });

  test.each(tableRows)('GIVEN %s lists %s THEN it declares that type and every one it declares sets each listed input', (kind, type, inputs) => {
    const resources = declaredBy(kind).filter((r) => r.type === type);
    expect(resources.length).toBeGreaterThan(0);
    for (const r of resources) expect([r.name, inputs.filter((i) => r.inputs[i] === undefined)]).toEqual([r.name, []]);
  });

  test('GIVEN a type two renderers declare THEN they agree on what replaces it', () => {
    const byType = new Map<string, Set<string>>();
    for (const r of rendered) {
      const renderer = rendererOfType.get(parentType(r.urn))!;
      byType.set(r.type, (byType.get(r.type) ?? new Set()).add(JSON.stringify([...(renderer.replaceOnChange[r.type] ?? [])].sort())));
    }
    expect([...byType].filter(([, tables]) => tables.size > 1)).toEqual([]);
    // the program has such a type: the down page's custom domain record is a DnsRecord too
    const dnsDeclarers = new Set(rendered.filter((r) => r.type === 'cloudflare:index/dnsRecord:DnsRecord').map((r) => parentType(r.urn)));
    expect(dnsDeclarers.size).toBeGreaterThan(1);
  });

  test('GIVEN the renderers\' tables THEN REPLACE_ON_CHANGE is their union, one entry per declared type', () => {
    for (const [kind, type, inputs] of tableRows) expect([kind, type, REPLACE_ON_CHANGE[type]]).toEqual([kind, type, inputs]);
    expect(Object.keys(REPLACE_ON_CHANGE).sort()).toEqual([...new Set(rendered.map((r) => r.type))].sort());
  });
});

describe('what the union table decides (modes/diff.ts)', () => {
  const record = async () => only(await cloudflareResources(estateNamed('shop'), normal, { bypassSecret: TEST_SECRET }), 'DnsRecord')[0]!;
  const script = async () => only(await cloudflareResources(estateNamed('shop'), normal, { bypassSecret: TEST_SECRET }), 'WorkersScript')[0]!;
  const change = (before: CloudflareResource, inputs: Record<string, unknown>, urn = before.urn): ResourceChange[] =>
    diffPulumi([before], [{ ...before, urn, inputs: { ...before.inputs, ...inputs } }], REPLACE_ON_CHANGE);

  test.each<[string, Record<string, unknown>, boolean, string[] | undefined]>([
    ['its content (a hard-down)', { content: 'example-shop-down.pages.dev' }, false, undefined],
    ['proxied and ttl', { proxied: false, ttl: 300 }, false, undefined],
    ['its zone', { zoneId: '0123456789abcdef0123456789abcdef' }, true, ['zoneId']],
  ])('GIVEN a record WHEN %s changes (%j) THEN replacement is %s, forced by %j', async (_what, inputs, replacement, because) => {
    const [c] = change(await record(), inputs);
    expect(c).toMatchObject({ action: 'modify', replacement });
    expect(c!.replacedBecause).toEqual(because);
  });

  test.each<[string, string, Record<string, unknown>, string[] | undefined]>([
    ['an app Worker\'s key', 'WorkersKv', { value: '1' }, undefined],
    ['an app Worker\'s key', 'WorkersKv', { keyName: 'web/MAINTENANCE_V2' }, ['keyName']],
    ['an app Worker\'s key', 'WorkersKv', { namespaceId: 'other-namespace-id' }, ['namespaceId']],
    ['the app Workers\' namespace', 'WorkersKvNamespace', { title: 'tickets-flags' }, undefined],
    ['the app Workers\' namespace', 'WorkersKvNamespace', { accountId: '0123456789abcdef0123456789abcdef' }, ['accountId']],
  ])('GIVEN %s (%s) WHEN %j changes THEN it is replaced only for %j', async (_what, type, inputs, because) => {
    const [before] = only(await cloudflareResources(estateNamed('tickets'), normal), type);
    const [c] = change(before!, inputs);
    expect(c).toMatchObject({ action: 'modify', replacement: because !== undefined });
    expect(c!.replacedBecause).toEqual(because);
  });

  test('GIVEN the gate Worker WHEN it is renamed and its bindings change THEN it is replaced for its name only', async () => {
    const before = await script();
    const [c] = change(before, { scriptName: 'shop-gate-v2', bindings: [] });
    expect(c).toMatchObject({ action: 'modify', replacement: true, replacedBecause: ['scriptName'] });
    expect(replaceForcing(before.type, c!.properties, REPLACE_ON_CHANGE)).toEqual(['scriptName']);
  });

  test('GIVEN a resource whose URN changes THEN it is a delete and a create, whatever its inputs', async () => {
    const before = await record();
    expect(change(before, {}, `${before.urn}-renamed`).map((c) => c.action)).toEqual(['remove', 'add']);
  });
});
