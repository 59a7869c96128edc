/**
 * Comparing rendered resources between two mode states: the pure half of `drawbridge diff`.
 *
 * - `propertyChanges(old, new)`: leaf-level differences between two JSON values, with readable
 *   paths (`bindings[MAINTENANCE].text`), lists of named objects matched by name, secrets masked.
 * - `diffPulumi(before, after, replaceOn)`: per URN, added / modified / removed, and whether the
 *   change forces Pulumi to replace the resource (the Cloudflare side's table of replace-forcing
 *   inputs per resource type, stacks/cloudflare/replacement.ts).
 *
 * Pure: no engine imports, so property tests run it on generated inputs.
 */
import { looksSecret, MASK } from './secrets';

/** One rendered Pulumi resource, as the Cloudflare program's preview lists it. */
export interface PulumiResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly inputs: Readonly<Record<string, unknown>>;
}

export interface PropertyChange {
  /** e.g. `HealthCheckPath`, `bindings[MAINTENANCE].text`, `Targets[0].Arn`. */
  readonly path: string;
  /** Absent when the property is added. */
  readonly old?: unknown;
  /** Absent when the property is removed. */
  readonly new?: unknown;
}

export type ResourceAction = 'add' | 'modify' | 'remove';

export interface ResourceChange {
  /** URN (Pulumi) or logical id (CloudFormation). */
  readonly id: string;
  readonly type: string;
  readonly action: ResourceAction;
  /** The update cannot be done in place: the resource is deleted and created again. */
  readonly replacement: boolean;
  /** Properties whose change forces the replacement. */
  readonly replacedBecause?: readonly string[];
  /** In place, but with downtime or a restart (an engine upgrade, a new instance class). */
  readonly disruptiveBecause?: readonly string[];
  readonly properties: readonly PropertyChange[];
}

/**
 * In-place updates that still interrupt service: CloudFormation keeps the resource but restarts or
 * rebuilds what runs on it. Not unsafe (nothing is lost), but never part of a mode switch.
 */
export const DISRUPTIVE_IN_PLACE: Readonly<Record<string, readonly string[]>> = {
  // (Port, MultiAZ and StorageType are not here: CloudFormation may replace the instance for them, which the safety gate refuses.)
  'AWS::RDS::DBInstance': ['EngineVersion', 'DBInstanceClass', 'AllocatedStorage'],
  'AWS::ElasticBeanstalk::Environment': ['SolutionStackName', 'PlatformArn'],
  'AWS::AutoScaling::AutoScalingGroup': ['LaunchTemplate', 'VPCZoneIdentifier'],
};

/** The disruptive top-level properties among a modified resource's changed ones. */
export function disruptiveProperties(type: string, changed: readonly PropertyChange[]): string[] {
  const names = DISRUPTIVE_IN_PLACE[type] ?? [];
  return names.filter((n) => changed.some((c) => c.path === n || c.path.startsWith(`${n}.`) || c.path.startsWith(`${n}[`)));
}

/** Changes that keep their resource but interrupt service. */
export function disruptiveChanges(changes: readonly ResourceChange[]): ResourceChange[] {
  return changes.filter((c) => c.action === 'modify' && !c.replacement && (c.disruptiveBecause?.length ?? 0) > 0);
}

export { MASK };

/**
 * A copy of `value` with secret values replaced by MASK: properties whose name looks like a
 * credential, `text` of Worker bindings of type secret_text / secret_key, and Pulumi secret
 * wrappers (`{ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value }`).
 */
export function maskSecrets(value: unknown, key = ''): unknown {
  if (value === null || value === undefined) return value;
  if (typeof value !== 'object') {
    return looksSecret(key) && value !== '' && typeof value === 'string' && !/^arn:/.test(value) ? MASK : value;
  }
  if (Array.isArray(value)) return value.map((v) => maskSecrets(v, key));
  const obj = value as Record<string, unknown>;
  if (obj['4dabf18193072939515e22adb298388d'] === '1b47061264138c4ac30d75fd1eb44270') return MASK;
  const secretBinding = typeof obj.type === 'string' && /^secret/.test(obj.type);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    out[k] = secretBinding && (k === 'text' || k === 'value' || k === 'secret') && v !== undefined ? MASK : maskSecrets(v, k);
  }
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Key that identifies list elements, when every element is an object carrying it uniquely. */
function listKey(a: readonly unknown[], b: readonly unknown[]): string | undefined {
  for (const key of ['name', 'Name', 'id', 'Id', 'Key', 'pattern']) {
    const ok = (xs: readonly unknown[]) => {
      const seen = new Set<string>();
      for (const x of xs) {
        if (!isObject(x) || (typeof x[key] !== 'string' && typeof x[key] !== 'number')) return false;
        const k = String(x[key]);
        if (seen.has(k)) return false;
        seen.add(k);
      }
      return true;
    };
    if (a.length + b.length > 0 && ok(a) && ok(b)) return key;
  }
  return undefined;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/** Leaf-level differences between two JSON-like values (secrets masked), in a stable order. */
export function propertyChanges(oldValue: unknown, newValue: unknown, path = ''): PropertyChange[] {
  const a = maskSecrets(oldValue, path);
  const b = maskSecrets(newValue, path);
  const out: PropertyChange[] = [];
  walk(a, b, path, out);
  return out;
}

function walk(a: unknown, b: unknown, path: string, out: PropertyChange[]): void {
  if (same(a, b)) return;
  if (a === undefined) {
    out.push({ path: path || '(value)', new: b });
    return;
  }
  if (b === undefined) {
    out.push({ path: path || '(value)', old: a });
    return;
  }
  if (isObject(a) && isObject(b)) {
    for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) walk(a[k], b[k], join(path, k), out);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const key = listKey(a, b);
    if (key) {
      const index = (xs: readonly unknown[]) => new Map(xs.map((x) => [String((x as Record<string, unknown>)[key]), x]));
      const ia = index(a);
      const ib = index(b);
      const before = out.length;
      for (const k of [...new Set([...ia.keys(), ...ib.keys()])]) walk(ia.get(k), ib.get(k), `${path}[${k}]`, out);
      // Same elements in another order: say so, since order can matter (rule priorities, actions).
      if (out.length === before) out.push({ path: `${path || '(value)'} order`, old: [...ia.keys()], new: [...ib.keys()] });
      return;
    }
    if (a.length === b.length) {
      a.forEach((x, i) => walk(x, b[i], `${path}[${i}]`, out));
      return;
    }
  }
  out.push({ path: path || '(value)', old: a, new: b });
}

