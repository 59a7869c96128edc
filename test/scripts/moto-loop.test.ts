/**
 * The deploy loop's own parts, without the emulator: reading `cdk diff`, leaving out what moto
 * cannot deploy, rewriting the estate with the emulator's ids, the Lambda zip and the CDK context.
 * The loop itself runs in test/scripts/moto-loop/.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseModeWord } from '../../modes/words';
import { cdkDiffLines, contextOf, cutoverGap, drawbridgeDiffLines, loopWords, withoutUnsupported } from '../../scripts/moto-loop';
import { rewriteEstate, zipOne } from '../../scripts/moto/parts';
import { estateNamed } from '../support/estates';

describe('cdkDiffLines', () => {
  test('GIVEN cdk diff output (with colours) THEN one line per changed property, added and removed resources named', () => {
    const text = [
      'Stack shop-aws (aws://123456789012/eu-west-2)',
      'Resources',
      '\x1b[33m[~]\x1b[39m AWS::SSM::Parameter Operations/FlagMaintenance OperationsFlagMaintenance667A8917 ',
      ' └─ [~] Value',
      '     ├─ [-] false',
      '     └─ [+] true',
      '[~] AWS::ElasticLoadBalancingV2::TargetGroup Traffic/TargetGroupWeb TrafficTargetGroupWeb4209018A ',
      ' ├─ [~] HealthCheckPath',
      ' └─ [~] Tags',
      '[+] AWS::RDS::DBInstance BlueGreen/DatabaseGreen BlueGreenDatabaseGreen1A2B3C4D ',
      '[-] AWS::Events::Rule Operations/JobOld OperationsJobOld5E6F7A8B orphan',
      '',
      '✨  Number of stacks with differences: 1',
    ].join('\n');
    expect(cdkDiffLines(text)).toEqual([
      'BlueGreenDatabaseGreen1A2B3C4D (added)',
      'OperationsFlagMaintenance667A8917 Value',
      'OperationsJobOld5E6F7A8B (removed)',
      'TrafficTargetGroupWeb4209018A HealthCheckPath',
      'TrafficTargetGroupWeb4209018A Tags',
    ]);
  });

  test('GIVEN no differences THEN no lines', () => {
    expect(cdkDiffLines('Stack shop-aws\nThere were no differences\n')).toEqual([]);
  });
});

test('drawbridgeDiffLines names the same lines from drawbridge diff --json, leaving out what was not deployed', () => {
  const json = {
    safe: true,
    engines: {
      aws: {
        resources: [
          { id: 'A', action: 'modify', properties: [{ path: 'HealthCheckPath' }, { path: 'Tags.0.Value' }] },
          { id: 'Listener', action: 'modify', properties: [{ path: 'DefaultActions' }] },
          { id: 'B', action: 'add' },
        ],
      },
    },
  };
  expect(drawbridgeDiffLines(json, ['Listener'])).toEqual(['A HealthCheckPath', 'A Tags', 'B (added)']);
});

describe('withoutUnsupported', () => {
  const template = {
    Resources: {
      Tg: { Type: 'AWS::ElasticLoadBalancingV2::TargetGroup', Properties: {} },
      Listener: { Type: 'AWS::ElasticLoadBalancingV2::Listener', Properties: { DefaultActions: [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: { Ref: 'Tg' } }] } }] } },
      Rule10: { Type: 'AWS::ElasticLoadBalancingV2::ListenerRule', Properties: { ListenerArn: { Ref: 'Listener' } } },
      Group: { Type: 'AWS::AutoScaling::AutoScalingGroup', DependsOn: ['Listener', 'Tg'], Properties: {} },
    },
  };
  const drop = (t: string) => /Listener(Rule)?$/.test(t);

  test('GIVEN the listener and its rules dropped THEN they and the DependsOn on them are gone, the rest untouched', () => {
    const { template: out, dropped } = withoutUnsupported(template, drop);
    expect(dropped).toEqual(['Listener', 'Rule10']);
    expect(Object.keys(out.Resources)).toEqual(['Tg', 'Group']);
    expect(out.Resources.Group.DependsOn).toEqual(['Tg']);
    expect(template.Resources.Group.DependsOn).toEqual(['Listener', 'Tg']);
  });

  test('GIVEN a kept resource that refers to a dropped one THEN it refuses (the loop never deploys a broken template)', () => {
    const broken = { Resources: { ...template.Resources, Out: { Type: 'AWS::SSM::Parameter', Properties: { Value: { Ref: 'Listener' } } } } };
    expect(() => withoutUnsupported(broken, drop)).toThrow('cannot leave Listener out for moto: another resource refers to it');
  });
});

test('rewriteEstate replaces whole ids, keeps comments and leaves look-alikes alone', () => {
  const text = ['# the estate', 'aws:', '  account: "210987654321"', '  vpc:', '    id: vpc-0123 # imported', '  note: vpc-0123-and-more', '  list: [sg-1, sg-2]', ''].join('\n');
  const out = rewriteEstate(text, new Map([['vpc-0123', 'vpc-9999'], ['sg-2', 'sg-8'], ['210987654321', '123456789012']]));
  expect(out).toContain('# the estate');
  expect(out).toContain('id: vpc-9999 # imported');
  expect(out).toContain('note: vpc-0123-and-more');
  expect(out).toContain('account: "123456789012"');
  expect(out).toMatch(/list: \[ sg-1, sg-8 \]|list: \[sg-1, sg-8\]/);
});

test('zipOne writes an archive Python\'s zipfile reads back', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'zip-')), 'code.zip');
  writeFileSync(file, zipOne('index.js', 'exports.handler = async () => 1;\n'));
  const r = spawnSync('python3', ['-c', 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; print(z.read("index.js").decode(), end="")', file], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(r.stdout).toBe('exports.handler = async () => 1;\n');
});

test('contextOf gives every state key, so the committed state never leaks into a deploy', () => {
  const estate = estateNamed('shop');
  expect(contextOf(parseModeWord('cutover:freeze@blue->green', estate))).toEqual([
    '--context', 'mode=cutover', '--context', 'live=blue', '--context', 'hardDown=false', '--context', 'target=green', '--context', 'stage=freeze',
  ]);
});

describe('loopWords', () => {
  test('GIVEN an estate whose cutover moves only flags THEN the loop goes through every cutover stage and back', () => {
    const { words, gaps } = loopWords(estateNamed('whimsy'));
    expect(gaps).toEqual([]);
    expect(words).toEqual(['normal@blue', 'maintenance@blue', 'normal@blue', 'cutover:prepare@blue->green', 'cutover:freeze@blue->green', 'cutover:restore@blue->green', 'cutover@blue->green', 'normal@green', 'cutover@green->blue', 'normal@blue']);
  });

  test('GIVEN an estate whose cutover changes target groups and the groups that use them THEN the cutover is a named gap', () => {
    const { words, gaps } = loopWords(estateNamed('shop'));
    expect(words).toEqual(['normal@blue', 'maintenance@blue', 'normal@blue']);
    expect(gaps).toHaveLength(1);
    expect(gaps[0]!.refusedBy).toContain('FakeTargetGroup has no update_from_cloudformation_json');
    expect(cutoverGap(estateNamed('whimsy'), ['normal@blue', 'cutover@blue->green'])).toBeUndefined();
  });

  test('GIVEN an estate without a cutover THEN normal, maintenance, normal', () => {
    expect(loopWords(estateNamed('ticketing'))).toEqual({ words: ['normal@blue', 'maintenance@blue', 'normal@blue'], gaps: [] });
  });
});
