/**
 * The estate's status page (Atlassian Statuspage): the scheduled maintenance that tells customers
 * about the window, moved through its statuses at the steps of the move where they become true
 * (runbook 000 updates it by hand four times).
 *
 *   scheduled    created ahead, with the window's start and end (the plan's day-before phase)
 *   in_progress  when the public is held (the page goes up, or writes freeze)
 *   verifying    once the origin is back behind the page and staff test it, before the public is let back
 *   completed    at the end of the move, once the public sees the site again (components operational)
 *
 * It is not a component an engine deploys: no CDK or Pulumi resource, no desired state. Statuspage
 * keeps the maintenance's history (each status is an update subscribers are notified of), so each
 * transition is one API request, sent by `drawbridge statuspage <step>` at its step of the plan.
 * This module holds the estate fragment, its rules and the exact requests, all pure; the plan
 * places them (modes/plan/status-page.ts) and the CLI sends them (bin/cli/statuspage.ts).
 *
 * The API key is never part of the estate, a plan or a request shown: the estate names the
 * environment variable that holds it (`apiKeyEnv`, default STATUSPAGE_API_KEY).
 *
 * Field names are Statuspage's public API (api.statuspage.io/v1, operations postPagesPageIdIncidents
 * and patchPagesPageIdIncidentsIncidentId): `incident[name]`, `incident[status]`,
 * `incident[scheduled_for]`, `incident[scheduled_until]`, `incident[scheduled_remind_prior]`,
 * `incident[scheduled_auto_in_progress]`, `incident[scheduled_auto_completed]`, `incident[body]`,
 * `incident[component_ids]` and `incident[components]` (component id -> component status).
 */
import { z } from 'zod';
import { unique, type Rule } from '../../component';
import type { Brand, Window } from '../../fields';
import { formatInZones } from '../../time';

/** Every request goes here (HTTPS only). */
export const STATUSPAGE_API = 'https://api.statuspage.io/v1';

/** The environment variable holding the API key when the estate names none. */
export const DEFAULT_API_KEY_ENV = 'STATUSPAGE_API_KEY';

/** Statuspage ids (pages, components, incidents): 12 lower-case letters and digits, e.g. kctbh9vrtdwd. */
export const STATUSPAGE_ID = /^[a-z0-9]{12}$/;

/** An environment variable's name. */
const ENV_NAME = /^[A-Z_][A-Z0-9_]{0,99}$/;

const statuspageId = (what: string) =>
  z.string().regex(STATUSPAGE_ID, `must be a Statuspage ${what} id: 12 lower-case letters and digits, e.g. kctbh9vrtdwd (manage.statuspage.io shows it in the ${what}'s URL)`);

const message = z.string().min(1).max(25000);

export const StatusPageSchema = z
  .strictObject({
    pageId: statuspageId('page').describe('The page id (manage.statuspage.io/pages/<page id>, or Your profile > API info).'),
    components: z
      .array(
        z.strictObject({
          id: statuspageId('component'),
          name: z.string().min(1).max(100).describe('As the status page shows it; used in the plan\'s words only.'),
        }),
      )
      .min(1)
      .describe('The components the maintenance affects: Under maintenance while it is in progress and verified, Operational once it is complete.'),
    name: z
      .string()
      .min(1)
      .max(255)
      .optional()
      .describe('The scheduled maintenance\'s name (default: the window\'s reason). Later steps find the maintenance by this name and the window\'s start.'),
    apiKeyEnv: z
      // A custom message, never the value: someone may have pasted the key itself here.
      .string()
      .refine((v) => ENV_NAME.test(v), {
        message: `must name the environment variable that holds the Statuspage API key (upper-case letters, digits and _, e.g. ${DEFAULT_API_KEY_ENV}), never the key itself; the value is not shown`,
      })
      .default(DEFAULT_API_KEY_ENV)
      .describe('The environment variable `drawbridge statuspage` reads the API key from. Never the key.'),
    remindPrior: z.boolean().default(true).describe('scheduled_remind_prior: Statuspage reminds subscribers 60 minutes before the start.'),
    messages: z
      .strictObject({
        scheduled: message.optional(),
        inProgress: message.optional(),
        verifying: message.optional(),
        completed: message.optional(),
        calledOff: message.optional().describe('Completed on a way back (the rollback or a fail-back): the maintenance was stopped.'),
      })
      .optional()
      .describe('The update posted with each status (default: a sentence from the brand and the window).'),
  })
  .optional()
  .describe(
    'An Atlassian Statuspage page: the plan creates a scheduled maintenance for the window and moves it to in progress, verifying and completed at its steps (`drawbridge statuspage <step>` sends each request).',
  );

