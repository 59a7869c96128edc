/**
 * The component contract. Each kind of component (target groups, jobs, the gate, DNS records, ...)
 * is one module under `modes/components/` that holds, for its part of the estate:
 *
 * - `schema`: its zod fragment, at `aws.<key>` or `cloudflare.<key>` in the estate file;
 * - `rules`: its cross-field rules, named pure functions of its spec and the estate's facts;
 * - `resolve`: its desired value in one mode state;
 * - `describe`: what a move changes on one of its items, as structured `Change` records;
 * - `identity`: what must be the same in every mode (what would replace the resource);
 * - optionally `checks` (problems only a resolved state shows), `invariants`, `capacity` (which
 *   colours run), `colours` (which colours the estate has parts for), `shows` (what the public sees,
 *   when this component decides it) and `verify` (what a person checks after the deploy that
 *   changes it).
 *
 * The registry (`registry.ts`) lists them in estate order; the schema, resolve, the invariants, the
 * plan and the property tests loop over it. Components never import the estate schema: what they
 * may know of the rest of the estate comes in `EstateFacts` (resolve) and `RuleFacts` (rules).
 */
import type { z } from 'zod';
import type { DesiredAws, DesiredCloudflare, DesiredState, RecordValue } from './desired';
import type { Provider } from './engines';
import type { Brand, ColourName, ModeState, RecordTargetSpec, Window } from './fields';
import type { ModeTable, MovePolicy } from './mode-table';

/** What the public sees of the site in a state. */
export type PublicView = 'open' | 'read-only' | 'down';

/** What a change does, for the plan's order, timings and words. */
export type Effect =
  /** Customers are sent somewhere else: a DNS target, listener weights, a Worker route. */
  | 'moves-traffic'
  /** Something scheduled stops or starts running. */
  | 'stops-work'
  | 'starts-work'
  /** A firewall rule stops or starts letting a source in (opening one needs approval in `cdk deploy`). */
  | 'closes-access'
  | 'opens-access'
  /** Capacity (min/max) changes: instances start or stop. */
  | 'scales'
  /** Application settings change: the platform restarts the application (a rolling update). */
  | 'rolling-update'
  /** A flag the application or the gate reads changes. */
  | 'flips-flag'
  /** A stateful resource (a database) is created. */
  | 'creates-stateful'
  /** The public is held: the maintenance page or read-only goes up, a site record moves to the down page. */
  | 'holds-public'
  /** The public is let back in. */
  | 'releases-public'
  /** The resource is replaced (deleted and created again). */
  | 'replaces';

export type ChangeAction = 'add' | 'remove' | 'modify';

/** One change to one item of one component, structured; `text` says it once, for people. */
export interface Change {
  readonly provider: Provider;
  /** The component's kind, e.g. `targetGroup`. */
  readonly component: string;
  /** The item's estate id (`listener`, `gate`, a zone id ... for items that have none of their own). */
  readonly id: string;
  /** How people know the item: its physical name. */
  readonly name: string;
  readonly action: ChangeAction;
  /** What changed on a modified item, e.g. `healthPath`, `enabled`, `weights`. */
  readonly field?: string;
  /** The value before and after, safe to show (credentials are masked). */
  readonly from?: unknown;
  readonly to?: unknown;
  readonly effects: readonly Effect[];
  /** Clients see the change only after this many seconds: the old TTL of a DNS record that moves. */
  readonly waitSeconds?: number;
  /** The change in one sentence. */
  readonly text: string;
}

/** An item of a component in a desired state. */
export interface Item {
  readonly id: string;
}

/** The desired part of one provider. */
export type DesiredPart<P extends Provider> = P extends 'aws' ? DesiredAws : DesiredCloudflare;

/** What a component may know of the rest of the estate when it resolves (built by resolve.ts). */
export interface EstateFacts {
  readonly name: string;
  readonly window?: Window;
  readonly brand: Brand;
  readonly siteHealthPath: string;
  readonly region?: string;
  /** The VPC's private subnets (Auto Scaling groups default to them). */
  readonly privateSubnetIds: readonly string[];
  /** Every target group's colour and health paths (the listener weights by colour; the gate passes health paths). */
  readonly targetGroups: readonly { readonly id: string; readonly colour?: ColourName; readonly healthPath: string; readonly maintenanceHealthPath: string }[];
  /** Cloudflare zones by estate zone id. */
  readonly zones: ReadonlyMap<string, { readonly zoneId: string; readonly name: string; readonly plan: 'free' | 'pro' | 'business' | 'enterprise' }>;
  /** `<project>.pages.dev` of the down page, when the estate has one. */
  readonly downPageDomain?: string;
  /** Cloudflare records that move to the down page in a hard-down. */
  readonly hardDownRecords: readonly { readonly id: string; readonly name: string }[];
  /** What a record target points at in this state; `at` names the record in messages. */
  recordTarget(target: RecordTargetSpec, at: string): RecordValue;
  /** How the estate's cutovers go (freeze, where staff test). */
  readonly policy: MovePolicy;
  /** The estate has a Cloudflare gate in front: it, not the application, holds the public. */
  readonly hasGate: boolean;
  /**
   * The databases (aws.databases) and whether each exists in this state: one waiting to be restored
   * (restored: false) exists only from the restore stage of the cutover to its colour (Beanstalk
   * variables that refer to it take their `otherwise` value until then).
   */
  readonly databases?: readonly { readonly id: string; readonly identifier: string; readonly colour: ColourName; readonly exists: boolean }[];
}

