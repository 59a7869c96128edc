/**
 * What keeps a mode switch safe on AWS (DESIGN.md, "Rules that keep a mode switch safe"), for every
 * example estate in every mode state it supports and every stage of its moves (../states.ts):
 * cdk-nag passes and the logical ids are normal mode's; no switch between any two of those states
 * replaces or removes a resource; and a state's templates are the same however the process got
 * there. A database still to be restored (`restored: false`) is the one resource a move adds: the
 * restore stage creates it, and nothing after that, the way back included, may remove it.
 */
import { fullDiff, ResourceImpact } from '@aws-cdk/cloudformation-diff';
import { exists } from '../../../modes/components/aws/databases';
import { keepingStateful } from '../../../modes/plan/legs';
import type { Estate, ModeState } from '../../../modes/schema';
import { modeStateSlug } from '../../../modes/state';
import { parseModeWord } from '../../../modes/words';
import { logicalId } from '../../../stacks/aws/names';
import { synthAws, type SynthesizedStack } from '../../../stacks/aws/synth';
import { diffEngines } from '../../../stacks/diff';
import { estateNamed, estates } from '../../support/estates';
import { normalOf, stagedStates } from '../states';

// cdk-nag runs on every synthesis (it throws on a finding); aws-cdk-lib's own template checks only
// warn, and the snapshot tests run them.
const cache = new Map<string, readonly SynthesizedStack[]>();
function synth(estate: Estate, state: ModeState): readonly SynthesizedStack[] {
  const key = `${estate.name}${estate.aws?.databases.some((d) => d.restored === true) ? ' (restored)' : ''}/${modeStateSlug(state)}`;
  if (!cache.has(key)) cache.set(key, synthAws(estate, state, { builtinValidation: false }).stacks);
  return cache.get(key)!;
}
const resourceIds = (stacks: readonly SynthesizedStack[]) => stacks.map((s) => `${s.stackName}: ${Object.keys(s.template.Resources).sort().join(' ')}`);

const withAws = estates.filter(({ estate }) => !!estate.aws).map(({ estate }): [string, Estate] => [estate.name, estate]);
const stateCases = withAws.flatMap(([name, estate]) => stagedStates(estate).map((s): [string, string, Estate, ModeState] => [name, modeStateSlug(s), estate, s]));

/** Databases the estate declares still to be restored (created by the restore stage of the cutover to their colour). */
const pendingDatabases = (estate: Estate) => (estate.aws?.databases ?? []).filter((d) => d.restored === false);
/** A template's logical ids that belong to the database `id` (the instance, its subnet group and security group). */
const ofDatabase = (ids: readonly string[], id: string) => ids.filter((r) => r.includes(logicalId('Database', id)));

/** Resources the change from `a` to `b` replaces, removes or may replace, as `id (type): impact`. */
function unsafe(a: readonly SynthesizedStack[], b: readonly SynthesizedStack[]): string[] {
  expect(b.map((s) => s.stackName)).toEqual(a.map((s) => s.stackName));
  return a.flatMap((stack, i) => {
    const out: string[] = [];
    fullDiff(stack.template, b[i]!.template).resources.forEachDifference((id, change) => {
      if (change.isRemoval || [ResourceImpact.WILL_REPLACE, ResourceImpact.MAY_REPLACE, ResourceImpact.WILL_DESTROY, ResourceImpact.WILL_ORPHAN].includes(change.changeImpact)) {
        out.push(`${id} (${change.resourceType}): ${change.changeImpact}`);
      }
    });
    return out;
  });
}

test('GIVEN the example estates THEN the states include every stage of each kind of move, and a database still to be restored', () => {
  const slugs = stateCases.map(([name, slug]) => `${name} ${slug}`);
  for (const expected of ['shop maintenance-blue-ahead', 'shop maintenance-blue-hard-down-page', 'shop normal-blue-hard-down-behind', 'ticketing normal-blue-page', 'bridge cutover-blue-green-restore', 'rolling cutover-green-blue-prepare']) {
    expect(slugs).toContain(expected);
  }
  expect(withAws.filter(([, e]) => pendingDatabases(e).length).map(([name]) => name)).toEqual(['bridge']);
});

