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
  allowPaths: ['POST /webhooks/stripe', '/assets/*'],
  apiPaths: ['/api/*', '/graphql'],
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
        ALLOW_PATHS: 'POST /webhooks/stripe,GET HEAD /assets/*',
        API_PATHS: '/api/*,/graphql',
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

describe('gate rules: allowPaths and apiPaths', () => {
  const ROUTES = [{ zone: 'main', pattern: 'www.example.com/*' }];
  const ALLOW = 'allowed: a path such as /webhooks/stripe or a prefix such as /assets/*, optionally after methods (POST /webhooks/stripe)';
  const API = 'allowed: a path such as /graphql or a prefix such as /api/*';
  const allowIn = (allowPaths: string[], bypass?: { path: string }) => runRule(gate, 'pathListsAreSafe', { scriptName: 'g', routes: ROUTES, allowPaths, ...(bypass ? { bypass } : {}) });
  const apiIn = (apiPaths: string[]) => runRule(gate, 'pathListsAreSafe', { scriptName: 'g', routes: ROUTES, apiPaths });

  test('GIVEN webhooks, assets, legal pages and a well-known file WHEN pathListsAreSafe runs THEN there is nothing to report', () => {
    expect(allowIn(['POST /webhooks/stripe', '/assets/*', 'GET HEAD OPTIONS /legal/*', '/terms', '/.well-known/apple-app-site-association', '/webhooks/stripe/*'])).toEqual([]);
    expect(apiIn(['/api/*', '/graphql', '/v1/*'])).toEqual([]);
  });

  test.each<[string, string, string]>([
    ['the home page', '/', `"/" would let the home page through while the page is up; ${ALLOW}`],
    ['the home page for writes', 'POST /', `"POST /" would let the home page through while the page is up; ${ALLOW}`],
    ['a prefix of everything', '/*', `"/*" would let the home page and the whole site through while the page is up; ${ALLOW}`],
    ['a bare star', '*', `"*" would let the whole site through while the page is up; ${ALLOW}`],
    ['an empty entry', '', `"" is empty; ${ALLOW}`],
    ['a path without its leading slash', 'webhooks/stripe', `"webhooks/stripe" does not start with '/'; ${ALLOW}`],
    ['a whole URL', 'https://www.example.com/webhooks/stripe', `"https://www.example.com/webhooks/stripe" is a URL; give only its path; ${ALLOW}`],
    ['a query string', 'POST /webhooks/stripe?source=live', `"POST /webhooks/stripe?source=live" has a query string or fragment; the gate matches the path only; ${ALLOW}`],
    ['a method in lower case', 'post /webhooks/stripe', `"post /webhooks/stripe" names the method post in lower case; write it POST; ${ALLOW}`],
    ['an unknown method', 'FETCH /webhooks/stripe', `"FETCH /webhooks/stripe" names the method FETCH; methods it may name: GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS; ${ALLOW}`],
    ['a method named twice', 'POST POST /webhooks/stripe', `"POST POST /webhooks/stripe" names POST twice; ${ALLOW}`],
    ['a space in the path', 'POST /webhooks/ stripe', `"POST /webhooks/ stripe" has a space in its path; ${ALLOW}`],
    ['a .. segment', '/webhooks/stripe/../../admin', `"/webhooks/stripe/../../admin" has a '.' or '..' segment; ${ALLOW}`],
    ['a . segment', '/./assets/*', `"/./assets/*" has a '.' or '..' segment; ${ALLOW}`],
    ['encoded dots', '/%2e%2e/admin', `"/%2e%2e/admin" contains '%': write the path without percent-escapes (the gate matches the path as typed); ${ALLOW}`],
    ['an empty segment', '/webhooks//stripe', `"/webhooks//stripe" has an empty segment ('//'); ${ALLOW}`],
    ['an exact path ending in a slash', '/assets/', `"/assets/" ends with '/'; write /assets/* for everything under /assets/, or /assets for that one path; ${ALLOW}`],
    ['a star inside a segment', '/api*', `"/api*" has '*' where only a last segment /* may be (/assets/* is everything under /assets/); ${ALLOW}`],
    ['a star in the middle', '/assets/*/img', `"/assets/*/img" has '*' where only a last segment /* may be (/assets/* is everything under /assets/); ${ALLOW}`],
    ['a backslash', '/webhooks\\stripe', `"/webhooks\\\\stripe" contains characters a URL path does not carry as typed (spaces, non-ASCII, \\ " < > \` { }); ${ALLOW}`],
    ['non-ASCII', '/caf\u00e9', `"/caf\u00e9" contains characters a URL path does not carry as typed (spaces, non-ASCII, \\ " < > \` { }); ${ALLOW}`],
    ['a comma', '/a,/b', `"/a,/b" contains a comma (the binding is a comma-separated list); ${ALLOW}`],
  ])('GIVEN allowPaths with %s WHEN pathListsAreSafe runs THEN it is refused with what is allowed', (_what, entry, message) => {
    expect(allowIn(['/terms', entry])).toEqual([`cloudflare.gate.allowPaths[1]: ${message}`]);
  });

  test.each<[string, string[], { path: string } | undefined, string[]]>([
    [
      'the same path twice with other methods',
      ['POST /webhooks/stripe', 'GET /webhooks/stripe'],
      undefined,
      ['cloudflare.gate.allowPaths[1]: "GET /webhooks/stripe" lists /webhooks/stripe again (already at cloudflare.gate.allowPaths[0]); list each path once, with all its methods (POST GET /webhooks/stripe)'],
    ],
    [
      'the same prefix twice',
      ['/assets/*', 'GET HEAD /assets/*'],
      undefined,
      ['cloudflare.gate.allowPaths[1]: "GET HEAD /assets/*" lists /assets/* again (already at cloudflare.gate.allowPaths[0]); list each path once, with all its methods (GET HEAD /assets/*)'],
    ],
    [
      'the bypass path',
      ['POST /__drawbridge/bypass'],
      undefined,
      ['cloudflare.gate.allowPaths[0]: "POST /__drawbridge/bypass" covers the bypass path /__drawbridge/bypass, which the staff bypass form answers, never the origin; list paths of the site only'],
    ],
    [
      'a prefix over a bypass path of its own',
      ['/staff/*'],
      { path: '/staff/bypass' },
      ['cloudflare.gate.allowPaths[0]: "/staff/*" covers the bypass path /staff/bypass, which the staff bypass form answers, never the origin; list paths of the site only'],
    ],
  ])('GIVEN allowPaths with %s WHEN pathListsAreSafe runs THEN it is refused', (_what, allowPaths, bypass, expected) => {
    expect(allowIn(allowPaths, bypass)).toEqual(expected);
  });

  test('GIVEN more paths than a Worker variable holds WHEN pathListsAreSafe runs THEN the list is refused once, with the limit', () => {
    const many = Array.from({ length: 300 }, (_, i) => `POST /webhooks/provider-${i}`);
    expect(allowIn(many.slice(0, 150))).toEqual([]);
    expect(allowIn(many)).toEqual(['cloudflare.gate.allowPaths: written out (ALLOW_PATHS) is 8289 bytes; a Worker variable holds at most 5120 bytes, so the deploy would fail; list prefixes (/assets/*) instead of many paths']);
  });

  test('GIVEN a prefix that only looks like the bypass path WHEN pathListsAreSafe runs THEN it is accepted (segment boundary)', () => {
    expect(allowIn(['/__drawbridge/bypass-help', '/__drawbridge/bypassx/*'])).toEqual([]);
  });

  test.each<[string, string[], string[]]>([
    ['the home page', ['/'], [`cloudflare.gate.apiPaths[0]: "/" would answer every refusal in JSON on the home page, so browsers would get no page; ${API}`]],
    ['a prefix of everything', ['/*'], [`cloudflare.gate.apiPaths[0]: "/*" would answer every refusal in JSON, so browsers would get no page; ${API}`]],
    ['a method', ['POST /graphql'], [`cloudflare.gate.apiPaths[0]: "POST /graphql" names a method (POST); an API path takes none: every request to it gets JSON; ${API}`]],
    ['a prefix twice', ['/api/*', '/api/*'], ['cloudflare.gate.apiPaths[1]: "/api/*" lists /api/* again (already at cloudflare.gate.apiPaths[0]); list each path once']],
  ])('GIVEN apiPaths with %s WHEN pathListsAreSafe runs THEN it is refused', (_what, apiPaths, expected) => {
    expect(apiIn(apiPaths)).toEqual(expected);
  });

  test('GIVEN entries as typed WHEN resolved THEN the bindings write each one out in full, the same in every mode', () => {
    const spec = { ...SPEC, allowPaths: ['  POST   /webhooks/stripe ', '/assets/*', 'OPTIONS GET /legal/*'], apiPaths: ['/api/*'] };
    for (const state of ['normalBlue', 'maintenance', 'cutoverBlueGreen'] as const) {
      const b = resolved(state, spec).bindings;
      expect([b.ALLOW_PATHS, b.API_PATHS]).toEqual(['POST /webhooks/stripe,GET HEAD /assets/*,OPTIONS GET /legal/*', '/api/*']);
    }
  });

  test('GIVEN no paths declared WHEN resolved THEN both bindings are empty (set, so leaving a mode restores them)', () => {
    const { allowPaths: _a, apiPaths: _b, ...spec } = SPEC;
    const b = resolved('maintenance', spec).bindings;
    expect([b.ALLOW_PATHS, b.API_PATHS]).toEqual(['', '']);
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
