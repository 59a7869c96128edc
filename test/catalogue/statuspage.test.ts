/**
 * The bad-input catalogue, status page part: mistakes in `statusPage:` (and the window's
 * `longOutage`) refused by `drawbridge check`, and what `drawbridge statuspage` refuses before it
 * sends anything. Each: the exact line, a non-zero exit, no stack trace, nothing written. A key
 * pasted into the estate is never echoed.
 */
import { cliIn, edit } from '../support/catalogue';

const KEY = 'c0ffee00-1234-4abc-9def-0123456789ab';
const SP = { pageId: 'kctbh9vrtdwd', components: [{ id: '8kbf7d35c070', name: 'Website' }] };

type Case = [label: string, text: string, message: string];

const estateCases: Case[] = [
  ['a page id as it reads in the dashboard', edit((e) => (e.statusPage = { ...SP, pageId: 'My-Page' })), 'estate.yaml:215: statusPage.pageId: "My-Page" must be a Statuspage page id: 12 lower-case letters and digits, e.g. kctbh9vrtdwd (manage.statuspage.io shows it in the page\'s URL)'],
  ['no components', edit((e) => (e.statusPage = { ...SP, components: [] })), 'estate.yaml:216: statusPage.components: []: must have at least 1 item'],
  ['a component without its name', edit((e) => (e.statusPage = { ...SP, components: [{ id: '8kbf7d35c070' }] })), 'estate.yaml:217: statusPage.components[0].name: required (expected string), but missing'],
  [
    'a component listed twice',
    edit((e) => (e.statusPage = { ...SP, components: [...SP.components, { id: '8kbf7d35c070', name: 'API' }] })),
    "estate.yaml:219: statusPage.components[1].id: duplicate id '8kbf7d35c070' (already used at statusPage.components[0]); each id must be unique",
  ],
  [
    'the API key pasted where its variable belongs',
    edit((e) => (e.statusPage = { ...SP, apiKeyEnv: KEY })),
    'estate.yaml:219: statusPage.apiKeyEnv: must name the environment variable that holds the Statuspage API key (upper-case letters, digits and _, e.g. STATUSPAGE_API_KEY), never the key itself; the value is not shown',
  ],
  ['the API key in a field of its own', edit((e) => (e.statusPage = { ...SP, apiKey: KEY })), "estate.yaml:219: statusPage.apiKey: unknown key 'apiKey'; allowed: pageId, components, name, apiKeyEnv, remindPrior, messages"],
  ['a long outage answered "yes"', edit((e) => (e.window.longOutage = 'yes')), 'estate.yaml:24: window.longOutage: "yes" is not allowed; allowed: placeholder, keep-503'],
];

describe('bad status page settings in the estate', () => {
  test.each(estateCases)('%s', async (_label, text, message) => {
    const r = await cliIn({ 'estate.yaml': text }, ['check', './estate.yaml']);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`drawbridge: ${message}\n`);
    expect(r.err + r.out).not.toContain(KEY);
    expect(r.after).toEqual(r.before);
  });
});

const withStatusPage = edit((e) => (e.statusPage = SP));
const withoutWindow = edit((e) => {
  e.statusPage = SP;
  delete e.window;
});

const commandCases: [label: string, text: string, argv: string[], code: number, message: string][] = [
  ['no API key in the environment', withStatusPage, ['statuspage', 'in-progress', '--estate', './estate.yaml'], 1, 'STATUSPAGE_API_KEY is not set: export the Statuspage API key in it (manage.statuspage.io: Your profile > API info); nothing was sent'],
  ['an estate without a window', withoutWindow, ['statuspage', 'scheduled', '--estate', './estate.yaml'], 1, 'estate.yaml: statusPage needs the window: a scheduled maintenance has its start and end; add window: (reason, announce, start, end, timeZones)'],
  ['an estate without a status page', edit(() => undefined), ['statuspage', 'verifying', '--estate', './estate.yaml'], 1, 'estate.yaml: declares no statusPage; add one (pageId, components) to use drawbridge statuspage (README, "Status page")'],
  ['an empty --incident', withStatusPage, ['statuspage', 'verifying', '--incident=', '--estate', './estate.yaml'], 2, "option --incident is empty; give the maintenance's id (--incident ID), or leave it out to find it by name; see `drawbridge statuspage --help`"],
];

describe('drawbridge statuspage refuses before sending anything', () => {
  test.each(commandCases)('%s', async (_label, text, argv, code, message) => {
    const r = await cliIn({ 'estate.yaml': text }, argv);
    expect(r.code).toBe(code);
    expect([r.out, r.err]).toEqual(['', `drawbridge: ${message}\n`]);
    expect(r.after).toEqual(r.before);
  });
});
