/**
 * The maintenance gate Worker (modes/components/cloudflare/gate.ts): one WorkersScript with the
 * bundled gate from `edge/` and its bindings, routed on each zone's patterns, and in each of those
 * zones a rate-limiting rule on the bypass path (a `Ruleset` in the `http_ratelimit` phase). A mode switch changes
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
  /** The zone's rate-limiting entrypoint ruleset guarding the bypass path (one per zone, by zone name). */
  rateLimit: (estate: string, zone: string) => `${estate}-gate-ratelimit-${zone}`,
} as const;

/** Cloudflare plans, for what a rate-limiting rule may use. */
export type ZonePlan = 'free' | 'pro' | 'business' | 'enterprise';

/** The rate-limiting rule's counting and blocking, per plan. */
export interface BypassRateLimit {
  /** Counters per data centre and client IP (cf.colo.id is required on every plan). */
  readonly characteristics: readonly string[];
  readonly period: number;
  readonly requestsPerPeriod: number;
  readonly mitigationTimeout: number;
}

/**
 * What each plan allows a rate-limiting rule (developers.cloudflare.com/waf/rate-limiting-rules,
 * "Availability"): Free counts by IP over 10 s and blocks for 10 s; Pro allows 10 s or 1 min and a
 * timeout up to 1 h; Business adds 10 min and up to 1 day; Enterprise more. Free allows only the
 * Path field in the expression, which is all the rule matches on.
 */
export const BYPASS_RATE_LIMITS: Readonly<Record<ZonePlan, BypassRateLimit>> = {
  // 5 tries per 10 s per IP, then 10 s blocked: about 30 tries a minute instead of thousands a second.
  free: { characteristics: ['cf.colo.id', 'ip.src'], period: 10, requestsPerPeriod: 5, mitigationTimeout: 10 },
  // 10 tries a minute per IP, then an hour blocked.
  pro: { characteristics: ['cf.colo.id', 'ip.src'], period: 60, requestsPerPeriod: 10, mitigationTimeout: 3600 },
  business: { characteristics: ['cf.colo.id', 'ip.src'], period: 60, requestsPerPeriod: 10, mitigationTimeout: 3600 },
  enterprise: { characteristics: ['cf.colo.id', 'ip.src'], period: 60, requestsPerPeriod: 10, mitigationTimeout: 3600 },
};

/** A string in a Cloudflare rules-language expression. */
function ruleString(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * The rate-limiting rule guarding the bypass path in one zone: guessing the key through the form,
 * or signatures through links, is blocked at Cloudflare's edge before the gate runs.
 */
export function bypassRateLimitRule(bypassPath: string, plan: ZonePlan = 'free'): cloudflare.types.input.RulesetRule {
  const limit = BYPASS_RATE_LIMITS[plan];
  return {
    ref: 'drawbridge_bypass_rate_limit',
    description: `Drawbridge: limit staff bypass attempts on ${bypassPath}`,
    expression: `(http.request.uri.path eq ${ruleString(bypassPath)})`,
    action: 'block',
    enabled: true,
    ratelimit: {
      characteristics: [...limit.characteristics],
      period: limit.period,
      requestsPerPeriod: limit.requestsPerPeriod,
      mitigationTimeout: limit.mitigationTimeout,
    },
  };
}

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
  /** Each zone's Cloudflare plan, by zone id in the estate (what its rate-limiting rule may use). @default 'free' for a zone not listed */
  readonly plans?: ReadonlyMap<string, ZonePlan>;
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
  readonly rateLimits: readonly cloudflare.Ruleset[];

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
    // One rate-limiting entrypoint per zone the gate runs in, whatever the mode: the bypass path answers in every mode.
    const zones = new Map<string, string>();
    for (const route of props.gate.routes) if (!zones.has(route.zone)) zones.set(route.zone, route.zoneId);
    const bypassPath = props.gate.bindings.BYPASS_PATH;
    this.rateLimits = bypassPath
      ? [...zones].map(
          ([zone, zoneId]) =>
            new cloudflare.Ruleset(
              gateNames.rateLimit(props.estate, zone),
              {
                zoneId,
                kind: 'zone',
                phase: 'http_ratelimit',
                name: `${props.estate} gate bypass rate limit`,
                description: 'Drawbridge: rate limit on the maintenance gate\'s staff bypass path',
                rules: [bypassRateLimitRule(bypassPath, props.plans?.get(zone) ?? 'free')],
              },
              { parent: this },
            ),
        )
      : [];
    this.registerOutputs({ scriptName: this.script.scriptName });
  }
}

export const gateRenderer = defineCloudflareRenderer({
  component: gate,
  type: GATE_TYPE,
  replaceOnChange: {
    'cloudflare:index/workersScript:WorkersScript': ['accountId', 'scriptName'],
    'cloudflare:index/workersRoute:WorkersRoute': ['zoneId'],
    'cloudflare:index/ruleset:Ruleset': ['zoneId', 'kind', 'phase'],
  },
  render({ estate, desired, gate: bundle, bypassSecret }, opts) {
    const gate = desired.gate;
    if (!gate) return {};
    // preview.ts and program.ts read the bundle whenever the estate has a gate: a caller that does not is a bug.
    if (!bundle) throw new DrawbridgeError(`estate ${estate} has a gate but no gate bundle was given; run \`npm run build:edge\` and pass its bundle`);
    const plans = new Map(desired.bots.map((b) => [b.zone, b.plan] as const));
    new GateWorker(gateNames.gate(estate), { estate, accountId: desired.accountId, gate, bundle, bypassSecret, plans }, opts);
    return { gateScriptName: gate.scriptName, routes: gate.routes.map((r) => r.pattern) };
  },
});
