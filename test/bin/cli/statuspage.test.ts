/**
 * `drawbridge statuspage` in-process, with fetch injected: the requests it would send (never sent:
 * no test reaches the network), what it prints, its refusals, and the API key never in its output.
 */
import { transitionRequest, type StatusStep } from '../../../modes/components/statuspage/statuspage';
import type { Io } from '../../../bin/drawbridge';
import { estateNamed } from '../../support/estates';
import { captureIo, loadCli } from '../io';

const KEY = 'c0ffee00-1234-4abc-9def-0123456789ab';
const ESTATE = 'estates/ticketing.yaml';
const ticketing = estateNamed('ticketing');
const sp = ticketing.statusPage!;
const window = ticketing.window!;
const NAME = 'Server updates and a database upgrade';
const LIST = `https://api.statuspage.io/v1/pages/tkt0example1/incidents?q=${encodeURIComponent(NAME)}&limit=100`;

interface Call {
  readonly url: string;
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body?: unknown;
}

/** A fetch that answers from `answers` in turn and records each request; a request past them fails the test. */
function fakeFetch(answers: (Response | Error)[]) {
  const calls: Call[] = [];
  const fetch = async (url: string, init: { method: string; headers: Record<string, string>; body?: string }) => {
    calls.push({ url, method: init.method, headers: init.headers, ...(init.body !== undefined ? { body: JSON.parse(init.body) as unknown } : {}) });
    const next = answers.shift();
    if (!next) throw new Error(`unexpected request ${init.method} ${url}`);
    if (next instanceof Error) throw next;
    return next;
  };
  return { fetch, calls };
}

const json = (body: unknown, status = 200, statusText = '') => new Response(JSON.stringify(body), { status, statusText, headers: { 'Content-Type': 'application/json' } });
const incident = (id: string, status: string, more: Record<string, unknown> = {}) => ({ id, name: NAME, status, scheduled_for: '2030-03-17T06:00:00.000Z', scheduled_until: '2030-03-17T09:00:00.000Z', ...more });

async function run(argv: string[], answers: (Response | Error)[] = [], env: Record<string, string> = { STATUSPAGE_API_KEY: KEY }) {
  const { fetch, calls } = fakeFetch(answers);
  const c = captureIo({ env });
  const io: Io = { ...c.io, fetch };
  const code = await loadCli().run(argv, io);
  const out = c.out();
  const err = c.err();
  // Whatever happened, the key never reaches the terminal.
  expect(out + err).not.toContain(KEY);
  return { code, out, err, calls };
}

const headers = (body: boolean) => ({ Authorization: `OAuth ${KEY}`, Accept: 'application/json', ...(body ? { 'Content-Type': 'application/json' } : {}) });

describe('statuspage scheduled: creating the maintenance', () => {
  test('GIVEN no maintenance of this name and start WHEN run THEN it looks, then POSTs the model\'s request with the key in the Authorization header, and says what it created', async () => {
    const r = await run(['statuspage', 'scheduled', '--estate', ESTATE], [json([incident('oldoldoldold', 'completed', { scheduled_for: '2030-01-01T00:00:00.000Z' })]), json(incident('pgwm2qmd8b2m', 'scheduled'), 201, 'Created')]);
    expect(r.calls).toEqual([
      { url: LIST, method: 'GET', headers: headers(false) },
      { url: 'https://api.statuspage.io/v1/pages/tkt0example1/incidents', method: 'POST', headers: headers(true), body: transitionRequest('scheduled', sp, window, ticketing.brand).body },
    ]);
    expect([r.code, r.err]).toEqual([0, '']);
    expect(r.out).toBe(`statuspage: created the scheduled maintenance "${NAME}" (id pgwm2qmd8b2m) on page tkt0example1: scheduled 2030-03-17T06:00:00.000Z -> 2030-03-17T09:00:00.000Z; Website, Web services\n`);
  });

  test('GIVEN the maintenance exists already WHEN run again THEN nothing is created twice', async () => {
    const r = await run(['statuspage', 'scheduled', '--estate', ESTATE], [json([incident('pgwm2qmd8b2m', 'scheduled')])]);
    expect(r.calls.map((c) => c.method)).toEqual(['GET']);
    expect(r.code).toBe(0);
    expect(r.out).toBe(`statuspage: the maintenance "${NAME}" for 2030-03-17T06:00:00.000Z exists already (id pgwm2qmd8b2m, scheduled); nothing was sent\n`);
  });
});

