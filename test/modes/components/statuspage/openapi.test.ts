/**
 * The requests Drawbridge sends, against Statuspage's published API description (OpenAPI 3.0,
 * "Statuspage API" 1.0.0, the one developer.statuspage.io renders). The description itself is not
 * vendored: what the requests use of it is transcribed below, operation by operation, from
 * components.schemas.postPagesPageIdIncidents and patchPagesPageIdIncidents and the paths of the
 * incidents tag (a copy of the description is public at
 * github.com/sbecker59/statuspage-api-client-go, swagger.yaml). The schemas here are strict where
 * the description is open: a field the API does not define (a typo, a field of another endpoint)
 * fails the test instead of being ignored by Statuspage.
 */
import { z } from 'zod';
import { lookupRequest, STATUS_STEPS, StatusPageSchema, transitionRequest } from '../../../../modes/components/statuspage/statuspage';
import { estateNamed } from '../../../support/estates';

const INCIDENT_STATUS = z.enum(['investigating', 'identified', 'monitoring', 'resolved', 'scheduled', 'in_progress', 'verifying', 'completed']);
const COMPONENT_STATUS = z.enum(['operational', 'under_maintenance', 'degraded_performance', 'partial_outage', 'major_outage', '']);

/** The `incident` object both operations take (every property is in both). */
const incidentProperties = {
  name: z.string().max(255),
  status: INCIDENT_STATUS,
  impact_override: z.enum(['critical', 'none', 'maintenance', 'major', 'minor']),
  scheduled_for: z.iso.datetime({ offset: true }),
  scheduled_until: z.iso.datetime({ offset: true }),
  scheduled_remind_prior: z.boolean(),
  scheduled_auto_in_progress: z.boolean(),
  scheduled_auto_completed: z.boolean(),
  metadata: z.record(z.string(), z.record(z.string(), z.unknown())),
  deliver_notifications: z.boolean(),
  auto_transition_deliver_notifications_at_end: z.boolean(),
  auto_transition_deliver_notifications_at_start: z.boolean(),
  auto_transition_to_maintenance_state: z.boolean(),
  auto_transition_to_operational_state: z.boolean(),
  auto_tweet_at_beginning: z.boolean(),
  auto_tweet_on_completion: z.boolean(),
  auto_tweet_on_creation: z.boolean(),
  auto_tweet_one_hour_before: z.boolean(),
  backfill_date: z.string(),
  backfilled: z.boolean(),
  body: z.string().max(25000),
  components: z.record(z.string(), COMPONENT_STATUS),
  component_ids: z.array(z.string()),
  scheduled_auto_transition: z.boolean(),
};
const optional = Object.fromEntries(Object.entries(incidentProperties).map(([k, v]) => [k, v.optional()])) as { [K in keyof typeof incidentProperties]: z.ZodOptional<(typeof incidentProperties)[K]> };

/** postPagesPageIdIncidents: `name` is required. */
const PostIncident = z.strictObject({ incident: z.strictObject({ ...optional, name: incidentProperties.name }) });
/** patchPagesPageIdIncidents: nothing is required. */
const PatchIncident = z.strictObject({ incident: z.strictObject(optional) });

/** The operations of the incidents tag that Drawbridge uses (method, path under https://api.statuspage.io/v1, query parameters). */
const OPERATIONS: readonly [method: string, path: RegExp, query: readonly string[]][] = [
  ['POST', /^\/pages\/[^/]+\/incidents$/, []],
  ['GET', /^\/pages\/[^/]+\/incidents$/, ['q', 'limit', 'page']],
  ['PATCH', /^\/pages\/[^/]+\/incidents\/[^/]+$/, []],
  ['GET', /^\/pages\/[^/]+\/incidents\/[^/]+$/, []],
];

function operationOf(method: string, url: string): string | undefined {
  const u = new URL(url);
  if (u.origin !== 'https://api.statuspage.io' || !u.pathname.startsWith('/v1/')) return `not under https://api.statuspage.io/v1: ${url}`;
  const path = u.pathname.slice(3);
  const op = OPERATIONS.find(([m, p]) => m === method && p.test(path));
  if (!op) return `no operation ${method} ${path}`;
  const unknown = [...u.searchParams.keys()].filter((k) => !op[2].includes(k));
  return unknown.length ? `${method} ${path} takes no query parameter ${unknown.join(', ')}` : undefined;
}

const ticketing = estateNamed('ticketing');
const sp = ticketing.statusPage!;
const window = ticketing.window!;
// Every optional field set, so the schema is checked against all of them.
const full = StatusPageSchema.parse({ ...sp, name: 'A name', remindPrior: false, messages: { scheduled: 'a', inProgress: 'b', verifying: 'c', completed: 'd', calledOff: 'e' } })!;

describe('the requests against Statuspage\'s API description', () => {
  test.each(STATUS_STEPS.flatMap((step) => [[step, 'runbook 000\'s status page', sp] as const, [step, 'every option set', full] as const]))('GIVEN the %s step (%s) THEN its method, URL and body are an operation of the API', (step, _what, spec) => {
    const req = transitionRequest(step, spec, window, ticketing.brand, 'pgwm2qmd8b2m');
    expect(operationOf(req.method, req.url)).toBeUndefined();
    const schema = req.method === 'POST' ? PostIncident : PatchIncident;
    const result = schema.safeParse(req.body);
    expect(result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([]);
  });

  test('GIVEN the lookup THEN it is the list operation with its documented query parameters', () => {
    const req = lookupRequest(sp, window);
    expect(req.body).toBeUndefined();
    expect(operationOf(req.method, req.url)).toBeUndefined();
  });

  test('GIVEN a misspelt field or an undocumented status THEN the transcribed schemas refuse it (so the test above can fail)', () => {
    const req = transitionRequest('scheduled', sp, window, ticketing.brand);
    expect(PostIncident.safeParse({ incident: { ...req.body!.incident, scheduled_remind: true } }).success).toBe(false);
    expect(PatchIncident.safeParse({ incident: { status: 'in-progress' } }).success).toBe(false);
    expect(PatchIncident.safeParse({ incident: { components: { '8kbf7d35c070': 'maintenance' } } }).success).toBe(false);
    expect(PostIncident.safeParse({ incident: { status: 'scheduled' } }).success).toBe(false);
    expect(operationOf('PUT', 'https://api.statuspage.io/v1/pages/x/incidents')).toBe('no operation PUT /pages/x/incidents');
  });
});
