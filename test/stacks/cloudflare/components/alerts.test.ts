/**
 * The alerts renderer under Pulumi mocks: one Datadog DowntimeSchedule and one PagerDuty
 * MaintenanceWindow per estate, with the window's times in the form each provider takes, the same
 * (and under the same URNs) in every mode state and stage while the window is declared, none
 * without a window. Credentials never reach an input.
 */
import type * as datadog from '@pulumi/datadog';
import type * as pagerduty from '@pulumi/pagerduty';
import { alerts } from '../../../../modes/components/cloudflare/alerts';
import type { DesiredAlertMute } from '../../../../modes/desired';
import type { Estate, ModeState } from '../../../../modes/schema';
import { ALERTS_TYPE, alertsNames, alertsRenderer, downtimeArgs, maintenanceWindowArgs } from '../../../../stacks/cloudflare/components/alerts';
import { parseStackConfig } from '../../../../stacks/cloudflare/config';
import { settleRegistrations, useDrawbridgeMocks } from '../../../../stacks/cloudflare/mocks';
import { runCloudflareStack } from '../../../../stacks/cloudflare/program';
import { cloudflareResources, type CloudflareResource } from '../../../../stacks/cloudflare/preview';
import { estateNamed, maintenance, normal, ROOT, withStages } from '../cases';

const DOWNTIME = 'datadog:index/downtimeSchedule:DowntimeSchedule';
const MAINTENANCE_WINDOW = 'pagerduty:index/maintenanceWindow:MaintenanceWindow';
/** Datadog's one-time schedule takes exactly Go's layout 2006-01-02T15:04:05Z (terraform-provider-datadog's TimeFormatValidator). */
const DATADOG_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
/** PagerDuty takes RFC 3339 (validateRFC3339). */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

const ticketing = estateNamed('ticketing');
const MESSAGE = 'Planned maintenance: Server updates and a database upgrade (window 2030-03-17T06:00:00Z to 2030-03-17T09:00:00Z). Managed by Drawbridge (estate ticketing); change the estate\'s window, not this.';

/** The estate with alerts, or without its window. */
const withAlerts = (estate: Estate, spec: unknown): Estate => ({ ...estate, cloudflare: { ...estate.cloudflare!, alerts: alerts.schema.parse(spec) } }) as Estate;
const withoutWindow = (estate: Estate): Estate => {
  const { window: _w, ...rest } = estate;
  return rest as Estate;
};

const declared = (rs: readonly CloudflareResource[]) => rs.filter((r) => r.urn.includes(`::${ALERTS_TYPE}$`));

describe('the alerts inputs', () => {
  const datadogMute: Extract<DesiredAlertMute, { service: 'datadog' }> = {
    id: 'datadog',
    service: 'datadog',
    monitorTags: ['service:shop', 'env:prod'],
    start: '2030-01-19T21:50:00Z',
    end: '2030-01-20T02:30:00Z',
    message: 'm',
    displayTimezone: 'Europe/London',
  };

  test('GIVEN the Datadog mute THEN the DowntimeSchedule mutes every group of the tagged monitors once, from start to end, and still notifies when it ends on a monitor that alerts', () => {
    const args: datadog.DowntimeScheduleArgs = downtimeArgs(datadogMute);
    expect(args).toEqual({
      scope: '*',
      monitorIdentifier: { monitorTags: ['service:shop', 'env:prod'] },
      oneTimeSchedule: { start: '2030-01-19T21:50:00Z', end: '2030-01-20T02:30:00Z' },
      displayTimezone: 'Europe/London',
      message: 'm',
      muteFirstRecoveryNotification: true,
      notifyEndTypes: ['canceled', 'expired'],
      notifyEndStates: ['alert', 'no data', 'warn'],
    });
    expect(args).not.toHaveProperty('recurringSchedule');
  });

  test('GIVEN the PagerDuty mute THEN the MaintenanceWindow covers the services by id from start to end', () => {
    const args: pagerduty.MaintenanceWindowArgs = maintenanceWindowArgs({ id: 'pagerduty', service: 'pagerduty', serviceIds: ['PIJ90N7'], start: '2030-01-19T21:50:00Z', end: '2030-01-20T02:30:00Z', message: 'm' });
    expect(args).toEqual({ startTime: '2030-01-19T21:50:00Z', endTime: '2030-01-20T02:30:00Z', services: ['PIJ90N7'], description: 'm' });
  });

  test('GIVEN the renderer THEN it states what replaces its resources', () => {
    expect(alertsRenderer.replaceOnChange).toEqual({ [DOWNTIME]: [], [MAINTENANCE_WINDOW]: ['startTime', 'endTime'] });
  });
});

