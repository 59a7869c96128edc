/**
 * Alerts muted for the declared window (runbook 000 switches its monitors off by hand with
 * disable-response-time-monitor-tasks.bat minutes before the start, and on again after the
 * window): a Datadog downtime on the monitors with the given tags and a PagerDuty maintenance
 * window on the given services, each scheduled from the window's start minus `leadMinutes` to its
 * end plus `graceMinutes`. The Pulumi program deploys them (hence `cloudflare.alerts`: the part of
 * the estate Pulumi renders), with the providers' credentials from the environment or the stack.
 *
 * When they exist. Not by mode: while the estate declares a window, in every mode state. A window
 * is committed ahead of time (the day-before deploy makes it live, `drawbridge plan` lists it), so
 * the downtime and the maintenance window are created then, with a future start, and Datadog and
 * PagerDuty switch at the planned times by themselves: no deploy at 21:50 has to happen for
 * on-call to be spared, a failing alerting API never stops the deploy that puts the page up, the
 * grace after the end holds even when the last deploy of the way out runs early, and a mode switch
 * never creates or removes them (a mode switch stays an in-place update, normal -> maintenance ->
 * normal gives back the same resources). Without a window there is nothing planned to mute:
 * an unplanned outage pages on-call as usual. Removing the window after removes them.
 *
 * Names come from the estate's name only: one downtime and one maintenance window per estate.
 */
import { z } from 'zod';
import { changeOf, defineComponent, uniqueValues, type Change, type RuleContext } from '../../component';
import type { DesiredAlertMute, DesiredAlerts } from '../../desired';
import { show } from '../../errors';
import type { Window } from '../../fields';
import { localParts } from '../../time';

/** Minutes the mute starts before the window and lasts after it, by default. */
export const DEFAULT_LEAD_MINUTES = 10;
export const DEFAULT_GRACE_MINUTES = 30;
/** The longest lead and grace: longer ones would hide incidents that have nothing to do with the window. */
export const MAX_LEAD_MINUTES = 240;
export const MAX_GRACE_MINUTES = 720;

/**
 * A Datadog tag as Datadog keeps it: lower case (Datadog lowercases tags, so `Service:Shop` would
 * match no monitor), starting with a letter, letters, digits and `_ - : . /`, at most 200
 * characters, not ending with a colon.
 */
const DATADOG_TAG = /^[a-z][a-z0-9_\-:./]{0,199}$/;

function tagProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  if (value === '*') return `${show(value)} would mute every monitor of the Datadog organisation; name the tags of the site's monitors, e.g. service:shop`;
  if (DATADOG_TAG.test(value) && !value.endsWith(':')) return undefined;
  const hint = value !== value.toLowerCase() && DATADOG_TAG.test(value.toLowerCase()) ? ` (Datadog lowercases tags: write ${value.toLowerCase()})` : '';
  return `${show(value)} is not a Datadog monitor tag${hint}; allowed: lower-case letters, digits and _ - : . /, starting with a letter, not ending with ':', at most 200 characters, such as service:shop or env:prod`;
}

const monitorTag = z
  .string()
  .refine((v) => tagProblem(v) === undefined, { error: (issue) => tagProblem(issue.input) ?? 'is not a Datadog monitor tag' })
  .describe('A tag on the monitors (not a tag of the hosts they watch), e.g. service:shop.');

/** A PagerDuty object id: upper-case letters and digits, e.g. PIJ90N7. */
const PAGERDUTY_ID = /^[A-Z0-9]{6,20}$/;

const serviceId = z
  .string()
  .refine((v) => PAGERDUTY_ID.test(v), {
    error: (issue) =>
      `${show(issue.input)} is not a PagerDuty service id; give the id, not the name: upper-case letters and digits such as PIJ90N7, the last part of the service's address (https://<subdomain>.pagerduty.com/service-directory/PIJ90N7)`,
  })
  .describe('A PagerDuty service id (the last part of the service\'s address, e.g. PIJ90N7), not its name.');

