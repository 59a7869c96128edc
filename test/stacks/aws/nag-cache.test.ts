/**
 * stacks/aws/nag-cache.ts: `cdk synth` skips cdk-nag's walk only for templates it found clean
 * before, with the same acknowledgements; a finding is reported on every synthesis.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { AwsSolutionsChecks } from 'cdk-nag';
import { nagCacheDir } from '../../../bin/cdk';
import { resolve } from '../../../modes/resolve';
import type { ModeState } from '../../../modes/schema';
import { buildAwsApp, synthApp } from '../../../stacks/aws/app';
import { RememberedNagChecks } from '../../../stacks/aws/nag-cache';
import { estateNamed } from '../../support/estates';

const normal: ModeState = { mode: 'normal', live: 'blue', hardDown: false };
const maintenance: ModeState = { mode: 'maintenance', live: 'blue', hardDown: false };

let dir: string;
let runs: jest.SpyInstance;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'drawbridge-nag-cache-'));
  // cdk-nag's own check, counted (the remembering plugin loads the same module).
  runs = jest.spyOn(AwsSolutionsChecks.prototype, 'validate');
});
afterEach(() => {
  runs.mockRestore();
  rmSync(dir, { recursive: true, force: true });
});

/** The shop app as bin/cdk.ts builds it (verdicts remembered in `dir`), with an optional edit. */
function shopApp(state: ModeState, edit?: (stack: Stack) => void): App {
  const app = buildAwsApp(resolve(estateNamed('shop'), state), new App({ outdir: mkdtempSync(join(tmpdir(), 'nag-cache-out-')), builtinCloudFormationValidation: false }), { nagCacheDir: dir });
  edit?.(app.node.children.find((c): c is Stack => Stack.isStack(c))!);
  return app;
}

const openPort22 = (stack: Stack) => {
  const sg = new ec2.SecurityGroup(stack, 'OpenToTheWorld', { vpc: ec2.Vpc.fromVpcAttributes(stack, 'NagTestVpc', { vpcId: 'vpc-12345678', availabilityZones: ['eu-west-2a'] }) });
  sg.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(22));
};

test('GIVEN clean templates WHEN synthesized twice THEN cdk-nag runs once and the second synthesis is served by the remembered verdict', () => {
  expect(synthApp(shopApp(normal)).stacks.map((s) => s.stackName)).toEqual(['shop-aws']);
  expect(runs).toHaveBeenCalledTimes(1);
  expect(readdirSync(dir)).toHaveLength(1);
  synthApp(shopApp(normal));
  expect(runs).toHaveBeenCalledTimes(1);
});

test('GIVEN a verdict for normal WHEN maintenance is synthesized THEN the changed templates are checked again', () => {
  synthApp(shopApp(normal));
  synthApp(shopApp(maintenance));
  expect(runs).toHaveBeenCalledTimes(2);
  expect(readdirSync(dir)).toHaveLength(2);
});

test('GIVEN a finding WHEN synthesized twice THEN both fail with it and nothing is remembered', () => {
  expect(() => synthApp(shopApp(normal, openPort22))).toThrow(/AwsSolutions-EC23/);
  expect(() => synthApp(shopApp(normal, openPort22))).toThrow(/AwsSolutions-EC23/);
  expect(runs).toHaveBeenCalledTimes(2);
  expect(readdirSync(dir)).toHaveLength(0);
});

test('GIVEN a verdict WHEN an acknowledgement is added to the tree without changing the templates THEN the key changes', () => {
  const keyOf = (app: App) => {
    const assembly = synthApp(app);
    return new RememberedNagChecks(app, dir).key({ templatePaths: assembly.stacks.map((s) => join(assembly.directory, s.templateFile)) } as never);
  };
  const plain = keyOf(shopApp(normal));
  // Acknowledgements are construct metadata, not template content: only the key's list tells them apart.
  const acked = keyOf(shopApp(normal, (stack) => Validations.of(stack).acknowledge({ id: 'AwsSolutions-EC23', reason: 'a test acknowledgement' })));
  expect(acked).not.toBe(plain);
  expect(keyOf(shopApp(normal))).toBe(plain);
});

test('nagCacheDir: DRAWBRIDGE_CACHE_DIR/nag, else node_modules/.cache/drawbridge/nag; off turns it off; another value is refused', () => {
  expect(nagCacheDir({}, '/repo')).toBe('/repo/node_modules/.cache/drawbridge/nag');
  expect(nagCacheDir({ DRAWBRIDGE_CACHE_DIR: '/tmp/c' }, '/repo')).toBe('/tmp/c/nag');
  expect(nagCacheDir({ DRAWBRIDGE_CACHE: 'off' }, '/repo')).toBeUndefined();
  expect(() => nagCacheDir({ DRAWBRIDGE_CACHE: 'maybe' }, '/repo')).toThrow('DRAWBRIDGE_CACHE is "maybe"; allowed: on, off (or unset: on)');
});
