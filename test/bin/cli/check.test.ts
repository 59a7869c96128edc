/**
 * `drawbridge check` in-process: valid and invalid estates, and check agreeing with plan.
 */
import { mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ROOT } from '../../support/estates';
import { cli, shopYaml, SHOP, writeEstate } from '../io';

describe('check', () => {
  test('GIVEN the example estates WHEN checked THEN each is valid with the modes it supports, exit 0', async () => {
    const r = await cli(['check', SHOP, 'estates/beanstalk.yaml']);
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      `${SHOP}: valid (shop; committed normal@blue; modes: normal@blue, maintenance@blue, maintenance:hard-down@blue)\n` +
        'estates/beanstalk.yaml: valid (bridge; committed normal@blue; modes: normal@blue, maintenance@blue, cutover@blue->green, normal@green, maintenance@green, cutover@green->blue)\n',
    );
  });

  test('GIVEN every example estate (estates/*.yaml) WHEN checked THEN each is valid, exit 0', async () => {
    const files = readdirSync(join(ROOT, 'estates')).filter((f) => f.endsWith('.yaml')).sort().map((f) => `estates/${f}`);
    const r = await cli(['check', ...files]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out.trimEnd().split('\n').map((line) => line.replace(/: valid .*/, ''))).toEqual(files);
  });

  test("GIVEN a Cloudflare record whose target only the estate's Route 53 zone declares WHEN checked THEN the problem is listed once, for the modes the record points there (not the hard-down: the down page then), exit 1", async () => {
    const file = writeEstate('route53-only-target.yaml', shopYaml.replace('      type: CNAME\n      target: { loadBalancer: true }\n      downPageOnHardDown: true\n', '      type: CNAME\n      target: { value: origin.example-shop.com }\n      downPageOnHardDown: true\n'));
    const r = await cli(['check', file]);
    expect(r.code).toBe(1);
    expect(r.err.trimEnd().split('\n')).toEqual([
      expect.stringMatching(new RegExp(`^drawbridge: ${file}: normal@blue, maintenance@blue: cloudflare\\.records\\[www\\]\\.target: "origin\\.example-shop\\.com" is a name in the Cloudflare zone example-shop\\.com that only the Route 53 hosted zone example-shop\\.com \\(aws\\.dns\\) declares .* error 1016`)),
    ]);
  });

  test('GIVEN no file WHEN checked THEN the estate cdk.json names is checked', async () => {
    const r = await cli(['check']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^estates\/default\.yaml: valid /);
  });

  test('GIVEN an estate with four problems WHEN checked THEN every one is listed with line and path, exit 1', async () => {
    const bad = shopYaml
      .replace('name: shop\n', 'name: Shop\n')
      .replace('  healthPath: /healthz\n', '  healthPath: /healthz\n  colour: red\n')
      .replace('      healthPath: /healthz\n', '      healthPath: healthz\n')
      .replace('      targetGroups: [web, api]\n', '      targetGroups: [web, nope]\n');
    const file = writeEstate('four-problems.yaml', bad);
    const r = await cli(['check', file, SHOP]);
    expect(r.code).toBe(1);
    expect(r.err.trimEnd().split('\n')).toEqual([
      `drawbridge: ${file}:5: name: "Shop" must be lower-case letters, digits and dashes, starting with a letter (at most 40)`,
      `drawbridge: ${file}:10: site.colour: unknown key 'colour'; allowed: url, healthPath, maintenanceStatus`,
      `drawbridge: ${file}:54: aws.targetGroups[0].healthPath: "healthz" must start with '/' and contain no spaces or commas`,
      `drawbridge: ${file}:67: aws.autoScalingGroups[0].targetGroups[1]: unknown target group 'nope'; allowed: web, api`,
      'drawbridge: 1 of 2 estate files are invalid',
    ]);
    expect(r.out).toBe(`${SHOP}: valid (shop; committed normal@blue; modes: normal@blue, maintenance@blue, maintenance:hard-down@blue)\n`);
  });

  test.each<[string, string, RegExp]>([
    ['empty', '', /: is empty; an estate needs at least name, site and brand$/],
    ['broken YAML', 'name: x\n  bad: [\n', /:1: YAML syntax error: /],
    ['not a mapping', '- a\n- b\n', /: an estate must be a YAML mapping \(name, site, brand, \.\.\.\); got \["a","b"\]$/],
  ])('GIVEN an estate that is %s WHEN checked THEN one line says so, exit 1', async (name, text, message) => {
    const file = writeEstate(`${name.replace(/\W/g, '-')}.yaml`, text);
    const r = await cli(['check', '--estate', file]);
    expect(r.code).toBe(1);
    expect(r.err.trimEnd().split('\n')).toHaveLength(1);
    expect(r.err.trimEnd()).toMatch(message);
  });

  test('GIVEN a committed maintenance whose window has ended WHEN checked THEN the state problem is named at the state: line', async () => {
    const file = writeEstate('past.yaml', shopYaml.replace('  mode: normal\n', '  mode: maintenance\n').replace('end: "2030-01-20T00:30:00Z"', 'end: "2001-01-20T00:30:00Z"').replace('start: "2030-01-19T22:00:00Z"', 'start: "2001-01-19T22:00:00Z"').replace('announce: "2030-01-18T09:00:00Z"', 'announce: "2001-01-18T09:00:00Z"'));
    const r = await cli(['check', file]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(new RegExp(`^drawbridge: ${file}:17: state: window.end 2001-01-20T00:30:00Z is in the past`));
  });

  test('GIVEN three files, the middle one a directory WHEN checked THEN the other two are still checked, exit 1', async () => {
    const good = writeEstate('good.yaml', shopYaml);
    const dir = join(dirname(good), 'a-directory');
    mkdirSync(dir, { recursive: true });
    const r = await cli(['check', good, dir, good]);
    expect(r.code).toBe(1);
    expect(r.out.trimEnd().split('\n')).toEqual([expect.stringMatching(/: valid \(/), expect.stringMatching(/: valid \(/)]);
    expect(r.err).toBe(`drawbridge: ${dir}: is a directory, not an estate file; pass a YAML file (for example estates/default.yaml)\ndrawbridge: 1 of 3 estate files are invalid\n`);
  });
});

describe('review: check agrees with plan', () => {
  test('GIVEN check --help WHEN run THEN it lists only the options check takes (no --from-estate)', async () => {
    const r = await cli(['check', '--help']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('--estate FILE');
    expect(r.out).not.toContain('--from-estate');
    const planHelp = await cli(['plan', '--help']);
    expect(planHelp.out).toContain('--from-estate');
  });

  test('GIVEN the default estate (colours and a down page) WHEN checked THEN its modes include maintenance:hard-down@green, which plan accepts', async () => {
    const r = await cli(['check', 'estates/default.yaml']);
    expect(r.code).toBe(0);
    const modes = /modes: (.*)\)$/m.exec(r.out)![1]!.split(', ');
    expect(modes).toContain('maintenance:hard-down@green');
    for (const mode of modes) {
      const p = await cli(['plan', 'normal@blue', mode, '--estate', 'estates/default.yaml', '--json']);
      expect([mode, p.code, p.err]).toEqual([mode, 0, '']);
    }
  });
});

describe('check: warnings', () => {
  test('GIVEN a window of more than two days WHEN checked THEN the file is valid, exit 0, and a warning marked as one names the line and what to do', async () => {
    const file = writeEstate('long-window.yaml', shopYaml.replace('  end: "2030-01-20T00:30:00Z"\n', '  end: "2030-01-23T02:30:00Z"\n'));
    const r = await cli(['check', file]);
    expect(r.code).toBe(0);
    expect(r.out).toBe(`${file}: valid (shop; committed normal@blue; modes: normal@blue, maintenance@blue, maintenance:hard-down@blue)\n`);
    expect(r.err.trimEnd().split('\n')).toEqual([
      `drawbridge: warning: ${file}:25: window.end: the window lasts 3 days 4 h 30 min, more than 2 days: search engines may drop pages that answer 503 that long (Google's guidance on planned downtime: a day or two at most). For a long outage serve a 200 placeholder with noindex instead, and say so with window.longOutage: placeholder; or keep the 503 on purpose with window.longOutage: keep-503. README, "Long outages".`,
    ]);
  });

  test('GIVEN the long window kept at 503 on purpose WHEN checked THEN no warning', async () => {
    const file = writeEstate('long-window-kept.yaml', shopYaml.replace('  end: "2030-01-20T00:30:00Z"\n', '  end: "2030-01-23T02:30:00Z"\n  longOutage: keep-503\n'));
    const r = await cli(['check', file]);
    expect([r.code, r.err]).toEqual([0, '']);
  });

  test('GIVEN a valid file with a warning and an invalid one WHEN checked THEN the exit code is the invalid file\'s alone', async () => {
    const warned = writeEstate('long-window-2.yaml', shopYaml.replace('  end: "2030-01-20T00:30:00Z"\n', '  end: "2030-01-23T02:30:00Z"\n'));
    const bad = writeEstate('bad-name.yaml', shopYaml.replace('name: shop\n', 'name: Shop\n'));
    expect((await cli(['check', warned])).code).toBe(0);
    const r = await cli(['check', warned, bad]);
    expect(r.code).toBe(1);
    expect(r.err.split('\n').filter((l) => l.startsWith('drawbridge: warning: '))).toHaveLength(1);
  });
});
