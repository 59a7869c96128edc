/**
 * The Pulumi stack configuration of the Cloudflare program, checked as a whole before any resource
 * is declared. Pure: the caller hands over what `pulumi.runtime.allConfig()` returns and which keys
 * were set with `--secret`, so this module is tested with plain tables.
 *
 * Only `drawbridge:*` keys are Drawbridge's; other namespaces (`cloudflare:*`) belong to their
 * providers, except that a Cloudflare API token kept in plain text is refused too.
 */
import { closest, DrawbridgeError, show } from '../../modes/errors';
import { COLOURS, MODES } from '../../modes/schema';
import type { ModeOverrides } from '../../modes/state';

/** Namespace of every Drawbridge key (`pulumi config set drawbridge:mode maintenance`). */
export const CONFIG_NAMESPACE = 'drawbridge';

/** Every Drawbridge key, with what it does; anything else under `drawbridge:` is refused. */
export const CONFIG_KEYS = {
  estate: 'estate file, relative to the project directory (default: the estate named in cdk.json)',
  mode: `overrides the estate's committed mode for this stack (${MODES.join(', ')})`,
  live: `overrides the live colour (${COLOURS.join(', ')})`,
  target: `cutover target colour (${COLOURS.join(', ')})`,
  hardDown: 'maintenance variant that points site records at the static down page (true, false)',
  bypassSecret: 'HMAC key the gate signs staff bypass cookies with; set it with --secret',
} as const;

export type ConfigKey = keyof typeof CONFIG_KEYS;

/** Shortest bypass key accepted: 32 characters, e.g. `openssl rand -hex 32` gives 64. */
export const MIN_BYPASS_SECRET_LENGTH = 32;

/** Provider keys that hold credentials and must never sit in plain text in Pulumi.<stack>.yaml. */
export const PROVIDER_SECRET_KEYS = ['cloudflare:apiToken', 'cloudflare:apiKey', 'cloudflare:apiUserServiceKey'] as const;

export interface StackConfig {
  /** Estate file as configured, or undefined to use cdk.json's default. */
  readonly estate?: string;
  /** Mode overrides exactly as `effectiveModeState` takes them (undefined: not overridden). */
  readonly overrides: ModeOverrides;
  /** The bypass HMAC key; wrap it in `pulumi.secret` before use and never log it. */
  readonly bypassSecret: string;
}

const fullKey = (key: string) => `${CONFIG_NAMESPACE}:${key}`;

const SET_SECRET_HINT = `pulumi config set --secret ${fullKey('bypassSecret')} "$(openssl rand -hex 32)"`;

/** The known key an unknown one was probably meant to be, if any is close. */
export function closestKey(unknown: string): ConfigKey | undefined {
  return closest(unknown, Object.keys(CONFIG_KEYS) as ConfigKey[]);
}

/** A value as typed on the command line: bare when it is one printable word, else quoted. */
function asTyped(value: string): string {
  return /^[\x21-\x7e]{1,80}$/.test(value) ? value : show(value);
}

function oneOf(key: ConfigKey, value: string, allowed: readonly string[], problems: string[]): string | undefined {
  if (value === '') return undefined;
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
export function parseStackConfig(all: Readonly<Record<string, string>>, isSecret: (key: string) => boolean): StackConfig {
  const problems: string[] = [];
  const mine = new Map<string, string>();
  for (const [key, value] of Object.entries(all)) {
    const colon = key.indexOf(':');
    const namespace = key.slice(0, colon);
    const name = key.slice(colon + 1);
    if (namespace === CONFIG_NAMESPACE) {
      if (Object.hasOwn(CONFIG_KEYS, name)) {
        mine.set(name, value);
      } else {
        const near = closestKey(name);
        problems.push(
          `${key} is not a Drawbridge setting${near ? ` (did you mean ${fullKey(near)}?)` : ''}; ` +
            `allowed keys: ${Object.keys(CONFIG_KEYS).map(fullKey).join(', ')}. Remove it with \`pulumi config rm ${key}\``,
        );
      }
    } else if ((PROVIDER_SECRET_KEYS as readonly string[]).includes(key) && !isSecret(key)) {
      problems.push(`${key} is stored in plain text in Pulumi.<stack>.yaml; set it again with \`pulumi config set --secret ${key} ...\` and rotate the credential`);
    }
  }

  const get = (key: ConfigKey): string => (mine.get(key) ?? '').trim();
  const mode = oneOf('mode', get('mode'), MODES, problems);
  const live = oneOf('live', get('live'), COLOURS, problems);
  const target = oneOf('target', get('target'), COLOURS, problems);
  const hardDown = oneOf('hardDown', get('hardDown'), ['true', 'false'], problems);

  const bypassSecret = mine.get('bypassSecret') ?? '';
  if (!mine.has('bypassSecret') || bypassSecret === '') {
    problems.push(`${fullKey('bypassSecret')} is not set; the gate signs staff bypass cookies with it. Set one with \`${SET_SECRET_HINT}\``);
  } else if (!isSecret(fullKey('bypassSecret'))) {
    // Never echo the value: it is already exposed in the stack file, do not add it to logs too.
    problems.push(`${fullKey('bypassSecret')} is stored in plain text in Pulumi.<stack>.yaml; set it with \`${SET_SECRET_HINT}\` (and treat the old value as leaked)`);
  } else if (bypassSecret.length < MIN_BYPASS_SECRET_LENGTH) {
    problems.push(`${fullKey('bypassSecret')} is ${bypassSecret.length} characters; use at least ${MIN_BYPASS_SECRET_LENGTH}, e.g. \`${SET_SECRET_HINT}\``);
  }

  if (problems.length) throw new DrawbridgeError(problems);
  const estate = get('estate');
  return {
    ...(estate ? { estate } : {}),
    overrides: { mode, live, target, hardDown },
    bypassSecret,
  };
}
