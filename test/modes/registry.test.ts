/**
 * The registry of components: each sits at its own key of the estate schema, is named once, and
 * together they resolve every key of the desired state (so a key no component sets is caught here,
 * and a new DesiredAws or DesiredCloudflare key fails the type check until this test lists it).
 */
import type { DesiredAws, DesiredCloudflare } from '../../modes/desired';
import { PROVIDERS, type Provider } from '../../modes/engines';
import { AWS_COMPONENTS, CLOUDFLARE_COMPONENTS, COMPONENTS, componentsOf, type AnyComponent } from '../../modes/registry';
import { ModeTable } from '../../modes/mode-table';
import { estateFacts, partOf, resolve } from '../../modes/resolve';
import { AwsSchema, CloudflareSchema } from '../../modes/schema';
import { supportedModeStates } from '../../modes/state';
import { estates } from '../support/estates';

/** The provider's own fields: set by resolve from the provider part, by no component. */
const AWS_OWN = ['account', 'region', 'split', 'vpc'] as const;
const CLOUDFLARE_OWN = ['accountId'] as const;

/** Every other key of the desired parts; the Record type makes tsc list a key added to DesiredAws. */
const AWS_KEYS: Record<Exclude<keyof DesiredAws, (typeof AWS_OWN)[number]>, true> = {
  loadBalancer: true,
  targetGroups: true,
  listener: true,
  autoScalingGroups: true,
  scheduledJobs: true,
  databaseAccess: true,
  parameters: true,
  beanstalk: true,
  databases: true,
  dns: true,
};
const CLOUDFLARE_KEYS: Record<Exclude<keyof DesiredCloudflare, (typeof CLOUDFLARE_OWN)[number]>, true> = { gate: true, appWorkers: true, bots: true, records: true, downPage: true, alerts: true };

const SHAPES = { aws: AwsSchema.shape, cloudflare: CloudflareSchema.shape } as const;

/** Keys each component sets when resolving every example estate in every state it supports. */
function resolvedKeys(c: AnyComponent): Set<string> {
  const keys = new Set<string>();
  for (const { estate } of estates) {
    const part = c.provider === 'aws' ? estate.aws : estate.cloudflare;
    if (!part) continue;
    for (const state of supportedModeStates(estate)) {
      const facts = estateFacts(estate, state);
      for (const key of Object.keys(c.resolve((part as Record<string, unknown>)[c.key], { state, facts, table: new ModeTable(state, facts.policy) }))) keys.add(key);
    }
  }
  return keys;
}

describe('the component registry', () => {
  test.each(COMPONENTS.map((c) => [c.kind, c.provider, c.key, c] as const))('GIVEN %s THEN its schema is the estate schema at %s.%s', (_kind, provider, key, c) => {
    const shape: Record<string, unknown> = SHAPES[provider as Provider];
    expect(Object.keys(shape)).toContain(key);
    expect(shape[key]).toBe(c.schema);
  });

  test.each(PROVIDERS.map((p) => [p, p === 'aws' ? AWS_OWN : CLOUDFLARE_OWN] as const))('GIVEN the %s part of the estate schema THEN every key is the provider\'s own (%j) or one component\'s', (provider, own) => {
    expect(Object.keys(SHAPES[provider]).sort()).toEqual([...own, ...componentsOf(provider).map((c) => c.key)].sort());
  });

  test('GIVEN every component THEN kinds are unique, and keys are unique within a provider', () => {
    const kinds = COMPONENTS.map((c) => c.kind);
    expect(new Set(kinds).size).toBe(kinds.length);
    const keys = COMPONENTS.map((c) => `${c.provider}.${c.key}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  test('GIVEN the providers THEN each component is listed under its own, and all are in COMPONENTS', () => {
    expect(AWS_COMPONENTS.every((c) => c.provider === 'aws')).toBe(true);
    expect(CLOUDFLARE_COMPONENTS.every((c) => c.provider === 'cloudflare')).toBe(true);
    expect(PROVIDERS.flatMap((p) => componentsOf(p))).toEqual([...COMPONENTS]);
  });

  test.each<[string, readonly AnyComponent[], string[]]>([
    ['AWS', AWS_COMPONENTS, Object.keys(AWS_KEYS)],
    ['Cloudflare', CLOUDFLARE_COMPONENTS, Object.keys(CLOUDFLARE_KEYS)],
  ])('GIVEN the %s components THEN together they resolve every key of the desired part but the provider\'s own, each key by one component', (_what, components, expected) => {
    const sets = components.map(resolvedKeys);
    const all = sets.flatMap((s) => [...s]);
    expect([...new Set(all)].sort()).toEqual([...expected].sort());
    expect(all).toHaveLength(new Set(all).size);
  });

  test.each(COMPONENTS.map((c) => [c.kind, c] as const))('GIVEN %s THEN some example estate has items of it (so its identity tables compare something)', (_kind, c) => {
    const counts = estates.flatMap(({ estate }) => supportedModeStates(estate).map((s) => {
      const part = partOf(resolve(estate, s), c);
      return part ? c.items(part).length : 0;
    }));
    expect(Math.max(...counts)).toBeGreaterThan(0);
  });
});
