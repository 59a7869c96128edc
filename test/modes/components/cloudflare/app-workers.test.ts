import { z } from 'zod';
import { appWorkers, readKeyCommand } from '../../../../modes/components/cloudflare/app-workers';
import type { DesiredAppWorker, DesiredCloudflare, DesiredState } from '../../../../modes/desired';
import type { ModeState, Window } from '../../../../modes/fields';
import type { MovePolicy } from '../../../../modes/mode-table';
import { brief, cfPart, changes, ctxIn, estateItems, identityCases, itemsIn, runRule, S, type StateName, titled, verifyCtx } from '../../../support/components';

/** Runbook 000: MAINTENANCE on "web" and "web-services", the completion times on "web". */
const SPEC = {
  namespace: 'ticketing-maintenance',
  workers: [
    {
      id: 'web',
      scriptName: 'web',
      zone: 'main',
      maintenance: 'MAINTENANCE',
      readOnly: 'READ_ONLY',
      completionTimes: { COMPLETION_TIME_UK: 'Europe/London', COMPLETION_TIME_ET: 'America/New_York', COMPLETION_TIME_PT: 'America/Los_Angeles' },
    },
    { id: 'web-services', scriptName: 'web-services', maintenance: 'MAINTENANCE' },
  ],
};
const WINDOW: Window = { reason: 'Server updates', announce: '2030-03-15T09:00:00Z', start: '2030-03-17T06:00:00Z', end: '2030-03-17T09:00:00Z', timeZones: ['Europe/London'] };
const ENDS = { COMPLETION_TIME_UK: 'Sun 17 Mar 2030, 09:00 GMT', COMPLETION_TIME_ET: 'Sun 17 Mar 2030, 05:00 EDT', COMPLETION_TIME_PT: 'Sun 17 Mar 2030, 02:00 PDT' };

type Workers = DesiredAppWorker[];
const workersIn = (state: StateName | ModeState, spec: unknown = SPEC, more: { window?: Window; policy?: MovePolicy } = { window: WINDOW }): Workers =>
  itemsIn(appWorkers, spec, state, more) as Workers;
/** `KEY=value` of each flag of each Worker, e.g. `web MAINTENANCE=1 READ_ONLY=0`. */
const flags = (ws: Workers) => ws.map((w) => [w.scriptName, ...w.keys.filter((k) => k.kind !== 'completionTime').map((k) => `${k.key}=${k.value}`)].join(' '));

const blue = (mode: ModeState['mode'], stage?: ModeState['stage']): ModeState => ({ mode, live: 'blue', hardDown: false, ...(mode === 'cutover' ? { target: 'green' as const } : {}), ...(stage ? { stage } : {}) });
const OFF = ['web MAINTENANCE=0 READ_ONLY=0', 'web-services MAINTENANCE=0'];
const PAGE = ['web MAINTENANCE=1 READ_ONLY=0', 'web-services MAINTENANCE=1'];
const READ_ONLY = ['web MAINTENANCE=0 READ_ONLY=1', 'web-services MAINTENANCE=0'];

