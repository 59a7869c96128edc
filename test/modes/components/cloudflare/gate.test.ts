import type { DesiredCloudflare } from '../../../../modes/desired';
import { gate, healthPaths, pageBindings } from '../../../../modes/components/cloudflare/gate';
import type { ModeState, Window } from '../../../../modes/fields';
import type { MovePolicy } from '../../../../modes/mode-table';
import { DEFAULT_BYPASS_COOKIE, DEFAULT_BYPASS_PATH, DEFAULT_BYPASS_TTL_SECONDS, type GateBindings } from '../../../../modes/gate-contract';
import { brief, changes, ctxIn, estateItems, identityCases, runRule, type StateName, titled } from '../../../support/components';

const WINDOW: Window = { reason: 'Database upgrade', announce: '2030-01-18T09:00:00Z', start: '2030-01-19T22:00:00Z', end: '2030-01-20T00:30:00Z', timeZones: ['Europe/London', 'America/New_York'] };
const BRAND = { name: 'Example Shop', colour: '#0b5394', statusUrl: 'https://status.example.com/', contact: 'help@example.com' };
const TARGET_GROUPS = [{ id: 'web', healthPath: '/healthz', maintenanceHealthPath: '/healthz-maintenance' }];
const SPEC = {
  scriptName: 'shop-gate',
  routes: [{ zone: 'main', pattern: 'www.example.com/*' }],
  healthPaths: ['/status', '/healthz'],
  bypass: { allowIps: ['203.0.113.10', '198.51.100.0/24'] },
};

type Gate = NonNullable<DesiredCloudflare['gate']>;
/** `window: null` resolves without a window (undefined would take the default). */
function resolved(state: StateName | ModeState, spec: unknown = SPEC, window: Window | null = WINDOW, policy?: MovePolicy): Gate {
  return gate.resolve(gate.schema.parse(spec), ctxIn(state, { brand: BRAND, targetGroups: TARGET_GROUPS, ...(window ? { window } : {}), ...(policy ? { policy } : {}) })).gate!;
}

const flagsOf = (g: Gate) => `MAINTENANCE=${g.bindings.MAINTENANCE} READ_ONLY=${g.bindings.READ_ONLY}`;
const cutoverAt = (stage: ModeState['stage']): ModeState => ({ mode: 'cutover', live: 'blue', target: 'green', hardDown: false, stage });
const staged = (mode: 'maintenance' | 'normal', stage: ModeState['stage']): ModeState => ({ mode, live: 'blue', hardDown: false, stage });

