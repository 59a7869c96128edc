/**
 * The application's own Workers (runbook 000: MAINTENANCE on "web" and "web-services", the
 * completion times on "web"). Cloudflare has no resource that sets one variable on a Worker without
 * uploading its code, and Drawbridge must never own the application's code, so the flags live in a
 * Workers KV namespace Drawbridge owns: one key per Worker and flag, `<scriptName>/<KEY>`. Each
 * Worker binds the namespace once and reads its keys.
 *
 * The flags are what the public sees (the mode table's `gate()`), switching with the page unless a
 * Worker's `timing` says otherwise; the completion times are the window's end in each zone, set in
 * every mode while a window is declared (runbook 000 sets them the day before). The namespace and
 * the key names are the same in every mode: a mode switch only writes values.
 */
import { z } from 'zod';
import { changeOf, defineComponent, unique, type Change, type Check, type RelativePath, type RuleContext } from '../../component';
import { on } from '../../colours';
import type { DesiredAppWorker, DesiredAppWorkerKey, DesiredAppWorkers } from '../../desired';
import { show } from '../../errors';
import { id, timeZone, TimingSchema, type Window } from '../../fields';
import { WITH_PAGE, type ModeTable } from '../../mode-table';
import { showValue } from '../../secrets';
import { formatInZone } from '../../time';
import { publicEffects, workerName } from './gate';

/** The stack output holding the namespace's id (what each Worker binds). */
export const APP_WORKERS_NAMESPACE_OUTPUT = 'appWorkersNamespaceId' as const;

const key = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, 'must be a variable name: letters, digits and _, not starting with a digit (at most 64)');

const AppWorker = z.strictObject({
  id,
  scriptName: workerName.describe(
    "The application's Worker, by its script name. Drawbridge never uploads or edits its code: bind the namespace in it once and read `<scriptName>/<KEY>` for each key below.",
  ),
  zone: id.optional().describe('Zone in cloudflare.zones whose traffic the Worker serves (for the reader; `check` refuses an unknown one).'),
  maintenance: key
    .optional()
    .describe('Key holding "1" while the public sees the maintenance page and "0" otherwise, e.g. MAINTENANCE: read it as `await env.DRAWBRIDGE.get("web/MAINTENANCE") === "1"`.'),
  readOnly: key.optional().describe('Key holding "1" while writes are refused (a cutover\'s source frozen read-only) and "0" otherwise, e.g. READ_ONLY.'),
  completionTimes: z
    .record(key, timeZone)
    .default({})
    .describe('Key -> IANA time zone, e.g. { COMPLETION_TIME_UK: Europe/London }: each key holds the window\'s end in that zone ("Sun 17 Mar 2030, 09:00 GMT"), and "" without a window.'),
  timing: TimingSchema.optional().describe('When the flags switch entering and leaving maintenance (default: with the page).'),
});

const AppWorkers = z
  .strictObject({
    namespace: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9 _.-]{0,99}$/, 'must be a KV namespace title: letters, digits, spaces, _ . - (at most 100)')
      .describe(
        'Title of the Workers KV namespace Drawbridge creates and owns. Bind it in each Worker once (wrangler: [[kv_namespaces]] binding = "DRAWBRIDGE", id = the stack output appWorkersNamespaceId); Drawbridge only writes its keys.',
      ),
    workers: z.array(AppWorker).min(1),
  })
  .optional()
  .describe(
    "The application's own Workers and the flags they read during a move, kept in a KV namespace Drawbridge owns (Cloudflare cannot set one variable on a Worker without uploading its code).",
  );

type AppWorkerSpec = z.output<typeof AppWorker>;
type AppWorkersSpec = NonNullable<z.output<typeof AppWorkers>>;

/** The keys a Worker declares: [field path in the spec, key], in the order the stack writes them. */
function declaredKeys(w: AppWorkerSpec): [RelativePath, string][] {
  return [
    ...(w.maintenance ? [[['maintenance'], w.maintenance] as [RelativePath, string]] : []),
    ...(w.readOnly ? [[['readOnly'], w.readOnly] as [RelativePath, string]] : []),
    ...Object.keys(w.completionTimes).map((k): [RelativePath, string] => [['completionTimes', k], k]),
  ];
}

/** The keys of one Worker in one state. */
export function workerKeys(w: AppWorkerSpec, table: ModeTable, window: Window | undefined): DesiredAppWorkerKey[] {
  const shows = table.gate(w.timing ?? WITH_PAGE);
  const flag = (kind: 'maintenance' | 'readOnly', k: string, set: boolean): DesiredAppWorkerKey => ({ key: k, kind, name: `${w.scriptName}/${k}`, value: on(set) });
  return [
    ...(w.maintenance ? [flag('maintenance', w.maintenance, shows.maintenance)] : []),
    ...(w.readOnly ? [flag('readOnly', w.readOnly, shows.readOnly)] : []),
    ...Object.entries(w.completionTimes).map(([k, zone]): DesiredAppWorkerKey => ({
      key: k,
      kind: 'completionTime',
      name: `${w.scriptName}/${k}`,
      value: window ? formatInZone(window.end, zone) : '',
      timeZone: zone,
    })),
  ];
}

/** What a Worker's key change does for the public (`after`: all its keys after the change). */
function effectsOf(k: DesiredAppWorkerKey, after: readonly DesiredAppWorkerKey[]): Change['effects'] {
  if (k.kind === 'completionTime') return ['flips-flag'];
  return ['flips-flag', ...publicEffects(k.value === '1', after.some((o) => o.kind !== 'completionTime' && o.value === '1'))];
}

const keyList = (w: DesiredAppWorker) => w.keys.map((k) => k.name).join(', ');