const Datadog = z
  .strictObject({
    monitorTags: z
      .array(monitorTag)
      .min(1)
      .max(20)
      .describe('Monitors with all of these tags are muted (Datadog matches every tag), e.g. [service:shop, env:prod].'),
  })
  .describe('A Datadog downtime (DowntimeSchedule) for the monitors with these tags. Credentials: DD_API_KEY and DD_APP_KEY in the environment, or `pulumi config set --secret datadog:apiKey` / `datadog:appKey`.');

const PagerDuty = z
  .strictObject({
    serviceIds: z
      .array(serviceId)
      .min(1)
      .max(50)
      .describe('The PagerDuty services that open no incident during the window, by id (PagerDuty\'s API names services by id only).'),
  })
  .describe('A PagerDuty maintenance window on these services. Credentials: PAGERDUTY_TOKEN in the environment, or `pulumi config set --secret pagerduty:token`.');

const Alerts = z
  .strictObject({
    leadMinutes: z
      .number()
      .int()
      .min(0)
      .max(MAX_LEAD_MINUTES)
      .default(DEFAULT_LEAD_MINUTES)
      .describe(`Minutes before window.start the alerts go quiet (the runbook switches monitors off minutes before). Default ${DEFAULT_LEAD_MINUTES}.`),
    graceMinutes: z
      .number()
      .int()
      .min(0)
      .max(MAX_GRACE_MINUTES)
      .default(DEFAULT_GRACE_MINUTES)
      .describe(`Minutes after window.end they stay quiet, while the site settles. Default ${DEFAULT_GRACE_MINUTES}.`),
    datadog: Datadog.optional(),
    pagerduty: PagerDuty.optional(),
  })
  .optional()
  .describe(
    'Alerts muted for the declared window: a Datadog downtime and/or a PagerDuty maintenance window from window.start minus leadMinutes to window.end plus graceMinutes. Created with the window (the day-before deploy), in every mode while the window is declared; none without a window.',
  );

type AlertsSpec = NonNullable<z.output<typeof Alerts>>;

/** An instant as both providers take it: UTC, whole seconds, `Z` (Datadog's one-time schedule refuses any other offset). */
export function providerTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** When the alerts are quiet: the window widened by the lead and the grace. */
export function muteSchedule(window: Pick<Window, 'start' | 'end'>, spec: Pick<AlertsSpec, 'leadMinutes' | 'graceMinutes'>): { start: string; end: string } {
  return { start: providerTime(Date.parse(window.start) - spec.leadMinutes * 60_000), end: providerTime(Math.ceil((Date.parse(window.end) + spec.graceMinutes * 60_000) / 1000) * 1000) };
}

/** `Sat 19 Jan 2030`: the day of an instant in UTC, as the plan writes days elsewhere. */
const day = (t: string) => {
  const p = localParts(t, 'UTC');
  return `${p.weekday} ${p.day} ${p.month} ${p.year}`;
};

/** `from 21:50 UTC to 02:30 UTC (Sat 19 Jan 2030 - Sun 20 Jan 2030)`: the times first, the day or days after. */
export function describeSpan(start: string, end: string): string {
  const hm = (t: string) => `${localParts(t, 'UTC').hm} UTC`;
  const a = day(start);
  const b = day(end);
  return `from ${hm(start)} to ${hm(end)} (${a === b ? a : `${a} - ${b}`})`;
}

/** What the mute says in Datadog and PagerDuty: the window's reason and that Drawbridge owns it. */
function note(estate: string, window: Window): string {
  return `Planned maintenance: ${window.reason} (window ${window.start} to ${window.end}). Managed by Drawbridge (estate ${estate}); change the estate's window, not this.`;
}

