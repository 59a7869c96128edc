/**
 * Alerts muted for the declared window (modes/components/cloudflare/alerts.ts): the Datadog
 * downtime and the PagerDuty maintenance window follow the window, not the mode; their times in the
 * providers' format; the change records the plan shows; the rules and the schema's refusals.
 */
import { alerts, describeSpan, muteSchedule, providerTime } from '../../../../modes/components/cloudflare/alerts';
import { alertsWithoutWindow } from '../../../../modes/warnings';
import type { DesiredAlertMute } from '../../../../modes/desired';
import type { ModeState, Window } from '../../../../modes/fields';
import { plan } from '../../../../modes/plan';
import { parseModeWord } from '../../../../modes/words';
import { estateNamed } from '../../../support/estates';
import { brief, changes, ctxIn, estateItems, identityCases, itemsIn, runRule, S, supportedStagedStates, titled } from '../../../support/components';

/** The brief's window: 22:00 to 02:00 UTC, over midnight. */
const WINDOW: Window = { reason: 'Database upgrade', announce: '2030-01-18T09:00:00Z', start: '2030-01-19T22:00:00Z', end: '2030-01-20T02:00:00Z', timeZones: ['Europe/London', 'America/New_York'] };
const SPEC = { datadog: { monitorTags: ['service:shop', 'env:prod'] }, pagerduty: { serviceIds: ['PIJ90N7', 'PXPGF42'] } };
const MESSAGE = 'Planned maintenance: Database upgrade (window 2030-01-19T22:00:00Z to 2030-01-20T02:00:00Z). Managed by Drawbridge (estate test); change the estate\'s window, not this.';

const mutesIn = (state: keyof typeof S | ModeState, spec: unknown = SPEC, window: Window | undefined = WINDOW): DesiredAlertMute[] =>
  itemsIn(alerts, spec, state, window ? { window } : {}) as DesiredAlertMute[];

const blue = (mode: ModeState['mode'], stage?: ModeState['stage']): ModeState => ({ mode, live: 'blue', hardDown: false, ...(mode === 'cutover' ? { target: 'green' as const } : {}), ...(stage ? { stage } : {}) });