export interface ResolveContext {
  readonly state: ModeState;
  readonly facts: EstateFacts;
  /** What each colour's parts do in `state` (mode-table.ts): ask it, never decide a mode here. */
  readonly table: ModeTable;
}

/** What a component's rules may know of the rest of the estate (built by schema.ts). */
export interface RuleFacts {
  readonly targetGroups: readonly { readonly id: string; readonly colour?: ColourName }[];
  readonly hasLoadBalancer: boolean;
  readonly hasBeanstalk: boolean;
  /** The site's health path and every target group's health and maintenance health paths. */
  readonly healthPaths?: readonly string[];
  /** Cloudflare zone names by estate zone id. */
  readonly zones: ReadonlyMap<string, string>;
  readonly hasDownPage: boolean;
  /** aws.account and aws.region: where every ARN the estate names must be. */
  readonly account?: string;
  readonly region?: string;
  /** The databases (aws.databases); `pending` when one waits to be restored (restored: false). */
  readonly databases?: readonly { readonly id: string; readonly colour: ColourName; readonly pending: boolean }[];
  /** Ids of the Beanstalk applications (aws.beanstalk as a list) a record target may name. */
  readonly beanstalkApplications?: readonly string[];
}

export type RelativePath = readonly (string | number)[];

/** What a rule is handed besides its spec. */
export interface RuleContext {
  readonly facts: RuleFacts;
  /** Reports one problem at `path`, relative to the component's spec. */
  report(path: RelativePath, message: string): void;
  /** How the place at `path` (relative to the spec) is named in messages, e.g. `aws.targetGroups[0]`. */
  where(path: RelativePath): string;
}

/** A cross-field rule: a pure function of the component's spec and the estate's facts. */
export type Rule<S> = (spec: S, ctx: RuleContext) => void;

/** What a person (or a script) verifies after a step. */
export interface Check {
  /** In words, e.g. "the maintenance page answers". */
  readonly what: string;
  readonly method?: 'GET' | 'POST';
  readonly url?: string;
  /** Expected HTTP status. */
  readonly expect?: number;
  /** A shell command to run instead of a request ... */
  readonly command?: string;
  /** ... and the output it should print. */
  readonly output?: string;
  /**
   * Where to run it from, when that matters: a check of what the gate answers customers gives a
   * false result from a staff network (allow-listed addresses and the bypass cookie get through).
   */
  readonly from?: string;
}

/** What `verify` may use to write its checks. */
export interface VerifyContext {
  readonly to: ModeState;
  /** A URL on the site (optionally on another host of it). */
  url(path: string, host?: string): string;
  readonly siteHealthPath: string;
  /** ` --region <region>` for aws commands, or ''. */
  readonly regionArg: string;
  /** The Pulumi stack of the Cloudflare program (for `pulumi stack output --stack`). */
  readonly stack: string;
}