/** The mutes of the declared window (none without one). */
export function alertMutes(spec: AlertsSpec, estate: string, window: Window | undefined): DesiredAlertMute[] {
  if (!window) return [];
  const { start, end } = muteSchedule(window, spec);
  const message = note(estate, window);
  return [
    ...(spec.datadog ? [{ id: 'datadog' as const, service: 'datadog' as const, monitorTags: spec.datadog.monitorTags, start, end, message, displayTimezone: window.timeZones[0]! }] : []),
    ...(spec.pagerduty ? [{ id: 'pagerduty' as const, service: 'pagerduty' as const, serviceIds: spec.pagerduty.serviceIds, start, end, message }] : []),
  ];
}

/** How people know a mute: what it covers. */
export function muteName(m: DesiredAlertMute): string {
  return m.service === 'datadog' ? `Datadog downtime for monitors tagged ${m.monitorTags.join(', ')}` : `PagerDuty maintenance window on services ${m.serviceIds.join(', ')}`;
}

function describeMute(c: ReturnType<typeof changeOf>, x: DesiredAlertMute | undefined, y: DesiredAlertMute | undefined): Change[] {
  if (!x || !y) {
    const m = (y ?? x)!;
    return y
      ? [c('add', `${muteName(m)}, ${describeSpan(m.start, m.end)}`, { field: 'schedule', to: { start: m.start, end: m.end } })]
      : [c('remove', `${muteName(m)} removed (it was ${describeSpan(m.start, m.end)})`, { field: 'schedule', from: { start: m.start, end: m.end } })];
  }
  const out: Change[] = [];
  const covers = (m: DesiredAlertMute) => (m.service === 'datadog' ? m.monitorTags : m.serviceIds);
  if (covers(x).join() !== covers(y).join()) out.push(c('modify', `${muteName(x)} now covers ${covers(y).join(', ')}`, { field: x.service === 'datadog' ? 'monitorTags' : 'serviceIds', from: covers(x), to: covers(y) }));
  if (x.start !== y.start || x.end !== y.end) {
    out.push(c('modify', `${muteName(y)} moved: ${describeSpan(x.start, x.end)} -> ${describeSpan(y.start, y.end)}`, { field: 'schedule', from: { start: x.start, end: x.end }, to: { start: y.start, end: y.end } }));
  }
  if (x.message !== y.message && !out.length) out.push(c('modify', `${muteName(y)}: message updated`, { field: 'message' }));
  return out;
}

function somewhereToMute(spec: AlertsSpec | undefined, ctx: RuleContext): void {
  if (spec && !spec.datadog && !spec.pagerduty) ctx.report([], 'names nothing to mute; declare datadog: { monitorTags: [...] }, pagerduty: { serviceIds: [...] } or both');
}

function namedOnce(spec: AlertsSpec | undefined, ctx: RuleContext): void {
  const once = (values: readonly string[] | undefined, at: string, what: string) =>
    uniqueValues(values ?? [], ctx, (i) => [at, what, i], (v, first) => `${show(v)} is already named at ${ctx.where([at, what, first])}; name each one once`);
  once(spec?.datadog?.monitorTags, 'datadog', 'monitorTags');
  once(spec?.pagerduty?.serviceIds, 'pagerduty', 'serviceIds');
}

export const alerts = defineComponent({
  kind: 'alerts',
  provider: 'cloudflare',
  key: 'alerts',
  schema: Alerts,
  rules: [somewhereToMute, namedOnce],
  // The mode state plays no part: the mutes follow the declared window (see the top of this file).
  resolve: (spec, { facts }): { alerts?: DesiredAlerts } => (spec && facts.window ? { alerts: { mutes: alertMutes(spec, facts.name, facts.window) } } : {}),
  items: (cf): DesiredAlertMute[] => [...(cf.alerts?.mutes ?? [])],
  describe(x, y) {
    const m = (y ?? x)!;
    return describeMute(changeOf(this, m.id, muteName(m)), x, y);
  },
  identity: (m) => [m.id, m.service],
});
