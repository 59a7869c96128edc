import fc from 'fast-check';
import { diffPulumi, formatPulumiChanges, MASK, maskSecrets, propertyChanges, unsafeChanges, type PropertyChange, type PulumiResource, type ReplaceTable } from '../../modes/diff';

const SCRIPT = 'cloudflare:index/workersScript:WorkersScript';
const RECORD = 'cloudflare:index/dnsRecord:DnsRecord';
const TABLE: ReplaceTable = { [SCRIPT]: ['accountId', 'scriptName'], [RECORD]: ['zoneId'] };

const resource = (name: string, type: string, inputs: Record<string, unknown>): PulumiResource => ({ urn: `urn:pulumi:test::drawbridge::${type}::${name}`, type, name, inputs });

const gate = (maintenance: string, extra: Record<string, unknown> = {}) =>
  resource('shop-gate', SCRIPT, {
    accountId: 'a'.repeat(32),
    scriptName: 'shop-gate',
    bindings: [
      { name: 'MAINTENANCE', type: 'plain_text', text: maintenance },
      { name: 'BYPASS_SECRET', type: 'secret_text', text: 'hunter2-hunter2-hunter2-hunter2-x' },
    ],
    ...extra,
  });

describe('propertyChanges', () => {
  test.each<[string, unknown, unknown, PropertyChange[]]>([
    ['a scalar', { HealthCheckPath: '/healthz' }, { HealthCheckPath: '/m' }, [{ path: 'HealthCheckPath', old: '/healthz', new: '/m' }]],
    ['an added key', {}, { State: 'ENABLED' }, [{ path: 'State', new: 'ENABLED' }]],
    ['a removed key', { State: 'ENABLED' }, {}, [{ path: 'State', old: 'ENABLED' }]],
    ['a named list element', { bindings: [{ name: 'A', text: '0' }, { name: 'B', text: 'x' }] }, { bindings: [{ name: 'B', text: 'x' }, { name: 'A', text: '1' }] }, [{ path: 'bindings[A].text', old: '0', new: '1' }]],
    ['a list of scalars of the same length', { a: [1, 2] }, { a: [1, 3] }, [{ path: 'a[1]', old: 2, new: 3 }]],
    ['a list that shrinks', { SecurityGroupIngress: [{ FromPort: 5432 }] }, { SecurityGroupIngress: [] }, [{ path: 'SecurityGroupIngress', old: [{ FromPort: 5432 }], new: [] }]],
    ['a reordered named list', { l: [{ name: 'A' }, { name: 'B' }] }, { l: [{ name: 'B' }, { name: 'A' }] }, [{ path: 'l order', old: ['A', 'B'], new: ['B', 'A'] }]],
    ['nothing', { a: { b: [1] } }, { a: { b: [1] } }, []],
  ])('GIVEN %s WHEN compared THEN the leaf changes are listed', (_what, a, b, expected) => {
    expect(propertyChanges(a, b)).toEqual(expected);
  });

  test('GIVEN a secret binding or a credential-like key WHEN compared THEN values are masked', () => {
    const changes = propertyChanges(
      { bindings: [{ name: 'BYPASS_SECRET', type: 'secret_text', text: 'old-secret' }], apiToken: 'tok-1' },
      { bindings: [{ name: 'BYPASS_SECRET', type: 'secret_text', text: 'new-secret' }], apiToken: 'tok-2' },
    );
    expect(JSON.stringify(changes)).not.toMatch(/old-secret|new-secret|tok-1|tok-2/);
    expect(changes).toEqual([]);
  });

  test('GIVEN ARNs under credential-like keys WHEN masked THEN they stay readable (an ARN names a secret, it is not one)', () => {
    expect(maskSecrets({ secretArn: 'arn:aws:secretsmanager:eu-west-2:1:secret:x', password: 'p' })).toEqual({ secretArn: 'arn:aws:secretsmanager:eu-west-2:1:secret:x', password: MASK });
  });

  test('GIVEN any two JSON values WHEN compared THEN they have no changes exactly when they are equal', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
        expect(propertyChanges(a, a)).toEqual([]);
        const same = JSON.stringify(a) === JSON.stringify(b);
        expect(propertyChanges(a, b).length === 0).toBe(same);
      }),
    );
  });
});

describe('diffPulumi', () => {
  test('GIVEN a mode change on the gate WHEN diffed THEN it is one in-place update of one binding, secret masked', () => {
    const changes = diffPulumi([gate('0')], [gate('1')], TABLE);
    expect(changes).toEqual([{ id: gate('0').urn, type: SCRIPT, action: 'modify', replacement: false, properties: [{ path: 'bindings[MAINTENANCE].text', old: '0', new: '1' }] }]);
    expect(unsafeChanges(changes)).toEqual([]);
  });

  test.each<[string, PulumiResource[], PulumiResource[], Partial<{ action: string; replacement: boolean; replacedBecause: string[] }>]>([
    ['a renamed Worker', [gate('0')], [gate('0', { scriptName: 'shop-gate-2' })], { action: 'modify', replacement: true, replacedBecause: ['scriptName'] }],
    ['a record moved to another zone', [resource('www', RECORD, { zoneId: 'z1', content: 'a' })], [resource('www', RECORD, { zoneId: 'z2', content: 'a' })], { action: 'modify', replacement: true, replacedBecause: ['zoneId'] }],
    ['a record that is gone', [resource('www', RECORD, { zoneId: 'z1' })], [], { action: 'remove', replacement: false }],
    ['a new record', [], [resource('www', RECORD, { zoneId: 'z1' })], { action: 'add', replacement: false }],
  ])('GIVEN %s WHEN diffed THEN the change is %j', (_what, before, after, expected) => {
    const [change] = diffPulumi(before, after, TABLE);
    expect(change).toMatchObject(expected);
    expect(unsafeChanges([change!]).length).toBe(expected.replacement || expected.action === 'remove' ? 1 : 0);
  });

  test('GIVEN any inputs WHEN one replace-forcing input changes THEN the change is a replacement, else it is not', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom('content', 'proxied', 'ttl', 'comment'), fc.jsonValue()), fc.string(), fc.string(), (inputs, z1, z2) => {
        const [change] = diffPulumi([resource('r', RECORD, { ...inputs, zoneId: z1 })], [resource('r', RECORD, { ...inputs, zoneId: z2 })], TABLE);
        if (z1 === z2) expect(change).toBeUndefined();
        else expect(change).toMatchObject({ action: 'modify', replacement: true, replacedBecause: ['zoneId'] });
      }),
    );
  });

  test('GIVEN changes WHEN formatted THEN it reads like a Pulumi preview', () => {
    const text = formatPulumiChanges(diffPulumi([gate('0')], [gate('1', { scriptName: 'x' })], TABLE));
    expect(text).toContain(`+- ${SCRIPT} shop-gate replace (scriptName changed)`);
    expect(text).toContain('bindings[MAINTENANCE].text: "0" => "1"');
    expect(text).toContain('scriptName: "shop-gate" => "x" (forces replacement)');
    expect(text).toContain('Resources: 1 to replace');
    expect(text).not.toContain('hunter2');
    expect(formatPulumiChanges([])).toBe('There were no differences\n');
  });
});
