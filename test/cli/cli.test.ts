/**
 * The CLI in-process (`run(argv, io)`): help, check, plan and bad input. diff is in diff.test.ts,
 * a few child-process runs in e2e.test.ts.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureIo, loadCli } from './io';

const { run } = loadCli();

const tmp = mkdtempSync(join(tmpdir(), 'drawbridge-cli-'));
/** A frozen copy of the first default estate: line numbers below refer to it. */
const SHOP = 'test/cli/fixtures/shop.yaml';
const shopYaml = readFileSync(join(__dirname, 'fixtures', 'shop.yaml'), 'utf8');

function writeEstate(name: string, text: string): string {
  const file = join(tmp, name);
  writeFileSync(file, text);
  return file;
}

async function cli(argv: string[], options: Parameters<typeof captureIo>[0] = {}) {
  const c = captureIo(options);
  const code = await run(argv, c.io);
  return { code, out: c.out(), err: c.err() };
}

describe('help', () => {
  test.each([
    [['--help'], /^drawbridge: check an estate/],
    [['-h'], /^drawbridge: check an estate/],
    [['help'], /^drawbridge: check an estate/],
    [['help', 'plan'], /^drawbridge plan \[FROM\] TO/],
    [['check', '--help'], /^drawbridge check \[FILE\.\.\.\]/],
    [['diff', '--help'], /^drawbridge diff \[FROM\] TO/],
    [['plan', '-h'], /^drawbridge plan \[FROM\] TO/],
  ])('GIVEN %j WHEN run THEN the help is printed and the exit code is 0', async (argv, first) => {
    const r = await cli(argv);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(first);
    expect(r.err).toBe('');
  });

  test.each(['diff', 'plan'])('GIVEN %s --help WHEN run THEN it documents the mode words and a blue/green cycle', async (command) => {
    const r = await cli([command, '--help']);
    expect(r.out).toContain("cutover@LIVE->TARGET");
    expect(r.out).toContain('normal@blue -> cutover@blue->green -> normal@green');
    expect(r.out).toContain('maintenance:hard-down');
    expect(r.out).toMatch(/Exit codes: /);
  });
});

describe('bad input: one line naming what is wrong and what is allowed, no stack trace', () => {
  test.each<[string, string[], number, RegExp]>([
    ['no command', [], 2, /^drawbridge: no command given; commands: check, diff, plan, help; see `drawbridge --help`$/],
    ['an unknown command', ['deploy'], 2, /^drawbridge: unknown command "deploy"; commands: check, diff, plan, help; see `drawbridge --help`$/],
    ['an unknown option', ['plan', '--frmo', 'x'], 2, /^drawbridge: unknown option --frmo; options: --estate, --from-estate, /],
    ['an option without its value', ['plan', 'normal', 'maintenance', '--estate'], 2, /^drawbridge: option --estate needs a value; see `drawbridge --help`$/],
    ['an option of another command', ['check', '--json'], 2, /^drawbridge: option --json does not apply to check; check takes --estate, --no-color, --color, --help; see `drawbridge check --help`$/],
    ['an unknown format', ['plan', 'normal', 'maintenance', '--format', 'html'], 2, /^drawbridge: unknown format "html"; allowed: md, json; see `drawbridge plan --help`$/],
    ['too many mode words', ['plan', 'normal', 'maintenance', 'normal'], 2, /^drawbridge: too many arguments \(normal maintenance normal\); give at most FROM and TO; see `drawbridge plan --help`$/],
    ['an unknown mode', ['plan', 'normal', 'maint'], 2, /^drawbridge: unknown mode "maint" \(did you mean maintenance\?\); allowed: normal, maintenance, maintenance:hard-down, cutover, each optionally @blue or @green \(cutover@blue->green\), or committed$/],
    ['a word cut by the shell', ['diff', 'normal', 'cutover@blue-', '--estate', 'estates/beanstalk.yaml'], 2, /^drawbridge: mode "cutover@blue-" is cut short: the shell took '>' as a redirection/],
    ['a cutover whose target is live', ['plan', 'normal', 'cutover@blue->blue', '--estate', 'estates/beanstalk.yaml'], 1, /^drawbridge: cutover target blue equals live blue; the target must be the other colour \(green\)$/],
    ['a cutover on an estate without colours', ['diff', 'normal', 'cutover', '--estate', SHOP], 1, /^drawbridge: mode cutover needs an estate with blue and green parts; shop has no colours; allowed modes here: normal, maintenance$/],
    ['a hard-down without a down page', ['plan', 'normal', 'maintenance:hard-down', '--estate', 'estates/ticketing.yaml'], 1, /^drawbridge: hardDown=true needs a cloudflare record with downPageOnHardDown: true and a cloudflare.downPage$/],
    ['a missing estate', ['diff', 'normal', 'maintenance', '--estate', 'estates/nope.yaml'], 1, /^drawbridge: estate file "estates\/nope.yaml" not found; pass an existing YAML file \(for example estates\/default.yaml\)$/],
    ['a missing base estate', ['plan', '--from-estate', 'base.yaml'], 1, /^drawbridge: estate file "base.yaml" not found; /],
  ])('GIVEN %s (%j) WHEN run THEN exit %d and one line', async (_what, argv, code, message) => {
    const r = await cli(argv);
    expect(r.code).toBe(code);
    const lines = r.err.trimEnd().split('\n').filter((l) => l.startsWith('drawbridge: '));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
    expect(r.err).not.toMatch(/^\s+at /m);
    expect(r.out).toBe('');
  });

  test('GIVEN an invalid estate WHEN planning THEN every problem is printed with its place and the exit code is 1', async () => {
    const file = writeEstate('plan-invalid.yaml', shopYaml.replace('name: shop\n', 'name: Shop\n'));
    const r = await cli(['plan', 'normal', 'maintenance', '--estate', file]);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`drawbridge: ${file}:5: name: "Shop" must be lower-case letters, digits and dashes, starting with a letter (at most 40)\n`);
  });
});

