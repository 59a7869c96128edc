/**
 * `drawbridge diff` in-process on the default estate: both engines synthesized offline, the mode
 * table of DESIGN.md as the allow-list of what may change, and the safety gate (exit 3).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureIo, loadCli } from '../io';
import { ROOT } from '../../support/estates';

const { run } = loadCli();

interface DiffJson {
  safe: boolean;
  fromWord: string;
  toWord: string;
  engines: Record<'aws' | 'cloudflare', { resources: { id: string; type: string; action: string; replacement: boolean; properties: { path: string; old?: unknown; new?: unknown }[] }[] }>;
  unsafe: { engine: string; id: string; type: string; action: string; replacement: boolean; reason: string }[];
}

async function diff(argv: string[], options: Parameters<typeof captureIo>[0] = {}) {
  const c = captureIo(options);
  const code = await run(['diff', ...argv], c.io);
  return { code, out: c.out(), err: c.err() };
}

/**
 * DESIGN.md's mode table, normal -> maintenance, as (resource type, property): every property the
 * diff may show, and why.
 */
const MAINTENANCE_CHANGES: Record<string, string> = {
  'AWS::ElasticLoadBalancingV2::TargetGroup HealthCheckPath': 'ALB target group health check: maintenance health path',
  'AWS::Events::Rule State': 'scheduled jobs: disabled',
  'AWS::EC2::SecurityGroup SecurityGroupIngress': 'DB firewall rule: closed',
  'AWS::SSM::Parameter Value': 'maintenance flag for the origin (MAINTENANCE=1)',
  'cloudflare:index/workersScript:WorkersScript bindings[MAINTENANCE].text': 'edge gate Worker flags: MAINTENANCE=1',
  'cloudflare:index/botManagement:BotManagement sbfmVerifiedBots': 'Cloudflare bots: verified bots blocked',
  'cloudflare:index/botManagement:BotManagement fightMode': 'Cloudflare bots: fight mode on free-plan zones',
};

describe('drawbridge diff normal maintenance on the default estate', () => {
  let json: DiffJson;
  let code: number;

  beforeAll(async () => {
    const r = await diff(['normal', 'maintenance', '--json', '--quiet']);
    code = r.code;
    json = JSON.parse(r.out) as DiffJson;
  });

  test('GIVEN the default estate WHEN diffing normal -> maintenance THEN it is safe (exit 0)', () => {
    expect(code).toBe(0);
    expect(json.safe).toBe(true);
    expect(json.unsafe).toEqual([]);
    expect([json.fromWord, json.toWord]).toEqual(['normal@blue', 'maintenance@blue']);
  });

  test('GIVEN the diff WHEN listing every changed property THEN each is one the mode table says changes, in place', () => {
    const seen = [...json.engines.aws.resources, ...json.engines.cloudflare.resources].flatMap((r) => {
      expect(r).toMatchObject({ action: 'modify', replacement: false });
      return r.properties.map((p) => `${r.type} ${p.path}`);
    });
    for (const key of seen) expect(Object.keys(MAINTENANCE_CHANGES)).toContain(key);
  });

  test.each([
    'AWS::ElasticLoadBalancingV2::TargetGroup HealthCheckPath',
    'AWS::Events::Rule State',
    'AWS::EC2::SecurityGroup SecurityGroupIngress',
    'cloudflare:index/workersScript:WorkersScript bindings[MAINTENANCE].text',
    'cloudflare:index/botManagement:BotManagement sbfmVerifiedBots',
  ])('GIVEN the mode table WHEN diffing THEN %s changes', (key) => {
    const all = [...json.engines.aws.resources, ...json.engines.cloudflare.resources];
    expect(all.some((r) => r.properties.some((p) => `${r.type} ${p.path}` === key))).toBe(true);
  });

  test('GIVEN the gate WHEN diffing THEN MAINTENANCE goes 0 -> 1 and no secret value is shown', () => {
    const gate = json.engines.cloudflare.resources.find((r) => r.type === 'cloudflare:index/workersScript:WorkersScript');
    expect(gate?.properties).toEqual([{ path: 'bindings[MAINTENANCE].text', old: '0', new: '1' }]);
    expect(JSON.stringify(json)).not.toContain('drawbridge-preview-placeholder-bypass-secret');
  });
});

