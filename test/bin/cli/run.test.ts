/**
 * The CLI in-process (`run(argv, io)`): help texts, and bad input of every command: one line naming
 * what is wrong and what is allowed. check, plan and diff have their own files; a few child-process
 * runs are in test/bin/drawbridge.test.ts.
 */
import { cli, shopYaml, SHOP, writeEstate } from '../io';

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
    ['no command', [], 2, /^drawbridge: no command given; commands: check, diff, plan, statuspage, affected, help; see `drawbridge --help`$/],
    ['an unknown command', ['deploy'], 2, /^drawbridge: unknown command "deploy"; commands: check, diff, plan, statuspage, affected, help; see `drawbridge --help`$/],
    ['an unknown option', ['plan', '--frmo', 'x'], 2, /^drawbridge: unknown option --frmo; options: --estate, --from-estate, /],
    ['an option without its value', ['plan', 'normal', 'maintenance', '--estate'], 2, /^drawbridge: option --estate needs a value; see `drawbridge --help`$/],
    ['an option of another command', ['check', '--json'], 2, /^drawbridge: option --json does not apply to check; check takes --estate, --no-color, --color, --help; see `drawbridge check --help`$/],
    ['an unknown format', ['plan', 'normal', 'maintenance', '--format', 'html'], 2, /^drawbridge: unknown format "html"; allowed: md, json; see `drawbridge plan --help`$/],
    ['too many mode words', ['plan', 'normal', 'maintenance', 'normal'], 2, /^drawbridge: too many arguments \(normal maintenance normal\); give at most FROM and TO; see `drawbridge plan --help`$/],
    ['an unknown mode', ['plan', 'normal', 'maint'], 2, /^drawbridge: unknown mode "maint" \(did you mean maintenance\?\); allowed: normal, maintenance, maintenance:hard-down, cutover, each optionally @blue or @green \(cutover@blue->green\) and :STAGE \(maintenance:ahead, cutover:freeze@blue->green\), or committed$/],
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
