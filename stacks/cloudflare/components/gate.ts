/**
 * The maintenance gate Worker (modes/components/cloudflare/gate.ts): one WorkersScript with the
 * bundled gate from `edge/` and its bindings, routed on each zone's patterns. A mode switch changes
 * only the plain-text flag bindings; the script's name, content and routes are the same in every
 * mode. An estate without a gate declares none of it (and needs no bundle).
 */
import * as cloudflare from '@pulumi/cloudflare';
import * as pulumi from '@pulumi/pulumi';
import { gate } from '../../../modes/components/cloudflare/gate';
import type { DesiredCloudflare } from '../../../modes/desired';
import { DrawbridgeError } from '../../../modes/errors';
import { GATE_SECRET_BINDING } from '../../../modes/gate-contract';
import type { GateBundle } from '../bundle';
import { defineCloudflareRenderer } from '../renderer';

export const GATE_TYPE = 'drawbridge:cloudflare:Gate';

type DesiredGate = NonNullable<DesiredCloudflare['gate']>;

export const gateNames = {
  /** The component and its script. */
  gate: (estate: string) => `${estate}-gate`,
  /** A route is identified by its pattern (unique per account); changing the pattern is a new route. */
  route: (estate: string, pattern: string) => `${estate}-gate-route-${pattern}`,
} as const;

export interface GateWorkerProps {
  /** Estate name; prefixes every resource name. */
  readonly estate: string;
  readonly accountId: string;
  /** `desired.cloudflare.gate` for the mode being rendered. */
  readonly gate: DesiredGate;
  /** The built gate: source, main module name and compatibility date (`dist/edge/`). */
  readonly bundle: GateBundle;
  /** The bypass HMAC key; bound as `secret_text` and kept secret in state and previews. */
  readonly bypassSecret: pulumi.Input<string>;
}

/**
 * The Worker's bindings: every flag as `plain_text` in the order the model declares them, then the
 * bypass key as `secret_text`. Each value is set in every mode, so leaving a mode restores it.
 */
export function gateBindings(gate: DesiredGate, bypassSecret: pulumi.Input<string>): cloudflare.types.input.WorkersScriptBinding[] {
  return [
    ...Object.entries(gate.bindings).map(([name, text]) => ({ name, type: 'plain_text', text: String(text) })),
    { name: GATE_SECRET_BINDING, type: 'secret_text', text: pulumi.secret(bypassSecret) },
  ];
}

export class GateWorker extends pulumi.ComponentResource {
  readonly script: cloudflare.WorkersScript;
  readonly routes: readonly cloudflare.WorkersRoute[];

  constructor(name: string, props: GateWorkerProps, opts?: pulumi.ComponentResourceOptions) {
    super(GATE_TYPE, name, {}, opts);
    this.script = new cloudflare.WorkersScript(
      gateNames.gate(props.estate),
      {
        accountId: props.accountId,
        scriptName: props.gate.scriptName,
        content: props.bundle.script,
        mainModule: props.bundle.mainModule,
        compatibilityDate: props.bundle.compatibilityDate,
        bindings: gateBindings(props.gate, props.bypassSecret),
      },
      { parent: this },
    );
    this.routes = props.gate.routes.map(
      (route) =>
        new cloudflare.WorkersRoute(
          gateNames.route(props.estate, route.pattern),
          { zoneId: route.zoneId, pattern: route.pattern, script: this.script.scriptName },
          // Two routes cannot share a pattern, so a replaced route must go before its successor.
          { parent: this, deleteBeforeReplace: true },
        ),
    );
    this.registerOutputs({ scriptName: this.script.scriptName });
  }
}

export const gateRenderer = defineCloudflareRenderer({
  component: gate,
  type: GATE_TYPE,
  replaceOnChange: {
    'cloudflare:index/workersScript:WorkersScript': ['accountId', 'scriptName'],
    'cloudflare:index/workersRoute:WorkersRoute': ['zoneId'],
  },
  render({ estate, desired, gate: bundle, bypassSecret }, opts) {
    const gate = desired.gate;
    if (!gate) return {};
    // preview.ts and program.ts read the bundle whenever the estate has a gate: a caller that does not is a bug.
    if (!bundle) throw new DrawbridgeError(`estate ${estate} has a gate but no gate bundle was given; run \`npm run build:edge\` and pass its bundle`);
    new GateWorker(gateNames.gate(estate), { estate, accountId: desired.accountId, gate, bundle, bypassSecret }, opts);
    return { gateScriptName: gate.scriptName, routes: gate.routes.map((r) => r.pattern) };
  },
});
