/**
 * Properties of the model over generated estates (fast-check): at least 1,000 valid estates, every
 * pair of the mode states each supports. A smaller sample goes through full CDK synthesis.
 */
import fc from 'fast-check';
import { fullDiff, ResourceImpact } from '@aws-cdk/cloudformation-diff';
import { applicationsOf } from '../../modes/components/aws/beanstalk';
import type { DesiredState } from '../../modes/desired';
import { COMPONENTS } from '../../modes/registry';
import { invariantViolations, partOf, resolve, servingColour } from '../../modes/resolve';
import type { Estate } from '../../modes/schema';
import { supportedModeStates } from '../../modes/state';
import { diffPulumi, unsafeChanges } from '../../modes/diff';
import { diffStacks } from '../../stacks/aws/diff';
import { REPLACE_ON_CHANGE } from '../../stacks/cloudflare/replacement';
import { cloudflareResources } from '../../stacks/cloudflare/preview';
import { synthAws } from '../../stacks/aws/synth';
import { estateArbitrary } from '../support/arbitrary';

/**
 * What identifies each component: the properties whose change replaces a resource (names, ports,
 * prefixes, snapshot ids, record names and types), from each registered component's identity(), so
 * a new component is covered without editing this test. It must be identical in every mode.
 */
function identity(d: DesiredState): unknown {
  return Object.fromEntries(
    COMPONENTS.map((c) => {
      const part = partOf(d, c);
      return [`${c.provider}.${c.kind}`, part ? c.items(part).map((item: unknown) => c.identity(item)) : undefined];
    }),
  );
}

function dnsTargetsExist(estate: Estate, d: DesiredState): string[] {
  const missing: string[] = [];
  const colours = new Set(d.aws?.beanstalk?.environments.map((e) => e.colour));
  for (const r of [...(d.aws?.dns?.records ?? []), ...(d.cloudflare?.records ?? [])]) {
    const t = r.target;
    if (t.kind === 'beanstalk' && !colours.has(t.colour)) missing.push(`${r.name} -> beanstalk ${t.colour}`);
    if (t.kind === 'loadBalancer' && !estate.aws?.loadBalancer) missing.push(`${r.name} -> load balancer`);
    if (t.kind === 'downPage' && t.value !== d.cloudflare?.downPage?.pagesDomain) missing.push(`${r.name} -> ${t.value}`);
    if ('value' in t && !t.value) missing.push(`${r.name} -> empty`);
  }
  return missing;
}

const RUNS = 1000;

describe(`model properties over ${RUNS} generated estates`, () => {
  test('resolve never throws, keeps every invariant, and every mode of an estate has the same identities', () => {
    fc.assert(
      fc.property(estateArbitrary, (estate) => {
        const states = supportedModeStates(estate);
        expect(states.length).toBeGreaterThanOrEqual(2);
        const desired = states.map((s) => resolve(estate, s));
        const base = JSON.stringify(identity(desired[0]!));
        desired.forEach((d, i) => {
          const state = states[i]!;
          expect(invariantViolations(d)).toEqual([]);
          // every pair of modes: nothing stateful replaced or removed (identities never change)
          expect(JSON.stringify(identity(d))).toBe(base);
          expect(dnsTargetsExist(estate, d)).toEqual([]);
          const envs = d.aws?.beanstalk?.environments ?? [];
          if (applicationsOf(estate.aws?.beanstalk).some(({ app }) => app.paymentSecret)) {
            expect(envs.filter((e) => e.holdsPaymentSecret).map((e) => e.colour)).toEqual([servingColour(state)]);
          } else {
            expect(envs.some((e) => e.holdsPaymentSecret)).toBe(false);
          }
        });
        // round trip: leaving a mode gives back exactly what was there before entering it
        const json = desired.map((d) => JSON.stringify(d));
        states.forEach((s, i) => {
          for (const t of states) {
            resolve(estate, t);
            if (JSON.stringify(resolve(estate, s)) !== json[i]) throw new Error(`round trip through ${t.mode} changed ${s.mode}`);
          }
        });
      }),
      { numRuns: RUNS, seed: 20261122 },
    );
  });
});

describe('a sample of generated estates through full CDK synthesis', () => {
  test('no mode switch replaces or removes a resource, and round trips are byte-identical', () => {
    fc.assert(
      fc.property(
        estateArbitrary.filter((e) => !!e.aws),
        (estate) => {
          const states = supportedModeStates(estate);
          const templates = states.map((s) => synthAws(estate, s).stacks);
          // the CLI's safety gate agrees: every pair of modes is safe
          for (const a of templates) for (const b of templates) expect(unsafeChanges(diffStacks(a, b).flatMap((d) => d.changes))).toEqual([]);
          for (let i = 1; i < templates.length; i++) {
            templates[0]!.forEach((stack, k) => {
              for (const [a, b] of [[stack.template, templates[i]![k]!.template], [templates[i]![k]!.template, stack.template]]) {
                fullDiff(a, b).resources.forEachDifference((id, c) => {
                  const bad = c.isRemoval || c.isAddition || [ResourceImpact.WILL_REPLACE, ResourceImpact.MAY_REPLACE, ResourceImpact.WILL_DESTROY].includes(c.changeImpact);
                  if (bad) throw new Error(`${estate.name}: ${id} ${c.resourceType} ${c.changeImpact}`);
                });
              }
            });
          }
          expect(JSON.stringify(synthAws(estate, states[0]!).stacks)).toBe(JSON.stringify(templates[0]));
        },
      ),
      { numRuns: 12, seed: 7 },
    );
  });
});

const SECRET = 'PROPERTY-SECRET-5f4e3d2c1b0a99887766554433221100';

describe('a sample of generated estates through the Pulumi program', () => {
  test('URNs never change, no pair of modes is unsafe, round trips are identical and the secret never shows', async () => {
    await fc.assert(
      fc.asyncProperty(
        estateArbitrary.filter((e) => !!e.cloudflare),
        async (estate) => {
          const states = supportedModeStates(estate);
          const rendered = [];
          for (const s of states) rendered.push(await cloudflareResources(estate, s, { bypassSecret: SECRET }));
          const urns = JSON.stringify(rendered[0]!.map((r) => r.urn));
          for (const r of rendered) {
            expect(JSON.stringify(r.map((x) => x.urn))).toBe(urns);
            expect(JSON.stringify(r)).not.toContain(SECRET);
          }
          for (const a of rendered) for (const b of rendered) expect(unsafeChanges(diffPulumi(a, b, REPLACE_ON_CHANGE))).toEqual([]);
          expect(JSON.stringify(await cloudflareResources(estate, states[0]!, { bypassSecret: SECRET }))).toBe(JSON.stringify(rendered[0]));
        },
      ),
      { numRuns: 15, seed: 11 },
    );
  });
});