export type StatusPageSpec = NonNullable<z.output<typeof StatusPageSchema>>;

/** The rules of the fragment, reported at `statusPage...`. */
export const STATUS_PAGE_RULES: readonly Rule<StatusPageSpec | undefined>[] = [
  function componentsListedOnce(sp, ctx) {
    if (!sp) return;
    unique(sp.components, 'id', ctx, ['components']);
    unique(sp.components, 'name', ctx, ['components']);
  },
];

/** The steps of the plan that change the maintenance, as `drawbridge statuspage` takes them. */
export const STATUS_STEPS = ['scheduled', 'in-progress', 'verifying', 'completed', 'called-off'] as const;
export type StatusStep = (typeof STATUS_STEPS)[number];

/** Statuspage's statuses of a scheduled maintenance. */
export type IncidentStatus = 'scheduled' | 'in_progress' | 'verifying' | 'completed';
export type ComponentStatus = 'operational' | 'under_maintenance';

/** The status each step moves the maintenance to. */
export const STATUS_OF: Readonly<Record<StatusStep, IncidentStatus>> = {
  scheduled: 'scheduled',
  'in-progress': 'in_progress',
  verifying: 'verifying',
  completed: 'completed',
  'called-off': 'completed',
};

/** What the affected components show after each step (none set at creation: they are operational until it starts). */
const COMPONENTS_OF: Readonly<Record<StatusStep, ComponentStatus | undefined>> = {
  scheduled: undefined,
  'in-progress': 'under_maintenance',
  verifying: 'under_maintenance',
  completed: 'operational',
  'called-off': 'operational',
};

/** The body of a create or update, as Statuspage's API names its fields. */
export interface IncidentBody {
  readonly name?: string;
  readonly status: IncidentStatus;
  readonly scheduled_for?: string;
  readonly scheduled_until?: string;
  readonly scheduled_remind_prior?: boolean;
  readonly scheduled_auto_in_progress?: boolean;
  readonly scheduled_auto_completed?: boolean;
  readonly body: string;
  readonly component_ids: readonly string[];
  readonly components?: Readonly<Record<string, ComponentStatus>>;
}

/** One request to the API, without its credentials (the CLI adds `Authorization: OAuth <key>`). */
export interface StatusPageRequest {
  readonly method: 'GET' | 'POST' | 'PATCH';
  readonly url: string;
  readonly body?: { readonly incident: IncidentBody };
}

/** Where a transition's URL names the maintenance before it is looked up. */
export const INCIDENT_PLACEHOLDER = '{incident_id}';

/** What the module needs of the estate. */
export interface StatusPageEstate {
  readonly statusPage?: StatusPageSpec | undefined;
  readonly window?: Window | undefined;
  readonly brand: Brand;
}

/** The maintenance's name: the estate's, else the window's reason. */
export function maintenanceName(sp: StatusPageSpec, window: Window): string {
  return sp.name ?? window.reason;
}

/** An instant as Statuspage stores it (UTC, milliseconds), so the one written and the one read compare equal. */
export function utc(iso: string): string {
  return new Date(iso).toISOString();
}

const inZones = (iso: string, window: Window) =>
  formatInZones(iso, window.timeZones)
    .map((z) => z.text)
    .join(' / ');

