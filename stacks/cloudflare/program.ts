/**
 * The Pulumi program behind `bin/pulumi.ts`: stack config -> estate -> effective mode state ->
 * resolve() -> Cloudflare resources. Every check (config keys and values, estate, mode state,
 * Cloudflare constraints, the gate bundle) runs before the first resource is declared; a user
 * mistake ends the run with its message only (a `pulumi.RunError`, no stack trace).
 */
import * as pulumi from '@pulumi/pulumi';
import { DrawbridgeError, isDrawbridgeError } from '../../modes/errors';
import { resolveEstateFile } from '../../modes/estate-file';
import { loadEstate } from '../../modes/load';
import { resolve } from '../../modes/resolve';
import { describeModeState, effectiveModeState } from '../../modes/state';
import { bindingNames, readGateBundle } from './bundle';
import { parseStackConfig } from './config';
import { declareCloudflare, type CloudflareStackOutputs } from './edge';

/** Whether a config key was set with `--secret` (the SDK keeps this internal; assume yes if absent). */
function isConfigSecret(key: string): boolean {
  const runtime = pulumi.runtime as unknown as { isConfigSecret?: (k: string) => boolean };
  return typeof runtime.isConfigSecret === 'function' ? runtime.isConfigSecret(key) : true;
}

export interface CloudflareProgramOptions {
  /** Directory holding Pulumi.yaml, cdk.json and dist/; relative estate paths start here. */
  readonly projectRoot: string;
}

/** Runs the Cloudflare program in the current Pulumi context and returns the stack outputs. */
export async function runCloudflareStack(options: CloudflareProgramOptions): Promise<CloudflareStackOutputs> {
  try {
    const config = parseStackConfig(pulumi.runtime.allConfig(), isConfigSecret);
    // drawbridge:estate, else the estate cdk.json names: the one both engines read by default.
    const { file: estateFile, path: estatePath } = resolveEstateFile(config.estate, { root: options.projectRoot, entry: 'pulumi' });
    const estate = loadEstate(estatePath);
    if (!estate.cloudflare) {
      throw new DrawbridgeError(`${estateFile}: the estate has no cloudflare part; nothing for Pulumi to manage (set drawbridge:estate to an estate with cloudflare:)`);
    }
    const { state, overrides } = effectiveModeState(estate, config.overrides, 'drawbridge:');
    const desired = resolve(estate, state);
    const gate = readGateBundle(options.projectRoot, bindingNames(desired.cloudflare!.gate.bindings));
    if (overrides.length) {
      pulumi.log.warn(
        `drawbridge: OVERRIDE for this stack: ${overrides.join(', ')}. The estate file ${estateFile} (state:) is the source of truth: ` +
          'commit the change there so both engines agree, then `pulumi config rm` the override.',
      );
    }
    pulumi.log.info(`drawbridge: ${estate.name}: ${describeModeState(state)}`);
    const edge = declareCloudflare({ desired, gate, bypassSecret: pulumi.secret(config.bypassSecret) });
    return edge.outputs();
  } catch (e) {
    // Pulumi prints a RunError's message alone, without a stack trace.
    if (isDrawbridgeError(e)) throw new pulumi.RunError(e.problems.join('\n'));
    throw e;
  }
}
