/**
 * bin/cli/args.ts: the command line -> what to do, and every usage mistake (exit 2), as tables.
 */
import { ALLOWED_OPTIONS, COMMANDS, formatOf, parseCommandLine, type Invocation, type Values } from '../../../bin/cli/args';
import { HELP } from '../../../bin/cli/help';
import { DrawbridgeError } from '../../../modes/errors';

function mistake(fn: () => unknown): { message: string; exitCode: number } {
  try {
    fn();
  } catch (e) {
    if (e instanceof DrawbridgeError) return { message: e.message, exitCode: e.exitCode };
    throw e;
  }
  throw new Error('expected a DrawbridgeError');
}

describe('parseCommandLine', () => {
  test.each<[string[], Invocation]>([
    [['--version'], { kind: 'version' }],
    [['plan', '--version'], { kind: 'version' }],
    [['--help'], { kind: 'help', topic: 'main' }],
    [['-h'], { kind: 'help', topic: 'main' }],
    [['help'], { kind: 'help', topic: 'main' }],
    [['help', 'diff'], { kind: 'help', topic: 'diff' }],
    [['help', '--help'], { kind: 'help', topic: 'main' }],
    [['check', '--help'], { kind: 'help', topic: 'check' }],
    [['plan', '-h', '--json'], { kind: 'help', topic: 'plan' }],
    [['check'], { kind: 'run', command: 'check', values: {}, positionals: [] }],
    [['check', 'a.yaml', 'b.yaml'], { kind: 'run', command: 'check', values: {}, positionals: ['a.yaml', 'b.yaml'] }],
    [['diff', 'normal', 'maintenance', '--json', '-q'], { kind: 'run', command: 'diff', values: { json: true, quiet: true }, positionals: ['normal', 'maintenance'] }],
    [['plan', 'maintenance', '--estate', 'e.yaml', '--stack', 'prod'], { kind: 'run', command: 'plan', values: { estate: 'e.yaml', stack: 'prod' }, positionals: ['maintenance'] }],
    [['plan', '--estate=e.yaml', '--from-estate', 'base.yaml'], { kind: 'run', command: 'plan', values: { estate: 'e.yaml', 'from-estate': 'base.yaml' }, positionals: [] }],
    [['diff', "cutover@blue->green", '--no-color'], { kind: 'run', command: 'diff', values: { 'no-color': true }, positionals: ['cutover@blue->green'] }],
  ])('GIVEN %j THEN %j', (argv, expected) => {
    expect(parseCommandLine(argv)).toEqual(expected);
  });

  test.each<[string[], string]>([
    [[], 'no command given; commands: check, diff, plan, statuspage, affected, help; see `drawbridge --help`'],
    [['deploy'], 'unknown command "deploy"; commands: check, diff, plan, statuspage, affected, help; see `drawbridge --help`'],
    [['help', 'deploy'], 'no help for "deploy"; commands: check, diff, plan, statuspage, affected; see `drawbridge --help`'],
    [['help', 'toString'], 'no help for "toString"; commands: check, diff, plan, statuspage, affected; see `drawbridge --help`'],
    [['plan', '--frmo', 'x'], 'unknown option --frmo; options: --estate, --from-estate, --json, --format, --stack, --incident, --dry-run, --no-cache, --affected, --base, --quiet, --no-color, --color, --help, --version; see `drawbridge --help`'],
    [['plan', '--estate'], 'option --estate needs a value; see `drawbridge --help`'],
    [['check', '--json'], 'option --json does not apply to check; check takes --estate, --no-color, --color, --help; see `drawbridge check --help`'],
    [['check', '--quiet'], 'option --quiet does not apply to check; check takes --estate, --no-color, --color, --help; see `drawbridge check --help`'],
    [['plan', '--quiet'], 'option --quiet does not apply to plan; plan takes --estate, --from-estate, --json, --format, --stack, --no-color, --color, --help; see `drawbridge plan --help`'],
    [['diff', '--stack', 'x'], 'option --stack does not apply to diff; diff takes --estate, --from-estate, --json, --format, --quiet, --no-cache, --affected, --base, --no-color, --color, --help; see `drawbridge diff --help`'],
  ])('GIVEN %j THEN a usage error (exit 2): %s', (argv, message) => {
    expect(mistake(() => parseCommandLine(argv))).toEqual({ message, exitCode: 2 });
  });

  test('GIVEN every command THEN it has a help text and takes --help', () => {
    for (const command of COMMANDS) {
      expect(ALLOWED_OPTIONS[command]).toContain('help');
      if (command !== 'help') expect(Object.keys(HELP)).toContain(command);
    }
  });

  test.each(COMMANDS.filter((c) => c !== 'help'))('GIVEN the help of %s THEN it names every option the command takes', (command) => {
    for (const option of ALLOWED_OPTIONS[command]) {
      if (option === 'color') continue; // the opposite of --no-color, documented there
      if (command === 'diff' && option === 'format') continue; // accepted (text|json) but undocumented: the help text is kept as it was
      expect(HELP[command]).toContain(`--${option}`);
    }
  });
});

describe('formatOf', () => {
  test.each<[Values, string]>([
    [{}, 'md'],
    [{ json: true }, 'json'],
    [{ format: 'json' }, 'json'],
    [{ format: 'md' }, 'md'],
    [{ json: true, format: 'json' }, 'json'],
  ])('GIVEN %j THEN the format is %s', (values, format) => {
    expect(formatOf(values, ['md', 'json'], 'plan')).toBe(format);
  });

  test.each<[Values, string]>([
    [{ format: 'html' }, 'unknown format "html"; allowed: md, json; see `drawbridge plan --help`'],
    [{ json: true, format: 'md' }, '--json and --format md disagree; see `drawbridge plan --help`'],
  ])('GIVEN %j THEN a usage error: %s', (values, message) => {
    expect(mistake(() => formatOf(values, ['md', 'json'], 'plan'))).toEqual({ message, exitCode: 2 });
  });
});

describe('a flag where a value belongs, and empty values (issue 13)', () => {
  test.each<[string[], string]>([
    [['plan', '--format', '--json'], 'option --format needs a value, got the option --json; to give a value starting with a dash write --format=VALUE; see `drawbridge --help`'],
    [['diff', '--estate', '-q'], 'option --estate needs a value, got the option -q; to give a value starting with a dash write --estate=VALUE; see `drawbridge --help`'],
    [['plan', '--stack='], 'option --stack is empty; give a value (--stack STACK), or leave it out for the default; see `drawbridge plan --help`'],
    [['diff', '--from-estate='], 'option --from-estate is empty; give a value (--from-estate FILE), or leave it out for the default; see `drawbridge diff --help`'],
    [['--' + 'o'.repeat(200)], `unknown option "--${'o'.repeat(58)}"... (202 characters); options: --estate, --from-estate, --json, --format, --stack, --incident, --dry-run, --no-cache, --affected, --base, --quiet, --no-color, --color, --help, --version; see \`drawbridge --help\``],
  ])('GIVEN %j THEN a usage error: %s', (argv, message) => {
    expect(mistake(() => parseCommandLine(argv))).toEqual({ message, exitCode: 2 });
  });

  test('GIVEN --format= THEN it is empty, not an unknown format ""', () => {
    expect(mistake(() => formatOf({ format: '' }, ['md', 'json'], 'plan'))).toEqual({ message: 'option --format is empty; allowed: md, json; see `drawbridge plan --help`', exitCode: 2 });
  });
});