describe('the alerts renderer under Pulumi mocks', () => {
  test('GIVEN runbook 000 (ticketing) WHEN rendered THEN one downtime and one maintenance window, from 05:50 to 09:30 UTC, under the Alerts component', async () => {
    const rs = declared(await cloudflareResources(ticketing, normal));
    expect(rs.map((r) => [r.type, r.name, r.inputs])).toEqual([
      [
        DOWNTIME,
        alertsNames.mute('ticketing', 'datadog'),
        {
          scope: '*',
          monitorIdentifier: { monitorTags: ['service:ticketing', 'env:production'] },
          oneTimeSchedule: { start: '2030-03-17T05:50:00Z', end: '2030-03-17T09:30:00Z' },
          displayTimezone: 'Europe/London',
          message: MESSAGE,
          muteFirstRecoveryNotification: true,
          notifyEndTypes: ['canceled', 'expired'],
          notifyEndStates: ['alert', 'no data', 'warn'],
        },
      ],
      [MAINTENANCE_WINDOW, alertsNames.mute('ticketing', 'pagerduty'), { startTime: '2030-03-17T05:50:00Z', endTime: '2030-03-17T09:30:00Z', services: ['PTKTWEB', 'PTKTAPI'], description: MESSAGE }],
    ]);
    for (const r of rs) expect(r.urn.endsWith(`::${ALERTS_TYPE}$${r.type}::${r.name}`)).toBe(true);
  });

  test('GIVEN the rendered times THEN each is in the form its provider validates', async () => {
    const rs = declared(await cloudflareResources(ticketing, maintenance));
    const downtime = rs.find((r) => r.type === DOWNTIME)!.inputs.oneTimeSchedule as { start: string; end: string };
    const window = rs.find((r) => r.type === MAINTENANCE_WINDOW)!.inputs as { startTime: string; endTime: string };
    for (const t of [downtime.start, downtime.end]) expect(t).toMatch(DATADOG_TIME);
    for (const t of [window.startTime, window.endTime]) expect(t).toMatch(RFC3339);
    expect(Date.parse(downtime.end) - Date.parse(downtime.start)).toBe((3 * 60 + 40) * 60_000);
  });

  // Every state the estate supports and every stage of the moves between them.
  const stagedEstates: [string, Estate][] = [
    ['ticketing (normal and maintenance, with their stages)', ticketing],
    ['tickets with alerts (cutover stages too)', withAlerts(estateNamed('tickets'), { datadog: { monitorTags: ['service:tickets'] }, pagerduty: { serviceIds: ['PIJ90N7'] } })],
  ];
  test.each(stagedEstates)('GIVEN %s WHEN rendered in every state and stage THEN the same two resources, same URNs, same inputs', async (_what, estate) => {
    const states: ModeState[] = withStages(estate);
    expect(states.length).toBeGreaterThan(4);
    const renderings = await Promise.all(states.map(async (s) => declared(await cloudflareResources(estate, s)).map((r) => [r.urn, r.inputs])));
    expect(renderings[0]).toHaveLength(2);
    for (const r of renderings) expect(r).toEqual(renderings[0]);
  });

  test('GIVEN the estate without its window WHEN rendered in maintenance THEN nothing is muted: no downtime, no maintenance window, not even the component', async () => {
    const all = await cloudflareResources(withoutWindow(ticketing), maintenance);
    expect(all.filter((r) => r.type === DOWNTIME || r.type === MAINTENANCE_WINDOW)).toEqual([]);
    expect(all.some((r) => r.urn.includes(ALERTS_TYPE))).toBe(false);
  });

  test('GIVEN Datadog only WHEN rendered THEN no PagerDuty resource', async () => {
    const rs = declared(await cloudflareResources(withAlerts(ticketing, { datadog: { monitorTags: ['service:ticketing'] } }), normal));
    expect(rs.map((r) => r.type)).toEqual([DOWNTIME]);
  });

  test('GIVEN provider credentials in the environment WHEN rendered THEN no input holds them', async () => {
    const saved = { ...process.env };
    const secrets = { DD_API_KEY: 'dd-api-SECRET-0123456789abcdef', DD_APP_KEY: 'dd-app-SECRET-0123456789abcdef', PAGERDUTY_TOKEN: 'pd-SECRET-0123456789abcdef' };
    Object.assign(process.env, secrets);
    try {
      const text = JSON.stringify(await cloudflareResources(ticketing, maintenance));
      for (const s of Object.values(secrets)) expect(text).not.toContain(s);
    } finally {
      for (const k of Object.keys(secrets)) if (!(k in saved)) delete process.env[k];
    }
  });

  test.each(['datadog:apiKey', 'datadog:appKey', 'pagerduty:token'])('GIVEN %s stored in plain text on the stack THEN the program refuses it before declaring anything', (key) => {
    const secret = 'drawbridge:bypassSecret';
    expect(() => parseStackConfig({ [key]: 'x', [secret]: 'a-random-bypass-key-0f1e2d3c4b5a69788796a5b4' }, (k) => k === secret)).toThrow(
      `${key} is stored in plain text in Pulumi.<stack>.yaml; set it again with \`pulumi config set --secret ${key} ...\` and rotate the credential`,
    );
    expect(() => parseStackConfig({ [key]: 'x', [secret]: 'a-random-bypass-key-0f1e2d3c4b5a69788796a5b4' }, () => true)).not.toThrow();
  });
});