export interface Component<K extends string = string, S extends z.ZodType = z.ZodType, P extends Provider = Provider, I extends Item = Item> {
  /** e.g. `targetGroup`; names the component in change records. */
  readonly kind: string;
  readonly provider: P;
  /** Its key in the estate's provider part: `aws.<key>` or `cloudflare.<key>`. */
  readonly key: K;
  readonly schema: S;
  readonly rules?: readonly Rule<z.output<S>>[];
  /**
   * Whether this spec needs `aws.vpc`, and the words for it ("target groups"); `publicSubnets` and
   * why, when it puts something internet-facing in the VPC (a load balancer).
   */
  readonly needsVpc?: { readonly what: string; readonly when: (spec: z.output<S>) => boolean; readonly publicSubnets?: string };
  /** Colours the estate has parts for in this spec. */
  colours?(spec: z.output<S>): Iterable<ColourName>;
  /** The desired value in one mode state: the keys it sets in the provider's desired part. */
  resolve(spec: z.output<S>, ctx: ResolveContext): Partial<DesiredPart<P>>;
  /** Its items in a desired part (what describe compares, id by id). */
  items(part: DesiredPart<P>): readonly I[];
  /** The changes of one item between two states; `before` or `after` is undefined for an add or a remove. */
  describe(before: I | undefined, after: I | undefined, ctx: { readonly before: DesiredPart<P>; readonly after: DesiredPart<P> }): Change[];
  /** What identifies an item: the same in every mode, or the resource would be replaced. */
  identity(item: I): unknown;
  /** Capacity an item gives its colour (a colour runs when some of its capacity has min >= 1). */
  capacity?(item: I): { readonly colour?: ColourName; readonly min: number } | undefined;
  /** Problems only a resolved state shows, each naming the estate field, the value and what to do. */
  checks?(part: DesiredPart<P>, desired: DesiredState): string[];
  /** Rules every desired state keeps, as sentences; `running` says whether a colour has capacity. */
  invariants?(part: DesiredPart<P>, running: (colour: ColourName) => boolean): string[];
  /**
   * What the public sees, when this component decides it (the gate, the application's own page):
   * the first component of the registry that answers wins.
   */
  shows?(part: DesiredPart<P>, desired: DesiredState): PublicView | undefined;
  /** What to check after the deploy that moves `before` to `after`. */
  verify?(before: DesiredPart<P> | undefined, after: DesiredPart<P>, ctx: VerifyContext): Check[];
}

/** A component with its types inferred from the definition. */
export function defineComponent<K extends string, S extends z.ZodType, P extends Provider, I extends Item>(c: Component<K, S, P, I>): Component<K, S, P, I> {
  return c;
}

/** Items of two states matched by id, in the order they first appear (before's, then after's new ones). */
export function pairById<T extends Item>(a: readonly T[], b: readonly T[]): { id: string; before?: T; after?: T }[] {
  const ids = [...new Set([...a.map((x) => x.id), ...b.map((x) => x.id)])];
  return ids.map((id) => {
    const before = a.find((x) => x.id === id);
    const after = b.find((x) => x.id === id);
    return { id, ...(before ? { before } : {}), ...(after ? { after } : {}) };
  });
}

/** A change record builder bound to one component and item. */
export function changeOf(component: { readonly kind: string; readonly provider: Provider }, id: string, name: string) {
  return (action: ChangeAction, text: string, more: Partial<Pick<Change, 'field' | 'from' | 'to' | 'effects' | 'waitSeconds'>> = {}): Change => ({
    provider: component.provider,
    component: component.kind,
    id,
    name,
    action,
    ...(more.field !== undefined ? { field: more.field } : {}),
    ...('from' in more ? { from: more.from } : {}),
    ...('to' in more ? { to: more.to } : {}),
    effects: more.effects ?? [],
    ...(more.waitSeconds !== undefined ? { waitSeconds: more.waitSeconds } : {}),
    text,
  });
}

/**
 * Reports each value of `values` that an earlier one equals: at `at(i)`, saying `message(value, first)`
 * where `first` is the index of the earlier one.
 */
export function uniqueValues<V>(values: readonly V[], ctx: RuleContext, at: (i: number) => RelativePath, message: (value: V, first: number) => string): void {
  const seen = new Map<V, number>();
  values.forEach((value, i) => {
    const first = seen.get(value);
    if (first !== undefined) {
      ctx.report(at(i), message(value, first));
    } else {
      seen.set(value, i);
    }
  });
}

/** Reports duplicate values of `key` among `items` (at `[...at, i, key]`). */
export function unique<T extends object>(items: readonly T[], key: keyof T & string, ctx: RuleContext, at: RelativePath = []): void {
  uniqueValues(
    items.map((item) => item[key]),
    ctx,
    (i) => [...at, i, key],
    (value, first) => `duplicate ${key} '${String(value)}' (already used at ${ctx.where([...at, first])}); each ${key} must be unique`,
  );
}

/** A rule named `name` that reports duplicates of each of `keys` among a list of items. */
export function uniqueBy<T extends object>(name: string, ...keys: (keyof T & string)[]): Rule<readonly T[]> {
  const rule: Rule<readonly T[]> = (items, ctx) => keys.forEach((key) => unique(items, key, ctx));
  return Object.defineProperty(rule, 'name', { value: name });
}

/** The colours named by a list of items that may each have one (`colours` of most components). */
export function coloursOf(items: readonly { readonly colour?: ColourName | undefined }[]): ColourName[] {
  return items.flatMap((x) => (x.colour ? [x.colour] : []));
}

/** Reports references to ids that do not exist (at `[...at, i]`). */
export function references(known: ReadonlySet<string>, kind: string, values: readonly string[], at: RelativePath, ctx: RuleContext): void {
  values.forEach((value, i) => {
    if (!known.has(value)) ctx.report([...at, i], `unknown ${kind} '${value}'; allowed: ${[...known].join(', ') || '(none declared)'}`);
  });
}