describe('appWorkers.resolve', () => {
  // The flags are what the public sees (the mode table's gate()), switching with the page.
  test.each(titled<[string, ModeState, MovePolicy | undefined, string[]]>([
    ['normal', S.normalBlue, undefined, OFF],
    ['maintenance:ahead', blue('maintenance', 'ahead'), undefined, OFF],
    ['maintenance:page', blue('maintenance', 'page'), undefined, PAGE],
    ['maintenance', S.maintenance, undefined, PAGE],
    ['a hard-down', S.hardDown, undefined, PAGE],
    ['normal:behind', blue('normal', 'behind'), undefined, PAGE],
    ['normal:page', blue('normal', 'page'), undefined, OFF],
    ['cutover:prepare', blue('cutover', 'prepare'), undefined, OFF],
    ['cutover:freeze (the source read-only)', blue('cutover', 'freeze'), undefined, READ_ONLY],
    ['cutover:restore', blue('cutover', 'restore'), undefined, READ_ONLY],
    ['cutover:move (the target held behind the page)', blue('cutover', 'move'), undefined, PAGE],
    ['cutover (stage move by default)', S.cutoverBlueGreen, undefined, PAGE],
    ['cutover:freeze with freeze: maintenance', blue('cutover', 'freeze'), { freeze: 'maintenance', test: 'behind-page' }, PAGE],
    ['cutover:move, tested before the move (no gate)', blue('cutover', 'move'), { freeze: 'read-only', test: 'before-move' }, READ_ONLY],
    ['normal on the target', S.normalGreen, undefined, OFF],
  ]))('GIVEN runbook 000\'s Workers WHEN resolved in $what THEN their flags are $expected', ({ row: [, state, policy, expected] }) => {
    expect(flags(workersIn(state, SPEC, { window: WINDOW, ...(policy ? { policy } : {}) }))).toEqual(expected);
  });

  test('GIVEN a Worker WHEN resolved THEN each key is named <scriptName>/<KEY>, flags first, then the completion times in their order', () => {
    const [web] = workersIn('maintenance');
    expect(web).toEqual({
      id: 'web',
      scriptName: 'web',
      zone: 'main',
      keys: [
        { key: 'MAINTENANCE', kind: 'maintenance', name: 'web/MAINTENANCE', value: '1' },
        { key: 'READ_ONLY', kind: 'readOnly', name: 'web/READ_ONLY', value: '0' },
        { key: 'COMPLETION_TIME_UK', kind: 'completionTime', name: 'web/COMPLETION_TIME_UK', value: ENDS.COMPLETION_TIME_UK, timeZone: 'Europe/London' },
        { key: 'COMPLETION_TIME_ET', kind: 'completionTime', name: 'web/COMPLETION_TIME_ET', value: ENDS.COMPLETION_TIME_ET, timeZone: 'America/New_York' },
        { key: 'COMPLETION_TIME_PT', kind: 'completionTime', name: 'web/COMPLETION_TIME_PT', value: ENDS.COMPLETION_TIME_PT, timeZone: 'America/Los_Angeles' },
      ],
    });
  });

  test.each<StateName>(['normalBlue', 'maintenance', 'cutoverBlueGreen', 'normalGreen'])(
    'GIVEN a window WHEN resolved in %s THEN the completion times are its end in each zone (set the day before, in every mode)',
    (state) => {
      const [web] = workersIn(state);
      expect(Object.fromEntries(web!.keys.filter((k) => k.kind === 'completionTime').map((k) => [k.key, k.value]))).toEqual(ENDS);
    },
  );

  test('GIVEN no window WHEN resolved THEN the completion times are empty', () => {
    const [web] = workersIn('maintenance', SPEC, {});
    expect(web!.keys.filter((k) => k.kind === 'completionTime').map((k) => k.value)).toEqual(['', '', '']);
  });

  test.each(titled<[string, ModeState, string]>([
    ['maintenance:ahead', blue('maintenance', 'ahead'), '1'],
    ['normal:behind', blue('normal', 'behind'), '1'],
    ['normal:page', blue('normal', 'page'), '1'],
    ['normal', S.normalBlue, '0'],
  ]))('GIVEN a Worker switching ahead of the page, back after it WHEN resolved in $what THEN MAINTENANCE is $expected', ({ row: [, state, expected] }) => {
    const early = { namespace: 'n', workers: [{ id: 'api', scriptName: 'api', maintenance: 'MAINTENANCE', timing: { enter: 'ahead', leave: 'ahead' } }] };
    expect(workersIn(state, early)[0]!.keys[0]!.value).toBe(expected);
  });

  test('GIVEN the ticketing estate WHEN it enters and leaves maintenance THEN MAINTENANCE goes up on both Workers with the page and down with it', () => {
    const states = [blue('maintenance', 'ahead'), blue('maintenance', 'page'), S.maintenance, blue('normal', 'behind'), blue('normal', 'page'), S.normalBlue];
    expect(states.map((state) => flags(estateItems<DesiredAppWorker>(appWorkers, 'ticketing', state)))).toEqual([
      ['web MAINTENANCE=0', 'web-services MAINTENANCE=0'],
      ['web MAINTENANCE=1', 'web-services MAINTENANCE=1'],
      ['web MAINTENANCE=1', 'web-services MAINTENANCE=1'],
      ['web MAINTENANCE=1', 'web-services MAINTENANCE=1'],
      ['web MAINTENANCE=0', 'web-services MAINTENANCE=0'],
      ['web MAINTENANCE=0', 'web-services MAINTENANCE=0'],
    ]);
  });

  test('GIVEN the ticketing estate THEN web carries the window\'s end in the UK, ET and PT in every mode, and each key is named <scriptName>/<KEY>', () => {
    const [web, services] = estateItems<DesiredAppWorker>(appWorkers, 'ticketing', S.normalBlue);
    expect(web!.keys.map((k) => `${k.name}=${k.value}`)).toEqual([
      'web/MAINTENANCE=0',
      `web/COMPLETION_TIME_UK=${ENDS.COMPLETION_TIME_UK}`,
      `web/COMPLETION_TIME_ET=${ENDS.COMPLETION_TIME_ET}`,
      `web/COMPLETION_TIME_PT=${ENDS.COMPLETION_TIME_PT}`,
    ]);
    expect(services!.keys.map((k) => k.name)).toEqual(['web-services/MAINTENANCE']);
    expect(estateItems<DesiredAppWorker>(appWorkers, 'ticketing', S.maintenance)[0]!.keys.slice(1)).toEqual(web!.keys.slice(1));
  });

  test('GIVEN no appWorkers WHEN resolved THEN nothing is set and there are no items', () => {
    expect(appWorkers.resolve(appWorkers.schema.parse(undefined), ctxIn('maintenance'))).toEqual({});
    expect(appWorkers.items(cfPart({ bots: [], records: [] }))).toEqual([]);
  });

  test('GIVEN the namespace WHEN resolved THEN its title is the estate\'s in every mode', () => {
    const part = (state: StateName) => (appWorkers.resolve(appWorkers.schema.parse(SPEC), ctxIn(state)) as Partial<DesiredCloudflare>).appWorkers!.namespace;
    expect([part('normalBlue'), part('maintenance'), part('cutoverBlueGreen')]).toEqual(['ticketing-maintenance', 'ticketing-maintenance', 'ticketing-maintenance']);
  });
});

