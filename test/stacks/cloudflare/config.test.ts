import { DrawbridgeError } from '../../../modes/errors';
import { closestKey, parseStackConfig } from '../../../stacks/cloudflare/config';

const KEY = 'd470236485a4ad0caeb9af964430017a8d677c3eb2460ab3493819c6d350d172';
const secret = (...keys: string[]) => (key: string) => keys.includes(key);
const base = { 'drawbridge:bypassSecret': KEY };

function problems(all: Record<string, string>, isSecret = secret('drawbridge:bypassSecret')): readonly string[] {
  try {
    parseStackConfig(all, isSecret);
  } catch (e) {
    if (e instanceof DrawbridgeError) return e.problems;
    throw e;
  }
  return [];
}

describe('parseStackConfig', () => {
  test('GIVEN only the secret THEN nothing is overridden and the estate comes from cdk.json', () => {
    expect(parseStackConfig(base, secret('drawbridge:bypassSecret'))).toEqual({
      overrides: { mode: undefined, live: undefined, target: undefined, hardDown: undefined },
      bypassSecret: KEY,
    });
  });

  test.each([
    ['drawbridge:mode', 'maintenance', { mode: 'maintenance' }],
    ['drawbridge:mode', 'cutover', { mode: 'cutover' }],
    ['drawbridge:live', 'green', { live: 'green' }],
    ['drawbridge:target', 'blue', { target: 'blue' }],
    ['drawbridge:hardDown', 'true', { hardDown: 'true' }],
    ['drawbridge:hardDown', 'false', { hardDown: 'false' }],
  ])('GIVEN %s=%s THEN it is handed over as an override', (key, value, expected) => {
    expect(parseStackConfig({ ...base, [key]: value }, secret('drawbridge:bypassSecret')).overrides).toMatchObject(expected);
  });

  test('GIVEN drawbridge:estate THEN it is the estate file', () => {
    expect(parseStackConfig({ ...base, 'drawbridge:estate': 'estates/makerepo.yaml' }, secret('drawbridge:bypassSecret')).estate).toBe('estates/makerepo.yaml');
  });

  test.each([
    [{ 'drawbridge:mode': 'bogus' }, 'drawbridge:mode=bogus is not allowed; allowed values: normal, maintenance, cutover'],
    [{ 'drawbridge:mode': 'Maintenance' }, 'drawbridge:mode=Maintenance is not allowed; allowed values: normal, maintenance, cutover'],
    [{ 'drawbridge:mode': 'in maintenance' }, 'drawbridge:mode="in maintenance" is not allowed'],
    [{ 'drawbridge:live': 'red' }, 'drawbridge:live=red is not allowed; allowed values: blue, green'],
    [{ 'drawbridge:target': 'red' }, 'drawbridge:target=red is not allowed; allowed values: blue, green'],
    [{ 'drawbridge:hardDown': '1' }, 'drawbridge:hardDown=1 is not allowed; allowed values: true, false'],
    [{ 'drawbridge:hardown': 'true' }, 'drawbridge:hardown is not a Drawbridge setting (did you mean drawbridge:hardDown?)'],
    [{ 'drawbridge:region': 'eu' }, 'drawbridge:region is not a Drawbridge setting; allowed keys: drawbridge:estate, drawbridge:mode'],
  ])('GIVEN %j THEN the problem names the key, the value and what is allowed', (config, expected) => {
    expect(problems({ ...base, ...config })).toEqual([expect.stringContaining(expected)]);
  });

  test.each([
    ['not set', {}, secret(), 'drawbridge:bypassSecret is not set'],
    ['empty', { 'drawbridge:bypassSecret': '' }, secret('drawbridge:bypassSecret'), 'drawbridge:bypassSecret is not set'],
    ['in plain text', base, secret(), 'drawbridge:bypassSecret is stored in plain text'],
    ['short', { 'drawbridge:bypassSecret': 'abc' }, secret('drawbridge:bypassSecret'), 'drawbridge:bypassSecret is 3 characters; use at least 32'],
  ])('GIVEN a bypass secret %s THEN it is refused, and its value is never quoted', (_what, config, isSecret, expected) => {
    const found = problems(config, isSecret);
    expect(found).toEqual([expect.stringContaining(expected)]);
    expect(found.join('\n')).not.toContain(KEY);
  });

  test('GIVEN provider keys THEN they are left to the provider, except credentials in plain text', () => {
    expect(problems({ ...base, 'cloudflare:apiToken': 't', 'aws:region': 'eu-west-2' }, secret('drawbridge:bypassSecret', 'cloudflare:apiToken'))).toEqual([]);
    expect(problems({ ...base, 'cloudflare:apiToken': 't' })).toEqual([expect.stringContaining('cloudflare:apiToken is stored in plain text')]);
  });

  test('GIVEN several mistakes THEN all are reported at once', () => {
    expect(problems({ 'drawbridge:mode': 'x', 'drawbridge:live': 'y', 'drawbridge:foo': 'z' }, secret())).toHaveLength(4);
  });
});

describe('closestKey', () => {
  test.each([
    ['moed', 'mode'],
    ['hardown', 'hardDown'],
    ['HARDDOWN', 'hardDown'],
    ['bypasssecret', 'bypassSecret'],
    ['estates', 'estate'],
    ['colour', undefined],
  ])('%s -> %s', (typo, key) => {
    expect(closestKey(typo)).toBe(key);
  });
});

describe('keys Pulumi keeps apart from drawbridge:* and empty values (issue 13)', () => {
  test.each<[Record<string, string>, RegExp]>([
    [{ 'Drawbridge:mode': 'maintenance' }, /^Drawbridge:mode is not a Drawbridge setting: the namespace is drawbridge \(lower case\) \(did you mean drawbridge:mode\?\)/],
    [{ 'drawbrdge:live': 'green' }, /^drawbrdge:live is not a Drawbridge setting: the namespace is drawbridge/],
    [{ 'drawbridge:mode': '' }, /^drawbridge:mode is empty; allowed values: normal, maintenance, cutover/],
    [{ 'drawbridge:estate': '  ' }, /^drawbridge:estate is empty/],
  ])('GIVEN %j THEN refused', (config, message) => {
    const list = problems({ ...base, ...config });
    expect(list).toHaveLength(1);
    expect(list[0]).toMatch(message);
  });

  test('GIVEN another provider namespace THEN it is not ours to refuse', () => {
    expect(problems({ ...base, 'cloudflare:baseUrl': 'https://example.com', 'aws:region': 'eu-west-2' })).toEqual([]);
  });
});

describe('a predictable bypass key is refused where the secret is set', () => {
  test.each([
    ['one letter repeated', 'x'.repeat(64), 'too few different characters'],
    ['a short run repeated', 'abcdefgh'.repeat(8), 'one short run of characters repeated'],
  ])('GIVEN %s WHEN the stack config is read THEN it is refused without echoing the key', (_label, key, reason) => {
    const found = problems({ 'drawbridge:bypassSecret': key });
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(`drawbridge:bypassSecret is too predictable (${reason})`);
    expect(found[0]).toContain('openssl rand -hex 32');
    expect(found[0]).not.toContain(key);
  });
});
