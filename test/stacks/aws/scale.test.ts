import { fleetEstate } from '../../../bench/fleet';
import { DrawbridgeError } from '../../../modes/errors';
import type { ModeState } from '../../../modes/schema';
import { MAX_RESOURCES } from '../../../stacks/aws/app';
import { diffStacks } from '../../../stacks/aws/diff';
import { synthAws } from '../../../stacks/aws/synth';

const normal: ModeState = { mode: 'normal', live: 'blue', hardDown: false };
const maintenance: ModeState = { ...normal, mode: 'maintenance' };

describe('estates past one stack', () => {
  test('GIVEN 50 sites split by component THEN every stack stays inside CloudFormation limits and nothing is dropped', () => {
    const estate = fleetEstate(50);
    const stacks = synthAws(estate, normal).stacks;
    expect(stacks.map((s) => s.stackName)).toEqual(['fleet-traffic', 'fleet-operations']);
    const all = stacks.flatMap((s) => Object.values(s.template.Resources as Record<string, { Type: string }>).map((r) => r.Type));
    for (const [type, count] of [['AWS::ElasticLoadBalancingV2::TargetGroup', 50], ['AWS::AutoScaling::AutoScalingGroup', 50], ['AWS::Events::Rule', 50], ['AWS::EC2::SecurityGroup', 50], ['AWS::SSM::Parameter', 50], ['AWS::Route53::RecordSet', 50]] as const) {
      expect(all.filter((t) => t === type)).toHaveLength(count);
    }
    for (const s of stacks) expect(Object.keys(s.template.Resources).length).toBeLessThanOrEqual(MAX_RESOURCES);
  });

  test('GIVEN a split estate WHEN entering maintenance THEN no resource is replaced or removed and stacks keep their resources', () => {
    const estate = fleetEstate(50);
    const changes = diffStacks(synthAws(estate, normal).stacks, synthAws(estate, maintenance).stacks).flatMap((d) => d.changes);
    expect(changes.filter((c) => c.replacement || c.action !== 'modify')).toEqual([]);
    expect(changes).toHaveLength(200);
  });

  test('GIVEN too many resources for one stack WHEN synthesized unsplit THEN it is refused with the way out', () => {
    const estate = fleetEstate(70);
    const unsplit = { ...estate, aws: { ...estate.aws!, split: 'none' as const } };
    expect(() => synthAws(unsplit, normal)).toThrow(DrawbridgeError);
    expect(() => synthAws(unsplit, normal)).toThrow(/stack fleet-aws has \d+ resources; CloudFormation allows 500: set aws.split: component in the estate/);
  });
});
