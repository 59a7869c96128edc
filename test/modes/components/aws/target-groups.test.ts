import type { DesiredAws, DesiredTargetGroup } from '../../../../modes/desired';
import { targetGroups } from '../../../../modes/components/aws/target-groups';
import { awsPart, brief, changes, ctxIn, identityCases, itemsIn, runRule, verifyCtx, type StateName } from '../../../support/components';

const group = (id: string, colour?: 'blue' | 'green', more: object = {}) => ({
  id,
  name: `shop-${id}`,
  healthPath: `/${id}/ok`,
  maintenanceHealthPath: `/${id}/maint`,
  ...(colour ? { colour } : {}),
  ...more,
});
const SPEC = [group('web-blue', 'blue'), group('web-green', 'green'), group('shared')];

const desired = (more: Partial<DesiredTargetGroup> = {}): DesiredTargetGroup => ({
  id: 'web-blue',
  name: 'shop-web-blue',
  port: 80,
  protocol: 'HTTP',
  healthPath: '/healthz',
  deregistrationDelaySeconds: 300,
  colour: 'blue',
  ...more,
});

describe('targetGroups.resolve', () => {
  test.each<[StateName, string[]]>([
    ['normalBlue', ['/web-blue/ok', '/web-green/ok', '/shared/ok']],
    ['maintenance', ['/web-blue/maint', '/web-green/maint', '/shared/maint']],
    ['hardDown', ['/web-blue/maint', '/web-green/maint', '/shared/maint']],
    ['cutoverBlueGreen', ['/web-blue/maint', '/web-green/ok', '/shared/ok']],
    ['normalGreen', ['/web-blue/ok', '/web-green/ok', '/shared/ok']],
    ['cutoverGreenBlue', ['/web-blue/ok', '/web-green/maint', '/shared/ok']],
  ])('GIVEN a blue, a green and a shared group WHEN resolved in %s THEN the health paths (blue, green, shared) are %j', (state, paths) => {
    const items = itemsIn(targetGroups, SPEC, state) as DesiredTargetGroup[];
    expect(items.map((t) => t.healthPath)).toEqual(paths);
  });

  test('GIVEN a group with only the required fields WHEN resolved THEN the defaults are filled in and a shared group has no colour', () => {
    expect(itemsIn(targetGroups, [group('shared')], 'normalBlue')).toEqual([
      { id: 'shared', name: 'shop-shared', port: 80, protocol: 'HTTP', deregistrationDelaySeconds: 300, healthPath: '/shared/ok' },
    ]);
  });

  test('GIVEN no target groups in the estate WHEN resolved THEN the part has an empty list', () => {
    expect(targetGroups.resolve(targetGroups.schema.parse(undefined), ctxIn('normalBlue'))).toEqual({ targetGroups: [] });
  });
});

describe('targetGroups.describe', () => {
  test.each<[string, DesiredTargetGroup | undefined, DesiredTargetGroup | undefined, ReturnType<typeof brief>[]]>([
    ['nothing changed', desired(), desired(), []],
    [
      'the health path changed',
      desired(),
      desired({ healthPath: '/healthz-maintenance' }),
      [{ text: 'target group shop-web-blue health check /healthz -> /healthz-maintenance', action: 'modify', field: 'healthPath', effects: [] }],
    ],
    [
      'the name changed',
      desired(),
      desired({ name: 'shop-web-b' }),
      [{ text: 'target group web-blue renamed shop-web-blue -> shop-web-b (replaces the target group)', action: 'modify', field: 'name', effects: ['replaces'] }],
    ],
    [
      'the protocol and port changed',
      desired(),
      desired({ protocol: 'HTTPS', port: 443 }),
      [{ text: 'target group shop-web-blue HTTP:80 -> HTTPS:443', action: 'modify', field: 'port', effects: ['replaces'] }],
    ],
    [
      'the deregistration delay changed',
      desired(),
      desired({ deregistrationDelaySeconds: 60 }),
      [{ text: 'target group shop-web-blue deregistration delay 300s -> 60s', action: 'modify', field: 'deregistrationDelaySeconds', effects: [] }],
    ],
    ['the group was added', undefined, desired(), [{ text: 'target group shop-web-blue added', action: 'add', effects: [] }]],
    ['the group was removed', desired(), undefined, [{ text: 'target group shop-web-blue removed', action: 'remove', effects: [] }]],
  ])('GIVEN %s WHEN described THEN the change records say so', (_what, before, after, expected) => {
    expect(changes(targetGroups, before, after).map(brief)).toEqual(expected);
  });

  test('GIVEN a health path change WHEN described THEN the record names the component, the item and both values', () => {
    expect(changes(targetGroups, desired(), desired({ healthPath: '/m' }))).toEqual([
      expect.objectContaining({ provider: 'aws', component: 'targetGroup', id: 'web-blue', name: 'shop-web-blue', from: '/healthz', to: '/m' }),
    ]);
  });
});

