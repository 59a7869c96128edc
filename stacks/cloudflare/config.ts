/**
 * The Pulumi stack configuration of the Cloudflare program, checked as a whole before any resource
 * is declared. Pure: the caller hands over what `pulumi.runtime.allConfig()` returns and which keys
 * were set with `--secret`, so this module is tested with plain tables.
 *
 * Only `drawbridge:*` keys are Drawbridge's; other namespaces (`cloudflare:*`) belong to their
 * providers, except that a Cloudflare API token kept in plain text is refused too.
 */
import { OVERRIDE_KEYS, PULUMI_NAMESPACE, type OverrideKey } from '../../modes/engines';
import { typedWord } from '../../modes/echo';
import { closest, DrawbridgeError } from '../../modes/errors';
import { bypassSecretWeakness, MIN_BYPASS_SECRET_LENGTH } from '../../modes/gate-contract';
import { COLOURS, MODES, STAGES } from '../../modes/schema';
import type { ModeOverrides } from '../../modes/state';

/** The emergency overrides (modes/engines.ts OVERRIDE_KEYS): the values each allows and what it does. */
const OVERRIDES: { readonly [K in OverrideKey]: { readonly allowed: readonly string[]; readonly does: string } } = {
  mode: { allowed: MODES, does: "overrides the estate's committed mode for this stack" },
  live: { allowed: COLOURS, does: 'overrides the live colour' },
  target: { allowed: COLOURS, does: 'cutover target colour' },
  hardDown: { allowed: ['true', 'false'], does: 'maintenance variant that points site records at the static down page' },
  stage: { allowed: STAGES, does: 'a stage of a move in progress (drawbridge plan lists them)' },
};

const overrideDescriptions = Object.fromEntries(OVERRIDE_KEYS.map((k) => [k, `${OVERRIDES[k].does} (${OVERRIDES[k].allowed.join(', ')})`])) as Record<OverrideKey, string>;

/** Every Drawbridge key, with what it does; anything else under `drawbridge:` is refused. */
export const CONFIG_KEYS: Readonly<Record<'estate' | OverrideKey | 'bypassSecret', string>> = {
  estate: 'estate file, relative to the project directory (default: the estate named in cdk.json)',
  ...overrideDescriptions,
  bypassSecret: 'HMAC key the gate signs staff bypass cookies with; set it with --secret',
};

export type ConfigKey = keyof typeof CONFIG_KEYS;

/** Provider keys that hold credentials and must never sit in plain text in Pulumi.<stack>.yaml. */
export const PROVIDER_SECRET_KEYS = ['cloudflare:apiToken', 'cloudflare:apiKey', 'cloudflare:apiUserServiceKey', 'datadog:apiKey', 'datadog:appKey', 'pagerduty:token'] as const;

export interface StackConfig {
  /** Estate file as configured, or undefined to use cdk.json's default. */
  readonly estate?: string;
  /** Mode overrides exactly as `effectiveModeState` takes them (undefined: not overridden). */
  readonly overrides: ModeOverrides;
  /** The bypass HMAC key; wrap it in `pulumi.secret` before use and never log it. */
  readonly bypassSecret: string;
}

/** `drawbridge:<key>`: the namespace is modes/engines.ts's, the one the plan's commands use. */
const fullKey = (key: string) => `${PULUMI_NAMESPACE}:${key}`;

const SET_SECRET_HINT = `pulumi config set --secret ${fullKey('bypassSecret')} "$(openssl rand -hex 32)"`;

/** The problem of a stack with a gate and no bypass key. */
export function missingBypassSecret(): string {
  return `${fullKey('bypassSecret')} is not set; the gate signs staff bypass cookies with it. Set one with \`${SET_SECRET_HINT}\``;
}

/** The known key an unknown one was probably meant to be, if any is close. */
export function closestKey(unknown: string): ConfigKey | undefined {
  return closest(unknown, Object.keys(CONFIG_KEYS) as ConfigKey[]);
}

/** A value as typed on the command line: bare when it is one printable word, else quoted (a long one cut, with its length). */
const asTyped = typedWord;

const ALLOWED_KEYS = () => `allowed keys: ${Object.keys(CONFIG_KEYS).map(fullKey).join(', ')}`;

function oneOf(key: ConfigKey, value: string | undefined, allowed: readonly string[], problems: string[]): string | undefined {
  if (value === undefined) return undefined;
  if (value === '') {
    // `pulumi config set drawbridge:mode ""` would otherwise deploy the committed mode without a word.
    problems.push(`${fullKey(key)} is empty; allowed values: ${allowed.join(', ')} (\`pulumi config set ${fullKey(key)} <value>\`, or \`pulumi config rm ${fullKey(key)}\` to follow the estate)`);
    return undefined;
  }
  if (allowed.includes(value)) return value;
  problems.push(
    `${fullKey(key)}=${asTyped(value)} is not allowed; allowed values: ${allowed.join(', ')} ` +
      `(\`pulumi config set ${fullKey(key)} <value>\`, or \`pulumi config rm ${fullKey(key)}\` to follow the estate)`,
  );
  return undefined;
}