describe('in every state and stage', () => {
  test.each(stateCases)('GIVEN %s %s WHEN synthesized THEN cdk-nag passes and the logical ids are normal mode\'s, plus a database still to be restored where it exists', (_n, _s, estate, state) => {
    const base = synth(estate, normalOf(estate));
    const here = synth(estate, state);
    // the resources of normal mode are all there, and only the restored databases' come and go
    const extra = pendingDatabases(estate).filter((d) => exists(d, state) && !exists(d, normalOf(estate)));
    const expected = base.map((s, i) => {
      const ids = Object.keys(here[i]?.template.Resources ?? {});
      return `${s.stackName}: ${[...Object.keys(s.template.Resources), ...extra.flatMap((d) => ofDatabase(ids, d.id))].sort().join(' ')}`;
    });
    expect(resourceIds(here)).toEqual(expected);
    // a database that exists has its instance, subnet group and security group
    for (const d of extra) expect(ofDatabase(Object.keys(here[0]!.template.Resources), d.id)).toHaveLength(3);
  });
});

describe('no mode switch replaces or removes a resource', () => {
  // Between any two states (a move, its stages, the way back, or a jump the CLI allows). `to` is
  // rendered in the estate the plan deploys (modes/plan/legs.ts, keepingStateful): a database the
  // cutover restored stays, marked restored: the way back never removes what the way in created.
  test.each(stateCases)('GIVEN %s %s WHEN the estate moves from it to any other state THEN cloudformation-diff replaces and removes nothing', (_n, fromSlug, estate, from) => {
    const before = synth(estate, from);
    const kept = keepingStateful(estate, from);
    const problems = stagedStates(estate)
      .filter((to) => modeStateSlug(to) !== fromSlug)
      .flatMap((to) => unsafe(before, synth(kept, to)).map((u) => `-> ${modeStateSlug(to)}: ${u}`));
    expect(problems).toEqual([]);
  });

  test('GIVEN a renamed target group WHEN diffed THEN cloudformation-diff reports a replacement (the check can fail)', () => {
    const shop = estateNamed('shop');
    const renamed: Estate = { ...shop, aws: { ...shop.aws!, targetGroups: shop.aws!.targetGroups.map((t) => (t.id === 'web-blue' ? { ...t, name: 'shop-web-v2' } : t)) } };
    const before = synth(shop, normalOf(shop));
    const after = synthAws(renamed, normalOf(shop), { builtinValidation: false }).stacks;
    expect(unsafe(before, after)).toEqual([expect.stringMatching(/^TrafficTargetGroupWebBlue\w+ \(AWS::ElasticLoadBalancingV2::TargetGroup\): WILL_REPLACE$/)]);
  });
});

describe('round trip', () => {
  test.each(withAws)('GIVEN %s WHEN every state and stage is synthesized in one process THEN normal mode gives back byte-identical templates after each', (_name, estate) => {
    const normal = normalOf(estate);
    const first = JSON.stringify(synthAws(estate, normal, { builtinValidation: false }).stacks);
    const seen = new Set<string>();
    for (const state of stagedStates(estate)) {
      seen.add(JSON.stringify(synthAws(estate, state, { builtinValidation: false }).stacks));
      expect([modeStateSlug(state), JSON.stringify(synthAws(estate, normal, { builtinValidation: false }).stacks)]).toEqual([modeStateSlug(state), first]);
    }
    // (and the states did change the templates, so the round trip was through something)
    expect(seen.size).toBeGreaterThan(1);
  });

  test.each(withAws)('GIVEN %s WHEN it enters and leaves maintenance stage by stage THEN each stage changes only in place and normal mode comes back byte-identical', (_name, estate) => {
    const path = ['normal@blue', 'maintenance:ahead@blue', 'maintenance:page@blue', 'maintenance@blue', 'normal:behind@blue', 'normal:page@blue', 'normal@blue'].map((w) => parseModeWord(w, estate));
    const rendered = path.map((s) => synthAws(estate, s, { builtinValidation: false }).stacks);
    for (let i = 1; i < rendered.length; i++) expect([modeStateSlug(path[i]!), unsafe(rendered[i - 1]!, rendered[i]!)]).toEqual([modeStateSlug(path[i]!), []]);
    expect(JSON.stringify(rendered[rendered.length - 1])).toBe(JSON.stringify(rendered[0]));
    expect(JSON.stringify(rendered[3])).not.toBe(JSON.stringify(rendered[0]));
  });
});

