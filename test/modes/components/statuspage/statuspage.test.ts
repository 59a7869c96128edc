/**
 * The status page model: its estate fragment and rules, and the exact request of each step.
 */
import {
  incidentOf,
  incidentsOf,
  INCIDENT_PLACEHOLDER,
  lookupRequest,
  messageOf,
  sameMaintenance,
  STATUS_STEPS,
  StatusPageSchema,
  transitionRequest,
  type StatusPageSpec,
  type StatusStep,
} from '../../../../modes/components/statuspage/statuspage';
import { isDrawbridgeError } from '../../../../modes/errors';
import type { Brand, Window } from '../../../../modes/fields';
import { parseEstate } from '../../../../modes/load';
import { estateNamed } from '../../../support/estates';

const WINDOW: Window = { reason: 'Server updates', announce: '2030-03-15T09:00:00Z', start: '2030-03-17T07:00:00+01:00', end: '2030-03-17T09:00:00Z', timeZones: ['Europe/London', 'America/New_York'] };
const BRAND: Brand = { name: 'TicketBox', colour: '#6a1b9a' };
const SPEC: StatusPageSpec = StatusPageSchema.parse({
  pageId: 'kctbh9vrtdwd',
  components: [
    { id: '8kbf7d35c070', name: 'Website' },
    { id: 'vtnh60py4yd7', name: 'API' },
  ],
})!;

describe('statusPage: the estate fragment', () => {
  test('GIVEN only a page id and components THEN the key comes from STATUSPAGE_API_KEY, subscribers are reminded, and the messages are Drawbridge\'s', () => {
    expect(SPEC).toEqual({ pageId: 'kctbh9vrtdwd', components: SPEC.components, apiKeyEnv: 'STATUSPAGE_API_KEY', remindPrior: true });
  });

  /** The problems `check` reports for an estate with this status page (messages as the CLI prints them). */
  function problems(statusPage: unknown): string[] {
    const { ...estate } = estateNamed('shop') as unknown as Record<string, unknown>;
    try {
      parseEstate(JSON.parse(JSON.stringify({ ...estate, state: { mode: 'normal' }, statusPage })));
      return [];
    } catch (e) {
      if (!isDrawbridgeError(e)) throw e;
      return [...e.problems];
    }
  }
  const ok = { pageId: 'kctbh9vrtdwd', components: [{ id: '8kbf7d35c070', name: 'Website' }] };

  test.each<[string, unknown, string[]]>([
    ['a page id with capitals', { ...ok, pageId: 'KCTBH9VRTDWD' }, ['estate: statusPage.pageId: "KCTBH9VRTDWD" must be a Statuspage page id: 12 lower-case letters and digits, e.g. kctbh9vrtdwd (manage.statuspage.io shows it in the page\'s URL)']],
    ['a page id too short', { ...ok, pageId: 'abc' }, ['estate: statusPage.pageId: "abc" must be a Statuspage page id: 12 lower-case letters and digits, e.g. kctbh9vrtdwd (manage.statuspage.io shows it in the page\'s URL)']],
    ['no components', { ...ok, components: [] }, ['estate: statusPage.components: []: must have at least 1 item']],
    ['a component without an id', { ...ok, components: [{ name: 'Website' }] }, ['estate: statusPage.components[0].id: required (expected string), but missing']],
    [
      'a component listed twice',
      { ...ok, components: [...ok.components, { id: '8kbf7d35c070', name: 'Web' }] },
      ["estate: statusPage.components[1].id: duplicate id '8kbf7d35c070' (already used at statusPage.components[0]); each id must be unique"],
    ],
    ['the API key itself in the estate', { ...ok, apiKey: 'not-a-real-key' }, ["estate: statusPage.apiKey: unknown key 'apiKey'; allowed: pageId, components, name, apiKeyEnv, remindPrior, messages"]],
  ])('GIVEN %s WHEN checked THEN one problem naming the field and what is allowed', (_what, statusPage, expected) => {
    expect(problems(statusPage)).toEqual(expected);
  });

  test('GIVEN the key pasted where its variable\'s name belongs WHEN checked THEN the problem never shows the value', () => {
    const key = 'f3c9a1e0-5b7d-4e2a-9c8b-0a1b2c3d4e5f';
    const found = problems({ ...ok, apiKeyEnv: key });
    expect(found).toEqual([
      'estate: statusPage.apiKeyEnv: must name the environment variable that holds the Statuspage API key (upper-case letters, digits and _, e.g. STATUSPAGE_API_KEY), never the key itself; the value is not shown',
    ]);
    expect(found.join('\n')).not.toContain(key);
  });
});

