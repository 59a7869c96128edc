/**
 * The CLI's command line, parsed into what to do: print the version, print a help text, or run a
 * command with its options and positional words. Pure: every usage mistake is a DrawbridgeError
 * with exit code 2 naming what is wrong and what is allowed.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { typed, typedWord } from '../../modes/echo';
import { DrawbridgeError } from '../../modes/errors';
import { EXIT } from './io';
import { HELP, type HelpTopic } from './help';

export const COMMANDS = ['check', 'diff', 'plan', 'statuspage', 'affected', 'help'] as const;
export type Command = (typeof COMMANDS)[number];
/** The commands that do something (help only prints). */
export type WorkCommand = Exclude<Command, 'help'>;

export const OPTIONS = {
  estate: { type: 'string' },
  'from-estate': { type: 'string' },
  json: { type: 'boolean' },
  format: { type: 'string' },
  stack: { type: 'string' },
  incident: { type: 'string' },
  'dry-run': { type: 'boolean' },
  'no-cache': { type: 'boolean' },
  affected: { type: 'boolean' },
  base: { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  'no-color': { type: 'boolean' },
  color: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const satisfies ParseArgsConfig['options'];

export type OptionName = keyof typeof OPTIONS;

/** The options each command takes; any other is refused. */
export const ALLOWED_OPTIONS: Readonly<Record<Command, readonly OptionName[]>> = {
  check: ['estate', 'no-color', 'color', 'help'],
  diff: ['estate', 'from-estate', 'json', 'format', 'quiet', 'no-cache', 'affected', 'base', 'no-color', 'color', 'help'],
  plan: ['estate', 'from-estate', 'json', 'format', 'stack', 'no-color', 'color', 'help'],
  statuspage: ['estate', 'incident', 'dry-run', 'no-color', 'color', 'help'],
  affected: ['base', 'json', 'no-color', 'color', 'help'],
  help: ['help'],
};

/** Option values as given: strings for string options, true for flags. */
export type Values = { readonly [K in OptionName]?: (typeof OPTIONS)[K]['type'] extends 'string' ? string : boolean };

export type Invocation =
  | { readonly kind: 'version' }
  | { readonly kind: 'help'; readonly topic: HelpTopic }
  | { readonly kind: 'run'; readonly command: WorkCommand; readonly values: Values; readonly positionals: readonly string[] };

const COMMAND_LIST = COMMANDS.join(', ');

/** A usage mistake (exit 2), pointing at the help of `command`. */
export function usage(message: string, command?: Command): DrawbridgeError {
  return new DrawbridgeError(`${message}; see \`drawbridge ${command && command !== 'help' ? `${command} ` : ''}--help\``, EXIT.usage);
}

function tokens(argv: readonly string[]): { command?: string; values: Values; positionals: string[] } {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    const msg = (e as Error).message;
    const unknown = /Unknown option '([^']+)'/.exec(msg);
    if (unknown) throw usage(`unknown option ${typedWord(unknown[1]!)}; options: ${Object.keys(OPTIONS).map((o) => `--${o}`).join(', ')}`);
    const missing = /Option '(?:-\w, )?(--[\w-]+) <value>' argument missing/.exec(msg);
    if (missing) throw usage(`option ${missing[1]} needs a value`);
    // `--format --json`: Node calls the next option "ambiguous"; it is a missing value.
    const ambiguous = /Option '(?:-\w, )?(--[\w-]+)' argument is ambiguous/.exec(msg);
    if (ambiguous) {
      const option = ambiguous[1]!;
      const at = argv.findIndex((a, i) => a === option && argv[i + 1]?.startsWith('-'));
      const next = at >= 0 ? argv[at + 1]! : undefined;
      throw usage(`option ${option} needs a value${next !== undefined ? `, got the option ${typedWord(next)}` : ''}; to give a value starting with a dash write ${option}=VALUE`);
    }
    throw usage(msg.split('\n')[0]!.replace(/\.$/, ''));
  }
  const [command, ...positionals] = parsed.positionals;
  return { ...(command !== undefined ? { command } : {}), values: parsed.values as Values, positionals };
}

/** What `drawbridge ARGV...` asks for (argv without node and script). */
export function parseCommandLine(argv: readonly string[]): Invocation {
  const { command, values, positionals } = tokens(argv);
  if (values.version) return { kind: 'version' };
  if (command === undefined) {
    if (values.help) return { kind: 'help', topic: 'main' };
    throw usage(`no command given; commands: ${COMMAND_LIST}`);
  }
  if (!(COMMANDS as readonly string[]).includes(command)) throw usage(`unknown command ${typed(command)}; commands: ${COMMAND_LIST}`);
  const cmd = command as Command;
  if (values.help || cmd === 'help') {
    const topic = cmd === 'help' ? (positionals[0] ?? 'main') : cmd;
    if (!Object.hasOwn(HELP, topic)) throw usage(`no help for ${JSON.stringify(topic)}; commands: ${COMMANDS.filter((c) => c !== 'help').join(', ')}`);
    return { kind: 'help', topic: topic as HelpTopic };
  }
  for (const key of Object.keys(values) as OptionName[]) {
    if (!ALLOWED_OPTIONS[cmd].includes(key)) throw usage(`option --${key} does not apply to ${cmd}; ${cmd} takes ${ALLOWED_OPTIONS[cmd].map((o) => `--${o}`).join(', ')}`, cmd);
  }
  // `--stack=` or `--from-estate=` would otherwise fall back to the default without a word
  // (an empty --estate gets its own message, naming the estate cdk.json would give).
  for (const key of ['from-estate', 'stack'] as const) {
    if (values[key] === '') throw usage(`option --${key} is empty; give a value (--${key} ${key === 'stack' ? 'STACK' : 'FILE'}), or leave it out for the default`, cmd);
  }
  if (values.incident === '') throw usage('option --incident is empty; give the maintenance\'s id (--incident ID), or leave it out to find it by name', cmd);
  if (values.base === '') throw usage('option --base is empty; give a branch, tag or commit (--base REF), or leave it out for origin/main, else main', cmd);
  // diff --affected diffs each estate a change touches: it picks the estate files itself.
  if (cmd === 'diff' && values.base !== undefined && !values.affected) throw usage('option --base applies to diff --affected only; add --affected, or leave --base out', cmd);
  if (cmd === 'diff' && values.affected && (values.estate !== undefined || values['from-estate'] !== undefined)) {
    throw usage(`option --${values.estate !== undefined ? 'estate' : 'from-estate'} does not apply to diff --affected, which diffs every estate the change affects from its base version; leave it out, or drop --affected`, cmd);
  }
  return { kind: 'run', command: cmd as WorkCommand, values, positionals };
}

/** The output format: --json, else --format, else the command's first (default) format. */
export function formatOf<F extends string>(values: Values, allowed: readonly F[], command: Command): F {
  if (values.json && values.format && values.format !== 'json') throw usage(`--json and --format ${typedWord(values.format)} disagree`, command);
  if (values.format === '') throw usage(`option --format is empty; allowed: ${allowed.join(', ')}`, command);
  const format = values.json ? 'json' : (values.format ?? allowed[0]!);
  if (!(allowed as readonly string[]).includes(format)) throw usage(`unknown format ${typed(format)}; allowed: ${allowed.join(', ')}`, command);
  return format as F;
}