describe('the Pulumi program (bin/pulumi.ts) with runbook 000', () => {
  const run = async (config: Record<string, string>, secretKeys: string[] = []) => {
    const mocks = await useDrawbridgeMocks({ config: { 'drawbridge:estate': 'estates/ticketing.yaml', ...config }, secretKeys, stack: 'production' });
    const result = runCloudflareStack({ projectRoot: ROOT }).finally(settleRegistrations);
    return { mocks, result: await result.then(() => undefined, (e: unknown) => e) };
  };

  test.each([['the committed normal', {}], ['a maintenance override', { 'drawbridge:mode': 'maintenance' }]])('GIVEN %s WHEN the program runs THEN it registers the downtime and the maintenance window with the window\'s times', async (_what, config) => {
    const { mocks, result } = await run(config);
    expect(result).toBeUndefined();
    const mutes = mocks.resources.filter((r) => r.type === DOWNTIME || r.type === MAINTENANCE_WINDOW).map((r) => [r.type, r.name, r.type === DOWNTIME ? r.inputs.oneTimeSchedule : [r.inputs.startTime, r.inputs.endTime]]);
    expect(mutes.sort()).toEqual([
      [DOWNTIME, 'ticketing-alerts-datadog', { start: '2030-03-17T05:50:00Z', end: '2030-03-17T09:30:00Z' }],
      [MAINTENANCE_WINDOW, 'ticketing-alerts-pagerduty', ['2030-03-17T05:50:00Z', '2030-03-17T09:30:00Z']],
    ]);
  });

  test('GIVEN the Datadog API key in plain text on the stack WHEN the program runs THEN it stops before declaring anything', async () => {
    const { mocks, result } = await run({ 'datadog:apiKey': 'dd-api-SECRET-0123456789abcdef' });
    expect((result as Error).message).toMatch(/^datadog:apiKey is stored in plain text in Pulumi.<stack>.yaml/);
    expect((result as Error).message).not.toContain('dd-api-SECRET');
    expect(mocks.resources).toEqual([]);
  });
});
