/**
 * The AWS renderer registry and each renderer's table of replace-forcing properties, checked
 * against what the renderers declare: every example estate (and a split variant of two of them) is
 * synthesized in every mode state it supports, each resource is traced to the renderer whose
 * `render` made it, and the tables are confirmed by @aws-cdk/cloudformation-diff.
 */
import { fullDiff, ResourceImpact } from '@aws-cdk/cloudformation-diff';
import { CfnResource, Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { AWS_COMPONENTS } from '../../../modes/registry';
import { resolve } from '../../../modes/resolve';
import type { Estate, ModeState } from '../../../modes/schema';
import { modeStateSlug, supportedModeStates } from '../../../modes/state';
import { logicalId } from '../../../stacks/aws/names';
import { STACK_PARTS } from '../../../stacks/aws/renderer';
import { AWS_RENDERERS, operationsRenderers } from '../../../stacks/aws/renderers';
import { synthAws } from '../../../stacks/aws/synth';
import { estateModeCases, estateNamed } from '../../support/estates';
import { cobaltEstate } from './components/fixtures';

/** One resource of a synthesized template and the renderer that declared it. */
interface Declared {
  readonly kind: string;
  readonly estate: string;
  readonly state: string;
  /** `<stack>/<logical id>`: the same resource in every mode state. */
  readonly key: string;
  readonly type: string;
  readonly properties: Record<string, unknown>;
  /** The whole resource as the template holds it. */
  readonly resource: Record<string, unknown>;
}

const split = (estate: Estate): Estate => ({ ...estate, aws: { ...estate.aws!, split: 'component' } });
const statesOf = (label: string, estate: Estate) => supportedModeStates(estate).map((s): [string, string, Estate, ModeState] => [label, modeStateSlug(s), estate, s]);
const cases: [string, string, Estate, ModeState][] = [
  ...estateModeCases((e) => !!e.aws),
  // split estates: the same renderers across several stacks, with cross-stack references
  ...[split(estateNamed('shop')), split(estateNamed('bridge'))].flatMap((estate) => statesOf(`${estate.name} (split)`, estate)),
  // what the example estates may not have: two Beanstalk applications, database and secret references, an apex alias to Beanstalk
  ...statesOf('cobalt (fixture)', cobaltEstate(true)),
  ...statesOf('cobalt (fixture, split)', split(cobaltEstate(true))),
];

const cfnResources = (scope: IConstruct): CfnResource[] => scope.node.findAll().filter((c): c is CfnResource => CfnResource.isCfnResource(c));

/**
 * Synthesizes `estate` in `state` through the app's own wiring, recording which renderer's
 * `render` created each CloudFormation resource; `unclaimed` lists template resources none made.
 */
function declare(label: string, estate: Estate, state: ModeState): { declared: Declared[]; unclaimed: string[] } {
  const madeBy = new Map<CfnResource, string>();
  const spies = [...AWS_RENDERERS.values()].map((renderer) => {
    const render = renderer.render;
    return jest.spyOn(renderer, 'render').mockImplementation((scope, desired, ctx) => {
      const before = new Set(cfnResources(Stack.of(scope)));
      render.call(renderer, scope, desired, ctx);
      for (const r of cfnResources(Stack.of(scope))) if (!before.has(r)) madeBy.set(r, renderer.kind);
    });
  });
  try {
    const stacks = synthAws(estate, state, { builtinValidation: false }).stacks;
    const owner = new Map([...madeBy].map(([r, kind]) => [`${Stack.of(r).stackName}/${Stack.of(r).resolve(r.logicalId) as string}`, kind]));
    const declared: Declared[] = [];
    const unclaimed: string[] = [];
    for (const s of stacks) {
      for (const [id, resource] of Object.entries((s.template.Resources ?? {}) as Record<string, Record<string, unknown>>)) {
        const key = `${s.stackName}/${id}`;
        const kind = owner.get(key);
        if (!kind) unclaimed.push(`${key} (${String(resource.Type)})`);
        else declared.push({ kind, estate: label, state: modeStateSlug(state), key, type: resource.Type as string, properties: (resource.Properties ?? {}) as Record<string, unknown>, resource });
      }
    }
    return { declared, unclaimed };
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
}

let renderings: ReturnType<typeof declare>[] = [];
const all = (): Declared[] => renderings.flatMap((r) => r.declared);
beforeAll(() => {
  renderings = cases.map(([label, , estate, state]) => declare(label, estate, state));
});

/** `value` changed: what a pull request that edits the property would do. */
function mutated(value: unknown): unknown {
  if (typeof value === 'string') return `${value}-changed`;
  if (typeof value === 'number') return value + 1;
  if (typeof value === 'boolean') return !value;
  if (Array.isArray(value)) return [...value, 'changed'];
  return { ...(value as object), Changed: 'yes' };
}

/** What cloudformation-diff says a change of `property` does to `resource`. */
function impactOf(resource: Record<string, unknown>, property: string): ResourceImpact {
  const properties = resource.Properties as Record<string, unknown>;
  const after = { ...resource, Properties: { ...properties, [property]: mutated(properties[property]) } };
  let impact: ResourceImpact | undefined;
  fullDiff({ Resources: { R: resource } }, { Resources: { R: after } }).resources.forEachDifference((_id, change) => {
    impact = change.changeImpact;
  });
  if (impact === undefined) throw new Error(`changing ${property} made no difference`);
  return impact;
}
const replaces = (impact: ResourceImpact) => impact === ResourceImpact.WILL_REPLACE || impact === ResourceImpact.MAY_REPLACE;

const tableRows = [...AWS_RENDERERS.values()].flatMap((r) => Object.entries(r.replaceOnChange).map(([type, properties]): [string, string, readonly string[]] => [r.kind, type, properties]));
const entryRows = tableRows.flatMap(([kind, type, properties]) => properties.map((p): [string, string, string] => [kind, type, p]));

describe('the registry', () => {
  test.each(AWS_COMPONENTS.map((c) => [c.kind, c] as const))('GIVEN the model component %s THEN one renderer renders it', (kind, component) => {
    expect(AWS_RENDERERS.get(kind)?.component).toBe(component);
  });

  test('GIVEN the renderers THEN each renders a model component and belongs to a stack part', () => {
    expect([...AWS_RENDERERS.keys()].sort()).toEqual(AWS_COMPONENTS.map((c) => c.kind).sort());
    for (const r of AWS_RENDERERS.values()) expect(STACK_PARTS).toContain(r.part);
  });

  test.each(cases)('%s %s: each operations renderer chunks the list its model component lists as items', (_label, _slug, estate, state) => {
    const aws = resolve(estate, state).aws!;
    for (const r of operationsRenderers()) expect([r.kind, aws[r.chunk.key]]).toEqual([r.kind, r.component.items(aws)]);
  });
});

describe('what the renderers declare', () => {
  test('GIVEN every rendering THEN every template resource was declared by a renderer', () => {
    expect(renderings.flatMap((r) => r.unclaimed)).toEqual([]);
    expect(all().length).toBeGreaterThan(0);
  });

  test('GIVEN every rendering THEN each resource type is in the table of the renderer that declared it', () => {
    const missing = all().filter((d) => !AWS_RENDERERS.get(d.kind)!.replaceOnChange[d.type]).map((d) => `${d.kind}: ${d.type}`);
    expect([...new Set(missing)]).toEqual([]);
  });

  test.each(tableRows)('GIVEN the %s renderer THEN it declares %s somewhere (no stale entry)', (kind, type) => {
    expect(all().some((d) => d.kind === kind && d.type === type)).toBe(true);
  });

  test.each(entryRows)('GIVEN %s lists %s.%s THEN some resource it declares sets it and cloudformation-diff says a change replaces it', (kind, type, property) => {
    const setting = all().find((d) => d.kind === kind && d.type === type && d.properties[property] !== undefined);
    expect(setting).toBeDefined();
    expect([property, impactOf(setting!.resource, property)]).toEqual([property, expect.stringMatching(/^(WILL|MAY)_REPLACE$/)]);
  });

  test.each(tableRows)('GIVEN %s declares %s THEN every property it sets that forces a replacement is listed', (kind, type, listed) => {
    const resources = all().filter((d) => d.kind === kind && d.type === type);
    const set = [...new Set(resources.flatMap((d) => Object.keys(d.properties)))].sort();
    const forcing = set.filter((p) => replaces(impactOf(resources.find((d) => d.properties[p] !== undefined)!.resource, p)));
    expect(forcing).toEqual([...listed].sort());
  });

  test('GIVEN every example estate THEN no replace-forcing property of any resource differs between two of its mode states, and only a database still to be restored comes and goes', () => {
    // estate -> `<stack>/<logical id>.<property>` -> the property's value in each state the resource exists in
    const byEstate = new Map<string, Map<string, Map<string, string>>>();
    const pending = new Map(cases.map(([label, , estate]) => [label, estate.aws!.databases.filter((d) => d.restored === false).map((d) => `/${logicalId('BlueGreenDatabase', d.id)}`)]));
    expect([...pending].filter(([, ids]) => ids.length).map(([label]) => label)).toEqual(['bridge', 'bridge (split)']);
    const statesOf = new Map<string, Set<string>>();
    for (const d of all()) {
      const properties = byEstate.get(d.estate) ?? new Map<string, Map<string, string>>();
      byEstate.set(d.estate, properties);
      statesOf.set(d.estate, (statesOf.get(d.estate) ?? new Set()).add(d.state));
      for (const p of AWS_RENDERERS.get(d.kind)!.replaceOnChange[d.type] ?? []) {
        const key = `${d.key}.${p}`;
        properties.set(key, (properties.get(key) ?? new Map()).set(d.state, JSON.stringify(d.properties[p])));
      }
    }
    for (const [estate, properties] of byEstate) {
      const states = statesOf.get(estate)!;
      expect(states.size).toBeGreaterThan(1);
      for (const [key, values] of properties) {
        // one value wherever the resource exists, so equal between every pair of states
        expect([estate, key, new Set(values.values()).size]).toEqual([estate, key, 1]);
        // a resource that is not in every state is a database waiting for the restore stage (or its subnet or security group)
        if (values.size < states.size) expect([estate, pending.get(estate)!.some((id) => key.includes(id))]).toEqual([estate, true]);
      }
    }
  });
});

describe('the checks can fail', () => {
  test('GIVEN a property that is updated in place THEN cloudformation-diff does not call it a replacement', () => {
    const group = all().find((d) => d.type === 'AWS::ElasticLoadBalancingV2::TargetGroup')!;
    expect(impactOf(group.resource, 'HealthCheckPath')).toBe(ResourceImpact.WILL_UPDATE);
    expect(impactOf(group.resource, 'Name')).toBe(ResourceImpact.WILL_REPLACE);
  });
});
