/**
 * The Pulumi program behind `bin/pulumi.ts`: stack config -> estate -> effective mode state ->
 * resolve() -> Cloudflare resources. Every check (config keys and values, estate, mode state,
 * Cloudflare constraints, the gate bundle when the estate has a gate) runs before the first
 * resource is declared; a user mistake ends the run with its message only (a `pulumi.RunError`,
 * no stack trace).
 */
import * as pulumi from '@pulumi/pulumi';
import { DrawbridgeError, isDrawbridgeError } from '../../modes/errors';
import { resolveEstateFile } from '../../modes/estate-file';
import { loadEstate } from '../../modes/load';
import { resolve } from '../../modes/resolve';
import { describeModeState, effectiveModeState } from '../../modes/state';
import { bindingNames, readGateBundle } from './bundle';
import { parseStackConfig } from './config';
import { PULUMI_NAMESPACE } from '../../modes/engines';
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
    const all = pulumi.runtime.allConfig();
    // drawbridge:estate, else the estate cdk.json names: the one both engines read by default.
    const given = (all[`${PULUMI_NAMESPACE}:estate`] ?? '').trim();
    const { file: estateFile, path: estatePath } = resolveEstateFile(given === '' ? undefined : given, { root: options.projectRoot, entry: 'pulumi' });
    const estate = loadEstate(estatePath, estateFile);
    // Every configuration problem in one message; the bypass key only matters to an estate with a gate.
    const config = parseStackConfig(all, isConfigSecret, { requireBypassSecret: !!estate.cloudflare?.gate });
    if (!estate.cloudflare) {
      throw new DrawbridgeError(`${estateFile}: the estate has no cloudflare part; nothing for Pulumi to manage (set drawbridge:estate to an estate with cloudflare:)`);
    }
    const { state, overrides } = effectiveModeState(estate, config.overrides, 'drawbridge:');
    const desired = resolve(estate, state);
    // Only an estate with a gate needs the built bundle.
    const bindings = desired.cloudflare!.gate?.bindings;
    const gate = bindings ? readGateBundle(options.projectRoot, bindingNames(bindings)) : undefined;
    if (overrides.length) {
      pulumi.log.warn(
        `drawbridge: OVERRIDE for this stack: ${overrides.join(', ')}. The estate file ${estateFile} (state:) is the source of truth: ` +
          'commit the change there so both engines agree, then `pulumi config rm` the override.',
      );
    }
    pulumi.log.info(`drawbridge: ${estate.name}: ${describeModeState(state)}`);
    const edge = declareCloudflare({ desired, ...(gate ? { gate } : {}), bypassSecret: pulumi.secret(config.bypassSecret) });
    return edge.outputs();
  } catch (e) {
    // Pulumi prints a RunError's message alone, without a stack trace.
    if (isDrawbridgeError(e)) throw new pulumi.RunError(e.problems.join('\n'));
    throw e;
  }
}