describe('a database still to be restored (bridge, runbook 004: green restored from the snapshot taken after the freeze)', () => {
  const bridge = estateNamed('bridge');
  const at = (word: string) => parseModeWord(word, bridge);
  const green = (stacks: readonly SynthesizedStack[]) => Object.values(stacks[0]!.template.Resources as Record<string, { Type: string; Properties: Record<string, unknown> }>).filter((r) => r.Type === 'AWS::RDS::DBInstance' && r.Properties.DBInstanceIdentifier === 'cobalt-production-green');

  test.each<[string, boolean]>([
    ['normal@blue', false],
    ['cutover:prepare@blue->green', false],
    ['cutover:freeze@blue->green', false],
    ['cutover:restore@blue->green', true],
    ['cutover@blue->green', true],
    ['normal@green', true],
    ['maintenance@green', true],
    ['cutover:freeze@green->blue', true],
    ['cutover@green->blue', true],
  ])('GIVEN the committed estate WHEN synthesized at %s THEN cobalt-production-green exists: %s', (word, present) => {
    expect(green(synth(bridge, at(word)))).toHaveLength(present ? 1 : 0);
  });

  test('GIVEN the cutover to green stage by stage and on to the fail-back WHEN each step is diffed THEN the database is added by the restore stage and never removed or replaced after it', () => {
    const path = ['normal@blue', 'cutover:prepare@blue->green', 'cutover:freeze@blue->green', 'cutover:restore@blue->green', 'cutover@blue->green', 'normal@green', 'cutover:freeze@green->blue', 'cutover@green->blue'].map(at);
    const added: string[] = [];
    for (let i = 1; i < path.length; i++) {
      const [a, b] = [synth(bridge, path[i - 1]!), synth(bridge, path[i]!)];
      expect([modeStateSlug(path[i]!), unsafe(a, b)]).toEqual([modeStateSlug(path[i]!), []]);
      fullDiff(a[0]!.template, b[0]!.template).resources.forEachDifference((_id, c) => c.isAddition && added.push(`${modeStateSlug(path[i]!)} ${c.newResourceType}`));
    }
    expect(added.sort()).toEqual(['cutover-blue-green-restore AWS::EC2::SecurityGroup', 'cutover-blue-green-restore AWS::RDS::DBInstance', 'cutover-blue-green-restore AWS::RDS::DBSubnetGroup']);
  });

  test.each(['cutover:restore@blue->green', 'cutover@blue->green', 'normal@green'])(
    'GIVEN %s WHEN the way back to blue is synthesized in the estate the plan deploys (restored: true) THEN the database stays, unchanged',
    (word) => {
      const kept = keepingStateful(bridge, at(word));
      expect(kept.aws!.databases.find((d) => d.id === 'production-green')!.restored).toBe(true);
      for (const back of ['normal@blue', 'maintenance@blue']) {
        const stacks = synth(kept, at(back));
        expect(green(stacks)).toEqual(green(synth(bridge, at(word))));
        expect(unsafe(synth(bridge, at(word)), stacks)).toEqual([]);
      }
    },
  );

  // The engines render the committed estate: until restored: true is committed there (the plan's warning), a state
  // without green live reads as "before the cutover" and drops the database. The safety gate must catch it.
  test.each([
    ['the way back from the restore stage', 'cutover:restore@blue->green'],
    ['completing a later cutover back to blue', 'cutover@green->blue'],
  ])('GIVEN the committed estate still saying restored: false WHEN drawbridge diff compares %s (%s -> normal@blue) THEN it calls the removal of the database unsafe', async (_what, from) => {
    const diff = await diffEngines({ fromEstate: bridge, from: at(from), estate: bridge, to: at('normal@blue'), pulumiStack: 'test' });
    expect(diff.safe).toBe(false);
    expect(diff.unsafe.map((u) => `${u.change.type} ${u.reason}`).sort()).toEqual(['AWS::EC2::SecurityGroup would be removed', 'AWS::RDS::DBInstance would be removed', 'AWS::RDS::DBSubnetGroup would be removed']);
  });
});