/** Type token -> inputs whose change replaces the resource (the engine side owns the table). */
export type ReplaceTable = Readonly<Record<string, readonly string[]>>;

/** Which of the changed top-level inputs force a replacement of a resource of `type`. */
export function replaceForcing(type: string, changed: readonly PropertyChange[], table: ReplaceTable): string[] {
  const keys = table[type] ?? [];
  const top = new Set(changed.map((c) => c.path.split(/[.[]/)[0] as string));
  return keys.filter((k) => top.has(k));
}

/**
 * The changes between two renderings of the Pulumi program, one entry per changed URN. A URN on
 * one side only is an add or a remove; `replaceOn` names the inputs that force a replacement.
 */
export function diffPulumi(before: readonly PulumiResource[], after: readonly PulumiResource[], replaceOn: ReplaceTable): ResourceChange[] {
  const a = new Map(before.map((r) => [r.urn, r]));
  const b = new Map(after.map((r) => [r.urn, r]));
  const out: ResourceChange[] = [];
  for (const [urn, x] of a) {
    const y = b.get(urn);
    if (!y) {
      out.push({ id: urn, type: x.type, action: 'remove', replacement: false, properties: propertyChanges(x.inputs, undefined).length ? [{ path: '(resource)', old: maskSecrets(x.inputs) }] : [] });
      continue;
    }
    const properties = propertyChanges(x.inputs, y.inputs);
    if (properties.length === 0) continue;
    const because = replaceForcing(y.type, properties, replaceOn);
    out.push({ id: urn, type: y.type, action: 'modify', replacement: because.length > 0, ...(because.length ? { replacedBecause: because } : {}), properties });
  }
  for (const [urn, y] of b) {
    if (!a.has(urn)) out.push({ id: urn, type: y.type, action: 'add', replacement: false, properties: [{ path: '(resource)', new: maskSecrets(y.inputs) }] });
  }
  return out;
}

/** The changes that make a move unsafe: replacements and removals. */
export function unsafeChanges(changes: readonly ResourceChange[]): ResourceChange[] {
  return changes.filter((c) => c.replacement || c.action === 'remove');
}

function show(v: unknown): string {
  if (v === undefined) return '(none)';
  const text = JSON.stringify(v);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/** Pulumi-preview-like text of the changes: `~ type name`, then `path: old => new` per property. */
export function formatPulumiChanges(changes: readonly ResourceChange[], paint: Paint = plain): string {
  if (changes.length === 0) return 'There were no differences\n';
  const lines: string[] = [];
  const sign = (c: ResourceChange) => (c.replacement ? '+-' : c.action === 'add' ? '+' : c.action === 'remove' ? '-' : '~');
  const colour = (c: ResourceChange) => (c.replacement || c.action === 'remove' ? paint.red : c.action === 'add' ? paint.green : paint.yellow);
  for (const c of changes) {
    const name = c.id.split('::').pop() ?? c.id;
    const verb = c.replacement ? `replace (${c.replacedBecause?.join(', ')} changed)` : c.action === 'add' ? 'create' : c.action === 'remove' ? 'delete' : 'update';
    lines.push(colour(c)(`${sign(c).padEnd(2)} ${c.type} ${name} ${verb}`), paint.dim(`   ${c.id}`));
    for (const p of c.properties) {
      if (p.path === '(resource)') continue;
      const forced = c.replacedBecause?.includes(p.path.split(/[.[]/)[0] as string) ? paint.red(' (forces replacement)') : '';
      lines.push(`     ${p.path}: ${paint.red(show(p.old))} => ${paint.green(show(p.new))}${forced}`);
    }
  }
  const count = (f: (c: ResourceChange) => boolean) => changes.filter(f).length;
  const parts = [
    [count((c) => c.action === 'add'), 'to create'],
    [count((c) => c.action === 'modify' && !c.replacement), 'to update'],
    [count((c) => c.replacement), 'to replace'],
    [count((c) => c.action === 'remove'), 'to delete'],
  ].filter(([n]) => (n as number) > 0);
  lines.push('', `Resources: ${parts.map(([n, w]) => `${n} ${w}`).join(', ')}`);
  return `${lines.join('\n')}\n`;
}

/** Colouring functions; `plain` leaves text as it is. */
export interface Paint {
  readonly red: (s: string) => string;
  readonly green: (s: string) => string;
  readonly yellow: (s: string) => string;
  readonly dim: (s: string) => string;
  readonly bold: (s: string) => string;
}

const id = (s: string) => s;
export const plain: Paint = { red: id, green: id, yellow: id, dim: id, bold: id };

export const ansi: Paint = {
  red: (s) => `\u001b[31m${s}\u001b[39m`,
  green: (s) => `\u001b[32m${s}\u001b[39m`,
  yellow: (s) => `\u001b[33m${s}\u001b[39m`,
  dim: (s) => `\u001b[2m${s}\u001b[22m`,
  bold: (s) => `\u001b[1m${s}\u001b[22m`,
};