describe('alerts.resolve', () => {
  test('GIVEN a window from 22:00 to 02:00 UTC and the defaults WHEN resolved THEN Datadog mutes the tagged monitors and PagerDuty the services from 21:50 to 02:30 UTC, in the providers\' format', () => {
    expect(mutesIn('maintenance')).toEqual([
      { id: 'datadog', service: 'datadog', monitorTags: ['service:shop', 'env:prod'], start: '2030-01-19T21:50:00Z', end: '2030-01-20T02:30:00Z', message: MESSAGE, displayTimezone: 'Europe/London' },
      { id: 'pagerduty', service: 'pagerduty', serviceIds: ['PIJ90N7', 'PXPGF42'], start: '2030-01-19T21:50:00Z', end: '2030-01-20T02:30:00Z', message: MESSAGE },
    ]);
  });

  // The mutes follow the declared window, not the mode: created the day before with a future start,
  // the same in every state (so a mode switch never creates or removes them).
  test.each(titled<[string, ModeState]>([
    ['normal (the window committed ahead)', S.normalBlue],
    ['maintenance:ahead', blue('maintenance', 'ahead')],
    ['maintenance:page', blue('maintenance', 'page')],
    ['maintenance', S.maintenance],
    ['a hard-down', S.hardDown],
    ['normal:behind', blue('normal', 'behind')],
    ['normal:page', blue('normal', 'page')],
    ['cutover:prepare', blue('cutover', 'prepare')],
    ['cutover:freeze', blue('cutover', 'freeze')],
    ['cutover:restore', blue('cutover', 'restore')],
    ['cutover', S.cutoverBlueGreen],
    ['normal on green', S.normalGreen],
  ]))('GIVEN a declared window WHEN resolved in $what THEN the mutes are the ones of the window', ({ row: [, state] }) => {
    expect(mutesIn(state)).toEqual(mutesIn('maintenance'));
  });

  test.each<[string, keyof typeof S]>([['normal', 'normalBlue'], ['maintenance', 'maintenance'], ['a cutover', 'cutoverBlueGreen']])('GIVEN no window WHEN resolved in %s THEN nothing is muted and nothing is declared', (_what, state) => {
    expect(alerts.resolve(alerts.schema.parse(SPEC), ctxIn(state))).toEqual({});
  });

  test('GIVEN no alerts WHEN resolved THEN nothing is declared', () => {
    expect(alerts.resolve(alerts.schema.parse(undefined), ctxIn('maintenance', { window: WINDOW }))).toEqual({});
  });

  test.each(titled<[string, object, string[]]>([
    ['Datadog only', { datadog: SPEC.datadog }, ['datadog']],
    ['PagerDuty only', { pagerduty: SPEC.pagerduty }, ['pagerduty']],
    ['both', SPEC, ['datadog', 'pagerduty']],
  ]))('GIVEN $what WHEN resolved THEN the mutes are $expected', ({ row: [, spec, expected] }) => {
    expect(mutesIn('maintenance', spec).map((m) => m.id)).toEqual(expected);
  });

  test.each(titled<[string, object, Partial<Window>, [string, string]]>([
    ['no lead and no grace: the window itself', { leadMinutes: 0, graceMinutes: 0 }, {}, ['2030-01-19T22:00:00Z', '2030-01-20T02:00:00Z']],
    ['an hour ahead, two hours after', { leadMinutes: 60, graceMinutes: 120 }, {}, ['2030-01-19T21:00:00Z', '2030-01-20T04:00:00Z']],
    ['times written with an offset: in UTC with Z', {}, { start: '2030-07-01T22:00:00+01:00', end: '2030-07-02T01:00:00+01:00' }, ['2030-07-01T20:50:00Z', '2030-07-02T00:30:00Z']],
    ['fractions of a second: the start earlier, the end later, to the second', { leadMinutes: 0, graceMinutes: 0 }, { start: '2030-01-19T22:00:00.750Z', end: '2030-01-20T02:00:00.250Z' }, ['2030-01-19T22:00:00Z', '2030-01-20T02:00:01Z']],
  ]))('GIVEN $what WHEN resolved THEN the mute runs $expected', ({ row: [, more, window, expected] }) => {
    const [datadog, pagerduty] = mutesIn('maintenance', { ...SPEC, ...more }, { ...WINDOW, ...window });
    expect([datadog!.start, datadog!.end]).toEqual(expected);
    expect([pagerduty!.start, pagerduty!.end]).toEqual(expected);
  });

  test('GIVEN any instant THEN the provider time is UTC, whole seconds, ending in Z (Datadog\'s one-time schedule takes no other form)', () => {
    expect(providerTime(Date.parse('2030-03-17T06:00:00.999+02:00'))).toBe('2030-03-17T04:00:00Z');
    expect(providerTime(Date.parse('2030-03-17T06:00:00Z'))).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(muteSchedule(WINDOW, { leadMinutes: 10, graceMinutes: 30 })).toEqual({ start: '2030-01-19T21:50:00Z', end: '2030-01-20T02:30:00Z' });
  });

  test('GIVEN the ticketing estate (runbook 000) THEN its monitors and services are muted from 10 minutes before its window to 30 minutes after, in every state it supports', () => {
    const estate = estateNamed('ticketing');
    const all = supportedStagedStates(estate).map((s) => estateItems<DesiredAlertMute>(alerts, 'ticketing', s));
    expect(all.length).toBeGreaterThan(3);
    for (const mutes of all) expect(mutes).toEqual(all[0]);
    expect(all[0]!.map((m) => [m.id, m.start, m.end])).toEqual([
      ['datadog', '2030-03-17T05:50:00Z', '2030-03-17T09:30:00Z'],
      ['pagerduty', '2030-03-17T05:50:00Z', '2030-03-17T09:30:00Z'],
    ]);
  });
});

