/**
 * Alerts muted for the declared window (modes/components/cloudflare/alerts.ts): one Datadog
 * `DowntimeSchedule` (the v2 downtime; `datadog.Downtime` is the deprecated v1 one) on the monitors
 * with the estate's tags, and one PagerDuty `MaintenanceWindow` on its services, both from the
 * window's start minus the lead to its end plus the grace. Names come from the estate's name only,
 * so there is one of each per estate, with the same URN in every mode.
 *
 * Credentials never come from the estate: the default providers read DD_API_KEY / DD_APP_KEY
 * (or `datadog:apiKey` / `datadog:appKey`) and PAGERDUTY_TOKEN (or `pagerduty:token`) from the
 * environment or the stack, and `parseStackConfig` refuses them in plain text.
 */
import * as datadog from '@pulumi/datadog';
import * as pagerduty from '@pulumi/pagerduty';
import * as pulumi from '@pulumi/pulumi';
import { alerts } from '../../../modes/components/cloudflare/alerts';
import type { DesiredAlertMute, DesiredAlerts } from '../../../modes/desired';
import { defineCloudflareRenderer } from '../renderer';

export const ALERTS_TYPE = 'drawbridge:cloudflare:Alerts';

export const alertsNames = {
  /** The component. */
  alerts: (estate: string) => `${estate}-alerts`,
  /** The Datadog downtime or the PagerDuty maintenance window. */
  mute: (estate: string, service: DesiredAlertMute['service']) => `${estate}-alerts-${service}`,
} as const;

/** Datadog notifies for monitors still alerting when the downtime ends, whether it expires or is cancelled (the window removed). */
export const NOTIFY_END_TYPES = ['canceled', 'expired'];
export const NOTIFY_END_STATES = ['alert', 'no data', 'warn'];

/** The DowntimeSchedule inputs of the Datadog mute. */
export function downtimeArgs(m: Extract<DesiredAlertMute, { service: 'datadog' }>): datadog.DowntimeScheduleArgs {
  return {
    // Every group of the muted monitors: the monitor tags choose the monitors.
    scope: '*',
    monitorIdentifier: { monitorTags: [...m.monitorTags] },
    oneTimeSchedule: { start: m.start, end: m.end },
    displayTimezone: m.displayTimezone,
    message: m.message,
    // The site coming back during the window is no news; one still down when the mute ends is.
    muteFirstRecoveryNotification: true,
    notifyEndTypes: NOTIFY_END_TYPES,
    notifyEndStates: NOTIFY_END_STATES,
  };
}

/** The MaintenanceWindow inputs of the PagerDuty mute. */
export function maintenanceWindowArgs(m: Extract<DesiredAlertMute, { service: 'pagerduty' }>): pagerduty.MaintenanceWindowArgs {
  return { startTime: m.start, endTime: m.end, services: [...m.serviceIds], description: m.message };
}

export interface AlertMutesProps {
  readonly estate: string;
  /** `desired.cloudflare.alerts`. */
  readonly alerts: DesiredAlerts;
}

export class AlertMutes extends pulumi.ComponentResource {
  readonly downtime?: datadog.DowntimeSchedule;
  readonly maintenanceWindow?: pagerduty.MaintenanceWindow;

  constructor(name: string, props: AlertMutesProps, opts?: pulumi.ComponentResourceOptions) {
    super(ALERTS_TYPE, name, {}, opts);
    for (const m of props.alerts.mutes) {
      const resourceName = alertsNames.mute(props.estate, m.service);
      if (m.service === 'datadog') this.downtime = new datadog.DowntimeSchedule(resourceName, downtimeArgs(m), { parent: this });
      else this.maintenanceWindow = new pagerduty.MaintenanceWindow(resourceName, maintenanceWindowArgs(m), { parent: this });
    }
    this.registerOutputs({});
  }
}

export const alertsRenderer = defineCloudflareRenderer({
  component: alerts,
  type: ALERTS_TYPE,
  // Datadog (terraform-provider-datadog, datadog/fwprovider/resource_datadog_downtime_schedule.go):
  // no attribute has RequiresReplace; scope, monitor tags, schedule and message update in place.
  // PagerDuty (terraform-provider-pagerduty, pagerduty/resource_pagerduty_maintenance_window.go):
  // services and description update in place; start_time and end_time carry ForceNew in some
  // releases (not in the current one), and the provider bundled with @pulumi/pagerduty 3.4.0 may be
  // one of them, so a changed window is reported as a replacement. The times never change with the
  // mode, only when the window is edited.
  replaceOnChange: {
    'datadog:index/downtimeSchedule:DowntimeSchedule': [],
    'pagerduty:index/maintenanceWindow:MaintenanceWindow': ['startTime', 'endTime'],
  },
  render({ estate, desired }, opts) {
    if (!desired.alerts?.mutes.length) return {};
    new AlertMutes(alertsNames.alerts(estate), { estate, alerts: desired.alerts }, opts);
    return {};
  },
});