/** The command that reads a key back from the namespace (wrangler 4 reads local storage without --remote). */
export function readKeyCommand(name: string, stack?: string): string {
  return `npx wrangler kv key get ${name} --namespace-id "$(pulumi stack output ${APP_WORKERS_NAMESPACE_OUTPUT}${stack ? ` --stack ${stack}` : ''})" --remote --text`;
}

/** The changes of one Worker's keys, with `c` bound to the Worker. */
function describeWorker(c: ReturnType<typeof changeOf>, x: DesiredAppWorker | undefined, y: DesiredAppWorker | undefined): Change[] {
  if (!x || !y) return [c(y ? 'add' : 'remove', `KV keys of Worker ${(y ?? x)!.scriptName} ${y ? 'added' : 'removed'}: ${keyList((y ?? x)!)}`)];
  if (x.scriptName !== y.scriptName) {
    return [c('modify', `Worker ${x.scriptName} renamed ${y.scriptName}: its KV keys are replaced (${keyList(y)})`, { field: 'scriptName', from: x.scriptName, to: y.scriptName, effects: ['replaces'] })];
  }
  const out: Change[] = [];
  for (const now of y.keys) {
    const was = x.keys.find((k) => k.key === now.key);
    if (was?.value === now.value) continue;
    const from = showValue(now.key, was?.value);
    const to = showValue(now.key, now.value);
    out.push(c('modify', `${now.key} ${from} -> ${to} on ${y.scriptName} (KV ${now.name})`, { field: `keys.${now.key}`, from, to, effects: was ? effectsOf(now, y.keys) : [] }));
  }
  for (const was of x.keys) {
    if (!y.keys.some((k) => k.key === was.key)) out.push(c('modify', `${was.key} removed from ${y.scriptName} (KV ${was.name})`, { field: `keys.${was.key}`, from: showValue(was.key, was.value) }));
  }
  return out;
}

function uniqueWorkers(spec: AppWorkersSpec | undefined, ctx: RuleContext): void {
  if (!spec) return;
  unique(spec.workers, 'id', ctx, ['workers']);
  unique(spec.workers, 'scriptName', ctx, ['workers']);
}

function keysNamedOnce(spec: AppWorkersSpec | undefined, ctx: RuleContext): void {
  spec?.workers.forEach((w, i) => {
    const keys = declaredKeys(w);
    if (!keys.length) ctx.report(['workers', i], `Worker ${w.scriptName} declares no key; set maintenance, readOnly or completionTimes`);
    const seen = new Map<string, RelativePath>();
    for (const [path, k] of keys) {
      const first = seen.get(k);
      if (first) ctx.report(['workers', i, ...path], `key ${k} is already named at ${ctx.where(['workers', i, ...first])}; name each key of a Worker once`);
      else seen.set(k, path);
    }
  });
}

function workersInKnownZones(spec: AppWorkersSpec | undefined, ctx: RuleContext): void {
  const zones = ctx.facts.zones;
  spec?.workers.forEach((w, i) => {
    if (w.zone !== undefined && !zones.has(w.zone)) ctx.report(['workers', i, 'zone'], `unknown zone '${w.zone}'; allowed: ${[...zones.keys()].join(', ') || '(none declared)'}`);
  });
}

export const appWorkers = defineComponent({
  kind: 'appWorker',
  provider: 'cloudflare',
  key: 'appWorkers',
  schema: AppWorkers,
  rules: [uniqueWorkers, keysNamedOnce, workersInKnownZones],
  resolve: (spec, { table, facts }): { appWorkers?: DesiredAppWorkers } =>
    spec
      ? {
          appWorkers: {
            namespace: spec.namespace,
            workers: spec.workers.map((w) => ({ id: w.id, scriptName: w.scriptName, ...(w.zone ? { zone: w.zone } : {}), keys: workerKeys(w, table, facts.window) })),
          },
        }
      : {},
  items: (cf): DesiredAppWorker[] => [...(cf.appWorkers?.workers ?? [])],
  describe(x, y) {
    return describeWorker(changeOf(this, (y ?? x)!.id, (y ?? x)!.scriptName), x, y);
  },
  identity: (w) => [w.id, w.keys.map((k) => k.name)],
  // The application's Workers show the page when Drawbridge sets their flags.
  shows: (cf) => {
    const keys = (cf.appWorkers?.workers ?? []).flatMap((w) => w.keys).filter((k) => k.kind !== 'completionTime');
    if (!keys.length) return undefined;
    return keys.some((k) => k.kind === 'maintenance' && k.value === '1') ? 'down' : keys.some((k) => k.kind === 'readOnly' && k.value === '1') ? 'read-only' : 'open';
  },
  checks(cf) {
    const gateScript = cf.gate?.scriptName;
    return (cf.appWorkers?.workers ?? [])
      .filter((w) => w.scriptName === gateScript)
      .map((w) => `cloudflare.appWorkers.workers[${w.id}].scriptName: ${show(w.scriptName)} is the gate's Worker (cloudflare.gate.scriptName); appWorkers are the application's own Workers, name another one`);
  },
  verify(before, cf, ctx) {
    const was = new Map((before?.appWorkers?.workers ?? []).flatMap((w) => w.keys.map((k) => [k.name, k.value] as const)));
    return (cf.appWorkers?.workers ?? []).flatMap((w) =>
      w.keys
        // A key emptied (the window removed) prints nothing to compare.
        .filter((k) => was.get(k.name) !== k.value && k.value !== '')
        .map((k): Check => ({ what: `${w.scriptName} reads ${k.key}=${showValue(k.key, k.value)} from KV`, command: readKeyCommand(k.name, ctx.stack), output: showValue(k.key, k.value) })),
    );
  },
});
