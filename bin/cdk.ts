/**
 * The CDK app: `npx cdk synth|diff|deploy [--context estate=FILE] [--context mode=...]`.
 *
 * The estate file's `state` is the committed mode; `--context mode|live|target|hardDown` override it
 * for one run (an emergency) and the app says so on stderr. Bad input stops here, before any
 * construct exists, so nothing is written to cdk.out.
 */
import { App } from 'aws-cdk-lib';
import { CDK_CONTEXT_KEYS, OVERRIDE_KEYS } from '../modes/engines';
import { resolveEstateFile } from '../modes/estate-file';
import { closest, DrawbridgeError, runMain, show } from '../modes/errors';
import { loadEstate } from '../modes/load';
import { resolve } from '../modes/resolve';
import { describeModeState, effectiveModeState, type ModeOverrides } from '../modes/state';
import { buildAwsApp, synthApp } from '../stacks/aws/app';

const CONTEXT_KEYS: readonly string[] = CDK_CONTEXT_KEYS;

/**
 * Checks the app's context, loads the estate and declares its AWS stacks on `app`. `cwd` holds
 * cdk.json and is where relative estate paths start (`cdk` runs the app there); `log` gets the
 * lines for stderr.
 */
export function declareCdkApp(app: App, cwd: string, log: (line: string) => void): void {
  const ctx = (key: string): unknown => app.node.tryGetContext(key);
  // A mistyped key (Mode=, mdoe=) would otherwise be ignored and the committed mode deployed.
  for (const key of Object.keys(app.node.getAllContext() as Record<string, unknown>)) {
    if (CONTEXT_KEYS.includes(key) || key.includes(':') || key.includes('/')) continue;
    const near = closest(key, CONTEXT_KEYS);
    if (near) throw new DrawbridgeError(`--context ${key} is not a Drawbridge context key (did you mean ${near}?); keys: ${CONTEXT_KEYS.join(', ')}`);
  }
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
  buildAwsApp(desired, app);
}

if (require.main === module) {
  void runMain(() => {
    const app = new App();
    declareCdkApp(app, process.cwd(), (line) => process.stderr.write(`${line}\n`));
    synthApp(app);
  });
}
