/**
 * The CDK app: `npx cdk synth|diff|deploy [--context estate=FILE] [--context mode=...]`.
 *
 * The estate file's `state` is the committed mode; `--context mode|live|target|hardDown` override it
 * for one run (an emergency) and the app says so on stderr. Bad input stops here, before any
 * construct exists, so nothing is written to cdk.out.
 */
import { App, Errors } from 'aws-cdk-lib';
import { typedWord } from '../modes/echo';
import { CDK_CONTEXT_KEYS, OVERRIDE_KEYS, type OverrideKey } from '../modes/engines';
import { cachesOn } from '../modes/cache-setting';
import { resolveEstateFile } from '../modes/estate-file';
import { closest, DrawbridgeError, runMain, show } from '../modes/errors';
import { loadEstate } from '../modes/load';
import { resolve } from '../modes/resolve';
import { COLOURS, MODES, STAGES } from '../modes/fields';
import { describeModeState, effectiveModeState, type ModeOverrides } from '../modes/state';
import { join } from 'node:path';
import { buildAwsApp, synthApp, type BuildOptions } from '../stacks/aws/app';

const CONTEXT_KEYS: readonly string[] = CDK_CONTEXT_KEYS;

/** The values each override key takes, for the message of an empty one. */
const OVERRIDE_VALUES: Readonly<Record<OverrideKey, readonly string[]>> = { mode: MODES, live: COLOURS, target: COLOURS, hardDown: ['true', 'false'], stage: STAGES };

/**
 * A context key that is a value of an override key (`--context maintenance=true`): what was meant.
 * CDK would pass it on unread and the committed mode would deploy.
 */
function meantAsValue(key: string): string | undefined {
  const word = key.toLowerCase();
  const as = (k: OverrideKey, v: string) => `--context ${k}=${v}`;
  const mode = MODES.find((m) => m === word);
  if (mode) return as('mode', mode);
  if (word === 'hard-down' || word === 'harddown' || word === 'hard_down') return `${as('mode', 'maintenance')} --context hardDown=true`;
  const colour = COLOURS.find((c) => c === word);
  if (colour) return as('live', colour);
  const stage = STAGES.find((st) => st === word);
  if (stage) return as('stage', stage);
  return undefined;
}

const KEYS_LIST = `keys: ${CONTEXT_KEYS.join(', ')}`;

/** Refuses context a run would otherwise ignore: a near miss of a key, a mode name as a key, an empty override. */
function checkContext(all: Readonly<Record<string, unknown>>): void {
  const problems: string[] = [];
  for (const [key, value] of Object.entries(all)) {
    if (CONTEXT_KEYS.includes(key)) {
      if (value === '' && key !== 'estate') {
        const k = key as OverrideKey;
        problems.push(`--context ${k}= is empty; allowed ${k} values: ${OVERRIDE_VALUES[k].join(', ')}; leave --context ${k} out to deploy what the estate file's state: commits`);
      }
      continue;
    }
    if (key.includes(':') || key.includes('/')) continue;
    const meant = meantAsValue(key);
    const shown = typedWord(key);
    if (meant) {
      problems.push(`--context ${shown} is not a Drawbridge context key; to override for this run write ${meant}; ${KEYS_LIST}`);
      continue;
    }
    const near = closest(key, CONTEXT_KEYS);
    if (near) problems.push(`--context ${shown} is not a Drawbridge context key (did you mean ${near}?); ${KEYS_LIST}`);
  }
  if (problems.length) throw new DrawbridgeError(problems);
}

/**
 * Checks the app's context, loads the estate and declares its AWS stacks on `app`. `cwd` holds
 * cdk.json and is where relative estate paths start (`cdk` runs the app there); `log` gets the
 * lines for stderr.
 */
export function declareCdkApp(app: App, cwd: string, log: (line: string) => void, options: BuildOptions = {}): void {
  const ctx = (key: string): unknown => app.node.tryGetContext(key);
  // A mistyped key (Mode=, mdoe=, maintenance=) or an empty value would otherwise be ignored and the committed mode deployed.
  checkContext(app.node.getAllContext() as Record<string, unknown>);
  const given = ctx('estate');
  if (given !== undefined && typeof given !== 'string') throw new DrawbridgeError(`context estate must be a file name (cdk.json context.estate or --context estate=FILE); got ${show(given)}`);
  const { file: estateFile, path } = resolveEstateFile(given, { root: cwd, entry: 'cdk' });
  const estate = loadEstate(path, estateFile);
  const overrideContext: ModeOverrides = Object.fromEntries(OVERRIDE_KEYS.map((k) => [k, ctx(k)]));
  const { state, overrides } = effectiveModeState(estate, overrideContext, '--context');
  if (overrides.length) {
    log(`drawbridge: OVERRIDE for this run only: ${overrides.join(', ')}. Commit the change to ${estateFile} (state:) so both engines agree.`);
  }
  log(`drawbridge: ${estate.name}: ${describeModeState(state)} (context keys: ${CONTEXT_KEYS.join(', ')})`);
  const desired = resolve(estate, state);
  if (!desired.aws) throw new DrawbridgeError(`${estateFile}: the estate has no aws part; nothing for CDK to synthesize`);
  buildAwsApp(desired, app, options);
}

/**
 * A construct's refusal (aws-cdk-lib's ValidationError) that no estate check caught, as one line
 * naming the construct: the estate has a value the checks miss, and the stack trace helps no one.
 */
export function constructRefusal(e: unknown): DrawbridgeError | undefined {
  if (!Errors.isValidationError(e)) return undefined;
  const where = e.constructPath ? `${e.constructPath}: ` : '';
  const first = e.message.split('\n')[0]!;
  return new DrawbridgeError(`${where}${first} (CDK refused the estate; \`drawbridge check\` should have: please report it with the estate)`);
}

/** The app as `cdk` runs it: declare, synthesize, and any refusal as its message alone. */
export function cdkMain(app: App, cwd: string, log: (line: string) => void, options: BuildOptions = {}): void {
  try {
    declareCdkApp(app, cwd, log, options);
    synthApp(app);
  } catch (e) {
    const refusal = constructRefusal(e);
    if (refusal) throw refusal;
    if (e instanceof DrawbridgeError) throw new DrawbridgeError(e.problems.map((p) => p.split(`${cwd}/`).join('')), e.exitCode);
    throw e;
  }
}

/** `cdk synth|diff|deploy` running the app (cdk.json: bin/cdk.js, or this file through tsx). */
export function main(): Promise<void> {
  return runMain(() => cdkMain(new App(), process.cwd(), (line) => process.stderr.write(`${line}\n`), { nagCacheDir: nagCacheDir(process.env, process.cwd()) }));
}

/**
 * Where `cdk synth` remembers clean cdk-nag verdicts: DRAWBRIDGE_CACHE_DIR/nag, else
 * node_modules/.cache/drawbridge/nag beside cdk.json; none with DRAWBRIDGE_CACHE=off.
 */
export function nagCacheDir(env: Readonly<Record<string, string | undefined>>, cwd: string): string | undefined {
  if (!cachesOn(env)) return undefined;
  return join(env.DRAWBRIDGE_CACHE_DIR || join(cwd, 'node_modules', '.cache', 'drawbridge'), 'nag');
}

if (require.main === module) void main();
