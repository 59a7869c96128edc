/**
 * The one set of Pulumi mocks Drawbridge uses offline: by the in-process renderer (`preview.ts`,
 * behind `drawbridge diff`) and by the tests. No Pulumi CLI, plugin, credential or network is
 * involved: resources "exist" with their inputs as state, and a provider function call is an error
 * (the Cloudflare program makes none, so one would be a bug worth seeing).
 */
import * as pulumi from '@pulumi/pulumi';

/** What previews and snapshots show instead of a secret value. */
export const SECRET_PLACEHOLDER = '[secret]';

export class DrawbridgeMocks implements pulumi.runtime.Mocks {
  /** Every resource registered, in order, with inputs as the engine received them. */
  readonly resources: pulumi.runtime.MockResourceArgs[] = [];

  newResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
    this.resources.push(args);
    return { id: args.custom === false ? undefined : `${args.name}-id`, state: args.inputs };
  }

  call(args: pulumi.runtime.MockCallArgs): pulumi.runtime.MockCallResult {
    throw new Error(`unexpected provider function call ${args.token} in an offline Drawbridge run`);
  }
}

export interface MockOptions {
  /** @default 'drawbridge' (Pulumi.yaml's name) */
  readonly project?: string;
  /** @default 'test' */
  readonly stack?: string;
  /** Stack configuration as `pulumi config` holds it (`drawbridge:mode` -> value). @default {} */
  readonly config?: Readonly<Record<string, string>>;
  /** Which of `config`'s keys were set with `--secret`. @default [] */
  readonly secretKeys?: readonly string[];
}

/**
 * Waits until every registration the current run has started has reached its mocks (a program
 * returns before its resources are registered). Public SDK API: `disconnect` drains the RPC queue;
 * the mock monitor stays usable afterwards.
 */
export async function settleRegistrations(): Promise<void> {
  await pulumi.runtime.disconnect();
}

/**
 * Points the Pulumi runtime at fresh mocks (not a preview: outputs are known) and replaces the whole
 * stack configuration. Call it before each run; import or call the program afterwards. A previous
 * run's pending registrations finish on its own mocks first.
 */
export async function useDrawbridgeMocks(options: MockOptions = {}): Promise<DrawbridgeMocks> {
  await settleRegistrations();
  const mocks = new DrawbridgeMocks();
  await pulumi.runtime.setMocks(mocks, options.project ?? 'drawbridge', options.stack ?? 'test', false);
  pulumi.runtime.setAllConfig({ ...(options.config ?? {}) }, [...(options.secretKeys ?? [])]);
  return mocks;
}

/**
 * `value` with every engine-side secret (a value the engine received marked secret) replaced by
 * SECRET_PLACEHOLDER: what is left is what the engine would store and show in clear.
 */
export function withoutEngineSecrets(value: unknown): unknown {
  if (pulumi.runtime.isRpcSecret(value)) return SECRET_PLACEHOLDER;
  if (Array.isArray(value)) return value.map(withoutEngineSecrets);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutEngineSecrets(v)]));
  }
  return value;
}