describe('targetGroups rules', () => {
  test.each<[string, unknown, string[]]>([
    ['distinct ids and names', [group('a'), group('b')], []],
    ['a duplicate id', [group('a'), group('a', undefined, { name: 'other' })], ["aws.targetGroups[1].id: duplicate id 'a' (already used at aws.targetGroups[0]); each id must be unique"]],
    ['a duplicate name', [group('a'), group('b', undefined, { name: 'shop-a' })], ["aws.targetGroups[1].name: duplicate name 'shop-a' (already used at aws.targetGroups[0]); each name must be unique"]],
  ])('GIVEN %s WHEN uniqueTargetGroups runs THEN it reports each duplicate with its first use', (_what, spec, expected) => {
    expect(runRule(targetGroups, 'uniqueTargetGroups', spec)).toEqual(expected);
  });

  test.each<[string, boolean, unknown]>([
    ['no groups', false, []],
    ['one group', true, [group('a')]],
  ])('GIVEN %s THEN needing a VPC is %s', (_what, needs, spec) => {
    expect(targetGroups.needsVpc!.when(targetGroups.schema.parse(spec))).toBe(needs);
  });

  test('GIVEN coloured and shared groups THEN their colours are the coloured ones', () => {
    expect([...targetGroups.colours!(targetGroups.schema.parse(SPEC))]).toEqual(['blue', 'green']);
  });
});

describe('targetGroups.identity', () => {
  test.each(identityCases(targetGroups))('GIVEN the %s estate WHEN resolved in every mode state it supports (%s) THEN every target group keeps its identity', (_name, _states, ids) => {
    for (const other of ids) expect(other).toEqual(ids[0]);
  });

  test.each<[string, boolean, Partial<DesiredTargetGroup>]>([
    ['the health path', true, { healthPath: '/m' }],
    ['the deregistration delay', true, { deregistrationDelaySeconds: 1 }],
    ['the name', false, { name: 'other' }],
    ['the port', false, { port: 8080 }],
  ])('GIVEN a change of %s THEN keeping the identity is %s', (_what, same, more) => {
    expect(JSON.stringify(targetGroups.identity(desired(more))) === JSON.stringify(targetGroups.identity(desired()))).toBe(same);
  });
});

describe('targetGroups.verify', () => {
  const aws = (groups: DesiredTargetGroup[], listener?: DesiredAws['listener']) => awsPart({ targetGroups: groups, ...(listener ? { listener } : {}) });
  const groups = [desired(), desired({ id: 'web-green', name: 'shop-web-green', colour: 'green' }), desired({ id: 'shared', name: 'shop-shared', healthPath: '/s', colour: undefined }), desired({ id: 'api', name: 'shop-api', healthPath: '/api/ok', colour: undefined })];

  test.each<[StateName, string[]]>([
    ['normalBlue', ['shop-web-blue', 'shop-shared', 'shop-api']],
    ['cutoverBlueGreen', ['shop-web-green', 'shop-shared', 'shop-api']],
    ['normalGreen', ['shop-web-green', 'shop-shared', 'shop-api']],
  ])('GIVEN a move to %s THEN the serving colour\'s and the shared groups are checked', (to, names) => {
    expect(targetGroups.verify!(undefined, aws(groups), verifyCtx(to)).map((c) => c.what)).toEqual(names.map((n) => `instances of ${n} pass their health check`));
  });

  test('GIVEN more than three groups serve THEN three are checked, each on its health path and the host of its listener rule', () => {
    const listener = { port: 443, protocol: 'HTTPS' as const, sslPolicy: 'p', default: { targets: [] }, rules: [{ priority: 1, hosts: ['api.example.com'], targets: [{ targetGroup: 'api', weight: 100 }] }] };
    const all = [...groups, desired({ id: 'extra', name: 'shop-extra', colour: undefined })];
    expect(targetGroups.verify!(undefined, aws(all, listener), verifyCtx('normalBlue'))).toEqual([
      { what: 'instances of shop-web-blue pass their health check', method: 'GET', url: 'https://www.example.com/healthz', expect: 200 },
      { what: 'instances of shop-shared pass their health check', method: 'GET', url: 'https://www.example.com/s', expect: 200 },
      { what: 'instances of shop-api pass their health check', method: 'GET', url: 'https://api.example.com/api/ok', expect: 200 },
    ]);
  });
});
