import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { estateJsonSchema } from '../../scripts/gen-schema';
import { DrawbridgeError } from '../../modes/errors';
import { parseEstateText } from '../../modes/load';
import { effectiveModeState } from '../../modes/state';
import { ROOT } from '../support/estates';

const defaultText = readFileSync(join(ROOT, 'estates/default.yaml'), 'utf8');

/** The default estate with one change applied, as YAML text. */
function edited(change: (e: any) => void): string {
  const e = parse(defaultText);
  change(e);
  return stringify(e);
}

function problems(text: string): string[] {
  try {
    parseEstateText(text, 'estate.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(DrawbridgeError);
    return [...(e as DrawbridgeError).problems];
  }
  throw new Error('expected the estate to be refused');
}

describe('estate validation', () => {
  test('GIVEN the default estate THEN it is valid', () => {
    expect(parseEstateText(defaultText).name).toBe('shop');
  });

  test.each([
    ['unknown mode', (e: any) => (e.state.mode = 'bogus'), /state\.mode: "bogus" is not allowed; allowed: normal, maintenance, cutover/],
    ['unknown top-level key', (e: any) => (e.colour = 'red'), /colour: unknown key 'colour'; allowed: name, description, site, brand, state, window, cutover, statusPage, aws, cloudflare, runbook/],
    ['unknown nested key', (e: any) => (e.aws.targetGroups[0].healthcheck = '/x'), /aws\.targetGroups\[0\]\.healthcheck: unknown key 'healthcheck'; allowed: id, name, port, protocol, healthPath, maintenanceHealthPath/],
    ['missing required field', (e: any) => delete e.brand.name, /brand\.name: required \(expected string\), but missing/],
    ['health path without a slash', (e: any) => (e.aws.targetGroups[0].healthPath = 'healthz'), /aws\.targetGroups\[0\]\.healthPath: "healthz" must start with '\/' and contain no spaces/],
    ['end time not ISO-8601', (e: any) => (e.window.end = 'tomorrow 6pm'), /window\.end: "tomorrow 6pm" is not an ISO-8601 date-time with offset/],
    ['end before start', (e: any) => (e.window.end = '2030-01-19T21:00:00Z'), /window\.end: end 2030-01-19T21:00:00Z must be after start 2030-01-19T22:00:00Z/],
    ['unknown time zone', (e: any) => (e.window.timeZones = ['Europe/London', 'Mars/Olympus']), /window\.timeZones\[1\]: "Mars\/Olympus" must be an IANA time zone/],
    ['duplicate target group id', (e: any) => (e.aws.targetGroups[1].id = 'web-blue'), /aws\.targetGroups\[1\]\.id: duplicate id 'web-blue' \(already used at aws\.targetGroups\[0\]\)/],
    ['duplicate physical name', (e: any) => (e.aws.scheduledJobs[1].name = 'shop-order-export'), /aws\.scheduledJobs\[1\]\.name: duplicate name 'shop-order-export'/],
    ['unknown target group reference', (e: any) => (e.aws.autoScalingGroups[0].targetGroups = ['web-blue', 'nope']), /aws\.autoScalingGroups\[0\]\.targetGroups\[1\]: unknown target group 'nope'; allowed: web-blue, web-green, api-blue, api-green/],
    ['min above max', (e: any) => (e.aws.autoScalingGroups[0].min = 9), /aws\.autoScalingGroups\[0\]\.min: min 9 must not exceed max 6/],
    ['wrong type', (e: any) => (e.aws.targetGroups[0].port = 'eighty'), /aws\.targetGroups\[0\]\.port: expected number, got "eighty"/],
    ['proxied record with a TTL', (e: any) => (e.cloudflare.records[0].ttl = 120), /cloudflare\.records\[0\]\.ttl: proxied records always use automatic TTL/],
    ['hard-down record that is not a CNAME', (e: any) => (e.cloudflare.records[0].type = 'A'), /cloudflare\.records\[0\]\.type: a record that moves to the down page must be a CNAME/],
    ['record outside its zone', (e: any) => (e.cloudflare.records[0].name = 'www.other.com'), /cloudflare\.records\[0\]\.name: 'www\.other\.com' is not in the zone example-shop\.com/],
  ])('%s is refused with a message naming field, value and what is allowed', (_label, change, expected) => {
    const found = problems(edited(change));
    expect(found.some((p) => expected.test(p))).toBe(true);
    // every problem carries the file and a line number
    for (const p of found) expect(p).toMatch(/^estate\.yaml:\d+: /);
  });

  test('GIVEN several mistakes THEN every one is listed', () => {
    const found = problems(edited((e) => {
      e.state.mode = 'bogus';
      e.aws.targetGroups[0].healthPath = 'x';
      e.window.timeZones = ['Nowhere/Land'];
    }));
    expect(found).toHaveLength(3);
  });

  test.each([
    ['an empty file', '', /is empty/],
    ['a YAML syntax error', 'name: shop\n  site: [unclosed\n', /YAML syntax error/],
    ['a binary file', 'name\u0000\u0001', /binary file/],
    ['a list instead of a mapping', '- a\n- b\n', /must be a YAML mapping/],
    ['a duplicate key', 'name: a\nname: b\n', /YAML syntax error: Map keys must be unique/],
  ])('%s is refused with one clear line', (_label, text, expected) => {
    const found = problems(text);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(expected);
  });
});

describe('mode state', () => {
  const estate = parseEstateText(defaultText);

  test('GIVEN an end time in the past WHEN entering maintenance THEN it is refused', () => {
    expect(() => effectiveModeState(estate, { mode: 'maintenance' }, '--context', new Date('2031-01-01T00:00:00Z'))).toThrow(
      'window.end 2030-01-20T00:30:00Z is in the past (now 2031-01-01T00:00:00.000Z); set an end time in the future before entering maintenance',
    );
  });

  test('GIVEN a past window WHEN in normal mode THEN it is accepted (leaving maintenance always works)', () => {
    expect(effectiveModeState(estate, { mode: 'normal' }, '--context', new Date('2031-01-01T00:00:00Z')).state.mode).toBe('normal');
  });

  test.each([
    [{ mode: 'bogus' }, '--context mode=bogus is not allowed; allowed mode values: normal, maintenance, cutover'],
    [{ live: 'red' }, '--context live=red is not allowed; allowed live values: blue, green'],
    [{ mode: 'cutover', target: 'blue' }, 'cutover target blue equals live blue; the target must be the other colour (green)'],
    [{ mode: 'normal', target: 'green' }, 'target=green only applies to mode cutover; mode is normal'],
    [{ hardDown: 'yes' }, '--context hardDown="yes" is not allowed; allowed hardDown values: true, false'],
  ])('override %j is refused: %s', (overrides, message) => {
    expect(() => effectiveModeState(estate, overrides, '--context')).toThrow(message);
  });

  test('GIVEN an override that changes the mode THEN it is announced', () => {
    expect(effectiveModeState(estate, { mode: 'maintenance' }, '--context').overrides).toEqual(['mode=maintenance (estate has normal)']);
    expect(effectiveModeState(estate, { mode: 'normal' }, '--context').overrides).toEqual([]);
  });
});

describe('JSON Schema for editors', () => {
  test('the committed schema/estate.schema.json is the one the zod schema generates (run npm run schema)', () => {
    expect(readFileSync(join(ROOT, 'schema/estate.schema.json'), 'utf8')).toBe(estateJsonSchema());
  });
});

describe('databases', () => {
  test('GIVEN a database restored from a snapshot WITH its own master secret THEN it is refused (the snapshot keeps its own)', () => {
    const text = readFileSync(join(ROOT, 'estates/beanstalk.yaml'), 'utf8');
    const e = parse(text);
    e.aws.databases[1].masterSecretArn = 'arn:aws:secretsmanager:ap-southeast-2:456789012345:secret:x-AbCdEf';
    const found = problems(stringify(e));
    expect(found).toEqual([expect.stringMatching(/aws\.databases\[1\]\.masterSecretArn: a database restored from a snapshot keeps the snapshot's master user and password; remove it$/)]);
  });
});
