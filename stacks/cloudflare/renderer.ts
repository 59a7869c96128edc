/**
 * The Cloudflare renderer contract. Each model component (`modes/registry.ts`,
 * CLOUDFLARE_COMPONENTS) has one renderer under `components/`, registered in `renderers.ts`. A
 * renderer declares one `pulumi.ComponentResource` (its `type` is the parent of every resource it
 * declares, in their URNs) and owns:
 *
 * - its Pulumi names, from the estate's name and ids only (never a mode value), so URNs are the
 *   same in every mode and a mode switch is always an update;
 * - `replaceOnChange`: for each Pulumi type it declares, the inputs it sets that the provider
 *   cannot change in place. @pulumi/cloudflare v6 is bridged from terraform-provider-cloudflare v5,
 *   where these attributes carry the `RequiresReplace` plan modifier
 *   (internal/services/<resource>/schema.go); the bridged schema does not list them, so each
 *   renderer states them for offline diffs (`replacement.ts` unites them);
 * - its part of the stack outputs.
 */
import type * as pulumi from '@pulumi/pulumi';
import type { DesiredCloudflare } from '../../modes/desired';
import type { ReplaceTable } from '../../modes/diff';
import type { AnyComponent } from '../../modes/registry';
import type { GateBundle } from './bundle';

/** What the stack exports: names and addresses only, never a secret. */
export interface CloudflareStackOutputs {
  readonly estate: string;
  readonly mode: string;
  /** The gate's script and route patterns, when the estate has a gate. */
  readonly gateScriptName?: string;
  readonly routes?: readonly string[];
  /** Record name -> content in this mode. */
  readonly records: Readonly<Record<string, pulumi.Output<string>>>;
  readonly downPageUrl?: string;
  /** The id of the KV namespace the application's Workers bind (APP_WORKERS_NAMESPACE_OUTPUT), when the estate declares them. */
  readonly appWorkersNamespaceId?: pulumi.Output<string>;
}

/** What every renderer of one rendering is given. */
export interface CloudflareRenderContext {
  /** Estate name; prefixes every Pulumi name. */
  readonly estate: string;
  /** The Cloudflare part of the desired state. */
  readonly desired: DesiredCloudflare;
  /** The built gate Worker (`readGateBundle`); only an estate with a gate needs one. */
  readonly gate?: GateBundle;
  /** The bypass HMAC key, as a Pulumi secret. */
  readonly bypassSecret: pulumi.Input<string>;
}

export interface CloudflareRenderer {
  /** The model component it renders. */
  readonly component: AnyComponent;
  /** The model component's kind: the renderer's key in the registry. */
  readonly kind: string;
  /** Its component resource type, e.g. `drawbridge:cloudflare:Dns`. */
  readonly type: string;
  /** Declares its component (under `opts.parent`) and returns its part of the stack outputs. */
  render(ctx: CloudflareRenderContext, opts: pulumi.ComponentResourceOptions): Partial<CloudflareStackOutputs>;
  /** Pulumi type token -> the inputs it sets whose change replaces the resource (delete + create). */
  readonly replaceOnChange: ReplaceTable;
}

/** A renderer whose `kind` is its model component's. */
export function defineCloudflareRenderer(renderer: Omit<CloudflareRenderer, 'kind'>): CloudflareRenderer {
  return { ...renderer, kind: renderer.component.kind };
}