describe('check', () => {
  test('GIVEN the example estates WHEN checked THEN each is valid with the modes it supports, exit 0', async () => {
    const r = await cli(['check', SHOP, 'estates/beanstalk.yaml']);
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      `${SHOP}: valid (shop; committed normal@blue; modes: normal@blue, maintenance@blue, maintenance:hard-down@blue)\n` +
        'estates/beanstalk.yaml: valid (bridge; committed normal@blue; modes: normal@blue, maintenance@blue, cutover@blue->green, normal@green, maintenance@green, cutover@green->blue)\n',
    );
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
      `drawbridge: ${file}:10: site.colour: unknown key 'colour'; allowed: url, healthPath`,
      `drawbridge: ${file}:54: aws.targetGroups[0].healthPath: "healthz" must start with '/' and contain no spaces`,
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

  test('GIVEN a committed maintenance whose window has ended WHEN checked THEN the state problem is named', async () => {
    const file = writeEstate('past.yaml', shopYaml.replace('  mode: normal\n', '  mode: maintenance\n').replace('end: "2030-01-20T00:30:00Z"', 'end: "2001-01-20T00:30:00Z"').replace('start: "2030-01-19T22:00:00Z"', 'start: "2001-01-19T22:00:00Z"').replace('announce: "2030-01-18T09:00:00Z"', 'announce: "2001-01-18T09:00:00Z"'));
    const r = await cli(['check', file]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(new RegExp(`^drawbridge: ${file}: state: window.end 2001-01-20T00:30:00Z is in the past`));
  });
});

describe('plan', () => {
  test('GIVEN the ticketing estate WHEN planning normal maintenance THEN a Markdown runbook with gantt chart and rollback is printed', async () => {
    const r = await cli(['plan', 'normal', 'maintenance', '--estate', 'estates/ticketing.yaml']);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out).toMatch(/^## Drawbridge plan: ticketing, normal@blue → maintenance@blue\n/);
    expect(r.out).toContain('```mermaid\ngantt');
    expect(r.out).toContain('npx cdk deploy --all --context estate=estates/ticketing.yaml');
    expect(r.out).toContain('### Rollback: the way back to normal@blue');
  });

  test.each([[['--format', 'json']], [['--json']]])('GIVEN %j WHEN planning THEN the plan is one JSON object', async (flags) => {
    const r = await cli(['plan', 'maintenance', ...flags]);
    expect(r.code).toBe(0);
    const p = JSON.parse(r.out) as { fromWord: string; toWord: string; steps: unknown[]; rollback: unknown };
    expect([p.fromWord, p.toWord]).toEqual(['normal@blue', 'maintenance@blue']);
    expect(p.steps.length).toBeGreaterThan(0);
    expect(p.rollback).toBeDefined();
  });

  test('GIVEN a base and a head estate WHEN planning with no mode words THEN it plans from the base committed state to the head one', async () => {
    const head = writeEstate('head.yaml', shopYaml.replace('  mode: normal\n', '  mode: maintenance\n'));
    const r = await cli(['plan', '--from-estate', SHOP, '--estate', head, '--json']);
    expect(r.code).toBe(0);
    const p = JSON.parse(r.out) as { fromWord: string; toWord: string; steps: { kind: string }[] };
    expect([p.fromWord, p.toWord]).toEqual(['normal@blue', 'maintenance@blue']);
    expect(p.steps.map((s) => s.kind)).toContain('commit');
  });

  test('GIVEN the committed state as TO WHEN planning THEN there is nothing to do', async () => {
    const r = await cli(['plan', 'committed', 'normal@blue', '--estate', SHOP]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('Nothing to do');
  });
});

describe('review: plan and diff refuse a TO whose window has ended, as cdk synth and Pulumi do', () => {
  // The fixture's window ends 2030-01-20T00:30:00Z; the clock is injected.
  const after = '2030-02-01T00:00:00Z';
  const before = '2030-01-01T00:00:00Z';

  test.each<[string, string[]]>([
    ['plan', ['plan', 'normal', 'maintenance', '--estate', SHOP]],
    ['diff', ['diff', 'normal', 'maintenance', '--estate', SHOP]],
    ['plan of a hard-down', ['plan', 'maintenance', 'maintenance:hard-down', '--estate', SHOP]],
  ])('GIVEN a window that ended WHEN running %s into maintenance THEN exit 1 with the engines\' message', async (_what, argv) => {
    const r = await cli(argv, { now: after });
    expect(r.code).toBe(1);
    expect(r.err).toBe('drawbridge: window.end 2030-01-20T00:30:00Z is in the past (now 2030-02-01T00:00:00.000Z); set an end time in the future before entering maintenance, or remove the window for an open-ended one\n');
    expect(r.out).toBe('');
  });

  test('GIVEN a window that ended WHEN planning the way out to normal THEN the plan is printed (leaving stays possible)', async () => {
    const r = await cli(['plan', 'maintenance', 'normal', '--estate', SHOP], { now: after });
    expect(r.code).toBe(0);
    expect(r.out).toContain('Leave maintenance');
  });

  test('GIVEN the window still ahead WHEN planning into maintenance THEN the plan is printed', async () => {
    const r = await cli(['plan', 'normal', 'maintenance', '--estate', SHOP], { now: before });
    expect(r.code).toBe(0);
  });

  test('GIVEN no injected clock and a window in 2020 WHEN planning into maintenance THEN the real clock refuses it', async () => {
    const file = writeEstate('ended-2020.yaml', shopYaml.replace('"2030-01-18T09:00:00Z"', '"2020-01-18T09:00:00Z"').replace('"2030-01-19T22:00:00Z"', '"2020-01-19T22:00:00Z"').replace('"2030-01-20T00:30:00Z"', '"2020-01-20T00:30:00Z"'));
    const r = await cli(['plan', 'normal', 'maintenance', '--estate', file]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^drawbridge: window\.end 2020-01-20T00:30:00Z is in the past/);
  });

  test('GIVEN a committed maintenance whose window ended by the injected clock WHEN checked THEN the state problem is named, exit 1', async () => {
    const file = writeEstate('committed-maintenance.yaml', shopYaml.replace('  mode: normal\n', '  mode: maintenance\n'));
    expect((await cli(['check', file], { now: before })).code).toBe(0);
    const r = await cli(['check', file], { now: after });
    expect(r.code).toBe(1);
    expect(r.err).toBe(`drawbridge: ${file}: state: window.end 2030-01-20T00:30:00Z is in the past (now 2030-02-01T00:00:00.000Z); set an end time in the future before entering maintenance, or remove the window for an open-ended one\n`);
  });
});

describe('review: Pulumi commands in a plan target the plan\'s estate', () => {
  test('GIVEN an estate other than cdk.json\'s and no --stack WHEN planning THEN pulumi up uses the estate\'s stack and names the estate, never the production stack', async () => {
    const r = await cli(['plan', 'normal', 'maintenance', '--estate', 'estates/ticketing.yaml']);
    expect(r.code).toBe(0);
    const ups = r.out.match(/pulumi up [^`\n]*/g) ?? [];
    expect(ups.length).toBeGreaterThan(0);
    for (const up of ups) expect(up).toBe('pulumi up --stack ticketing --config drawbridge:estate=estates/ticketing.yaml');
    expect(r.out).not.toContain('--stack production');
    expect(r.out).toContain('`pulumi config set drawbridge:estate estates/ticketing.yaml --stack ticketing`');
  });

  test('GIVEN --stack WHEN planning another estate THEN that stack is used, still pointed at the estate', async () => {
    const r = await cli(['plan', 'normal', 'maintenance', '--estate', 'estates/ticketing.yaml', '--stack', 'tickets-prod']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('pulumi up --stack tickets-prod --config drawbridge:estate=estates/ticketing.yaml');
  });

  test.each([['estates/default.yaml'], ['./estates/default.yaml']])('GIVEN the estate cdk.json names (%s) WHEN planning THEN the only stack file\'s stack is used and neither engine is told the estate', async (file) => {
    const r = await cli(['plan', 'normal', 'maintenance', '--estate', file]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^ {2}pulumi up --stack production$/m);
    expect(r.out).toMatch(/^ {2}npx cdk deploy --all$/m);
    expect(r.out).not.toContain('drawbridge:estate');
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
