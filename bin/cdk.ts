/**
 * The CDK app: `npx cdk synth|diff|deploy [--context estate=FILE] [--context mode=...]`.
 *
 * The estate file's `state` is the committed mode; `--context mode|live|target|hardDown` override it
 * for one run (an emergency) and the app says so on stderr. Bad input stops here, before any
 * construct exists, so nothing is written to cdk.out.
 */
import { App } from 'aws-cdk-lib';
import { closest, DrawbridgeError, runMain } from '../modes/errors';
import { loadEstate } from '../modes/load';
import { resolve } from '../modes/resolve';
import { describeModeState, effectiveModeState } from '../modes/state';
import { buildAwsApp, synthApp } from '../stacks/aws/app';

const CONTEXT_KEYS = ['estate', 'mode', 'live', 'target', 'hardDown'];

void runMain(() => {
  const app = new App();
  const ctx = (key: string): unknown => app.node.tryGetContext(key);
  // A mistyped key (Mode=, mdoe=) would otherwise be ignored and the committed mode deployed.
  for (const key of Object.keys(app.node.getAllContext() as Record<string, unknown>)) {
    if (CONTEXT_KEYS.includes(key) || key.includes(':') || key.includes('/')) continue;
    const near = closest(key, CONTEXT_KEYS);
    if (near) throw new DrawbridgeError(`--context ${key} is not a Drawbridge context key (did you mean ${near}?); keys: ${CONTEXT_KEYS.join(', ')}`);
  }
  const estateFile = ctx('estate');
  if (typeof estateFile !== 'string' || estateFile === '') {
    throw new DrawbridgeError('--context estate=FILE is missing and cdk.json names no default estate; pass an estate YAML file');
  }
  const estate = loadEstate(estateFile);
  const { state, overrides } = effectiveModeState(
    estate,
    { mode: ctx('mode'), live: ctx('live'), target: ctx('target'), hardDown: ctx('hardDown') },
    '--context',
  );
  if (overrides.length) {
    process.stderr.write(`drawbridge: OVERRIDE for this run only: ${overrides.join(', ')}. Commit the change to ${estateFile} (state:) so both engines agree.\n`);
  }
  process.stderr.write(`drawbridge: ${estate.name}: ${describeModeState(state)} (context keys: ${CONTEXT_KEYS.join(', ')})\n`);
  const desired = resolve(estate, state);
  if (!desired.aws) throw new DrawbridgeError(`${estateFile}: the estate has no aws part; nothing for CDK to synthesize`);
  buildAwsApp(desired, app);
  synthApp(app);
});