describe('gate.resolve', () => {
  // A cutover's default stage is move: with a gate, staff test the target behind the page, so the
  // public sees the page (not read-only) until normal on the target opens it.
  test.each<[StateName, Pick<GateBindings, 'MAINTENANCE' | 'READ_ONLY'>]>([
    ['normalBlue', { MAINTENANCE: '0', READ_ONLY: '0' }],
    ['maintenance', { MAINTENANCE: '1', READ_ONLY: '0' }],
    ['hardDown', { MAINTENANCE: '1', READ_ONLY: '0' }],
    ['cutoverBlueGreen', { MAINTENANCE: '1', READ_ONLY: '0' }],
    ['normalGreen', { MAINTENANCE: '0', READ_ONLY: '0' }],
    ['cutoverGreenBlue', { MAINTENANCE: '1', READ_ONLY: '0' }],
  ])('GIVEN the gate WHEN resolved in %s THEN its flags are %j', (state, flags) => {
    const { MAINTENANCE, READ_ONLY } = resolved(state).bindings;
    expect({ MAINTENANCE, READ_ONLY }).toEqual(flags);
  });

  test.each(titled<[string, ModeState, MovePolicy | undefined, string]>([
    ['maintenance:ahead (the page is not up yet)', staged('maintenance', 'ahead'), undefined, 'MAINTENANCE=0 READ_ONLY=0'],
    ['maintenance:page', staged('maintenance', 'page'), undefined, 'MAINTENANCE=1 READ_ONLY=0'],
    ['normal:behind (still behind the page)', staged('normal', 'behind'), undefined, 'MAINTENANCE=1 READ_ONLY=0'],
    ['normal:page (the page comes down)', staged('normal', 'page'), undefined, 'MAINTENANCE=0 READ_ONLY=0'],
    ['cutover:prepare (the target scaled up, closed)', cutoverAt('prepare'), undefined, 'MAINTENANCE=0 READ_ONLY=0'],
    ['cutover:freeze (the source read-only)', cutoverAt('freeze'), undefined, 'MAINTENANCE=0 READ_ONLY=1'],
    ['cutover:restore', cutoverAt('restore'), undefined, 'MAINTENANCE=0 READ_ONLY=1'],
    ['cutover:move (the target held behind the page)', cutoverAt('move'), undefined, 'MAINTENANCE=1 READ_ONLY=0'],
    ['cutover:freeze with freeze: maintenance', cutoverAt('freeze'), { freeze: 'maintenance', test: 'behind-page' }, 'MAINTENANCE=1 READ_ONLY=0'],
    ['cutover:move with test: before-move (the source stays read-only)', cutoverAt('move'), { freeze: 'read-only', test: 'before-move' }, 'MAINTENANCE=0 READ_ONLY=1'],
    ['cutover:move with freeze: none and test: before-move', cutoverAt('move'), { freeze: 'none', test: 'before-move' }, 'MAINTENANCE=0 READ_ONLY=0'],
  ]))('GIVEN the gate WHEN resolved in $what THEN $expected', ({ row: [, state, policy, expected] }) => {
    expect(flagsOf(resolved(state, SPEC, WINDOW, policy))).toBe(expected);
  });

  test('GIVEN no gate in the estate WHEN resolved THEN it sets nothing', () => {
    expect(gate.resolve(gate.schema.parse(undefined), ctxIn('maintenance'))).toEqual({});
    expect(gate.items({ bots: [], records: [] } as unknown as DesiredCloudflare)).toEqual([]);
  });

  // ticketing's own Workers hold its page (cloudflare.appWorkers); whimsy's hosts show theirs (aws.parameters).
  test.each<[string, string[]]>([
    ['shop', ['shop-gate MAINTENANCE=1 READ_ONLY=0']],
    ['makerepo', ['makerepo-gate MAINTENANCE=1 READ_ONLY=0']],
    ['ticketing', []],
    ['whimsy', []],
  ])('GIVEN the %s estate WHEN resolved in maintenance THEN its gate Workers are %j', (name, expected) => {
    expect(estateItems<Gate>(gate, name, { mode: 'maintenance', live: 'blue', hardDown: false }).map((g) => `${g.scriptName} ${flagsOf(g)}`)).toEqual(expected);
  });

  test('GIVEN a window, a brand and a bypass WHEN resolved in maintenance THEN every binding is set, in the order the stack binds them', () => {
    const g = resolved('maintenance');
    expect(g.scriptName).toBe('shop-gate');
    expect(g.routes).toEqual([{ zone: 'main', zoneId: 'a'.repeat(32), pattern: 'www.example.com/*' }]);
    expect(Object.entries(g.bindings)).toEqual(
      Object.entries({
        MAINTENANCE: '1',
        READ_ONLY: '0',
        REASON: 'Database upgrade',
        WINDOW_ANNOUNCE: '2030-01-18T09:00:00Z',
        WINDOW_START: '2030-01-19T22:00:00Z',
        WINDOW_END: '2030-01-20T00:30:00Z',
        TIME_ZONES: 'Europe/London,America/New_York',
        HEALTH_PATHS: '/health,/healthz,/healthz-maintenance,/status',
        BYPASS_ALLOW_IPS: '203.0.113.10,198.51.100.0/24',
        BYPASS_COOKIE: DEFAULT_BYPASS_COOKIE,
        BYPASS_TTL_SECONDS: String(DEFAULT_BYPASS_TTL_SECONDS),
        BYPASS_PATH: DEFAULT_BYPASS_PATH,
        BRAND_NAME: 'Example Shop',
        BRAND_COLOUR: '#0b5394',
        STATUS_URL: 'https://status.example.com/',
        CONTACT: 'help@example.com',
      }),
    );
  });

  test.each<[StateName, StateName]>([
    ['normalBlue', 'maintenance'],
    ['normalBlue', 'cutoverBlueGreen'],
    ['maintenance', 'normalGreen'],
  ])('GIVEN the gate WHEN resolved in %s and in %s THEN only the flags differ', (a, b) => {
    const strip = (g: Gate) => ({ ...g, bindings: { ...g.bindings, MAINTENANCE: '-', READ_ONLY: '-' } });
    expect(strip(resolved(a))).toEqual(strip(resolved(b)));
  });

  test('GIVEN no window and a route in an unknown zone WHEN resolved THEN the window bindings are empty, the zone UTC and the zone id empty', () => {
    const g = resolved('normalBlue', { ...SPEC, routes: [{ zone: 'other', pattern: 'x.example.org/*' }] }, null);
    expect(g.bindings).toMatchObject({ REASON: '', WINDOW_ANNOUNCE: '', WINDOW_START: '', WINDOW_END: '', TIME_ZONES: 'UTC' });
    expect(g.routes[0]!.zoneId).toBe('');
  });
});