describe('appWorkers.describe', () => {
  const [normalWeb, normalServices] = workersIn('normalBlue');
  const [downWeb] = workersIn('maintenance');
  const [frozenWeb] = workersIn(blue('cutover', 'freeze'));
  const [heldWeb] = workersIn(blue('cutover', 'move'));
  const [noWindowWeb] = workersIn('normalBlue', SPEC, {});
  test.each<[string, DesiredAppWorker | undefined, DesiredAppWorker | undefined, ReturnType<typeof brief>[]]>([
    ['nothing changed', normalWeb, normalWeb, []],
    ['the page going up', normalWeb, downWeb, [{ text: 'MAINTENANCE 0 -> 1 on web (KV web/MAINTENANCE)', action: 'modify', field: 'keys.MAINTENANCE', effects: ['flips-flag', 'holds-public'] }]],
    ['the page coming down', downWeb, normalWeb, [{ text: 'MAINTENANCE 1 -> 0 on web (KV web/MAINTENANCE)', action: 'modify', field: 'keys.MAINTENANCE', effects: ['flips-flag', 'releases-public'] }]],
    ['a cutover freezing its source', normalWeb, frozenWeb, [{ text: 'READ_ONLY 0 -> 1 on web (KV web/READ_ONLY)', action: 'modify', field: 'keys.READ_ONLY', effects: ['flips-flag', 'holds-public'] }]],
    [
      'read-only giving way to the page (the public stays held)',
      frozenWeb,
      heldWeb,
      [
        { text: 'MAINTENANCE 0 -> 1 on web (KV web/MAINTENANCE)', action: 'modify', field: 'keys.MAINTENANCE', effects: ['flips-flag', 'holds-public'] },
        { text: 'READ_ONLY 1 -> 0 on web (KV web/READ_ONLY)', action: 'modify', field: 'keys.READ_ONLY', effects: ['flips-flag'] },
      ],
    ],
    [
      'a window declared',
      noWindowWeb,
      normalWeb,
      [
        { text: `COMPLETION_TIME_UK "" -> ${ENDS.COMPLETION_TIME_UK} on web (KV web/COMPLETION_TIME_UK)`, action: 'modify', field: 'keys.COMPLETION_TIME_UK', effects: ['flips-flag'] },
        { text: `COMPLETION_TIME_ET "" -> ${ENDS.COMPLETION_TIME_ET} on web (KV web/COMPLETION_TIME_ET)`, action: 'modify', field: 'keys.COMPLETION_TIME_ET', effects: ['flips-flag'] },
        { text: `COMPLETION_TIME_PT "" -> ${ENDS.COMPLETION_TIME_PT} on web (KV web/COMPLETION_TIME_PT)`, action: 'modify', field: 'keys.COMPLETION_TIME_PT', effects: ['flips-flag'] },
      ],
    ],
    [
      'a key added and one removed with the estate',
      normalServices,
      { ...normalServices!, keys: [{ key: 'READ_ONLY', kind: 'readOnly', name: 'web-services/READ_ONLY', value: '0' }] },
      [
        { text: 'READ_ONLY (none) -> 0 on web-services (KV web-services/READ_ONLY)', action: 'modify', field: 'keys.READ_ONLY', effects: [] },
        { text: 'MAINTENANCE removed from web-services (KV web-services/MAINTENANCE)', action: 'modify', field: 'keys.MAINTENANCE', effects: [] },
      ],
    ],
    [
      'the Worker renamed',
      normalServices,
      { ...normalServices!, scriptName: 'api', keys: [{ ...normalServices!.keys[0]!, name: 'api/MAINTENANCE' }] },
      [{ text: 'Worker web-services renamed api: its KV keys are replaced (api/MAINTENANCE)', action: 'modify', field: 'scriptName', effects: ['replaces'] }],
    ],
    ['a Worker added with the estate', undefined, normalServices, [{ text: 'KV keys of Worker web-services added: web-services/MAINTENANCE', action: 'add', effects: [] }]],
    ['a Worker removed with the estate', normalServices, undefined, [{ text: 'KV keys of Worker web-services removed: web-services/MAINTENANCE', action: 'remove', effects: [] }]],
  ])('GIVEN %s WHEN described THEN the change records say so', (_what, before, after, expected) => {
    expect(changes(appWorkers, before, after).map(brief)).toEqual(expected);
  });

  test('GIVEN a flag flips WHEN described THEN the record names the Worker by its id and script, with the values', () => {
    expect(changes(appWorkers, normalServices, workersIn('maintenance')[1])).toEqual([
      expect.objectContaining({ provider: 'cloudflare', component: 'appWorker', id: 'web-services', name: 'web-services', from: '0', to: '1' }),
    ]);
  });
});