describe('statusPage: the request of each step', () => {
  test('GIVEN the scheduled step THEN it POSTs the maintenance: name, window in UTC, reminder, no automatic transitions, the components', () => {
    expect(transitionRequest('scheduled', SPEC, WINDOW, BRAND)).toEqual({
      method: 'POST',
      url: 'https://api.statuspage.io/v1/pages/kctbh9vrtdwd/incidents',
      body: {
        incident: {
          name: 'Server updates',
          status: 'scheduled',
          scheduled_for: '2030-03-17T06:00:00.000Z',
          scheduled_until: '2030-03-17T09:00:00.000Z',
          scheduled_remind_prior: true,
          scheduled_auto_in_progress: false,
          scheduled_auto_completed: false,
          body: 'Server updates. TicketBox will be unavailable from Sun 17 Mar 2030, 06:00 GMT / Sun 17 Mar 2030, 02:00 EDT until Sun 17 Mar 2030, 09:00 GMT / Sun 17 Mar 2030, 05:00 EDT.',
          component_ids: ['8kbf7d35c070', 'vtnh60py4yd7'],
        },
      },
    });
  });

  test.each<[StatusStep, string, string | undefined]>([
    ['in-progress', 'in_progress', 'under_maintenance'],
    ['verifying', 'verifying', 'under_maintenance'],
    ['completed', 'completed', 'operational'],
    ['called-off', 'completed', 'operational'],
  ])('GIVEN the %s step THEN it PATCHes the maintenance to %s, its components %s', (step, status, components) => {
    const req = transitionRequest(step, SPEC, WINDOW, BRAND, 'pgwm2qmd8b2m');
    expect(req).toEqual({
      method: 'PATCH',
      url: 'https://api.statuspage.io/v1/pages/kctbh9vrtdwd/incidents/pgwm2qmd8b2m',
      body: { incident: { status, body: messageOf(step, SPEC, WINDOW, BRAND), component_ids: ['8kbf7d35c070', 'vtnh60py4yd7'], components: { '8kbf7d35c070': components, vtnh60py4yd7: components } } },
    });
  });

  test('GIVEN a transition before the maintenance is found THEN its URL names the placeholder the CLI fills in', () => {
    expect(transitionRequest('verifying', SPEC, WINDOW, BRAND).url).toBe(`https://api.statuspage.io/v1/pages/kctbh9vrtdwd/incidents/${INCIDENT_PLACEHOLDER}`);
  });

  test('GIVEN the estate\'s own name, reminder and messages THEN the requests carry them', () => {
    const spec: StatusPageSpec = { ...SPEC, name: 'March maintenance', remindPrior: false, messages: { scheduled: 'Down on Sunday.', calledOff: 'Stopped; all is as before.' } };
    const created = transitionRequest('scheduled', spec, WINDOW, BRAND).body!.incident;
    expect(created).toMatchObject({ name: 'March maintenance', scheduled_remind_prior: false, body: 'Down on Sunday.' });
    expect(transitionRequest('called-off', spec, WINDOW, BRAND).body!.incident.body).toBe('Stopped; all is as before.');
    expect(transitionRequest('completed', spec, WINDOW, BRAND).body!.incident.body).toBe('The maintenance is complete: TicketBox is available again.');
  });

  test('GIVEN every step THEN each says something of its own, and only the creation names the maintenance and its times', () => {
    const bodies = STATUS_STEPS.map((s) => transitionRequest(s, SPEC, WINDOW, BRAND).body!.incident);
    expect(new Set(bodies.map((b) => b.body)).size).toBe(STATUS_STEPS.length);
    expect(bodies.filter((b) => 'name' in b || 'scheduled_for' in b)).toHaveLength(1);
  });
});

describe('statusPage: finding the maintenance again', () => {
  test('GIVEN the lookup THEN it searches the page\'s incidents for the name, 100 at most', () => {
    expect(lookupRequest({ ...SPEC, name: 'Server updates & DB' }, WINDOW)).toEqual({ method: 'GET', url: 'https://api.statuspage.io/v1/pages/kctbh9vrtdwd/incidents?q=Server%20updates%20%26%20DB&limit=100' });
  });

  test('GIVEN incidents of several names and starts THEN only the one of this name scheduled for this start (in any offset) is the maintenance', () => {
    const incidents = [
      { id: 'aaaaaaaaaaaa', name: 'Server updates', status: 'completed', scheduled_for: '2030-02-17T06:00:00.000Z' },
      { id: 'bbbbbbbbbbbb', name: 'Server updates', status: 'scheduled', scheduled_for: '2030-03-17T06:00:00.000Z' },
      { id: 'cccccccccccc', name: 'Server updates (2)', status: 'scheduled', scheduled_for: '2030-03-17T06:00:00.000Z' },
      { id: 'dddddddddddd', name: 'Server updates', status: 'investigating', scheduled_for: null },
    ];
    expect(sameMaintenance(incidents, SPEC, WINDOW).map((i) => i.id)).toEqual(['bbbbbbbbbbbb']);
  });

  test.each<[string, boolean, unknown]>([
    ['a list of incidents', true, [{ id: 'a', name: 'n', status: 'scheduled' }]],
    ['an empty list', true, []],
    ['an error object', false, { error: 'nope' }],
    ['a list with something else in it', false, [{ id: 'a', name: 'n', status: 'scheduled' }, 'x']],
  ])('GIVEN %s as the answer THEN it reads as a list of incidents: %s', (_what, isList, answer) => {
    expect(incidentsOf(answer) !== undefined).toBe(isList);
    expect(incidentOf(answer)).toBeUndefined();
  });
});