describe('pageBindings and healthPaths', () => {
  test.each<[string, Window | undefined, Partial<GateBindings>]>([
    ['a window', WINDOW, { REASON: 'Database upgrade', WINDOW_END: '2030-01-20T00:30:00Z', TIME_ZONES: 'Europe/London,America/New_York', STATUS_URL: 'https://status.example.com/' }],
    ['no window', undefined, { REASON: '', WINDOW_ANNOUNCE: '', WINDOW_START: '', WINDOW_END: '', TIME_ZONES: 'UTC' }],
  ])('GIVEN %s WHEN the page bindings are made THEN they carry it', (_what, window, expected) => {
    expect(pageBindings({ window, brand: BRAND })).toMatchObject(expected);
  });

  test('GIVEN a brand without status page or contact WHEN the page bindings are made THEN those are empty', () => {
    expect(pageBindings({ brand: { name: 'B', colour: '#000000' } })).toMatchObject({ BRAND_NAME: 'B', BRAND_COLOUR: '#000000', STATUS_URL: '', CONTACT: '' });
  });

  test.each<[string, string, string[], typeof TARGET_GROUPS, string[]]>([
    ['only the site root', '/', [], [], []],
    ['the site path, declared paths and a target group\'s two paths', '/health', ['/status', '/healthz'], TARGET_GROUPS, ['/health', '/healthz', '/healthz-maintenance', '/status']],
  ])('GIVEN %s WHEN health paths are listed THEN they are sorted, each once, never /', (_what, site, declared, groups, expected) => {
    expect(healthPaths(site, declared, groups)).toEqual(expected);
  });
});

