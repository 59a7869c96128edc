import type { DesiredAws, DesiredTargetGroup } from '../../../../modes/desired';
import { targetGroups } from '../../../../modes/components/aws/target-groups';
import type { ModeState } from '../../../../modes/fields';
import { awsPart, brief, changes, ctxIn, estateItems, identityCases, itemsIn, runRule, type StateName, titled, verifyCtx } from '../../../support/components';
import { AHEAD, AHEAD_BACK_WITH_PAGE, FROZEN_WITH_PAGE, NO_FREEZE, STAGED, stateNamed, WITH_PAGE, type StagedName, THROUGH_MAINTENANCE } from './staged';

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
  // A colour without traffic (idle) answers on its maintenance path too: its database access is
  // closed, and failing ELB health checks would have its warm standby replaced over and over.
  test.each<[StateName, string[]]>([
    ['normalBlue', ['/web-blue/ok', '/web-green/maint', '/shared/ok']],
    ['maintenance', ['/web-blue/maint', '/web-green/maint', '/shared/maint']],
    ['hardDown', ['/web-blue/maint', '/web-green/maint', '/shared/maint']],
    ['cutoverBlueGreen', ['/web-blue/maint', '/web-green/ok', '/shared/ok']],
    ['normalGreen', ['/web-blue/maint', '/web-green/ok', '/shared/ok']],
    ['cutoverGreenBlue', ['/web-blue/ok', '/web-green/maint', '/shared/ok']],
  ])('GIVEN a blue, a green and a shared group WHEN resolved in %s THEN the health paths (blue, green, shared) are %j', (state, paths) => {
    const items = itemsIn(targetGroups, SPEC, state) as DesiredTargetGroup[];
    expect(items.map((t) => t.healthPath)).toEqual(paths);
  });

  // The source keeps its capacity read-only from the freeze: its instances stay in service on the maintenance path.
  // The target leaves its idle maintenance path at prepare: staff test it on its application's health path.
  // A monitor-like group switches ahead of the page and comes back after it; the others behind it and back first.
  test.each<[StagedName, string[]]>([
    ['cutover:prepare', ['/web-blue/ok', '/web-green/ok', '/shared/ok', '/early/ok']],
    ['cutover:freeze', ['/web-blue/maint', '/web-green/ok', '/shared/ok', '/early/ok']],
    ['cutover:restore', ['/web-blue/maint', '/web-green/ok', '/shared/ok', '/early/ok']],
    ['cutover:move', ['/web-blue/maint', '/web-green/ok', '/shared/ok', '/early/ok']],
    ['maintenance:ahead', ['/web-blue/ok', '/web-green/maint', '/shared/ok', '/early/maint']],
    ['maintenance:page', ['/web-blue/ok', '/web-green/maint', '/shared/ok', '/early/maint']],
    ['normal:behind', ['/web-blue/ok', '/web-green/maint', '/shared/ok', '/early/maint']],
    ['normal:page', ['/web-blue/ok', '/web-green/maint', '/shared/ok', '/early/maint']],
  ])('GIVEN blue, green, shared and an early (timing ahead) group WHEN resolved at %s THEN the health paths are %j', (stage, paths) => {
    const items = itemsIn(targetGroups, [...SPEC, group('early', undefined, { timing: AHEAD })], STAGED[stage]) as DesiredTargetGroup[];
    expect(items.map((t) => t.healthPath)).toEqual(paths);
  });

  // Entering: ahead -> page -> maintenance; leaving: behind -> page -> normal (the way out mirrors the way in).
  test.each(titled<[string, object, string]>([
    ['behind the page (the default)', {}, 'ok ok maint ok ok'],
    ['with the page', { timing: WITH_PAGE }, 'ok maint maint maint ok'],
    ['ahead of the page', { timing: AHEAD }, 'maint maint maint maint maint'],
    ['ahead of the page, back with it (ticketing)', { timing: AHEAD_BACK_WITH_PAGE }, 'maint maint maint maint ok'],
  ]))('GIVEN a blue group switching $what WHEN resolved at maintenance:ahead, maintenance:page, maintenance, normal:behind and normal:page THEN its paths are $expected', ({ row: [, more, paths] }) => {
    const at = (state: ModeState) => (itemsIn(targetGroups, [group('web-blue', 'blue', more)], state) as DesiredTargetGroup[])[0]!.healthPath.split('/')[2];
    expect(THROUGH_MAINTENANCE.map(at).join(' ')).toBe(paths);
  });

  test('GIVEN an estate that freezes the source with the page WHEN resolved at the freeze THEN only the source is on its maintenance path', () => {
    const items = itemsIn(targetGroups, SPEC, STAGED['cutover:freeze'], { policy: FROZEN_WITH_PAGE }) as DesiredTargetGroup[];
    expect(items.map((t) => t.healthPath)).toEqual(['/web-blue/maint', '/web-green/ok', '/shared/ok']);
  });

  // Runbook 002 never freezes writes: the source keeps serving on its health path until the move,
  // then drains on its maintenance path (no new sessions) while its sessions end.
  test.each<[StagedName | StateName, string[]]>([
    ['cutover:prepare', ['/web-blue/ok', '/web-green/ok', '/shared/ok']],
    ['cutover:freeze', ['/web-blue/ok', '/web-green/ok', '/shared/ok']],
    ['cutover:restore', ['/web-blue/ok', '/web-green/ok', '/shared/ok']],
    ['cutover:move', ['/web-blue/maint', '/web-green/ok', '/shared/ok']],
    ['normalGreen', ['/web-blue/maint', '/web-green/ok', '/shared/ok']],
  ])('GIVEN an estate that does not freeze (freeze: none) WHEN resolved at %s THEN the health paths (blue, green, shared) are %j', (state, paths) => {
    const items = itemsIn(targetGroups, SPEC, stateNamed(state), { policy: NO_FREEZE }) as DesiredTargetGroup[];
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

describe('the example estates\' target groups', () => {
  const paths = (estate: string, state: ModeState) => estateItems<DesiredTargetGroup>(targetGroups, estate, state).map((t) => `${t.id} ${t.healthPath}`);

  // Runbook 000: the health checks move to /uptime-monitor-maintenance minutes before the start and back at the end.
  test('GIVEN the ticketing estate WHEN it enters and leaves maintenance THEN both groups are on the maintenance path from ahead until the page comes down', () => {
    const through = THROUGH_MAINTENANCE.map((state) => paths('ticketing', state));
    const maint = ['web /uptime-monitor-maintenance', 'web-services /uptime-monitor-maintenance'];
    expect(through).toEqual([maint, maint, maint, maint, ['web /uptime-monitor', 'web-services /uptime-monitor']]);
  });

  // Runbook 002: blue drains on its maintenance path once traffic is on green, and stays there while idle.
  test.each<[StagedName | StateName, string[]]>([
    ['normalBlue', ['app-blue /health', 'app-green /health-maintenance']],
    ['cutover:prepare', ['app-blue /health', 'app-green /health']],
    ['cutover:move', ['app-blue /health-maintenance', 'app-green /health']],
    ['normalGreen', ['app-blue /health-maintenance', 'app-green /health']],
  ])('GIVEN the rolling estate (freeze: none) WHEN resolved at %s THEN the health paths are %j', (state, expected) => {
    expect(paths('rolling', stateNamed(state))).toEqual(expected);
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
