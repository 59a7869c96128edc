import * as pulumi from '@pulumi/pulumi';
import { GATE_SECRET_BINDING } from '../../../../modes/gate-contract';
import { resolve } from '../../../../modes/resolve';
import type { ModeState } from '../../../../modes/schema';
import { gateBindings } from '../../../../stacks/cloudflare/components/gate';
import { estateNamed, TEST_SECRET } from '../cases';

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
