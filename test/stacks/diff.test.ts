/**
 * stacks/diff.ts: how the two-engine diff classifies changes (pure tables), and that importing it
 * loads no engine.
 */
import type { ResourceChange } from '../../modes/diff';
import { classifyChanges, unsafeReason, type StackChanges } from '../../stacks/diff';
import { enginesLoadedAfter } from '../support/engines-loaded';

const change = (over: Partial<ResourceChange> & Pick<ResourceChange, 'id'>): ResourceChange => ({ type: 'T', action: 'modify', replacement: false, properties: [], ...over });

describe('unsafeReason', () => {
  test.each<[string, string, ResourceChange]>([
    ['a removal', 'would be removed', change({ id: 'a', action: 'remove' })],
    ['a replacement with its cause', 'would be replaced (Name changed)', change({ id: 'a', replacement: true, replacedBecause: ['Name'] })],
    ['a replacement with two causes', 'would be replaced (zoneId, name changed)', change({ id: 'a', replacement: true, replacedBecause: ['zoneId', 'name'] })],
    ['a replacement without a known cause', 'would be replaced (replacement)', change({ id: 'a', replacement: true, replacedBecause: [] })],
  ])('GIVEN %s THEN %s', (_what, reason, c) => {
    expect(unsafeReason(c)).toBe(reason);
  });
});

describe('classifyChanges', () => {
  const inPlace = change({ id: 'in-place' });
  const added = change({ id: 'added', action: 'add' });
  const replaced = change({ id: 'replaced', replacement: true, replacedBecause: ['Name'] });
  const removed = change({ id: 'removed', action: 'remove' });
  const upgrade = change({ id: 'upgrade', type: 'AWS::RDS::DBInstance', disruptiveBecause: ['EngineVersion'] });
  // A replacement that would also have been disruptive is unsafe, not disruptive.
  const replacedUpgrade = change({ id: 'replaced-upgrade', replacement: true, replacedBecause: ['Port'], disruptiveBecause: ['EngineVersion'] });

  test.each<[string, StackChanges[], { unsafe: [string, string, string][]; disruptive: [string, string, readonly string[]][] }]>([
    ['nothing', [], { unsafe: [], disruptive: [] }],
    ['in-place changes and additions', [{ provider: 'aws', stack: 's', changes: [inPlace, added] }], { unsafe: [], disruptive: [] }],
    [
      'a replacement and a removal on both engines, in stack order',
      [
        { provider: 'aws', stack: 'shop-aws', changes: [inPlace, replaced] },
        { provider: 'aws', stack: 'shop-db', changes: [removed] },
        { provider: 'cloudflare', stack: 'production', changes: [replaced, added] },
      ],
      {
        unsafe: [
          ['aws', 'shop-aws', 'replaced'],
          ['aws', 'shop-db', 'removed'],
          ['cloudflare', 'production', 'replaced'],
        ],
        disruptive: [],
      },
    ],
    ['a disruptive in-place change', [{ provider: 'aws', stack: 's', changes: [upgrade, inPlace] }], { unsafe: [], disruptive: [['aws', 'upgrade', ['EngineVersion']]] }],
    ['a replacement that is also disruptive', [{ provider: 'aws', stack: 's', changes: [replacedUpgrade] }], { unsafe: [['aws', 's', 'replaced-upgrade']], disruptive: [] }],
  ])('GIVEN %s THEN the unsafe and disruptive changes are listed', (_what, stacks, expected) => {
    const got = classifyChanges(stacks);
    expect(got.unsafe.map((u) => [u.provider, u.stack, u.change.id])).toEqual(expected.unsafe);
    expect(got.disruptive.map((d) => [d.provider, d.change.id, d.because])).toEqual(expected.disruptive);
    for (const u of got.unsafe) expect(u.reason).toBe(unsafeReason(u.change));
  });
});

describe('lazy loading', () => {
  test('GIVEN stacks/diff.ts WHEN imported THEN no engine is loaded before diffEngines runs', () => {
    expect(enginesLoadedAfter("require('./stacks/diff.ts');")).toEqual([]);
  });

  test('GIVEN the engine modules it loads lazily WHEN required THEN the probe sees them (so the test above can fail)', () => {
    expect(enginesLoadedAfter("require('./stacks/aws/diff.ts');")).toContain('@aws-cdk/cloudformation-diff');
  });
});
