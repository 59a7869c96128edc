/**
 * Warnings (modes/warnings.ts): valid estates that are probably not what their owners want, and
 * what `drawbridge plan` carries of them.
 */
import { plan } from '../../modes/plan';
import type { Estate } from '../../modes/schema';
import { estateWarnings, isLongWindow } from '../../modes/warnings';
import { estateNamed, estates } from '../support/estates';
import { word } from './plan/support';

const shop = estateNamed('shop');
/** The shop with its window lasting `hours` from its start, and what else is given. */
function lasting(hours: number, more: Partial<NonNullable<Estate['window']>> = {}, estate: Estate = shop): Estate {
  const w = estate.window!;
  return { ...estate, window: { ...w, end: new Date(Date.parse(w.start) + hours * 3600_000).toISOString(), ...more } };
}

describe('a window longer than two days (Google: a 503 for more than a day or two risks pages dropped)', () => {
  test.each<[number, boolean]>([
    [3, false],
    [48, false],
    [48.5, true],
    [24 * 7, true],
  ])('GIVEN a window of %s hours THEN it is long: %s', (hours, long) => {
    expect(isLongWindow(lasting(hours))).toBe(long);
    expect(estateWarnings(lasting(hours)).map((w) => w.path.join('.'))).toEqual(long ? ['window.end'] : []);
  });

  test('GIVEN a window of three days and four hours THEN the warning says how long, why, and both ways to settle it', () => {
    expect(estateWarnings(lasting(76))).toEqual([
      {
        path: ['window', 'end'],
        message:
          'the window lasts 3 days 4 h, more than 2 days: search engines may drop pages that answer 503 that long (Google\'s guidance on planned downtime: a day or two at most). ' +
          'For a long outage serve a 200 placeholder with noindex instead, and say so with window.longOutage: placeholder; or keep the 503 on purpose with window.longOutage: keep-503. README, "Long outages".',
      },
    ]);
  });

  test('GIVEN a long window kept at 503 on purpose THEN there is nothing to warn about', () => {
    expect(estateWarnings(lasting(76, { longOutage: 'keep-503' }))).toEqual([]);
  });

  test('GIVEN a placeholder served by the application (no gate, its page answering 200) THEN there is nothing to warn about', () => {
    const ticketing = estateNamed('ticketing');
    const app = lasting(76, { longOutage: 'placeholder' }, { ...ticketing, site: { ...ticketing.site, maintenanceStatus: 200 } });
    expect(estateWarnings(app)).toEqual([]);
  });

  test('GIVEN a placeholder while the application\'s page answers 503 THEN it says to make it 200, at site.maintenanceStatus', () => {
    const ticketing = estateNamed('ticketing');
    expect(estateWarnings(lasting(76, { longOutage: 'placeholder' }, ticketing))).toEqual([
      {
        path: ['site', 'maintenanceStatus'],
        message: "503, but window.longOutage is placeholder: the application's own maintenance page serves it, so it must answer 200 with X-Robots-Tag: noindex; set site.maintenanceStatus: 200 (the plan's checks then expect it)",
      },
    ]);
  });

  test('GIVEN a placeholder on an estate whose gate holds the public THEN it says the gate still answers 503: the declaration alone settles nothing', () => {
    expect(estateWarnings(lasting(76, { longOutage: 'placeholder' }))).toEqual([
      {
        path: ['window', 'longOutage'],
        message:
          'placeholder, but the gate holds this estate\'s public and cannot serve a placeholder yet: it answers 503 with Retry-After whatever longOutage says, so pages still risk being dropped; split the work into windows of at most 2 days, or serve the placeholder outside Drawbridge (README, "Long outages")',
      },
    ]);
  });

  test('GIVEN the placeholder on a short window THEN it warns that noindex drops pages a 503 would keep', () => {
    const ticketing = estateNamed('ticketing');
    const app = lasting(3, { longOutage: 'placeholder' }, { ...ticketing, site: { ...ticketing.site, maintenanceStatus: 200 } });
    expect(estateWarnings(app).map((w) => [w.path.join('.'), w.message.split(':')[0]])).toEqual([['window.longOutage', 'placeholder, but the window lasts 3 h']]);
  });

  test('GIVEN the example estates THEN none has anything to warn about', () => {
    expect(estates.flatMap(({ estate }) => estateWarnings(estate))).toEqual([]);
  });

  test('GIVEN a long window WHEN planning a move that puts the page up THEN the plan warns; a move that never shows the page does not', () => {
    const long = lasting(76);
    const enter = plan(long, word(long, 'normal'), word(long, 'maintenance'));
    expect(enter.warnings.filter((w) => w.startsWith('window.end: the window lasts 3 days 4 h'))).toHaveLength(1);
    const cutover = lasting(76, {}, estateNamed('rolling'));
    // A rolling cutover never shows the page: nothing answers 503 for the window.
    expect(plan(cutover, word(cutover, 'normal@blue'), word(cutover, 'normal@green')).warnings.filter((w) => w.startsWith('window.end'))).toEqual([]);
  });
});

describe('the status page', () => {
  const ticketing = estateNamed('ticketing');

  test('GIVEN a status page and a manual status-page step THEN it warns the page would be updated twice, at the step', () => {
    const twice: Estate = { ...ticketing, runbook: [...ticketing.runbook, { id: 'status-by-hand', phase: 'start', on: 'enter', modes: ['maintenance'], kind: 'status-page', title: 'Status page: In progress', minutes: 2 }] };
    expect(estateWarnings(twice)).toEqual([{ path: ['runbook', ticketing.runbook.length, 'kind'], message: expect.stringMatching(/^status-page step status-by-hand, and statusPage is declared: the plan updates the status page itself/) }]);
  });

  test('GIVEN a status page, no window and the estate in maintenance THEN it warns the plan cannot move the maintenance; in normal mode it says nothing', () => {
    const { window: _w, ...rest } = ticketing;
    expect(estateWarnings(rest as Estate)).toEqual([]);
    // (ticketing also declares alerts: without a window they mute nothing, which cloudflare.alerts warns about)
    expect(estateWarnings({ ...rest, state: { ...ticketing.state, mode: 'maintenance' } } as Estate).map((w) => w.path)).toEqual([['statusPage'], ['cloudflare', 'alerts']]);
  });
});
