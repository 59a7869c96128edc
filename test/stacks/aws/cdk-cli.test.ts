/**
 * The CDK app through the real `cdk` CLI, offline: what a user types.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../../support/estates';

function cdk(...args: string[]) {
  const out = mkdtempSync(join(tmpdir(), 'cdk-out-'));
  const env = { ...process.env, CDK_DISABLE_CLI_TELEMETRY: '1', AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_PROFILE: 'drawbridge-none', AWS_EC2_METADATA_DISABLED: 'true' };
  const r = spawnSync(join(ROOT, 'node_modules/.bin/cdk'), ['synth', '--no-notices', '--output', out, ...args], { cwd: ROOT, env, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, out };
}

describe('npx cdk synth', () => {
  test('GIVEN no AWS credentials WHEN synthesizing maintenance THEN it succeeds, says it overrides, and the target groups carry the maintenance path', () => {
    const r = cdk('--context', 'mode=maintenance');
    expect(r.stderr).toContain('OVERRIDE for this run only: mode=maintenance (estate has normal)');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('HealthCheckPath: /healthz-maintenance');
    expect(r.stdout).toContain('HealthCheckPath: /api/healthz-maintenance');
    expect(r.stdout).not.toContain('HealthCheckPath: /healthz\n');
    expect(existsSync(join(r.out, 'shop-aws.template.json'))).toBe(true);
  });

  test.each([
    [['--context', 'mode=bogus'], 'drawbridge: --context mode=bogus is not allowed; allowed mode values: normal, maintenance, cutover'],
    [['--context', 'estate=estates/missing.yaml'], 'drawbridge: estate file "estates/missing.yaml" not found'],
  ])('GIVEN %j THEN it exits non-zero with one clear line, no stack trace and nothing written', (args, message) => {
    const r = cdk(...args);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain(message);
    expect(r.stderr).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
    expect(readdirSync(r.out)).toEqual([]);
  });

  test('GIVEN an invalid estate file THEN every problem is named with its line', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'estate-')), 'bad.yaml');
    writeFileSync(file, 'name: shop\nsite: { url: "https://x.example.com" }\nbrand: { name: X }\nwindow: { reason: r, announce: "2030-01-01T00:00:00Z", start: "2030-01-01T00:00:00Z", end: "soon", timeZones: [Mars/Base] }\n');
    const r = cdk('--context', `estate=${file}`);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain(`${file}:4: window.end: "soon" is not an ISO-8601 date-time with offset`);
    expect(r.stderr).toContain(`${file}:4: window.timeZones[0]: "Mars/Base" must be an IANA time zone`);
    expect(readdirSync(r.out)).toEqual([]);
  });
});