describe('appWorkers rules', () => {
  const w = (more: object) => ({ id: 'web', scriptName: 'web', maintenance: 'MAINTENANCE', ...more });
  const spec = (...workers: object[]) => ({ namespace: 'ns', workers });
  const at = (i: number) => `cloudflare.appWorkers.workers[${i}]`;
  test.each<[string, string, unknown, string[]]>([
    ['uniqueWorkers', 'runbook 000\'s Workers', SPEC, []],
    ['uniqueWorkers', 'two Workers with one id', spec(w({}), w({ scriptName: 'api' })), [`${at(1)}.id: duplicate id 'web' (already used at ${at(0)}); each id must be unique`]],
    [
      'uniqueWorkers',
      'two Workers with one script name',
      spec(w({}), w({ id: 'web-2' })),
      [`${at(1)}.scriptName: duplicate scriptName 'web' (already used at ${at(0)}); each scriptName must be unique`],
    ],
    ['keysNamedOnce', 'runbook 000\'s Workers', SPEC, []],
    [
      'keysNamedOnce',
      'a key named twice',
      spec(w({ readOnly: 'MAINTENANCE', completionTimes: { MAINTENANCE: 'UTC' } })),
      [
        `${at(0)}.readOnly: key MAINTENANCE is already named at ${at(0)}.maintenance; name each key of a Worker once`,
        `${at(0)}.completionTimes.MAINTENANCE: key MAINTENANCE is already named at ${at(0)}.maintenance; name each key of a Worker once`,
      ],
    ],
    ['keysNamedOnce', 'a Worker with no key', spec({ id: 'web', scriptName: 'web' }), [`${at(0)}: Worker web declares no key; set maintenance, readOnly or completionTimes`]],
    ['keysNamedOnce', 'one key name on two Workers (each has its own)', spec(w({}), w({ id: 'api', scriptName: 'api' })), []],
    ['workersInKnownZones', 'a Worker in a known zone', spec(w({ zone: 'main' })), []],
    ['workersInKnownZones', 'an unknown zone', spec(w({ zone: 'nope' })), [`${at(0)}.zone: unknown zone 'nope'; allowed: main`]],
  ])('GIVEN %s: %s THEN it reports the listed problems', (rule, _what, input, expected) => {
    expect(runRule(appWorkers, rule, input)).toEqual(expected);
  });

  test.each(['uniqueWorkers', 'keysNamedOnce', 'workersInKnownZones'])('GIVEN no appWorkers WHEN %s runs THEN there is nothing to report', (rule) => {
    expect(runRule(appWorkers, rule, undefined)).toEqual([]);
  });

  test.each<[string, unknown, RegExp]>([
    ['a lower-case key with a dash', spec(w({ maintenance: 'in-maintenance' })), /must be a variable name/],
    ['an unknown time zone', spec(w({ completionTimes: { END: 'Mars/Olympus' } })), /must be an IANA time zone/],
    ['a Worker name with capitals', spec(w({ scriptName: 'Web' })), /must be a Worker name/],
    ['no Workers', spec(), /at least 1|>=1/i],
  ])('GIVEN %s THEN the schema refuses it', (_what, input, message) => {
    expect(() => appWorkers.schema.parse(input)).toThrow(message);
  });
});

