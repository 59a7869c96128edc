/**
 * The bad-input catalogue: what users get wrong, across estate files, CLI arguments, CDK context and
 * Pulumi stack config. Each case asserts the exact message, a non-zero exit and that nothing was
 * written. Messages are part of the product: change them here on purpose, never by accident.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { App } from 'aws-cdk-lib';
import { declareCdkApp } from '../bin/cdk';
import { main as bypassLink } from '../edge/bypass-link';
import { DrawbridgeError } from '../modes/errors';
import { buildEdge } from '../scripts/build-edge';
import { parseStackConfig } from '../stacks/cloudflare/config';
import { useDrawbridgeMocks } from '../stacks/cloudflare/mocks';
import { runCloudflareStack } from '../stacks/cloudflare/program';
import { cliIn, defaultText, edit, refusal } from './support/catalogue';
import { ROOT } from './support/estates';

type EstateCase = [label: string, text: string | Buffer, message: string];

const estateCases: EstateCase[] = [
  // types
  ['a string where a number belongs', edit((e) => (e.aws.targetGroups[0].port = 'eighty')), "estate.yaml:61: aws.targetGroups[0].port: expected number, got \"eighty\""],
  ['a number where a string belongs', edit((e) => (e.brand.name = 42)), "estate.yaml:8: brand.name: expected string, got 42"],
  ['a list where a mapping belongs', edit((e) => (e.site = ['https://x.example.com'])), "estate.yaml:5: site: expected object, got [\"https://x.example.com\"]"],
  ['a boolean given as text', edit((e) => (e.state.hardDown = 'yes')), "estate.yaml:15: state.hardDown: expected boolean, got \"yes\""],
  // ranges
  ['a port out of range', edit((e) => (e.aws.targetGroups[0].port = 70000)), "estate.yaml:61: aws.targetGroups[0].port: 70000: must be at most 65535"],
  ['min above max', edit((e) => (e.aws.autoScalingGroups[0].min = 9)), "estate.yaml:83: aws.autoScalingGroups[0].min: min 9 must not exceed max 6"],
  ['a negative capacity', edit((e) => (e.aws.autoScalingGroups[0].min = -1)), "estate.yaml:83: aws.autoScalingGroups[0].min: -1: must be at least 0"],
  [
    'a group that does not say where its scaling notifications go',
    edit((e) => delete e.aws.autoScalingGroups[0].notifications),
    'estate.yaml:79: aws.autoScalingGroups[0].notifications: required, but missing; say where the group\'s scaling notifications go, notifications: { topicArn: arn:aws:sns:<region>:<account>:<topic> }, or why it needs none, notifications: { none: "<the reason, a sentence>" }; give one of the two',
  ],
  [
    'a queue where the notification topic belongs',
    edit((e) => (e.aws.autoScalingGroups[0].notifications = { topicArn: 'arn:aws:sqs:eu-west-2:123456789012:scaling' })),
    'estate.yaml:89: aws.autoScalingGroups[0].notifications.topicArn: "arn:aws:sqs:eu-west-2:123456789012:scaling" is not an SNS topic ARN; allowed: arn:aws:sns:<region>:<account>:<topic>, in the estate\'s account and region',
  ],
  ['a deregistration delay past an hour', edit((e) => (e.aws.targetGroups[2].deregistrationDelaySeconds = 7200)), "estate.yaml:71: aws.targetGroups[2].deregistrationDelaySeconds: 7200: must be at most 3600"],
  // unknown keys
  ['an unknown top-level key', edit((e) => (e.colour = 'red')), "estate.yaml:214: colour: unknown key 'colour'; allowed: name, description, site, brand, state, window, cutover, statusPage, aws, cloudflare, runbook"],
  ['a misspelt nested key', edit((e) => (e.window.timezones = ['UTC'])), "estate.yaml:25: window.timezones: unknown key 'timezones'; allowed: reason, announce, start, end, timeZones, longOutage"],
  // duplicates
  ['a duplicate target group id', edit((e) => (e.aws.targetGroups[1].id = 'web-blue')), "estate.yaml:61: aws.targetGroups[1].id: duplicate id 'web-blue' (already used at aws.targetGroups[0]); each id must be unique"],
  ['a duplicate physical name', edit((e) => (e.aws.parameters[1].name = '/shop/flags/maintenance')), "estate.yaml:131: aws.parameters[1].name: duplicate name '/shop/flags/maintenance' (already used at aws.parameters[0]); each name must be unique"],
  ['a duplicate listener priority', edit((e) => e.aws.loadBalancer.listener.rules.push({ priority: 10, paths: ['/x'], targetGroups: ['web-blue'] })), "estate.yaml:55: aws.loadBalancer.listener.rules[1].priority: duplicate priority 10; each rule needs its own"],
  ['a duplicate YAML key', `${defaultText}\nname: again\n`, "estate.yaml:209: YAML syntax error: Map keys must be unique"],
  // bad hosts
  ['an upper-case host name', edit((e) => (e.cloudflare.records[0].name = 'WWW.example-shop.com')), "estate.yaml:174: cloudflare.records[0].name: \"WWW.example-shop.com\" must be a lower-case DNS name such as www.example.com"],
  ['a site URL that is not a URL', edit((e) => (e.site.url = 'www.example-shop.com')), "estate.yaml:5: site.url: \"www.example-shop.com\" Invalid URL"],
  ['a record outside its zone', edit((e) => (e.cloudflare.records[0].name = 'www.other.com')), "estate.yaml:174: cloudflare.records[0].name: 'www.other.com' is not in the zone example-shop.com"],
  ['an allow-listed IP that is not an IP', edit((e) => (e.cloudflare.gate.bypass.allowIps = ['10.0.0.300'])), "estate.yaml:164: cloudflare.gate.bypass.allowIps[0]: \"10.0.0.300\" must be an IPv4 or IPv6 address, optionally with a /prefix"],
  // bad times
  ['an end time that is not ISO-8601', edit((e) => (e.window.end = 'tomorrow 6pm')), "estate.yaml:19: window.end: \"tomorrow 6pm\" is not an ISO-8601 date-time with offset (e.g. 2030-01-19T22:00:00Z)"],
  ['a time without an offset', edit((e) => (e.window.start = '2030-01-19T22:00:00')), "estate.yaml:18: window.start: \"2030-01-19T22:00:00\" is not an ISO-8601 date-time with offset (e.g. 2030-01-19T22:00:00Z)"],
  ['an end before the start', edit((e) => (e.window.end = '2030-01-19T21:00:00Z')), "estate.yaml:19: window.end: end 2030-01-19T21:00:00Z must be after start 2030-01-19T22:00:00Z"],
  ['an announcement after the start', edit((e) => (e.window.announce = '2030-01-20T00:00:00Z')), "estate.yaml:17: window.announce: announce 2030-01-20T00:00:00Z must not be after start 2030-01-19T22:00:00Z"],
  ['a committed maintenance whose end has passed', edit((e) => {
    Object.assign(e.window, { announce: '2020-01-01T00:00:00Z', start: '2020-01-01T01:00:00Z', end: '2020-01-01T02:00:00Z' });
    e.state.mode = 'maintenance';
  }), 'estate.yaml:12: state: window.end 2020-01-01T02:00:00Z is in the past'],
  // bad zones
  ['an unknown time zone', edit((e) => (e.window.timeZones = ['Europe/London', 'Mars/Olympus'])), "estate.yaml:22: window.timeZones[1]: \"Mars/Olympus\" must be an IANA time zone such as Europe/London, America/New_York or UTC"],
  ['an abbreviation instead of a zone', edit((e) => (e.window.timeZones = ['EST'])), "estate.yaml:21: window.timeZones[0]: \"EST\" must be an IANA time zone such as Europe/London, America/New_York or UTC"],
  ['no time zone at all', edit((e) => (e.window.timeZones = [])), "estate.yaml:20: window.timeZones: []: must have at least 1 item"],
  // paths, references, required fields
  ['a health path without a slash', edit((e) => (e.aws.targetGroups[0].healthPath = 'healthz')), "estate.yaml:59: aws.targetGroups[0].healthPath: \"healthz\" must start with '/' and contain no spaces or commas"],
  ['a missing required field', edit((e) => delete e.brand.name), "estate.yaml:8: brand.name: required (expected string), but missing"],
  ['an unknown mode', edit((e) => (e.state.mode = 'bogus')), "estate.yaml:13: state.mode: \"bogus\" is not allowed; allowed: normal, maintenance, cutover"],
  ['a reference to an unknown target group', edit((e) => (e.aws.autoScalingGroups[0].targetGroups = ['nope'])), "estate.yaml:86: aws.autoScalingGroups[0].targetGroups[0]: unknown target group 'nope'; allowed: web-blue, web-green, api-blue, api-green"],
  ['a route on an unknown zone', edit((e) => (e.cloudflare.gate.routes[0].zone = 'nope')), "estate.yaml:158: cloudflare.gate.routes[0].zone: unknown zone 'nope'; allowed: shop"],
  ['a gate route outside its zone', edit((e) => (e.cloudflare.gate.routes[0].pattern = 'www.other-shop.com/*')), "estate.yaml:159: cloudflare.gate.routes[0].pattern: 'www.other-shop.com/*' is not in the zone example-shop.com; a route's host must be the zone or one of its subdomains"],
  ['a gate route on a DNS-only record', edit((e) => (e.cloudflare.records[0].proxied = false)), 'estate.yaml: normal@blue, maintenance@blue, cutover@blue->green, normal@green, maintenance@green, cutover@green->blue: cloudflare.gate.routes[0]: "www.example-shop.com/*" is on record www, which is DNS-only (proxied: false), so the gate never runs there; set proxied: true on the record or drop the route'],
  ['a proxied record with a TTL', edit((e) => (e.cloudflare.records[0].ttl = 120)), "estate.yaml:179: cloudflare.records[0].ttl: proxied records always use automatic TTL; remove ttl/transitionTtl or set proxied: false"],
  ['a schedule EventBridge refuses', edit((e) => (e.aws.scheduledJobs[0].schedule = 'rate(5 minute)')), 'estate.yaml:107: aws.scheduledJobs[0].schedule: "rate(5 minute)" must be an EventBridge schedule: rate(1 minute), rate(5 minutes) (singular only for 1), or cron() with six fields such as cron(0 2 * * ? *)'],
  // alerts muted for the window (cloudflare.alerts)
  [
    'a Datadog tag with capitals (Datadog lowercases tags)',
    edit((e) => (e.cloudflare.alerts = { datadog: { monitorTags: ['service:shop', 'Env:Prod'] } })),
    "estate.yaml:191: cloudflare.alerts.datadog.monitorTags[1]: \"Env:Prod\" is not a Datadog monitor tag (Datadog lowercases tags: write env:prod); allowed: lower-case letters, digits and _ - : . /, starting with a letter, not ending with ':', at most 200 characters, such as service:shop or env:prod",
  ],
  [
    'a PagerDuty service named instead of its id',
    edit((e) => (e.cloudflare.alerts = { pagerduty: { serviceIds: ['Shop web'] } })),
    "estate.yaml:190: cloudflare.alerts.pagerduty.serviceIds[0]: \"Shop web\" is not a PagerDuty service id; give the id, not the name: upper-case letters and digits such as PIJ90N7, the last part of the service's address (https://<subdomain>.pagerduty.com/service-directory/PIJ90N7)",
  ],
  ['a grace of a day after the window', edit((e) => (e.cloudflare.alerts = { graceMinutes: 1440, pagerduty: { serviceIds: ['PIJ90N7'] } })), 'estate.yaml:188: cloudflare.alerts.graceMinutes: 1440: must be at most 720'],
  ['alerts that mute nothing', edit((e) => (e.cloudflare.alerts = { graceMinutes: 30 })), 'estate.yaml:188: cloudflare.alerts: names nothing to mute; declare datadog: { monitorTags: [...] }, pagerduty: { serviceIds: [...] } or both'],
  ['a 13-digit account id', edit((e) => (e.aws.account = '1234567890123')), "estate.yaml:25: aws.account: \"1234567890123\" must be a 12-digit AWS account id"],
  // files
  ['a YAML syntax error', 'name: shop\n  site: [unclosed\n', "estate.yaml:1: YAML syntax error: Nested mappings are not allowed in compact mappings"],
  ['an empty file', '', "estate.yaml: is empty; an estate needs at least name, site and brand"],
  ['a binary file', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0x02]), "estate.yaml: is a binary file, not a YAML estate"],
  ['a huge file', `# ${'x'.repeat(1024 * 1024)}\n${defaultText}`, "estate.yaml: is 1055584 bytes; an estate file may be at most 1048576 bytes"],
  ['a scalar instead of a mapping', 'just some text\n', "estate.yaml: an estate must be a YAML mapping (name, site, brand, ...); got \"just some text\""],
];

describe('bad estate files: drawbridge check FILE', () => {
  test.each(estateCases)('%s', async (_label, text, message) => {
    const r = await cliIn({ 'estate.yaml': text }, ['check', './estate.yaml']);
    expect(r.code).toBe(1);
    expect(r.err.split('\n')).toEqual(expect.arrayContaining([expect.stringContaining(`drawbridge: ${message}`)]));
    expect(r.err).not.toMatch(/^\s+at /m);
    expect(r.after).toEqual(r.before);
  });
});

const cliCases: [label: string, argv: string[], code: number, message: string][] = [
  ['no command', [], 2, 'drawbridge: no command given; commands: check, diff, plan, statuspage, affected, help; see `drawbridge --help`'],
  ['an unknown command', ['deploy'], 2, 'drawbridge: unknown command "deploy"; commands: check, diff, plan, statuspage, affected, help; see `drawbridge --help`'],
  ['an option without its value', ['plan', 'normal', 'maintenance', '--estate'], 2, 'drawbridge: option --estate needs a value; see `drawbridge --help`'],
  ['an unknown format', ['plan', 'normal', 'maintenance', '--format', 'html'], 2, 'drawbridge: unknown format "html"; allowed: md, json; see `drawbridge plan --help`'],
  ['a misspelt mode', ['diff', 'normal', 'maintenence', '--estate', join(ROOT, 'estates/default.yaml')], 2, 'drawbridge: unknown mode "maintenence" (did you mean maintenance?); allowed: normal, maintenance, maintenance:hard-down, cutover, each optionally @blue or @green (cutover@blue->green) and :STAGE (maintenance:ahead, cutover:freeze@blue->green), or committed'],
  ['an unknown colour', ['plan', 'normal', 'normal@purple', '--estate', join(ROOT, 'estates/default.yaml')], 2, 'drawbridge: mode "normal@purple": live colour "purple" is not a colour; allowed colours: blue, green'],
  ['a cutover to the live colour', ['plan', 'normal', 'cutover@blue->blue', '--estate', join(ROOT, 'estates/default.yaml')], 1, 'drawbridge: cutover target blue equals live blue; the target must be the other colour (green)'],
  ['a hard-down on an estate without a down page', ['plan', 'normal', 'maintenance:hard-down', '--estate', join(ROOT, 'estates/ticketing.yaml')], 1, 'drawbridge: hardDown=true needs a cloudflare record with downPageOnHardDown: true and a cloudflare.downPage'],
  ['a missing estate file', ['diff', 'normal', 'maintenance', '--estate', 'nope.yaml'], 1, 'drawbridge: estate file "nope.yaml" not found; pass an existing YAML file (for example estates/default.yaml)'],
];

describe('bad CLI arguments', () => {
  test.each(cliCases)('%s', async (_label, argv, code, message) => {
    const r = await cliIn({}, argv);
    expect(r.code).toBe(code);
    expect(r.err.trimEnd().split('\n')).toContain(message);
    expect(r.out).toBe('');
    expect(r.after).toEqual([]);
  });
});

describe('bad CDK context: npx cdk synth', () => {
  test.each([
    [['mode=bogus'], 'drawbridge: --context mode=bogus is not allowed; allowed mode values: normal, maintenance, cutover'],
    [['live=purple'], 'drawbridge: --context live=purple is not allowed; allowed live values: blue, green'],
    [['mode=cutover', 'target=blue'], 'drawbridge: cutover target blue equals live blue; the target must be the other colour (green)'],
    [['hardDown=maybe'], 'drawbridge: --context hardDown="maybe" is not allowed; allowed hardDown values: true, false'],
    [['Mode=maintenance'], 'drawbridge: --context Mode is not a Drawbridge context key (did you mean mode?); keys: estate, mode, live, target, hardDown, stage'],
  ])('--context %j', (pairs, message) => {
    const out = mkdtempSync(join(tmpdir(), 'catalogue-cdk-'));
    const r = spawnSync(join(ROOT, 'node_modules/.bin/cdk'), ['synth', '--no-notices', '--output', out, ...pairs.flatMap((p) => ['--context', p])], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: '1' },
      timeout: 120_000,
    });
    expect(r.status).not.toBe(0);
    expect(r.stderr.split('\n')).toContain(message);
    expect(r.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    expect(readdirSync(out)).toEqual([]);
  });
});

describe('bad Pulumi stack config', () => {
  const secret = 'dff25dd51b0bf3966a86c9f47901b260a889da65';
  const secretKeys = new Set(['drawbridge:bypassSecret', 'cloudflare:apiToken']);
  test.each<[string, Record<string, string>, string]>([
    ['an unknown mode', { 'drawbridge:mode': 'bogus' }, 'drawbridge:mode=bogus is not allowed; allowed values: normal, maintenance, cutover'],
    ['a misspelt key', { 'drawbridge:mdoe': 'maintenance' }, 'drawbridge:mdoe is not a Drawbridge setting (did you mean drawbridge:mode?)'],
    ['an unknown colour', { 'drawbridge:live': 'purple' }, 'drawbridge:live=purple is not allowed; allowed values: blue, green'],
    ['a bypass key in plain text', { 'drawbridge:bypassSecret': secret, plain: 'yes' }, 'drawbridge:bypassSecret is stored in plain text in Pulumi.<stack>.yaml'],
    ['a short bypass key', { 'drawbridge:bypassSecret': 'short' }, 'drawbridge:bypassSecret is 5 characters; use at least 32'],
  ])('%s', (_label, config, message) => {
    const plain = config.plain === 'yes';
    const { plain: _p, ...all } = config;
    const withSecret = { 'drawbridge:bypassSecret': secret, ...all };
    let error: unknown;
    try {
      parseStackConfig(withSecret, (key) => !plain && secretKeys.has(key));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DrawbridgeError);
    expect((error as DrawbridgeError).exitCode).not.toBe(0);
    expect((error as DrawbridgeError).problems.join('\n')).toContain(message);
    expect((error as DrawbridgeError).message).not.toContain(secret);
  });
});

describe('no estate named: no --estate (or its equivalent) and no cdk.json naming one', () => {
  const NO_CDK_JSON = 'there is no cdk.json to name a default estate';
  const CDK_JSON_WITHOUT_ESTATE = JSON.stringify({ app: 'npx tsx bin/cdk.ts' });
  const CDK_JSON_NAMING = JSON.stringify({ app: 'npx tsx bin/cdk.ts', context: { estate: 'estates/shop.yaml' } });

  /** A fresh directory holding `files`. */
  function dirWith(files: Record<string, string>): string {
    const dir = mkdtempSync(join(tmpdir(), 'catalogue-estate-'));
    for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
    return dir;
  }

  test.each<[string, Record<string, string>, string[], string]>([
    ['check without a file in a directory without cdk.json', {}, ['check'], `drawbridge: no --estate given and ${NO_CDK_JSON}; pass one with \`--estate FILE\``],
    ['plan without --estate and a cdk.json naming no estate', { 'cdk.json': CDK_JSON_WITHOUT_ESTATE }, ['plan', 'normal', 'maintenance'], 'drawbridge: no --estate given and cdk.json names no default estate (context.estate); pass one with `--estate FILE`'],
    ['diff without --estate in a directory without cdk.json', {}, ['diff', 'normal', 'maintenance'], `drawbridge: no --estate given and ${NO_CDK_JSON}; pass one with \`--estate FILE\``],
    ['an empty --estate', { 'cdk.json': CDK_JSON_NAMING }, ['plan', 'maintenance', '--estate='], 'drawbridge: --estate is empty; pass one with `--estate FILE`, or leave it out for the estate cdk.json names (estates/shop.yaml)'],
  ])('drawbridge: %s', async (_label, files, argv, message) => {
    const r = await cliIn(files, argv);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`${message}\n`);
    expect(r.out).toBe('');
    expect(r.after).toEqual(r.before);
  });

  test.each<[string, Record<string, string>, Record<string, unknown>, string]>([
    ['no --context estate and no cdk.json', {}, {}, `no --context estate given and ${NO_CDK_JSON}; pass one with \`--context estate=FILE\``],
    ['an empty --context estate=', { 'cdk.json': CDK_JSON_NAMING }, { estate: '' }, '--context estate= is empty; pass one with `--context estate=FILE`, or leave it out for the estate cdk.json names (estates/shop.yaml)'],
  ])('CDK app: %s', async (_label, files, context, message) => {
    const dir = dirWith(files);
    const outdir = join(dir, 'cdk.out');
    const r = await refusal(dir, () => declareCdkApp(new App({ outdir, context }), dir, () => undefined));
    expect(r.error).toBeInstanceOf(DrawbridgeError);
    expect((r.error as DrawbridgeError).exitCode).toBe(1);
    expect(r.message).toBe(message);
    // The App makes its output directory; nothing is written into it.
    expect(readdirSync(outdir)).toEqual([]);
  });

  test('Pulumi program: no drawbridge:estate and no cdk.json', async () => {
    const dir = dirWith({});
    const mocks = await useDrawbridgeMocks({ config: { 'drawbridge:bypassSecret': 'dff25dd51b0bf3966a86c9f47901b260a889da65' }, secretKeys: ['drawbridge:bypassSecret'] });
    const r = await refusal(dir, () => runCloudflareStack({ projectRoot: dir }));
    // Pulumi prints a RunError's message alone and fails the update.
    expect(pulumi.RunError.isInstance(r.error)).toBe(true);
    expect(r.message).toBe(`drawbridge:estate is not set and ${NO_CDK_JSON}; set one with \`pulumi config set drawbridge:estate FILE\``);
    expect(mocks.resources).toEqual([]);
  });

  test('npm run build:edge: no --estate and a cdk.json naming no estate', async () => {
    const dir = dirWith({ 'cdk.json': CDK_JSON_WITHOUT_ESTATE });
    const r = await refusal(dir, () => buildEdge({ root: dir, log: () => undefined }));
    expect(r.error).toBeInstanceOf(DrawbridgeError);
    expect((r.error as DrawbridgeError).exitCode).toBe(1);
    expect(r.message).toBe('no --estate given and cdk.json names no default estate (context.estate); pass one with `npm run build:edge -- --estate FILE`');
    expect(readdirSync(dir)).toEqual(['cdk.json']);
  });

  test('edge/bypass-link.ts: no --estate and no cdk.json', async () => {
    const dir = dirWith({});
    const r = await refusal(dir, () => bypassLink([], { BYPASS_SECRET: 'dff25dd51b0bf3966a86c9f47901b260a889da65' }, dir));
    expect(r.error).toBeInstanceOf(DrawbridgeError);
    expect((r.error as DrawbridgeError).exitCode).toBe(1);
    expect(r.message).toBe(`no --estate given and ${NO_CDK_JSON}; pass one with \`--estate FILE\``);
    expect(readdirSync(dir)).toEqual([]);
  });
});