describe('statuspage in-progress, verifying, completed, called-off: moving it', () => {
  test.each<[StatusStep, string]>([
    ['in-progress', 'scheduled'],
    ['verifying', 'in_progress'],
    ['completed', 'verifying'],
    ['called-off', 'verifying'],
  ])('GIVEN the %s step and the maintenance %s WHEN run THEN it finds the maintenance by name and start, and PATCHes it with the model\'s request', async (step, was) => {
    const target = transitionRequest(step, sp, window, ticketing.brand, 'pgwm2qmd8b2m');
    const status = (target.body!.incident as { status: string }).status;
    const others = [incident('aaaaaaaaaaaa', 'completed', { scheduled_for: '2029-03-17T06:00:00.000Z' }), { ...incident('bbbbbbbbbbbb', 'scheduled'), name: `${NAME} (draft)` }];
    const r = await run(['statuspage', step, '--estate', ESTATE], [json([...others, incident('pgwm2qmd8b2m', was)]), json(incident('pgwm2qmd8b2m', status))]);
    expect(r.calls).toEqual([
      { url: LIST, method: 'GET', headers: headers(false) },
      { url: 'https://api.statuspage.io/v1/pages/tkt0example1/incidents/pgwm2qmd8b2m', method: 'PATCH', headers: headers(true), body: target.body },
    ]);
    expect(r.code).toBe(0);
    const components = status === 'completed' ? 'operational' : 'under maintenance';
    expect(r.out).toBe(`statuspage: "${NAME}" (id pgwm2qmd8b2m): ${was} -> ${status}; Website, Web services: ${components}\n`);
  });

  test('GIVEN the maintenance in progress already WHEN in-progress runs again THEN nothing is sent (subscribers are told once)', async () => {
    const r = await run(['statuspage', 'in-progress', '--estate', ESTATE], [json([incident('pgwm2qmd8b2m', 'in_progress')])]);
    expect(r.calls.map((c) => c.method)).toEqual(['GET']);
    expect(r.out).toBe(`statuspage: "${NAME}" (id pgwm2qmd8b2m) is in_progress already; nothing was sent\n`);
  });

  test('GIVEN --incident WHEN run THEN it PATCHes that maintenance without looking it up', async () => {
    const r = await run(['statuspage', 'verifying', '--estate', ESTATE, '--incident', 'zzzzzzzzzzzz'], [json(incident('zzzzzzzzzzzz', 'verifying'))]);
    expect(r.calls.map((c) => `${c.method} ${c.url}`)).toEqual(['PATCH https://api.statuspage.io/v1/pages/tkt0example1/incidents/zzzzzzzzzzzz']);
    expect(r.out).toBe(`statuspage: "${NAME}" (id zzzzzzzzzzzz): verifying; Website, Web services: under maintenance\n`);
  });

  test.each<[string, unknown[], string]>([
    ['no maintenance of this name and start', [incident('aaaaaaaaaaaa', 'completed', { scheduled_for: '2029-03-17T06:00:00.000Z' })], `drawbridge: no maintenance named "${NAME}" scheduled for 2030-03-17T06:00:00.000Z on page tkt0example1; run \`drawbridge statuspage scheduled\` first, or pass --incident ID (the id in the maintenance's URL on manage.statuspage.io); nothing else was sent`],
    ['two of them', [incident('aaaaaaaaaaaa', 'scheduled'), incident('bbbbbbbbbbbb', 'completed')], `drawbridge: 2 maintenances named "${NAME}" are scheduled for 2030-03-17T06:00:00.000Z on page tkt0example1 (aaaaaaaaaaaa: scheduled, bbbbbbbbbbbb: completed); pass --incident ID to name one; nothing else was sent`],
  ])('GIVEN %s on the page WHEN a transition runs THEN one line, exit 1, and no update sent', async (_what, found, message) => {
    const r = await run(['statuspage', 'in-progress', '--estate', ESTATE], [json(found)]);
    expect(r.calls.map((c) => c.method)).toEqual(['GET']);
    expect([r.code, r.out, r.err]).toEqual([1, '', `${message}\n`]);
  });
});