describe('alerts.describe', () => {
  const [datadog, pagerduty] = mutesIn('maintenance');
  const sameDay = mutesIn('maintenance', SPEC, { ...WINDOW, start: '2030-03-17T06:00:00Z', end: '2030-03-17T09:00:00Z' });
  test.each<[string, DesiredAlertMute | undefined, DesiredAlertMute | undefined, ReturnType<typeof brief>[]]>([
    ['nothing changed', datadog, datadog, []],
    [
      'the Datadog downtime created with the window',
      undefined,
      datadog,
      [{ text: 'Datadog downtime for monitors tagged service:shop, env:prod, from 21:50 UTC to 02:30 UTC (Sat 19 Jan 2030 - Sun 20 Jan 2030)', action: 'add', field: 'schedule', effects: [] }],
    ],
    [
      'the PagerDuty maintenance window created with the window',
      undefined,
      pagerduty,
      [{ text: 'PagerDuty maintenance window on services PIJ90N7, PXPGF42, from 21:50 UTC to 02:30 UTC (Sat 19 Jan 2030 - Sun 20 Jan 2030)', action: 'add', field: 'schedule', effects: [] }],
    ],
    ['a window within one day', undefined, sameDay[0], [{ text: 'Datadog downtime for monitors tagged service:shop, env:prod, from 05:50 UTC to 09:30 UTC (Sun 17 Mar 2030)', action: 'add', field: 'schedule', effects: [] }]],
    [
      'the window removed',
      pagerduty,
      undefined,
      [{ text: 'PagerDuty maintenance window on services PIJ90N7, PXPGF42 removed (it was from 21:50 UTC to 02:30 UTC (Sat 19 Jan 2030 - Sun 20 Jan 2030))', action: 'remove', field: 'schedule', effects: [] }],
    ],
    [
      'the window moved',
      datadog,
      sameDay[0],
      [
        {
          text: 'Datadog downtime for monitors tagged service:shop, env:prod moved: from 21:50 UTC to 02:30 UTC (Sat 19 Jan 2030 - Sun 20 Jan 2030) -> from 05:50 UTC to 09:30 UTC (Sun 17 Mar 2030)',
          action: 'modify',
          field: 'schedule',
          effects: [],
        },
      ],
    ],
    [
      'a tag added',
      datadog,
      { ...datadog!, monitorTags: ['service:shop', 'env:prod', 'team:web'] } as DesiredAlertMute,
      [{ text: 'Datadog downtime for monitors tagged service:shop, env:prod now covers service:shop, env:prod, team:web', action: 'modify', field: 'monitorTags', effects: [] }],
    ],
    ['only the reason reworded', datadog, { ...datadog!, message: 'other' }, [{ text: 'Datadog downtime for monitors tagged service:shop, env:prod: message updated', action: 'modify', field: 'message', effects: [] }]],
  ])('GIVEN %s WHEN described THEN the change records say so', (_what, before, after, expected) => {
    expect(changes(alerts, before, after).map(brief)).toEqual(expected);
  });

  test('GIVEN a mute created THEN the record carries its provider times as from/to values', () => {
    expect(changes(alerts, undefined, datadog)).toEqual([
      expect.objectContaining({ provider: 'cloudflare', component: 'alerts', id: 'datadog', name: 'Datadog downtime for monitors tagged service:shop, env:prod', to: { start: '2030-01-19T21:50:00Z', end: '2030-01-20T02:30:00Z' } }),
    ]);
  });

  test.each([
    ['2030-01-19T21:50:00Z', '2030-01-20T02:30:00Z', 'from 21:50 UTC to 02:30 UTC (Sat 19 Jan 2030 - Sun 20 Jan 2030)'],
    ['2030-03-17T05:50:00Z', '2030-03-17T09:30:00Z', 'from 05:50 UTC to 09:30 UTC (Sun 17 Mar 2030)'],
  ])('GIVEN %s to %s THEN the span reads %s', (start, end, expected) => {
    expect(describeSpan(start, end)).toBe(expected);
  });
});

