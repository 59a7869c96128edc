/**
 * A fleet past one traffic stack's limits (issue 15): its target groups, rules and records are cut
 * into several traffic stacks beside the operations chunks. Every stack stays inside
 * CloudFormation's limits (outputs count the exports the cross-stack references make), entering
 * maintenance changes everything in place, and no resource changes stack with the mode.
 *
 * 250 sites already need three traffic stacks (the first one full of exports, the second of
 * resources) and four operations stacks, at half the time of the 500 sites bench/fleet.ts
 * measures (and checks the same way): 500 took about 20 s here on two cores.
 */
import { fleetEstate } from '../../../bench/fleet';
import type { ModeState } from '../../../modes/schema';
import { supportedModeStates } from '../../../modes/state';
import { MAX_OUTPUTS, MAX_PARAMETERS, MAX_RESOURCES, MAX_TEMPLATE_BYTES } from '../../../stacks/aws/app';
import { diffStacks } from '../../../stacks/aws/diff';
import { synthAws, type SynthesizedStack } from '../../../stacks/aws/synth';

const SITES = 250;
const estate = fleetEstate(SITES);
const states = supportedModeStates(estate);
const synthesized = new Map<ModeState, readonly SynthesizedStack[]>(states.map((s) => [s, synthAws(estate, s, { builtinValidation: false }).stacks]));
const [normal, maintenance] = states as [ModeState, ModeState];
const stacksOf = (s: ModeState) => synthesized.get(s)!;
const count = (t: SynthesizedStack, key: 'Resources' | 'Outputs' | 'Parameters') => Object.keys(t.template[key] ?? {}).length;

describe(`a fleet of ${SITES} sites split by component`, () => {
  test('GIVEN the fleet THEN its traffic part is cut into several traffic stacks beside the operations chunks', () => {
    const names = stacksOf(normal).map((s) => s.stackName);
    expect(names.filter((n) => /^fleet-traffic(-\d+)?$/.test(n)).length).toBeGreaterThanOrEqual(3);
    expect(names.filter((n) => /^fleet-operations(-\d+)?$/.test(n)).length).toBeGreaterThan(1);
    expect(names.every((n) => /^fleet-(traffic|operations)(-\d+)?$/.test(n))).toBe(true);
  });

  test.each(states.map((s) => [`${s.mode}@${s.live}`, s] as const))('GIVEN %s THEN every stack is inside CloudFormation limits', (_word, state) => {
    for (const s of stacksOf(state)) {
      expect([s.stackName, count(s, 'Resources') <= MAX_RESOURCES]).toEqual([s.stackName, true]);
      expect([s.stackName, count(s, 'Outputs') <= MAX_OUTPUTS]).toEqual([s.stackName, true]);
      expect([s.stackName, count(s, 'Parameters') <= MAX_PARAMETERS]).toEqual([s.stackName, true]);
      expect([s.stackName, Buffer.byteLength(JSON.stringify(s.template)) <= MAX_TEMPLATE_BYTES]).toEqual([s.stackName, true]);
    }
  });

  test('GIVEN the fleet THEN every site has each of its resources exactly once, across the stacks', () => {
    const types = stacksOf(normal).flatMap((s) => Object.values(s.template.Resources as Record<string, { Type: string }>).map((r) => r.Type));
    for (const type of [
      'AWS::ElasticLoadBalancingV2::TargetGroup',
      'AWS::ElasticLoadBalancingV2::ListenerRule',
      'AWS::Route53::RecordSet',
      'AWS::AutoScaling::AutoScalingGroup',
      'AWS::Events::Rule',
      'AWS::EC2::SecurityGroup',
      'AWS::SSM::Parameter',
    ]) {
      expect([type, types.filter((t) => t === type).length]).toEqual([type, SITES]);
    }
    expect(types.filter((t) => t === 'AWS::ElasticLoadBalancingV2::Listener')).toHaveLength(1);
  });

  test('GIVEN the later traffic stacks THEN their rules import the one listener, and the operations stacks import the target groups', () => {
    const stacks = stacksOf(normal);
    const imports = (s: SynthesizedStack) => JSON.stringify(s.template).match(/"Fn::ImportValue":"[^"]+"/g) ?? [];
    const exported = new Set(stacks.flatMap((s) => Object.values((s.template.Outputs ?? {}) as Record<string, { Export: { Name: string } }>).map((o) => o.Export.Name)));
    const imported = new Set(stacks.flatMap(imports).map((i) => i.slice('"Fn::ImportValue":"'.length, -1)));
    // Every export is imported somewhere and every import is some stack's export.
    expect([...imported].sort()).toEqual([...exported].sort());
    const [first, ...later] = stacks.filter((s) => /^fleet-traffic(-\d+)?$/.test(s.stackName)).sort((a, b) => a.stackName.localeCompare(b.stackName, 'en', { numeric: true }));
    expect(first!.stackName).toBe('fleet-traffic');
    expect(imports(first!)).toEqual([]);
    for (const s of later) for (const i of imports(s)) expect(i).toMatch(/^"Fn::ImportValue":"fleet-traffic:/);
  });

  test('GIVEN normal WHEN entering maintenance THEN nothing is replaced, removed or added: every site changes in place', () => {
    const changes = diffStacks(stacksOf(normal), stacksOf(maintenance)).flatMap((d) => d.changes);
    expect(changes.filter((c) => c.replacement || c.action !== 'modify')).toEqual([]);
    // Each site's target group health check, job, database access and flag.
    expect(changes).toHaveLength(4 * SITES);
  });

  test('GIVEN every mode state THEN each resource is in the same stack in every one', () => {
    const placement = (s: ModeState) => Object.fromEntries(stacksOf(s).flatMap((st) => Object.keys(st.template.Resources).map((id) => [id, st.stackName])));
    const first = placement(states[0]!);
    expect(Object.keys(first)).toHaveLength(stacksOf(states[0]!).reduce((n, s) => n + count(s, 'Resources'), 0));
    for (const s of states.slice(1)) expect(placement(s)).toEqual(first);
  });
});