/**
 * Checks the whole stack configuration and returns it, or throws one DrawbridgeError listing every
 * problem (each naming the key, the value and what is allowed).
 *
 * @param all what `pulumi.runtime.allConfig()` returns (`namespace:key` -> string value)
 * @param isSecret whether a key was set with `pulumi config set --secret`
 */
export function parseStackConfig(all: Readonly<Record<string, string>>, isSecret: (key: string) => boolean, options: { readonly requireBypassSecret?: boolean } = {}): StackConfig {
  const problems: string[] = [];
  const mine = new Map<string, string>();
  for (const [key, value] of Object.entries(all)) {
    const colon = key.indexOf(':');
    const namespace = key.slice(0, colon);
    const name = key.slice(colon + 1);
    if (namespace !== PULUMI_NAMESPACE && closest(namespace, [PULUMI_NAMESPACE])) {
      // Drawbridge:mode, drawbrige:mode: Pulumi keeps them apart from drawbridge:mode, and the program would never read them.
      const near = Object.hasOwn(CONFIG_KEYS, name) ? name : closestKey(name);
      problems.push(
        `${typedWord(key)} is not a Drawbridge setting: the namespace is ${PULUMI_NAMESPACE} (lower case)${near ? ` (did you mean ${fullKey(near)}?)` : ''}; ` +
          `${ALLOWED_KEYS()}. Remove it with \`pulumi config rm ${typedWord(key)}\``,
      );
      continue;
    }
    if (namespace === PULUMI_NAMESPACE) {
      if (Object.hasOwn(CONFIG_KEYS, name)) {
        mine.set(name, value);
      } else {
        const near = closestKey(name);
        problems.push(
          `${typedWord(key)} is not a Drawbridge setting${near ? ` (did you mean ${fullKey(near)}?)` : ''}; ` +
            `${ALLOWED_KEYS()}. Remove it with \`pulumi config rm ${typedWord(key)}\``,
        );
      }
    } else if ((PROVIDER_SECRET_KEYS as readonly string[]).includes(key) && !isSecret(key)) {
      problems.push(`${key} is stored in plain text in Pulumi.<stack>.yaml; set it again with \`pulumi config set --secret ${key} ...\` and rotate the credential`);
    }
  }

  const get = (key: ConfigKey): string | undefined => mine.get(key)?.trim();
  const overrides: ModeOverrides = Object.fromEntries(OVERRIDE_KEYS.map((k) => [k, oneOf(k, get(k), OVERRIDES[k].allowed, problems)]));
  if (get('estate') === '') {
    problems.push(`${fullKey('estate')} is empty; set a file with \`pulumi config set ${fullKey('estate')} FILE\`, or \`pulumi config rm ${fullKey('estate')}\` for the estate cdk.json names`);
  }

  const bypassSecret = mine.get('bypassSecret') ?? '';
  if (!mine.has('bypassSecret') || bypassSecret === '') {
    if (options.requireBypassSecret ?? true) problems.push(missingBypassSecret());
  } else if (!isSecret(fullKey('bypassSecret'))) {
    // Never echo the value: it is already exposed in the stack file, do not add it to logs too.
    problems.push(`${fullKey('bypassSecret')} is stored in plain text in Pulumi.<stack>.yaml; set it with \`${SET_SECRET_HINT}\` (and treat the old value as leaked)`);
  } else if (bypassSecret.length < MIN_BYPASS_SECRET_LENGTH) {
    // The shortest key the gate accepts (modes/gate-contract.ts): `openssl rand -hex 32` gives 64 characters.
    problems.push(`${fullKey('bypassSecret')} is ${bypassSecret.length} characters; use at least ${MIN_BYPASS_SECRET_LENGTH}, e.g. \`${SET_SECRET_HINT}\``);
  } else {
    // The same test the gate and bypass-link apply, so a key the gate would refuse never deploys.
    const weak = bypassSecretWeakness(bypassSecret);
    if (weak) problems.push(`${fullKey('bypassSecret')} ${weak.reason}; set a random one with \`${SET_SECRET_HINT}\``);
  }

  if (problems.length) throw new DrawbridgeError(problems);
  const estate = get('estate');
  return {
    ...(estate ? { estate } : {}),
    overrides,
    bypassSecret,
  };
}
