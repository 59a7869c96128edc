import * as pulumi from '@pulumi/pulumi';
import { GATE_SECRET_BINDING } from '../../../../modes/gate-contract';
import { resolve } from '../../../../modes/resolve';
import type { ModeState } from '../../../../modes/schema';
import { gateBindings } from '../../../../stacks/cloudflare/components/gate';
import { cloudflareResources } from '../../../../stacks/cloudflare/preview';
import { binding, estateNamed, only, TEST_SECRET } from '../cases';

const gateOf = (state: ModeState) => resolve(estateNamed('shop'), state).cloudflare!.gate!;

describe('gateBindings', () => {
  test.each<[string, ModeState, string, string]>([
    ['normal', { mode: 'normal', live: 'blue', hardDown: false }, '0', '0'],
    ['maintenance', { mode: 'maintenance', live: 'blue', hardDown: false }, '1', '0'],
    ['a hard-down', { mode: 'maintenance', live: 'blue', hardDown: true }, '1', '0'],
    // the source frozen read-only; then, once traffic moves, the target held behind the page while staff test it
    ['a cutover freezing its source', { mode: 'cutover', live: 'blue', target: 'green', hardDown: false, stage: 'freeze' }, '0', '1'],
    ['a cutover (stage move)', { mode: 'cutover', live: 'blue', target: 'green', hardDown: false }, '1', '0'],
  ])('GIVEN %s THEN MAINTENANCE=%s and READ_ONLY=%s, every flag plain text in model order, the bypass key last as a secret', async (_label, state, maintenance, readOnly) => {
    const gate = gateOf(state);
    const bindings = gateBindings(gate, TEST_SECRET);
    const plain = bindings.slice(0, -1);
    expect(plain.map((b) => [b.name, b.type])).toEqual(Object.keys(gate.bindings).map((name) => [name, 'plain_text']));
    expect(Object.fromEntries(plain.map((b) => [b.name, b.text]))).toMatchObject({ MAINTENANCE: maintenance, READ_ONLY: readOnly });
    const secret = bindings[bindings.length - 1]!;
    expect([secret.name, secret.type]).toEqual([GATE_SECRET_BINDING, 'secret_text']);
    expect(await pulumi.isSecret(secret.text as pulumi.Output<string>)).toBe(true);
  });
});

describe('the path lists on the WorkersScript (Pulumi mocks)', () => {
  const states: [string, ModeState][] = [
    ['normal', { mode: 'normal', live: 'blue', hardDown: false }],
    ['maintenance', { mode: 'maintenance', live: 'blue', hardDown: false }],
    ['a cutover freezing its source', { mode: 'cutover', live: 'blue', target: 'green', hardDown: false, stage: 'freeze' }],
  ];

  test('GIVEN the shop estate\'s allowPaths and apiPaths WHEN rendered in each mode THEN the script binds them as plain text, the same in every mode', async () => {
    const estate = estateNamed('shop');
    const seen: unknown[] = [];
    for (const [, state] of states) {
      const resources = await cloudflareResources(estate, state, { bypassSecret: TEST_SECRET });
      const [script] = only(resources, 'WorkersScript');
      const bindings = (script?.inputs.bindings ?? []) as { name: string; type: string; text?: unknown }[];
      const lists = bindings.filter((b) => b.name === 'ALLOW_PATHS' || b.name === 'API_PATHS');
      expect(lists).toEqual([
        { name: 'ALLOW_PATHS', type: 'plain_text', text: 'POST /webhooks/stripe,GET HEAD /assets/*' },
        { name: 'API_PATHS', type: 'plain_text', text: '/api/*' },
      ]);
      expect(binding(resources, 'HEALTH_PATHS')).toBeDefined();
      seen.push(bindings.filter((b) => b.name !== 'MAINTENANCE' && b.name !== 'READ_ONLY' && b.type === 'plain_text'));
    }
    // Only the flags change between modes: every other binding, the path lists included, is the same.
    for (const other of seen) expect(other).toEqual(seen[0]);
  });

  test('GIVEN an estate with a gate and no path lists WHEN rendered THEN both bindings are still set, empty', async () => {
    const resources = await cloudflareResources(estateNamed('makerepo'), { mode: 'maintenance', live: 'blue', hardDown: false }, { bypassSecret: TEST_SECRET });
    expect([binding(resources, 'ALLOW_PATHS'), binding(resources, 'API_PATHS')]).toEqual(['', '']);
  });
});
