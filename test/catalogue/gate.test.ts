/**
 * The bad-input catalogue, gate part: estate mistakes the gate would only log and ignore are refused
 * by `drawbridge check` already, each with one message naming file, line, field, value and what is
 * allowed, exit 1, no stack trace and nothing written.
 */
import { cliIn, edit } from '../support/catalogue';

type Case = [label: string, text: string, message: string];

const cases: Case[] = [
  ['an impossible end date', edit((e) => (e.window.end = '2027-02-30T10:00:00Z')), 'estate.yaml:19: window.end: "2027-02-30T10:00:00Z" is not an ISO-8601 date-time with offset (e.g. 2030-01-19T22:00:00Z)'],
  ['a health path without its leading slash', edit((e) => (e.cloudflare.gate.healthPaths = ['healthz'])), "estate.yaml:172: cloudflare.gate.healthPaths[0]: \"healthz\" must start with '/' and contain no spaces or commas"],
  ['a bypass path that is a declared health path', edit((e) => ((e.cloudflare.gate.healthPaths = ['/ping']), (e.cloudflare.gate.bypass.path = '/ping'))), 'estate.yaml:166: cloudflare.gate.bypass.path: "/ping" is also a health path; the bypass form would answer instead of the origin. Use a path of its own, such as /__drawbridge/bypass'],
  ['a bypass path that is robots.txt', edit((e) => (e.cloudflare.gate.bypass.path = '/robots.txt')), 'estate.yaml:166: cloudflare.gate.bypass.path: "/robots.txt" is also robots.txt; the bypass form would answer instead of the origin. Use a path of its own, such as /__drawbridge/bypass'],
  ['a bypass path that is a target group\'s health path', edit((e) => (e.cloudflare.gate.bypass.path = '/healthz')), 'estate.yaml:166: cloudflare.gate.bypass.path: "/healthz" is also a health path (the site\'s or a target group\'s); the bypass form would answer instead of the origin. Use a path of its own, such as /__drawbridge/bypass'],
  ['an allow-list of every IPv4 address', edit((e) => (e.cloudflare.gate.bypass.allowIps = ['203.0.113.10', '0.0.0.0/0'])), 'estate.yaml:165: cloudflare.gate.bypass.allowIps[1]: "0.0.0.0/0" would let nearly everyone bypass the page; allowed: IPv4 ranges of /8 or narrower, IPv6 of /16 or narrower (list your offices\' addresses)'],
  ['an allow-list of every IPv6 address', edit((e) => (e.cloudflare.gate.bypass.allowIps = ['::/0'])), 'estate.yaml:164: cloudflare.gate.bypass.allowIps[0]: "::/0" would let nearly everyone bypass the page; allowed: IPv4 ranges of /8 or narrower, IPv6 of /16 or narrower (list your offices\' addresses)'],
  ['an allow-list of every IPv4-mapped address', edit((e) => (e.cloudflare.gate.bypass.allowIps = ['::ffff:0:0/96'])), 'estate.yaml:164: cloudflare.gate.bypass.allowIps[0]: "::ffff:0:0/96" would let nearly everyone bypass the page; allowed: IPv4 ranges of /8 or narrower, IPv6 of /16 or narrower (list your offices\' addresses)'],
  // allowPaths / apiPaths (modes/gate-paths.ts): what the gate would ignore is refused first.
  ['a pass-through list with the home page', edit((e) => (e.cloudflare.gate.allowPaths = ['/'])), 'estate.yaml:167: cloudflare.gate.allowPaths[0]: "/" would let the home page through while the page is up; allowed: a path such as /webhooks/stripe or a prefix such as /assets/*, optionally after methods (POST /webhooks/stripe)'],
  ['a pass-through prefix of the whole site', edit((e) => (e.cloudflare.gate.allowPaths = ['POST /webhooks/stripe', '/*'])), 'estate.yaml:168: cloudflare.gate.allowPaths[1]: "/*" would let the home page and the whole site through while the page is up; allowed: a path such as /webhooks/stripe or a prefix such as /assets/*, optionally after methods (POST /webhooks/stripe)'],
  ['a pass-through path climbing out with ..', edit((e) => (e.cloudflare.gate.allowPaths = ['POST /webhooks/stripe/../../admin'])), 'estate.yaml:167: cloudflare.gate.allowPaths[0]: "POST /webhooks/stripe/../../admin" has a \'.\' or \'..\' segment; allowed: a path such as /webhooks/stripe or a prefix such as /assets/*, optionally after methods (POST /webhooks/stripe)'],
  ['a pass-through method in lower case', edit((e) => (e.cloudflare.gate.allowPaths = ['post /webhooks/stripe'])), 'estate.yaml:167: cloudflare.gate.allowPaths[0]: "post /webhooks/stripe" names the method post in lower case; write it POST; allowed: a path such as /webhooks/stripe or a prefix such as /assets/*, optionally after methods (POST /webhooks/stripe)'],
  ['a pass-through path with a query string', edit((e) => (e.cloudflare.gate.allowPaths = ['/legal?lang=en'])), 'estate.yaml:167: cloudflare.gate.allowPaths[0]: "/legal?lang=en" has a query string or fragment; the gate matches the path only; allowed: a path such as /webhooks/stripe or a prefix such as /assets/*, optionally after methods (POST /webhooks/stripe)'],
  ['a pass-through path without its leading slash', edit((e) => (e.cloudflare.gate.allowPaths = ['webhooks/stripe'])), "estate.yaml:167: cloudflare.gate.allowPaths[0]: \"webhooks/stripe\" does not start with '/'; allowed: a path such as /webhooks/stripe or a prefix such as /assets/*, optionally after methods (POST /webhooks/stripe)"],
  [
    'a pass-through path listed twice',
    edit((e) => (e.cloudflare.gate.allowPaths = ['POST /webhooks/stripe', '/assets/*', 'GET /webhooks/stripe'])),
    'estate.yaml:169: cloudflare.gate.allowPaths[2]: "GET /webhooks/stripe" lists /webhooks/stripe again (already at cloudflare.gate.allowPaths[0]); list each path once, with all its methods (POST GET /webhooks/stripe)',
  ],
  ['a pass-through prefix over the bypass path', edit((e) => (e.cloudflare.gate.allowPaths = ['/__drawbridge/*'])), 'estate.yaml:167: cloudflare.gate.allowPaths[0]: "/__drawbridge/*" covers the bypass path /__drawbridge/bypass, which the staff bypass form answers, never the origin; list paths of the site only'],
  ['an API prefix of the whole site', edit((e) => (e.cloudflare.gate.apiPaths = ['/*'])), 'estate.yaml:170: cloudflare.gate.apiPaths[0]: "/*" would answer every refusal in JSON, so browsers would get no page; allowed: a path such as /graphql or a prefix such as /api/*'],
];

describe('bad gate settings in the estate', () => {
  test.each(cases)('%s', async (_label, text, message) => {
    const r = await cliIn({ 'estate.yaml': text }, ['check', './estate.yaml']);
    expect(r.code).toBe(1);
    expect(r.err.split('\n')).toContain(`drawbridge: ${message}`);
    expect(r.err).not.toMatch(/^\s+at /m);
    expect(r.after).toEqual(r.before);
  });
});