describe('the safety gate', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'drawbridge-diff-'));
  const original = readFileSync(join(ROOT, 'estates', 'default.yaml'), 'utf8');

  test('GIVEN an estate edit that renames a target group WHEN diffing base -> head THEN exit 3 names the replaced group', async () => {
    const renamed = original.replace(/(\n {4}- id: (\S+)\n {6}name: )(\S+)(\n(?: {6}colour: \S+\n)? {6}healthPath:)/, '$1$3-v2$4');
    expect(renamed).not.toBe(original);
    const head = join(tmp, 'renamed.yaml');
    writeFileSync(head, renamed);

    const r = await diff(['--from-estate', 'estates/default.yaml', '--estate', head, '--json', '--quiet']);
    expect(r.code).toBe(3);
    const json = JSON.parse(r.out) as DiffJson;
    expect(json.safe).toBe(false);
    expect(json.unsafe).toEqual([expect.objectContaining({ engine: 'aws', type: 'AWS::ElasticLoadBalancingV2::TargetGroup', action: 'modify', replacement: true, reason: 'would be replaced (Name changed)' })]);
    expect(r.err).toMatch(/^drawbridge: unsafe: AWS stack shop-aws: AWS::ElasticLoadBalancingV2::TargetGroup TrafficTargetGroup\w+ would be replaced \(Name changed\)$/m);
  });

  test('GIVEN a Cloudflare record moved to another zone WHEN diffing THEN exit 3 names the replaced record', async () => {
    const moved = original.replace(/zoneId: 3b1e4b2a9c8d7e6f5a4b3c2d1e0f9a8b/, 'zoneId: 4b1e4b2a9c8d7e6f5a4b3c2d1e0f9a8b');
    expect(moved).not.toBe(original);
    const head = join(tmp, 'moved.yaml');
    writeFileSync(head, moved);
    const r = await diff(['--from-estate', 'estates/default.yaml', '--estate', head, '--quiet']);
    expect(r.code).toBe(3);
    expect(r.out).toMatch(/UNSAFE: \d+ resources? would be replaced or removed:/);
    expect(r.err).toMatch(/^drawbridge: unsafe: Cloudflare stack \S+: cloudflare:index\/dnsRecord:DnsRecord \S+ would be replaced \(zoneId changed\)$/m);
  });
});

describe('output', () => {
  test('GIVEN a terminal WHEN diffing as text THEN it prints cdk-diff and Pulumi sections in colour', async () => {
    const r = await diff(['normal', 'maintenance', '--quiet'], { tty: true });
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/\u001b\[/);
    const text = r.out.replace(/\u001b\[[0-9;]*m/g, '');
    expect(text).toMatch(/^drawbridge diff: shop, normal@blue -> maintenance@blue/);
    expect(text).toMatch(/AWS \(CDK\) stack shop-aws\n/);
    expect(text).toMatch(/\[~\] AWS::ElasticLoadBalancingV2::TargetGroup \S+\n └─ \[~\] HealthCheckPath\n {5}├─ \[-\] \/healthz\n {5}└─ \[\+\] \/healthz-maintenance/);
    expect(text).toMatch(/Cloudflare \(Pulumi\) stack \S+\n~ {2}cloudflare:index\/workersScript:WorkersScript shop-gate update/);
    expect(text).toMatch(/\nSafe: \d+ resources change in place; nothing is replaced or removed\.\n$/);
  });

  test.each<[string, Parameters<typeof captureIo>[0], string[]]>([
    ['NO_COLOR', { tty: true, env: { NO_COLOR: '1' } }, []],
    ['--no-color', { tty: true }, ['--no-color']],
    ['a pipe', { tty: false }, []],
  ])('GIVEN %s WHEN diffing as text THEN there are no colours', async (_what, options, flags) => {
    const r = await diff(['normal', 'maintenance', '--quiet', ...flags], options);
    expect(r.code).toBe(0);
    expect(r.out).not.toMatch(/\u001b\[/);
  });
});

describe('disruptive in-place changes', () => {
  test('GIVEN a database engine upgrade WHEN diffed THEN it is in place (exit 0) but named as disruptive', async () => {
    const { mkdtempSync, readFileSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { captureIo, loadCli } = await import('../io');
    const file = join(mkdtempSync(join(tmpdir(), 'disruptive-')), 'bridge.yaml');
    writeFileSync(file, readFileSync(join(__dirname, '..', '..', '..', 'estates', 'beanstalk.yaml'), 'utf8').replace(/engineVersion: "16\.9"/g, 'engineVersion: "17.2"'));
    const c = captureIo();
    const code = await loadCli().run(['diff', '--from-estate', 'estates/beanstalk.yaml', '--estate', file, '--json', '--quiet'], c.io);
    expect(code).toBe(0);
    const out = JSON.parse(c.out()) as { safe: boolean; disruptive: { type: string; because: string[] }[] };
    expect(out.safe).toBe(true);
    // Only blue's database exists in normal@blue: green's is restored by the cutover (restored: false).
    expect(out.disruptive).toEqual([expect.objectContaining({ type: 'AWS::RDS::DBInstance', because: ['EngineVersion'] })]);
  });
});
