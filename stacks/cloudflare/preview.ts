/**
 * The offline Cloudflare renderer: runs the same component tree `pulumi up` would declare, under
 * Pulumi mocks, and returns every Cloudflare resource with its URN and resolved inputs. It is what
 * `drawbridge diff FROM TO` compares, and what the tests snapshot.
 *
 * Runs are serialised (the Pulumi runtime is process-global), each on fresh mocks, and each waits
 * for every output and RPC before returning, so calling it many times in one process is safe,
 * concurrently or not. Inputs are captured where the program hands them to the SDK, so a secret is
 * replaced leaf by leaf: a secret binding hides its `text`, not the whole binding list.
 *
 * It takes over the process's Pulumi runtime (it installs mocks), so it is for the CLI and tests,
 * never for code running inside `pulumi preview|up`.
 */
import * as path from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { resolve } from '../../modes/resolve';
import type { Estate, ModeState } from '../../modes/schema';
import { declareCloudflare } from './edge';
import { DrawbridgeMocks, SECRET_PLACEHOLDER, settleRegistrations } from './mocks';
import { bindingNames, readGateBundle, type GateBundle } from './bundle';

/** One Cloudflare resource as the program declares it. */
export interface CloudflareResource {
  /** Pulumi URN (mock stack/project); identical in every mode for a given estate. */
  readonly urn: string;
  /** Pulumi type token, e.g. `cloudflare:index/dnsRecord:DnsRecord`. */
  readonly type: string;
  /** Pulumi resource name, derived from the estate's name and ids. */
  readonly name: string;
  /** Inputs handed to the provider, fully resolved; unset inputs are absent, secrets are '[secret]'. */
  readonly inputs: Record<string, unknown>;
}

export interface CloudflareResourcesOptions {
  /** Bypass key to bind; only ever shown as '[secret]'. @default a fixed placeholder */
  readonly bypassSecret?: string;
  /** The built gate. @default `readGateBundle(projectRoot)`: `dist/edge/gate.js` and its manifest, read only for an estate with a gate */
  readonly gate?: GateBundle;
  /** Where `dist/edge/gate.js` is looked for. @default the repository root */
  readonly projectRoot?: string;
  /** Stack name in the URNs. @default 'preview' */
  readonly stack?: string;
}

const REPOSITORY_ROOT = path.resolve(__dirname, '..', '..');
const PLACEHOLDER_BYPASS_SECRET = 'drawbridge-preview-placeholder-bypass-secret';
/** A healthy run settles in milliseconds; this only turns a bug (a hung output) into an error. */
const SETTLE_TIMEOUT_MS = 30_000;

let queue: Promise<unknown> = Promise.resolve();

/**
 * The Cloudflare resources and inputs of `estate` in `state`, in declaration order. Throws a
 * DrawbridgeError for an invalid state or, for an estate with a gate, a missing gate bundle; an
 * estate without a cloudflare part has no resources.
 */
export function cloudflareResources(estate: Estate, state: ModeState, options: CloudflareResourcesOptions = {}): Promise<CloudflareResource[]> {
  const run = queue.then(() => render(estate, state, options));
  queue = run.catch(() => undefined);
  return run;
}

interface Captured {
  readonly resource: pulumi.CustomResource;
  readonly type: string;
  readonly name: string;
  readonly props: unknown;
}

async function render(estate: Estate, state: ModeState, options: CloudflareResourcesOptions): Promise<CloudflareResource[]> {
  const desired = resolve(estate, state);
  if (!desired.cloudflare) return [];
  const bindings = desired.cloudflare.gate?.bindings;
  // An estate without a gate needs no bundle (and no `npm run build:edge`).
  const gate = bindings ? (options.gate ?? readGateBundle(options.projectRoot ?? REPOSITORY_ROOT, bindingNames(bindings))) : undefined;

  await withTimeout(settleRegistrations());
  await pulumi.runtime.setMocks(new DrawbridgeMocks(), 'drawbridge', options.stack ?? 'preview', false);
  const captured: Captured[] = [];
  const capture: pulumi.ResourceTransformation = ({ resource, type, name, props }) => {
    // The runtime flags a custom resource only after its constructor returns; the prototype is set.
    if (resource instanceof pulumi.CustomResource) captured.push({ resource, type, name, props });
    return undefined;
  };
  try {
    const edge = declareCloudflare(
      { desired, ...(gate ? { gate } : {}), bypassSecret: pulumi.secret(options.bypassSecret ?? PLACEHOLDER_BYPASS_SECRET) },
      { transformations: [capture] },
    );
    return await withTimeout(
      (async () => {
        const resources = await Promise.all(
          captured.map(async (c) => ({ urn: await valueOf(c.resource.urn), type: c.type, name: c.name, inputs: (await resolveOutputs(c.props)) as Record<string, unknown> })),
        );
        await valueOf(edge.urn);
        return resources;
      })(),
    );
  } finally {
    // Let every registration finish on these mocks before the next run replaces them.
    await withTimeout(settleRegistrations()).catch(() => undefined);
  }
}

/** The value of an output (its runtime exposes `promise()`; fall back to `apply`). */
function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  const internal = output as unknown as { promise?: () => Promise<T> };
  if (typeof internal.promise === 'function') return internal.promise();
  return new Promise<T>((done) => output.apply((v) => (done(v), v)));
}

/**
 * `value` with every output and promise in it resolved (e.g. stack outputs); a secret output
 * becomes SECRET_PLACEHOLDER and an undefined property is dropped. Call it while the run's mocks
 * are current.
 */
export async function resolveOutputs(value: unknown): Promise<unknown> {
  if (pulumi.Output.isInstance(value)) {
    const output = value as pulumi.Output<unknown>;
    if (await pulumi.isSecret(output)) return SECRET_PLACEHOLDER;
    return resolveOutputs(await valueOf(output));
  }
  if (value instanceof Promise) return resolveOutputs(await value);
  if (Array.isArray(value)) return Promise.all(value.map(resolveOutputs));
  if (value !== null && typeof value === 'object') {
    const entries = await Promise.all(Object.entries(value).map(async ([k, v]) => [k, await resolveOutputs(v)] as const));
    return Object.fromEntries(entries.filter(([, v]) => v !== undefined));
  }
  return value;
}

function withTimeout<T>(promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the offline Cloudflare run did not settle within ${SETTLE_TIMEOUT_MS / 1000}s`)), SETTLE_TIMEOUT_MS);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