/** The update posted with each step: the estate's words, else one sentence from the brand and the window. */
export function messageOf(step: StatusStep, sp: StatusPageSpec, window: Window, brand: Brand): string {
  const m = sp.messages;
  const site = brand.name;
  switch (step) {
    case 'scheduled':
      return m?.scheduled ?? `${window.reason}. ${site} will be unavailable from ${inZones(window.start, window)} until ${inZones(window.end, window)}.`;
    case 'in-progress':
      return m?.inProgress ?? `The maintenance has started: ${site} is unavailable until ${inZones(window.end, window)}.`;
    case 'verifying':
      return m?.verifying ?? `The work is done; we are checking ${site} before opening it again.`;
    case 'completed':
      return m?.completed ?? `The maintenance is complete: ${site} is available again.`;
    case 'called-off':
      return m?.calledOff ?? `The maintenance was stopped and its changes rolled back: ${site} is available again.`;
  }
}

/** The URL of the page's incidents, or of one of them. */
export function incidentsUrl(pageId: string, incidentId?: string): string {
  return `${STATUSPAGE_API}/pages/${pageId}/incidents${incidentId === undefined ? '' : `/${incidentId}`}`;
}

/**
 * The request of one step: a POST that creates the scheduled maintenance, or a PATCH of it
 * (`incidentId`, else the placeholder the CLI fills in once it has found the maintenance).
 */
export function transitionRequest(step: StatusStep, sp: StatusPageSpec, window: Window, brand: Brand, incidentId: string = INCIDENT_PLACEHOLDER): StatusPageRequest {
  const component_ids = sp.components.map((c) => c.id);
  const status = COMPONENTS_OF[step];
  const body = messageOf(step, sp, window, brand);
  if (step === 'scheduled') {
    return {
      method: 'POST',
      url: incidentsUrl(sp.pageId),
      body: {
        incident: {
          name: maintenanceName(sp, window),
          status: 'scheduled',
          scheduled_for: utc(window.start),
          scheduled_until: utc(window.end),
          scheduled_remind_prior: sp.remindPrior,
          // The plan moves it: the status follows the page, not the clock (a late start stays scheduled).
          scheduled_auto_in_progress: false,
          scheduled_auto_completed: false,
          body,
          component_ids,
        },
      },
    };
  }
  return {
    method: 'PATCH',
    url: incidentsUrl(sp.pageId, incidentId),
    body: {
      incident: {
        status: STATUS_OF[step],
        body,
        component_ids,
        ...(status ? { components: Object.fromEntries(component_ids.map((id) => [id, status])) } : {}),
      },
    },
  };
}

/** The search that finds the maintenance by name (Statuspage's `q` searches names among other fields; at most 100 answers). */
export function lookupRequest(sp: StatusPageSpec, window: Window): StatusPageRequest {
  return { method: 'GET', url: `${incidentsUrl(sp.pageId)}?q=${encodeURIComponent(maintenanceName(sp, window))}&limit=100` };
}

/** What the CLI reads of an incident. */
export interface IncidentSummary {
  readonly id: string;
  readonly name: string;
  readonly status: string;
  readonly scheduled_for?: string | null;
  readonly scheduled_until?: string | null;
}

function isIncident(x: unknown): x is IncidentSummary {
  const o = x as Record<string, unknown> | null;
  return !!o && typeof o === 'object' && typeof o.id === 'string' && typeof o.name === 'string' && typeof o.status === 'string';
}

/** The incidents of an answer (an array of incidents), or undefined when the answer is not one. */
export function incidentsOf(answer: unknown): IncidentSummary[] | undefined {
  return Array.isArray(answer) && answer.every(isIncident) ? answer : undefined;
}

/** The incident of an answer (one incident), or undefined when the answer is not one. */
export function incidentOf(answer: unknown): IncidentSummary | undefined {
  return isIncident(answer) ? answer : undefined;
}

/** The estate's maintenance among `incidents`: its name, scheduled for the window's start. */
export function sameMaintenance(incidents: readonly IncidentSummary[], sp: StatusPageSpec, window: Window): IncidentSummary[] {
  const name = maintenanceName(sp, window);
  const start = Date.parse(window.start);
  return incidents.filter((i) => i.name === name && typeof i.scheduled_for === 'string' && Date.parse(i.scheduled_for) === start);
}

/** The components in words, e.g. "Website, API". */
export function componentNames(sp: StatusPageSpec): string {
  return sp.components.map((c) => c.name).join(', ');
}