describe('the plan', () => {
  const estate = estateNamed('ticketing');
  const planOf = (from: string, to: string) => plan(estate, parseModeWord(from, estate), parseModeWord(to, estate), { estateFile: 'estates/ticketing.yaml', defaultEstateFile: 'estates/default.yaml' });
  const DATADOG = 'Datadog downtime for monitors tagged service:ticketing, env:production, from 05:50 UTC to 09:30 UTC (Sun 17 Mar 2030)';
  const PAGERDUTY = 'PagerDuty maintenance window on services PTKTWEB, PTKTAPI, from 05:50 UTC to 09:30 UTC (Sun 17 Mar 2030)';

  test('GIVEN runbook 000 entering maintenance THEN the day-before deploy of the window creates the downtime and the maintenance window with their times, and no deploy of the move touches them', () => {
    const p = planOf('normal', 'maintenance');
    const holding = p.steps.filter((s) => s.changes.some((c) => /^(Datadog downtime|PagerDuty maintenance window)/.test(c)));
    expect(holding.map((s) => [s.id, s.phase, s.provider])).toEqual([['window-cloudflare', 'day-before', 'cloudflare']]);
    expect(holding[0]!.changes).toEqual(expect.arrayContaining([DATADOG, PAGERDUTY]));
  });

  test.each([['maintenance', 'normal'], ['normal', 'maintenance:ahead'], ['maintenance:page', 'normal']])('GIVEN runbook 000 moving %s -> %s THEN no deploy of the move creates or removes a mute', (from, to) => {
    const deploys = planOf(from, to).steps.filter((s) => s.kind === 'deploy' && s.phase !== 'day-before');
    expect(deploys.length).toBeGreaterThan(0);
    expect(deploys.flatMap((s) => s.changes).filter((c) => /Datadog|PagerDuty/.test(c))).toEqual([]);
  });
});

