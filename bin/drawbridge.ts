/**
 * The drawbridge CLI: `check`, `diff` (with the safety gate) and `plan` (the generated runbook).
 *
 * `run(argv, io)` does the work and returns the exit code, so tests call it in-process; the bottom
 * of the file wires it to the real process. `check` and `plan` load only the pure model; `diff`
 * loads aws-cdk-lib and @pulumi/* lazily, when it synthesizes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ansi, diffPulumi, disruptiveChanges, formatPulumiChanges, plain, unsafeChanges, type Paint, type PulumiResource, type ResourceChange } from '../modes/diff';
import { DrawbridgeError, isDrawbridgeError } from '../modes/errors';
import { cdkDefaultEstate, loadEstate } from '../modes/load';
import { plan, renderPlanJson, renderPlanMarkdown } from '../modes/plan';
import { resolve } from '../modes/resolve';
import type { Estate, ModeState } from '../modes/schema';
import { checkModeState, supportedModeStates } from '../modes/state';
import { formatModeWord, parseMove, USAGE_EXIT } from '../modes/words';

/** Exit codes. */
export const EXIT = { ok: 0, invalid: 1, usage: USAGE_EXIT, unsafe: 3, bug: 70 } as const;

export interface Out {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

export interface Io {
  readonly stdout: Out;
  readonly stderr: Out;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Directory relative paths are read from (the repository root in practice). */
  readonly cwd: string;
  /** The clock window ends are checked against (default: the real one); tests pass a fixed one. */
  readonly now?: () => Date;
}

function now(io: Io): Date {
  return io.now ? io.now() : new Date();
}

const DEFAULT_ESTATE = 'estates/default.yaml';

const MODE_HELP = `Mode words (FROM and TO):
  normal[@COLOUR]                 normal; COLOUR is blue or green (the live colour)
  maintenance[@COLOUR]            the gate answers 503 with the maintenance page
  maintenance:hard-down[@COLOUR]  maintenance with site records on the static down page
  cutover@LIVE->TARGET            blue/green cutover, e.g. 'cutover@blue->green' (quote it:
                                  '>' is a shell redirection) or cutover@blue..green
  cutover                         cutover from the live colour to the other one
  committed                       the state committed in the estate file (state:)
  A word without @COLOUR uses the estate's live colour for FROM, and for TO the colour that
  serves customers in FROM (so after cutover@blue->green, \`normal\` means normal@green).
  FROM defaults to \`committed\`; with no words at all both are \`committed\` (see --from-estate).

  A blue/green cycle, one word pair per step:
    normal@blue -> cutover@blue->green -> normal@green
    fail-back:     cutover@blue->green -> normal@blue`;

const ESTATE_OPTION = `  --estate FILE        estate file (default: the estate cdk.json names, else ${DEFAULT_ESTATE})`;
const TAIL_OPTIONS = `  --no-color           no colours (also: NO_COLOR=1; colours are only used on a terminal)
  -h, --help           this help`;
/** Options of the commands that take a move (diff, plan). */
const COMMON_OPTIONS = `${ESTATE_OPTION}
  --from-estate FILE   the estate as it is before the move, e.g. a pull request's base
                       (default: --estate); FROM is read from it
${TAIL_OPTIONS}`;

const HELP: Record<string, string> = {
  main: `drawbridge: check an estate, see what a mode change does, and get its runbook.

Usage:
  drawbridge check [FILE...] [--estate FILE]
  drawbridge diff [FROM] TO [--estate FILE] [--json]
  drawbridge plan [FROM] TO [--estate FILE] [--format md|json]
  drawbridge help [COMMAND]

Commands:
  check   validate estate files; every problem is listed with its place in the file
  diff    synthesize both mode states offline and show what changes on AWS (CDK) and
          Cloudflare (Pulumi); exit 3 when a resource would be replaced or removed
  plan    the ordered runbook of the move (deploys, declared manual steps, checks,
          timings, outage window, rollback) as Markdown or JSON

${MODE_HELP}

Exit codes: 0 done (diff: safe), 1 invalid estate or a move the estate does not allow,
2 usage error, 3 diff: unsafe move.

Examples:
  npx drawbridge check estates/*.yaml
  npx drawbridge diff normal maintenance
  npx drawbridge plan normal maintenance --estate estates/ticketing.yaml
  npx drawbridge plan normal@blue 'cutover@blue->green' --estate estates/beanstalk.yaml`,
  check: `drawbridge check [FILE...] [--estate FILE]

Validates estate files: the schema, references between ids, and every mode state the estate
supports (each must resolve without breaking an invariant). Every problem is printed as
FILE:LINE: PATH: what is wrong; what is allowed.

A committed maintenance or cutover whose window has ended is reported, as \`cdk synth\` and
Pulumi would refuse it.

Exit codes: 0 every file is valid, 1 a file is invalid or missing, 2 usage error.

Options:
${ESTATE_OPTION}
${TAIL_OPTIONS}

Examples:
  npx drawbridge check
  npx drawbridge check estates/*.yaml`,
  diff: `drawbridge diff [FROM] TO [--estate FILE] [--from-estate FILE] [--json]

Synthesizes both mode states in one process, offline (no AWS or Cloudflare account), and prints
for every CDK stack the difference as \`cdk diff\` prints it, and for the Pulumi program the
resource inputs before and after, per URN. Secret values are masked. cdk-nag runs on both
syntheses; aws-cdk-lib's built-in template validation is skipped for speed unless CDK_VALIDATION
is set (\`cdk synth\` and \`cdk deploy\` run it in full).

Exit codes: 0 the move is safe (everything changes in place), 3 a resource would be replaced or
removed (each is named on stderr), 1 invalid estate or mode state, 2 usage error.

Options:
      --json           one JSON object: per engine, each changed resource with id, type,
                       action (add|modify|remove), replacement and the changed properties
      --quiet          no progress lines on stderr
${COMMON_OPTIONS}

${MODE_HELP}

Examples:
  npx drawbridge diff normal maintenance
  npx drawbridge diff normal maintenance --json
  npx drawbridge diff --from-estate base/estates/default.yaml --estate estates/default.yaml`,
  plan: `drawbridge plan [FROM] TO [--estate FILE] [--from-estate FILE] [--format md|json]

Prints the runbook of the move, generated from the estate: phases (days before, day before,
minutes before, start, end, after); each step a deploy (engine, exact command, what it changes)
or a manual step the estate declares (runbook:), each with a check and an estimated duration;
the outage window; a Mermaid gantt chart; and the rollback (the way back, in reverse order).
Entering maintenance puts the page up (Cloudflare) before anything is stopped (AWS); leaving
brings the origin back before the page comes down.

Exit codes: 0 done, 1 invalid estate or mode state (a TO other than normal whose window has
ended is refused, as \`cdk synth\` and Pulumi refuse it), 2 usage error.

Options:
      --format md|json  Markdown (default) or JSON; --json is short for --format json
      --stack NAME      Pulumi stack in the commands (default: for the estate cdk.json names,
                        the only Pulumi.<stack>.yaml, else the estate's name; for any other
                        estate, the estate's name). For an estate other than cdk.json's, every
                        \`pulumi up\` also passes --config drawbridge:estate=FILE
${COMMON_OPTIONS}

${MODE_HELP}

Examples:
  npx drawbridge plan normal maintenance --estate estates/ticketing.yaml
  npx drawbridge plan maintenance normal
  npx drawbridge plan 'cutover@blue->green' normal@blue --estate estates/beanstalk.yaml --format json`,
};

const COMMANDS = ['check', 'diff', 'plan', 'help'] as const;
type Command = (typeof COMMANDS)[number];

function usage(message: string, command?: Command): DrawbridgeError {
  return new DrawbridgeError(`${message}; see \`drawbridge ${command && command !== 'help' ? `${command} ` : ''}--help\``, EXIT.usage);
}

const OPTIONS = {
  estate: { type: 'string' },
  'from-estate': { type: 'string' },
  json: { type: 'boolean' },
  format: { type: 'string' },
  stack: { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  'no-color': { type: 'boolean' },
  color: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const satisfies ParseArgsConfig['options'];

const ALLOWED_OPTIONS: Record<Command, readonly (keyof typeof OPTIONS)[]> = {
  check: ['estate', 'no-color', 'color', 'help'],
  diff: ['estate', 'from-estate', 'json', 'format', 'quiet', 'no-color', 'color', 'help'],
  plan: ['estate', 'from-estate', 'json', 'format', 'stack', 'no-color', 'color', 'help'],
  help: ['help'],
};

type Values = { [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K]['type'] extends 'string' ? string : boolean };

function parse(argv: readonly string[]): { command?: string; values: Values; positionals: string[] } {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    const msg = (e as Error).message;
    const unknown = /Unknown option '([^']+)'/.exec(msg);
    if (unknown) throw usage(`unknown option ${unknown[1]}; options: ${Object.keys(OPTIONS).map((o) => `--${o}`).join(', ')}`);
    const missing = /Option '(?:-\w, )?(--[\w-]+) <value>' argument missing/.exec(msg);
    if (missing) throw usage(`option ${missing[1]} needs a value`);
    throw usage(msg.split('\n')[0]!.replace(/\.$/, ''));
  }
  const [command, ...positionals] = parsed.positionals;
  return { ...(command !== undefined ? { command } : {}), values: parsed.values as Values, positionals };
}