describe('appWorkers checks and verify', () => {
  const cf = (gateScript?: string): DesiredCloudflare =>
    cfPart({ appWorkers: { namespace: 'ns', workers: workersIn('normalBlue') }, bots: [], records: [], ...(gateScript ? { gate: { scriptName: gateScript, routes: [], bindings: {} } } : {}) });

  test.each(titled<[string, string | undefined, string[]]>([
    ['no gate', undefined, []],
    ['a gate of its own', 'ticketing-gate', []],
    ['the gate\'s script named as an app Worker', 'web', [`cloudflare.appWorkers.workers[web].scriptName: "web" is the gate's Worker (cloudflare.gate.scriptName); appWorkers are the application's own Workers, name another one`]],
  ]))('GIVEN $what THEN checks report $expected', ({ row: [, gateScript, expected] }) => {
    expect(appWorkers.checks!(cf(gateScript), {} as DesiredState)).toEqual(expected);
  });

  test('GIVEN the page going up THEN a person checks each changed key with wrangler, remotely, reading the namespace id from the Pulumi stack', () => {
    const before = cf();
    const after = cfPart({ ...before, appWorkers: { namespace: 'ns', workers: workersIn('maintenance') } });
    expect(appWorkers.verify!(before, after, verifyCtx('maintenance'))).toEqual([
      { what: 'web reads MAINTENANCE=1 from KV', command: readKeyCommand('web/MAINTENANCE', 'production'), output: '1' },
      { what: 'web-services reads MAINTENANCE=1 from KV', command: readKeyCommand('web-services/MAINTENANCE', 'production'), output: '1' },
    ]);
  });

  test.each(titled<[string, string | undefined, string]>([
    ['a stack', 'production', 'npx wrangler kv key get web/MAINTENANCE --namespace-id "$(pulumi stack output appWorkersNamespaceId --stack production)" --remote --text'],
    ['no stack (the selected one)', undefined, 'npx wrangler kv key get web/MAINTENANCE --namespace-id "$(pulumi stack output appWorkersNamespaceId)" --remote --text'],
  ]))('GIVEN $what THEN the command reading a key back is $expected', ({ row: [, stack, expected] }) => {
    expect(readKeyCommand('web/MAINTENANCE', stack)).toBe(expected);
  });

  test('GIVEN the first deploy with a window THEN every key is checked, the completion times by their text', () => {
    const checks = appWorkers.verify!(undefined, cf(), verifyCtx('normalBlue'));
    expect(checks.map((c) => [c.what, c.output])).toEqual([
      ['web reads MAINTENANCE=0 from KV', '0'],
      ['web reads READ_ONLY=0 from KV', '0'],
      [`web reads COMPLETION_TIME_UK=${ENDS.COMPLETION_TIME_UK} from KV`, ENDS.COMPLETION_TIME_UK],
      [`web reads COMPLETION_TIME_ET=${ENDS.COMPLETION_TIME_ET} from KV`, ENDS.COMPLETION_TIME_ET],
      [`web reads COMPLETION_TIME_PT=${ENDS.COMPLETION_TIME_PT} from KV`, ENDS.COMPLETION_TIME_PT],
      ['web-services reads MAINTENANCE=0 from KV', '0'],
    ]);
  });
});