describe('statuspage show', () => {
  test('GIVEN the maintenance WHEN shown THEN its status comes first (what the plan\'s checks read)', async () => {
    const r = await run(['statuspage', 'show', '--estate', ESTATE], [json([incident('pgwm2qmd8b2m', 'verifying')])]);
    expect([r.code, r.out]).toEqual([0, `verifying: "${NAME}" (id pgwm2qmd8b2m), scheduled 2030-03-17T06:00:00.000Z -> 2030-03-17T09:00:00.000Z\n`]);
  });

  test('GIVEN --incident WHEN shown THEN that incident is read', async () => {
    const r = await run(['statuspage', 'show', '--estate', ESTATE, '--incident', 'pgwm2qmd8b2m'], [json(incident('pgwm2qmd8b2m', 'completed'))]);
    expect(r.calls.map((c) => `${c.method} ${c.url}`)).toEqual(['GET https://api.statuspage.io/v1/pages/tkt0example1/incidents/pgwm2qmd8b2m']);
    expect(r.out).toMatch(/^completed: /);
  });
});

describe('statuspage --dry-run', () => {
  test('GIVEN --dry-run WHEN run THEN it prints the lookup and the update, the key as [secret], and sends nothing', async () => {
    const r = await run(['statuspage', 'completed', '--estate', ESTATE, '--dry-run']);
    expect(r.calls).toEqual([]);
    expect(r.code).toBe(0);
    const body = JSON.stringify(transitionRequest('completed', sp, window, ticketing.brand).body, null, 2);
    expect(r.out).toBe(
      'dry run: nothing is sent.\n' +
        `GET ${LIST}   (finds the maintenance: its id goes in {incident_id})\nAuthorization: OAuth [secret]\n\n` +
        `PATCH https://api.statuspage.io/v1/pages/tkt0example1/incidents/{incident_id}\nAuthorization: OAuth [secret]\nContent-Type: application/json\n\n${body}\n`,
    );
  });

  test('GIVEN --dry-run without the key WHEN run THEN it still prints the requests, and says sending would stop', async () => {
    const r = await run(['statuspage', 'scheduled', '--estate', ESTATE, '--dry-run'], [], {});
    expect(r.code).toBe(0);
    expect(r.out).toContain('POST https://api.statuspage.io/v1/pages/tkt0example1/incidents\n');
    expect(r.out.trimEnd().split('\n').pop()).toBe('(STATUSPAGE_API_KEY is not set: sending would stop before the first request)');
  });
});