function useColour(io: Io, values: Values): boolean {
  if (values['no-color']) return false;
  if (values.color) return true;
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return false;
  return !!io.stdout.isTTY && io.env.TERM !== 'dumb';
}

/** The estate file: --estate, else cdk.json's context.estate, else estates/default.yaml. */
function defaultEstateFile(io: Io): string {
  return cdkDefaultEstate(io.cwd) ?? DEFAULT_ESTATE;
}

/** Whether `file` is the estate cdk.json names (so engines need not be told which estate). */
function isDefaultEstate(io: Io, file: string): boolean {
  return path.resolve(io.cwd, file) === path.resolve(io.cwd, defaultEstateFile(io));
}

function load(io: Io, file: string): Estate {
  return loadEstate(path.resolve(io.cwd, file));
}

/** Messages from loadEstate name the absolute path; people typed a relative one. */
function relativeMessages(io: Io, e: DrawbridgeError): DrawbridgeError {
  const abs = `${io.cwd}${path.sep}`;
  return new DrawbridgeError(
    e.problems.map((p) => p.split(abs).join('')),
    e.exitCode,
  );
}

/**
 * The Pulumi stack the plan's commands name: --stack; else, for an estate other than cdk.json's,
 * the estate's name (a stack with no drawbridge:estate, such as the example production one,
 * deploys cdk.json's estate); else the only Pulumi.<stack>.yaml; else the estate's name.
 */