describe('appWorkers.identity', () => {
  test.each(identityCases(appWorkers))('GIVEN the %s estate WHEN resolved in every mode state it supports (%s) THEN every Worker keeps its identity', (_name, _states, ids) => {
    for (const other of ids) expect(other).toEqual(ids[0]);
  });

  test('GIVEN only values change THEN the identity is the same; a renamed script (new key names) is not', () => {
    const [normalWeb] = workersIn('normalBlue');
    const [downWeb] = workersIn('maintenance', SPEC, {});
    expect(appWorkers.identity(downWeb!)).toEqual(appWorkers.identity(normalWeb!));
    const renamed = workersIn('normalBlue', { ...SPEC, workers: [{ ...SPEC.workers[0]!, scriptName: 'web-2' }] })[0]!;
    expect(appWorkers.identity(renamed)).not.toEqual(appWorkers.identity(normalWeb!));
  });
});

describe('the JSON Schema editors read', () => {
  const json = z.toJSONSchema(appWorkers.schema, { io: 'input', unrepresentable: 'any' }) as { description?: string; properties?: Record<string, { description?: string; items?: { properties?: Record<string, { description?: string }> } }> };

  test('GIVEN cloudflare.appWorkers THEN its descriptions tell the user to bind the namespace and read the keys', () => {
    expect(json.description).toMatch(/KV namespace Drawbridge owns/);
    expect(json.properties!.namespace!.description).toMatch(/Bind it in each Worker once .*appWorkersNamespaceId/);
    const worker = json.properties!.workers!.items!.properties!;
    expect(worker.scriptName!.description).toMatch(/never uploads or edits its code: bind the namespace/);
    expect(worker.maintenance!.description).toMatch(/env\.DRAWBRIDGE\.get\("web\/MAINTENANCE"\) === "1"/);
  });
});