describe('gate.describe', () => {
  const item = (g: Gate) => ({ ...g, id: 'gate' as const });
  const base = resolved('normalBlue');
  const flagged = (more: Partial<GateBindings>) => ({ ...base, bindings: { ...base.bindings, ...more } });
  test.each<[string, Gate, Gate, ReturnType<typeof brief>[]]>([
    ['nothing changed', base, base, []],
    ['maintenance switched on', base, resolved('maintenance'), [{ text: 'MAINTENANCE 0 -> 1 on shop-gate', action: 'modify', field: 'bindings.MAINTENANCE', effects: ['flips-flag', 'holds-public'] }]],
    ['maintenance switched off', resolved('maintenance'), base, [{ text: 'MAINTENANCE 1 -> 0 on shop-gate', action: 'modify', field: 'bindings.MAINTENANCE', effects: ['flips-flag', 'releases-public'] }]],
    [
      'a cutover freezing its source',
      base,
      resolved(cutoverAt('freeze')),
      [{ text: 'READ_ONLY 0 -> 1 on shop-gate', action: 'modify', field: 'bindings.READ_ONLY', effects: ['flips-flag', 'holds-public'] }],
    ],
    [
      // read-only giving way to the page releases nobody: the public stays held
      'a cutover moving traffic while the public is held',
      resolved(cutoverAt('freeze')),
      resolved(cutoverAt('move')),
      [
        { text: 'MAINTENANCE 0 -> 1 on shop-gate', action: 'modify', field: 'bindings.MAINTENANCE', effects: ['flips-flag', 'holds-public'] },
        { text: 'READ_ONLY 1 -> 0 on shop-gate', action: 'modify', field: 'bindings.READ_ONLY', effects: ['flips-flag'] },
      ],
    ],
    ['the target opened', resolved(cutoverAt('move')), resolved('normalGreen'), [{ text: 'MAINTENANCE 1 -> 0 on shop-gate', action: 'modify', field: 'bindings.MAINTENANCE', effects: ['flips-flag', 'releases-public'] }]],
    ['a reason cleared', base, flagged({ REASON: '' }), [{ text: 'REASON Database upgrade -> "" on shop-gate', action: 'modify', field: 'bindings.REASON', effects: ['flips-flag'] }]],
    [
      'a route added and one removed',
      base,
      { ...base, routes: [{ zone: 'main', zoneId: 'a'.repeat(32), pattern: 'api.example.com/*' }] },
      [
        { text: 'route api.example.com/* -> shop-gate added', action: 'modify', field: 'routes', effects: ['moves-traffic'] },
        { text: 'route www.example.com/* removed from shop-gate', action: 'modify', field: 'routes', effects: ['moves-traffic'] },
      ],
    ],
    ['the Worker renamed', base, { ...base, scriptName: 'shop-gate-2' }, [{ text: 'gate Worker renamed shop-gate -> shop-gate-2 (replaces the Worker)', action: 'modify', field: 'scriptName', effects: ['replaces'] }]],
  ])('GIVEN %s WHEN described THEN the change records say so', (_what, before, after, expected) => {
    expect(changes(gate, item(before), item(after)).map(brief)).toEqual(expected);
  });

  test('GIVEN the gate added or removed with the estate WHEN described THEN there is nothing to say about it', () => {
    expect(changes(gate, undefined, item(base))).toEqual([]);
    expect(changes(gate, item(base), undefined)).toEqual([]);
  });

  test('GIVEN a flag flips WHEN described THEN from and to are the binding values', () => {
    expect(changes(gate, item(base), item(resolved('maintenance')))).toEqual([expect.objectContaining({ provider: 'cloudflare', component: 'gate', id: 'gate', name: 'shop-gate', from: '0', to: '1' })]);
  });
});

describe('gate rules', () => {
  const facts = { zones: new Map([['main', 'example.com'], ['blog', 'blog.example.org']]) };
  test.each<[string, { zone: string; pattern: string }[], string[]]>([
    ['a route on a subdomain', [{ zone: 'main', pattern: 'www.example.com/*' }], []],
    ['a route on the apex and a wildcard', [{ zone: 'main', pattern: 'example.com/*' }, { zone: 'main', pattern: '*.example.com/*' }], []],
    ['a route in an unknown zone', [{ zone: 'nope', pattern: 'www.example.com/*' }], ["cloudflare.gate.routes[0].zone: unknown zone 'nope'; allowed: main, blog"]],
    [
      'a route outside its zone',
      [{ zone: 'blog', pattern: 'www.example.com/*' }],
      ["cloudflare.gate.routes[0].pattern: 'www.example.com/*' is not in the zone blog.example.org; a route's host must be the zone or one of its subdomains"],
    ],
    [
      'a route on a look-alike host',
      [{ zone: 'main', pattern: 'www.notexample.com/*' }],
      ["cloudflare.gate.routes[0].pattern: 'www.notexample.com/*' is not in the zone example.com; a route's host must be the zone or one of its subdomains"],
    ],
  ])('GIVEN %s WHEN routesInTheirZone runs THEN it reports the listed problems', (_what, routes, expected) => {
    expect(runRule(gate, 'routesInTheirZone', { scriptName: 'g', routes }, facts)).toEqual(expected);
  });

  test('GIVEN an estate without a gate WHEN routesInTheirZone runs THEN there is nothing to report', () => {
    expect(runRule(gate, 'routesInTheirZone', undefined, facts)).toEqual([]);
  });
});

describe('gate.identity', () => {
  test.each(identityCases(gate))('GIVEN the %s estate WHEN resolved in every mode state it supports (%s) THEN the gate keeps its identity', (_name, _states, ids) => {
    for (const other of ids) expect(other).toEqual(ids[0]);
  });

  test('GIVEN only bindings change THEN the identity is the same; a new script name is not', () => {
    const base = { ...resolved('normalBlue'), id: 'gate' as const };
    expect(gate.identity({ ...resolved('maintenance'), id: 'gate' })).toEqual(gate.identity(base));
    expect(gate.identity({ ...base, scriptName: 'other' })).not.toEqual(gate.identity(base));
  });
});