describe('alerts rules and schema', () => {
  const at = 'cloudflare.alerts';
  test.each<[string, string, unknown, string[]]>([
    ['somewhereToMute', 'both services', SPEC, []],
    ['somewhereToMute', 'neither Datadog nor PagerDuty', { graceMinutes: 30 }, [`${at}: names nothing to mute; declare datadog: { monitorTags: [...] }, pagerduty: { serviceIds: [...] } or both`]],
    ['namedOnce', 'each named once', SPEC, []],
    [
      'namedOnce',
      'a tag and a service named twice',
      { datadog: { monitorTags: ['service:shop', 'env:prod', 'service:shop'] }, pagerduty: { serviceIds: ['PIJ90N7', 'PIJ90N7'] } },
      [
        `${at}.datadog.monitorTags[2]: "service:shop" is already named at ${at}.datadog.monitorTags[0]; name each one once`,
        `${at}.pagerduty.serviceIds[1]: "PIJ90N7" is already named at ${at}.pagerduty.serviceIds[0]; name each one once`,
      ],
    ],
  ])('GIVEN %s: %s THEN it reports the listed problems', (rule, _what, input, expected) => {
    expect(runRule(alerts, rule, input)).toEqual(expected);
  });

  test.each(['somewhereToMute', 'namedOnce'])('GIVEN no alerts WHEN %s runs THEN there is nothing to report', (rule) => {
    expect(runRule(alerts, rule, undefined)).toEqual([]);
  });

  /** The schema's messages, each with its path inside cloudflare.alerts. */
  const refusals = (input: unknown) => {
    const r = alerts.schema.safeParse(input);
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  test.each<[string, unknown, string[]]>([
    ['an empty tag list', { datadog: { monitorTags: [] } }, [expect.stringMatching(/^datadog\.monitorTags: .*(at least 1|>=1)/i) as unknown as string]],
    [
      'an upper-case tag (Datadog lowercases tags)',
      { datadog: { monitorTags: ['Service:Shop'] } },
      ['datadog.monitorTags.0: "Service:Shop" is not a Datadog monitor tag (Datadog lowercases tags: write service:shop); allowed: lower-case letters, digits and _ - : . /, starting with a letter, not ending with \':\', at most 200 characters, such as service:shop or env:prod'],
    ],
    [
      'a tag with a space',
      { datadog: { monitorTags: ['service shop'] } },
      ['datadog.monitorTags.0: "service shop" is not a Datadog monitor tag; allowed: lower-case letters, digits and _ - : . /, starting with a letter, not ending with \':\', at most 200 characters, such as service:shop or env:prod'],
    ],
    ['a tag ending with a colon', { datadog: { monitorTags: ['service:'] } }, [expect.stringContaining('datadog.monitorTags.0: "service:" is not a Datadog monitor tag;') as unknown as string]],
    ['every monitor', { datadog: { monitorTags: ['*'] } }, ['datadog.monitorTags.0: "*" would mute every monitor of the Datadog organisation; name the tags of the site\'s monitors, e.g. service:shop']],
    [
      'a service name instead of its id',
      { pagerduty: { serviceIds: ['Ticketing web'] } },
      ['pagerduty.serviceIds.0: "Ticketing web" is not a PagerDuty service id; give the id, not the name: upper-case letters and digits such as PIJ90N7, the last part of the service\'s address (https://<subdomain>.pagerduty.com/service-directory/PIJ90N7)'],
    ],
    ['no service', { pagerduty: { serviceIds: [] } }, [expect.stringMatching(/^pagerduty\.serviceIds: .*(at least 1|>=1)/i) as unknown as string]],
    ['a negative grace', { ...SPEC, graceMinutes: -5 }, [expect.stringMatching(/^graceMinutes: .*0/) as unknown as string]],
    ['a grace of a day', { ...SPEC, graceMinutes: 1440 }, [expect.stringMatching(/^graceMinutes: .*720/) as unknown as string]],
    ['a lead of half a minute', { ...SPEC, leadMinutes: 0.5 }, [expect.stringMatching(/^leadMinutes: .*int/i) as unknown as string]],
    ['a lead of a day', { ...SPEC, leadMinutes: 1440 }, [expect.stringMatching(/^leadMinutes: .*240/) as unknown as string]],
    ['an unknown key', { ...SPEC, datadg: {} }, [expect.stringMatching(/datadg/) as unknown as string]],
  ])('GIVEN %s THEN the schema refuses it with its message', (_what, input, expected) => {
    expect(refusals(input)).toEqual(expected);
  });

  test('GIVEN runbook-like tags and ids THEN the schema takes them, with the defaults', () => {
    expect(alerts.schema.parse({ datadog: { monitorTags: ['service:ticketing', 'env:production', 'team/web', 'check.response_time-ms'] } })).toEqual({
      leadMinutes: 10,
      graceMinutes: 30,
      datadog: { monitorTags: ['service:ticketing', 'env:production', 'team/web', 'check.response_time-ms'] },
    });
  });
});

describe('alerts without a window', () => {
  const estate = (mode: string, stage?: string, window?: object) => ({ state: { mode, ...(stage ? { stage } : {}) }, ...(window ? { window } : {}), cloudflare: { alerts: SPEC } });
  test.each(titled<[string, ReturnType<typeof estate>, number]>([
    ['maintenance committed without a window', estate('maintenance'), 1],
    ['a stage of the way out without a window', estate('normal', 'behind'), 1],
    ['normal without a window (the window removed after)', estate('normal'), 0],
    ['maintenance with a window', estate('maintenance', undefined, WINDOW), 0],
  ]))('GIVEN $what THEN $expected warning(s)', ({ row: [, e, expected] }) => {
    const warnings = alertsWithoutWindow(e);
    expect(warnings).toHaveLength(expected);
    for (const w of warnings) {
      expect(w.path).toEqual(['cloudflare', 'alerts']);
      expect(w.message).toMatch(/no window: .* nothing is muted and on-call is paged during this (maintenance|normal); add window:/);
    }
  });
});

describe('alerts identity', () => {
  test('GIVEN the example estates THEN one of them has mutes (the identity table compares something)', () => {
    expect(identityCases(alerts).map(([name]) => name)).toContain('ticketing');
  });

  test.each(identityCases(alerts))('GIVEN the %s estate WHEN resolved in every mode state it supports (%s) THEN every mute keeps its identity', (_name, _states, ids) => {
    for (const other of ids) expect(other).toEqual(ids[0]);
  });
});