function pulumiStack(io: Io, estate: Estate, estateFile: string, given: string | undefined): string {
  if (given) return given;
  if (!isDefaultEstate(io, estateFile)) return estate.name;
  try {
    const stacks = readdirSync(io.cwd)
      .map((f) => /^Pulumi\.(.+)\.ya?ml$/.exec(f)?.[1])
      .filter((s): s is string => !!s);
    if (stacks.length === 1) return stacks[0]!;
  } catch {
    // unreadable directory: fall through
  }
  return estate.name;
}

// ---------------------------------------------------------------------------------------------

function check(io: Io, values: Values, files: readonly string[]): number {
  const list = files.length ? files : [values.estate ?? defaultEstateFile(io)];
  if (files.length && values.estate) throw usage('give estate files either as arguments or with --estate, not both', 'check');
  let failed = 0;
  for (const file of list) {
    try {
      const estate = load(io, file);
      const problems: string[] = [];
      const states = supportedModeStates(estate);
      // A problem found in several modes is printed once, naming the modes (all of them: "every mode").
      const byProblem = new Map<string, string[]>();
      for (const s of states) {
        try {
          resolve(estate, s);
        } catch (e) {
          if (!isDrawbridgeError(e)) throw e;
          for (const p of e.problems) byProblem.set(p, [...(byProblem.get(p) ?? []), formatModeWord(s)]);
        }
      }
      for (const [p, words] of byProblem) {
        problems.push(`${file}: ${words.length === states.length && states.length > 1 ? 'every mode' : words.join(', ')}: ${p}`);
      }
      try {
        checkModeState(estate, estate.state, now(io));
      } catch (e) {
        if (!isDrawbridgeError(e)) throw e;
        problems.push(...e.problems.map((p) => `${file}: state: ${p}`));
      }
      if (problems.length) {
        failed++;
        for (const p of problems) io.stderr.write(`drawbridge: ${p}\n`);
        continue;
      }
      io.stdout.write(`${file}: valid (${estate.name}; committed ${formatModeWord(estate.state)}; modes: ${states.map(formatModeWord).join(', ')})\n`);
    } catch (e) {
      if (!isDrawbridgeError(e)) throw e;
      failed++;
      for (const p of relativeMessages(io, e).problems) io.stderr.write(`drawbridge: ${p}\n`);
    }
  }
  if (failed && list.length > 1) io.stderr.write(`drawbridge: ${failed} of ${list.length} estate files are invalid\n`);
  return failed ? EXIT.invalid : EXIT.ok;
}

