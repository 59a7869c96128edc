/**
 * The engines that render a desired state, stated once as data: which provider each one deploys,
 * its deploy command, how an emergency override reaches it (CDK context for one run, Pulumi config
 * for one stack) and the keys it accepts. Read by the plan, the CDK app (`bin/cdk.ts`) and the
 * Pulumi config parser (`stacks/cloudflare/config.ts`).
 *
 * A provider is where resources live (AWS, Cloudflare); an engine is the tool that deploys them
 * (CDK, Pulumi). Today each provider has one engine; a third engine is one more entry here.
 *
 * Pure: no I/O, no engine imports.
 */
import type { ModeState } from './fields';

export const PROVIDERS = ['aws', 'cloudflare'] as const;
/** Where resources live. */
export type Provider = (typeof PROVIDERS)[number];

/** The tool that deploys a provider's resources. */
export type EngineName = 'cdk' | 'pulumi';

/** Mode-state keys an emergency override may set: for one run (CDK context) or one stack (Pulumi config). */
export const OVERRIDE_KEYS = ['mode', 'live', 'target', 'hardDown', 'stage'] as const;
export type OverrideKey = (typeof OVERRIDE_KEYS)[number];

/** `--context` keys the CDK app reads; a near miss of one of them is refused. */
export const CDK_CONTEXT_KEYS = ['estate', ...OVERRIDE_KEYS] as const;

/** Namespace of every Drawbridge key on a Pulumi stack (`pulumi config set drawbridge:mode maintenance`). */
export const PULUMI_NAMESPACE = 'drawbridge';

/** Where one deploy goes: the estate file as the operator names it, and the Pulumi stack. */
export interface DeployTarget {
  readonly estateFile: string;
  /** The estate is the one cdk.json names: the engines need not be told which estate. */
  readonly isDefaultEstate: boolean;
  /** Pulumi stack of the Cloudflare program. */
  readonly stack: string;
}

export interface EngineSpec {
  readonly name: EngineName;
  readonly provider: Provider;
  /** e.g. "AWS (CDK)". */
  readonly label: string;
  /** e.g. "AWS". */
  readonly providerLabel: string;
  /** Minutes a deploy of a few resources takes, before what its changes add. */
  readonly baseDeployMinutes: number;
  /** The deploy of the committed estate. */
  deployCommand(target: DeployTarget): string;
  /** The same deploy giving exactly `to`, without committing it first (an emergency). */
  overrideCommand(target: DeployTarget, to: ModeState): string;
  /** What ends an override that outlives its run (Pulumi config stays on the stack). */
  overrideCleanup?(target: DeployTarget): string;
}

/**
 * Override values that give exactly `to` whatever was set or committed before: mode, live and
 * hardDown always (a maintenance override would otherwise keep a committed hard-down), target for a
 * cutover, stage for a stage. A key left undefined must be removed (a stale target refuses any other
 * mode, a stale stage holds a move half-way).
 */
export function overrideValues(to: ModeState): Record<OverrideKey, string | undefined> {
  return { mode: to.mode, live: to.live, target: to.mode === 'cutover' ? to.target : undefined, hardDown: to.hardDown ? 'true' : 'false', stage: to.stage };
}

function setKeys(to: ModeState): { set: OverrideKey[]; unset: OverrideKey[]; values: Record<OverrideKey, string | undefined> } {
  const values = overrideValues(to);
  return { values, set: OVERRIDE_KEYS.filter((k) => values[k] !== undefined), unset: OVERRIDE_KEYS.filter((k) => values[k] === undefined) };
}

const cdkEstateArg = (t: DeployTarget) => (t.isDefaultEstate ? '' : ` --context estate=${t.estateFile}`);
const pulumiEstateArg = (t: DeployTarget) => (t.isDefaultEstate ? '' : ` --config drawbridge:estate=${t.estateFile}`);

export const CDK: EngineSpec = {
  name: 'cdk',
  provider: 'aws',
  label: 'AWS (CDK)',
  providerLabel: 'AWS',
  baseDeployMinutes: 2,
  deployCommand: (t) => `npx cdk deploy --all${cdkEstateArg(t)}`,
  // CDK context lasts one run: nothing from an earlier override can linger.
  overrideCommand: (t, to) => {
    const { set, values } = setKeys(to);
    return `npx cdk deploy --all${cdkEstateArg(t)} ${set.map((k) => `--context ${k}=${values[k]}`).join(' ')}`;
  },
};

/** The command that ends a Pulumi override: the stack follows the estate file's `state:` again. */
export function pulumiOverrideCleanup(stack: string): string {
  return `pulumi config rm-all ${OVERRIDE_KEYS.map((k) => `${PULUMI_NAMESPACE}:${k}`).join(' ')} --stack ${stack}`;
}

export const PULUMI: EngineSpec = {
  name: 'pulumi',
  provider: 'cloudflare',
  label: 'Cloudflare (Pulumi)',
  providerLabel: 'Cloudflare',
  baseDeployMinutes: 2,
  deployCommand: (t) => `pulumi up --stack ${t.stack}${pulumiEstateArg(t)}`,
  // Pulumi config stays on the stack: set every key, and remove the ones this state must not have.
  overrideCommand: (t, to) => {
    const { set, unset, values } = setKeys(to);
    return [
      `pulumi config set-all ${set.map((k) => `--plaintext ${PULUMI_NAMESPACE}:${k}=${values[k]}`).join(' ')} --stack ${t.stack}`,
      ...(unset.length ? [`pulumi config rm-all ${unset.map((k) => `${PULUMI_NAMESPACE}:${k}`).join(' ')} --stack ${t.stack}`] : []),
      PULUMI.deployCommand(t),
    ].join(' && ');
  },
  overrideCleanup: (t) => pulumiOverrideCleanup(t.stack),
};

/** The engine that deploys each provider. */
export const ENGINES: Readonly<Record<Provider, EngineSpec>> = { aws: CDK, cloudflare: PULUMI };