describe('statuspage: failures are one line, exit 1, and nothing sent after them', () => {
  test('GIVEN no key in the environment WHEN run THEN nothing is sent', async () => {
    const r = await run(['statuspage', 'in-progress', '--estate', ESTATE], [], {});
    expect(r.calls).toEqual([]);
    expect([r.code, r.out, r.err]).toEqual([1, '', 'drawbridge: STATUSPAGE_API_KEY is not set: export the Statuspage API key in it (manage.statuspage.io: Your profile > API info); nothing was sent\n']);
  });

  test.each<[string, StatusStep, (Response | Error)[], string]>([
    ['a refused key on the lookup', 'in-progress', [json({ error: 'Could not authenticate' }, 401, 'Unauthorized')], `drawbridge: Statuspage answered 401 Unauthorized to GET ${LIST}: Could not authenticate (check the key in $STATUSPAGE_API_KEY and its access to the page); nothing else was sent`],
    ['an unknown page', 'scheduled', [json({ error: 'Not found' }, 404, 'Not Found')], `drawbridge: Statuspage answered 404 Not Found to GET ${LIST}: Not found (check statusPage.pageId); nothing else was sent`],
    ['the rate limit', 'in-progress', [json({ error: 'Rate limited' }, 429, 'Too Many Requests')], `drawbridge: Statuspage answered 429 Too Many Requests to GET ${LIST}: Rate limited (rate limited, one request a second per key: run it again in a minute); nothing else was sent`],
    [
      'an update refused',
      'scheduled',
      [json([]), json({ error: ['Scheduled until must be after scheduled for'] }, 422, 'Unprocessable Entity')],
      'drawbridge: Statuspage answered 422 Unprocessable Entity to POST https://api.statuspage.io/v1/pages/tkt0example1/incidents: Scheduled until must be after scheduled for; the update was not applied, nothing else was sent',
    ],
    [
      'a server error on the update',
      'verifying',
      [json([incident('pgwm2qmd8b2m', 'in_progress')]), new Response('<html>Bad gateway</html>', { status: 502, statusText: 'Bad Gateway' })],
      'drawbridge: Statuspage answered 502 Bad Gateway to PATCH https://api.statuspage.io/v1/pages/tkt0example1/incidents/pgwm2qmd8b2m: <html>Bad gateway</html>; the update may or may not have been applied (`drawbridge statuspage show` says), nothing else was sent',
    ],
    ['no network', 'in-progress', [Object.assign(new TypeError('fetch failed'), { cause: { code: 'ENOTFOUND' } })], `drawbridge: could not reach api.statuspage.io (GET ${LIST}): ENOTFOUND; nothing else was sent`],
    ['an answer that is not a list', 'in-progress', [json({ page: 'x' })], `drawbridge: Statuspage answered GET ${LIST} with something other than a list of incidents; nothing else was sent`],
  ])('GIVEN %s WHEN %s runs THEN one line naming the request and the answer, exit 1', async (_what, step, answers, message) => {
    const expected = answers.length;
    const r = await run(['statuspage', step, '--estate', ESTATE], answers);
    expect(r.calls).toHaveLength(expected);
    expect([r.code, r.out, r.err]).toEqual([1, '', `${message}\n`]);
  });

  test('GIVEN an answer that echoes the key WHEN it is reported THEN the key is printed as [secret]', async () => {
    const r = await run(['statuspage', 'in-progress', '--estate', ESTATE], [json({ error: `invalid token OAuth ${KEY}` }, 401, 'Unauthorized')]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(': invalid token OAuth [secret] (check the key');
  });
});

describe('statuspage: usage and estates it cannot serve', () => {
  test.each<[string, string[], number, string]>([
    ['no step', ['statuspage', '--estate', ESTATE], 2, 'drawbridge: statuspage needs a step; steps: scheduled, in-progress, verifying, completed, called-off, show; see `drawbridge statuspage --help`'],
    ['an unknown step', ['statuspage', 'in_progress', '--estate', ESTATE], 2, 'drawbridge: unknown step "in_progress"; steps: scheduled, in-progress, verifying, completed, called-off, show; see `drawbridge statuspage --help`'],
    ['two steps', ['statuspage', 'verifying', 'completed', '--estate', ESTATE], 2, 'drawbridge: too many arguments (verifying completed); give one step: scheduled, in-progress, verifying, completed, called-off, show; see `drawbridge statuspage --help`'],
    ['an incident id that is not one', ['statuspage', 'verifying', '--incident', 'https://manage.statuspage.io/x', '--estate', ESTATE], 2, 'drawbridge: --incident https://manage.statuspage.io/x is not a Statuspage incident id (12 lower-case letters and digits, e.g. pgwm2qmd8b2m); see `drawbridge statuspage --help`'],
    ['--incident on the step that creates it', ['statuspage', 'scheduled', '--incident', 'pgwm2qmd8b2m', '--estate', ESTATE], 2, 'drawbridge: --incident does not apply to scheduled, which creates the maintenance; see `drawbridge statuspage --help`'],
    ['an option of another command', ['statuspage', 'verifying', '--json', '--estate', ESTATE], 2, 'drawbridge: option --json does not apply to statuspage; statuspage takes --estate, --incident, --dry-run, --no-color, --color, --help; see `drawbridge statuspage --help`'],
    ['an estate without a status page', ['statuspage', 'verifying', '--estate', 'estates/default.yaml'], 1, 'drawbridge: estates/default.yaml: declares no statusPage; add one (pageId, components) to use drawbridge statuspage (README, "Status page")'],
  ])('GIVEN %s WHEN run THEN one line and exit %s, nothing sent', async (_what, argv, code, message) => {
    const r = await run(argv);
    expect(r.calls).toEqual([]);
    expect([r.code, r.out, r.err]).toEqual([code, '', `${message}\n`]);
  });

  test('GIVEN --help WHEN asked THEN every step is explained', async () => {
    const r = await run(['statuspage', '--help']);
    expect(r.code).toBe(0);
    for (const step of ['scheduled', 'in-progress', 'verifying', 'completed', 'called-off', 'show']) expect(r.out).toMatch(new RegExp(`^  ${step} `, 'm'));
  });
});