interface Move {
  readonly estate: Estate;
  readonly fromEstate: Estate;
  readonly estateFile: string;
  readonly fromEstateFile: string;
  readonly from: ModeState;
  readonly to: ModeState;
}

function move(io: Io, values: Values, words: readonly string[], command: Command): Move {
  if (words.length > 2) throw usage(`too many arguments (${words.join(' ')}); give at most FROM and TO`, command);
  const estateFile = values.estate ?? defaultEstateFile(io);
  const fromEstateFile = values['from-estate'] ?? estateFile;
  let estate: Estate;
  let fromEstate: Estate;
  try {
    estate = load(io, estateFile);
    fromEstate = fromEstateFile === estateFile ? estate : load(io, fromEstateFile);
  } catch (e) {
    throw isDrawbridgeError(e) ? relativeMessages(io, e) : e;
  }
  const [fromWord, toWord] = words.length === 1 ? [undefined, words[0]] : [words[0], words[1]];
  const { from, to } = parseMove(estate, fromWord, toWord, fromEstate);
  // Mode states the estate cannot take (cutover without colours, target == live, ...) stop here.
  checkModeState(fromEstate, from, new Date(0));
  // TO against the real clock: `cdk synth` and the Pulumi program refuse a maintenance or cutover
  // whose window has ended, so a plan or diff of it would be a runbook that cannot be followed.
  // (FROM is where things are now: leaving a mode after its window ended must stay possible.)
  checkModeState(estate, to, now(io));
  return { estate, fromEstate, estateFile, fromEstateFile, from, to };
}

function formatOf(values: Values, allowed: readonly string[], command: Command): string {
  if (values.json && values.format && values.format !== 'json') throw usage(`--json and --format ${values.format} disagree`, command);
  const format = values.json ? 'json' : (values.format ?? allowed[0]!);
  if (!allowed.includes(format)) throw usage(`unknown format ${JSON.stringify(format)}; allowed: ${allowed.join(', ')}`, command);
  return format;
}

function planCommand(io: Io, values: Values, words: readonly string[]): number {
  const format = formatOf(values, ['md', 'json'], 'plan');
  const m = move(io, values, words, 'plan');
  const p = plan(m.estate, m.from, m.to, {
    estateFile: m.estateFile,
    // Spelt as the operator spelt it (./estates/default.yaml is still the default).
    defaultEstateFile: isDefaultEstate(io, m.estateFile) ? m.estateFile : defaultEstateFile(io),
    pulumiStack: pulumiStack(io, m.estate, m.estateFile, values.stack),
    ...(m.fromEstate !== m.estate ? { fromEstate: m.fromEstate } : {}),
  });
  io.stdout.write(format === 'json' ? renderPlanJson(p) : `${renderPlanMarkdown(p, m.estate)}\n`);
  return EXIT.ok;
}

// ---------------------------------------------------------------------------------------------
// diff

/**
 * Loads an engine module on first use: aws-cdk-lib and @pulumi/* take a second or more to load,
 * so `check` and `plan` never do. (A plain require: tsx's CommonJS hook handles .ts, `import()` would not.)
 */
function lazy<T>(id: string): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(id) as T;
}

interface AwsSide {
  readonly stackName: string;
  readonly rendered: string;
  readonly changes: readonly ResourceChange[];
}

/** Runs one stage; prints a progress line on a terminal, or afterwards when it took more than a moment. */
async function stage<T>(io: Io, quiet: boolean, label: string, fn: () => T | Promise<T>): Promise<T> {
  const tty = !!io.stderr.isTTY && !quiet;
  if (tty) io.stderr.write(`drawbridge: ${label}...`);
  const t0 = Date.now();
  try {
    return await fn();
  } finally {
    const s = ((Date.now() - t0) / 1000).toFixed(1);
    if (tty) io.stderr.write(`\r\u001b[Kdrawbridge: ${label} (${s}s)\n`);
    else if (!quiet && Date.now() - t0 > 500) io.stderr.write(`drawbridge: ${label} (${s}s)\n`);
  }
}

async function diffCommand(io: Io, values: Values, words: readonly string[]): Promise<number> {
  const format = formatOf(values, ['text', 'json'], 'diff');
  const m = move(io, values, words, 'diff');
  const colour = format === 'text' && useColour(io, values);
  const paint: Paint = colour ? ansi : plain;
  const quiet = !!values.quiet;
  const fromWord = formatModeWord(m.from);
  const toWord = formatModeWord(m.to);

  // AWS: both mode states synthesized in this process (aws-cdk-lib is loaded only here).
  let aws: AwsSide[] = [];
  if (m.estate.aws || m.fromEstate.aws) {
    const { synthAws } = await stage(io, quiet, 'loading the CDK app', () => lazy<typeof import('../stacks/aws/synth')>('../stacks/aws/synth'));
    const { diffStacks, formatStackDiff } = lazy<typeof import('../stacks/aws/diff')>('../stacks/aws/diff');
    // aws-cdk-lib's built-in template validation only reports and takes seconds to start: off unless
    // the user set CDK_VALIDATION (cdk-nag runs either way; cdk synth and deploy validate in full).
    const builtinValidation = io.env.CDK_VALIDATION !== undefined;
    const synth = (estate: Estate, state: ModeState) => synthAws(estate, state, { builtinValidation }).stacks;
    const before = m.fromEstate.aws ? await stage(io, quiet, `synthesizing AWS for ${fromWord}`, () => synth(m.fromEstate, m.from)) : [];
    const after = m.estate.aws ? await stage(io, quiet, `synthesizing AWS for ${toWord}`, () => synth(m.estate, m.to)) : [];
    aws = diffStacks(before, after).map((d) => ({ stackName: d.stackName, rendered: formatStackDiff(d, colour), changes: d.changes }));
  }

  // Cloudflare: the Pulumi program rendered offline under mocks, per URN.
  let cloudflare: ResourceChange[] = [];
  const stackName = pulumiStack(io, m.estate, m.estateFile, undefined);
  if (m.estate.cloudflare || m.fromEstate.cloudflare) {
    const { cloudflareResources } = await stage(io, quiet, 'loading the Pulumi program', () => lazy<typeof import('../stacks/cloudflare/preview')>('../stacks/cloudflare/preview'));
    const { gateBundle } = lazy<typeof import('../stacks/cloudflare/bundle')>('../stacks/cloudflare/bundle');
    const { REPLACE_ON_CHANGE } = lazy<typeof import('../stacks/cloudflare/replacement')>('../stacks/cloudflare/replacement');
    // The Worker's code is the same on both sides of a mode change; only its bindings differ.
    const options = { gate: gateBundle('/* gate Worker bundle: the same in both states */'), stack: stackName };
    const render = async (estate: Estate, state: ModeState, word: string): Promise<PulumiResource[]> =>
      estate.cloudflare ? stage(io, quiet, `rendering Cloudflare for ${word}`, () => cloudflareResources(estate, state, options)) : [];
    const before = await render(m.fromEstate, m.from, fromWord);
    const after = await render(m.estate, m.to, toWord);
    cloudflare = diffPulumi(before, after, REPLACE_ON_CHANGE);
  }

  const unsafe = [
    ...aws.flatMap((s) => unsafeChanges(s.changes).map((c) => ({ engine: 'aws' as const, where: `AWS stack ${s.stackName}`, c }))),
    ...unsafeChanges(cloudflare).map((c) => ({ engine: 'cloudflare' as const, where: `Cloudflare stack ${stackName}`, c })),
  ];
  const disruptive = aws.flatMap((s) => disruptiveChanges(s.changes).map((c) => ({ where: `AWS stack ${s.stackName}`, c })));
  const why = (c: ResourceChange) => (c.action === 'remove' ? 'would be removed' : `would be replaced (${c.replacedBecause?.length ? `${c.replacedBecause.join(', ')} changed` : 'replacement'})`);

  if (format === 'json') {
    const out = {
      estate: m.estate.name,
      estateFile: m.estateFile,
      ...(m.fromEstateFile !== m.estateFile ? { fromEstateFile: m.fromEstateFile } : {}),
      from: m.from,
      to: m.to,
      fromWord,
      toWord,
      safe: unsafe.length === 0,
      engines: {
        aws: { stacks: aws.map((s) => s.stackName), resources: aws.flatMap((s) => s.changes.map((c) => ({ stack: s.stackName, ...c }))) },
        cloudflare: { stack: stackName, resources: cloudflare },
      },
      unsafe: unsafe.map((u) => ({ engine: u.engine, id: u.c.id, type: u.c.type, action: u.c.action, replacement: u.c.replacement, reason: why(u.c) })),
      disruptive: disruptive.map((d) => ({ engine: 'aws', id: d.c.id, type: d.c.type, because: d.c.disruptiveBecause })),
    };
    io.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  } else {
    const w = (s: string) => io.stdout.write(s);
    w(paint.bold(`drawbridge diff: ${m.estate.name}, ${fromWord} -> ${toWord}`) + paint.dim(` (${m.fromEstateFile !== m.estateFile ? `${m.fromEstateFile} -> ` : ''}${m.estateFile})`) + '\n');
    for (const s of aws) w(`\n${paint.bold(`AWS (CDK) stack ${s.stackName}`)}\n${s.rendered}`);
    if (m.estate.cloudflare || m.fromEstate.cloudflare) {
      w(`\n${paint.bold(`Cloudflare (Pulumi) stack ${stackName}`)}\n${formatPulumiChanges(cloudflare, paint)}`);
    }
    const count = aws.reduce((n, s) => n + s.changes.length, 0) + cloudflare.length;
    if (unsafe.length === 0) w(`\n${paint.green('Safe')}: ${count} resource${count === 1 ? '' : 's'} change${count === 1 ? 's' : ''} in place; nothing is replaced or removed.\n`);
    else {
      w(`\n${paint.red('UNSAFE')}: ${unsafe.length} resource${unsafe.length === 1 ? '' : 's'} would be replaced or removed:\n`);
      for (const u of unsafe) w(`  ${u.where}: ${u.c.type} ${u.c.id} ${why(u.c)}\n`);
    }
    if (disruptive.length) {
      w(`${paint.yellow('Disruptive')}: ${disruptive.length} resource${disruptive.length === 1 ? '' : 's'} change${disruptive.length === 1 ? 's' : ''} in place with downtime or a restart; schedule it as its own change, not with a mode switch:\n`);
      for (const d of disruptive) w(`  ${d.where}: ${d.c.type} ${d.c.id} (${d.c.disruptiveBecause!.join(', ')} changed)\n`);
    }
  }
  for (const u of unsafe) io.stderr.write(`drawbridge: unsafe: ${u.where}: ${u.c.type} ${u.c.id} ${why(u.c)}\n`);
  if (unsafe.length) io.stderr.write('drawbridge: a mode switch must only change resources in place; fix the estate edit or split it from the mode change\n');
  return unsafe.length ? EXIT.unsafe : EXIT.ok;
}

// ---------------------------------------------------------------------------------------------

function version(): string {
  try {
    return (JSON.parse(readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  try {
    const { command, values, positionals } = parse(argv);
    if (values.version) {
      io.stdout.write(`drawbridge ${version()}\n`);
      return EXIT.ok;
    }
    if (command === undefined) {
      if (values.help) {
        io.stdout.write(`${HELP.main}\n`);
        return EXIT.ok;
      }
      throw usage('no command given; commands: check, diff, plan, help');
    }
    if (!(COMMANDS as readonly string[]).includes(command)) {
      throw usage(`unknown command ${JSON.stringify(command)}; commands: check, diff, plan, help`);
    }
    const cmd = command as Command;
    if (values.help || cmd === 'help') {
      const topic = cmd === 'help' ? (positionals[0] ?? 'main') : cmd;
      if (!(topic in HELP)) throw usage(`no help for ${JSON.stringify(topic)}; commands: check, diff, plan`);
      io.stdout.write(`${HELP[topic]}\n`);
      return EXIT.ok;
    }
    for (const key of Object.keys(values) as (keyof typeof OPTIONS)[]) {
      if (!ALLOWED_OPTIONS[cmd].includes(key)) throw usage(`option --${key} does not apply to ${cmd}; ${cmd} takes ${ALLOWED_OPTIONS[cmd].map((o) => `--${o}`).join(', ')}`, cmd);
    }
    switch (cmd) {
      case 'check':
        return check(io, values, positionals);
      case 'plan':
        return planCommand(io, values, positionals);
      case 'diff':
        return await diffCommand(io, values, positionals);
    }
  } catch (e) {
    if (isDrawbridgeError(e)) {
      io.stderr.write(`drawbridge: ${e.problems.join('\ndrawbridge: ')}\n`);
      return e.exitCode;
    }
    // Anything else is a bug: keep its stack so it can be reported.
    io.stderr.write(`drawbridge: internal error (please report it): ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return EXIT.bug;
  }
  return EXIT.bug;
}

/** Runs the CLI on this process's arguments and streams and sets its exit code. */
export function main(): Promise<void> {
  return run(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() }).then((code) => {
    process.exitCode = code;
  });
}

if (require.main === module) void main();
