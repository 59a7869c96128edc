/**
 * `drawbridge statuspage STEP`: sends one status page update of the plan (scheduled, in-progress,
 * verifying, completed, called-off) to Atlassian Statuspage, or shows the maintenance (`show`).
 * The requests are the model's (modes/components/statuspage); this module only sends them.
 *
 * The maintenance is found by its name and the window's start: one GET of the page's incidents
 * (`?q=<name>`), so each step of the runbook is the same command with no id to copy at 2 a.m.;
 * `--incident ID` names it instead. The lookup also makes every step safe to run twice: a
 * maintenance that exists already is not created again, one in the status already is not updated
 * (subscribers get each update once).
 *
 * The API key comes from the environment variable the estate names (default STATUSPAGE_API_KEY)
 * and goes only into the Authorization header: it is never printed (`--dry-run` shows [secret]),
 * and any answer that echoes it is printed with [secret] in its place. A missing key, a refused or
 * failed request ends the command with one line and a non-zero exit; nothing is sent after it.
 */
import { typed, typedWord } from '../../modes/echo';
import { DrawbridgeError } from '../../modes/errors';
import type { Estate } from '../../modes/schema';
import { MASK } from '../../modes/secrets';
import {
  componentNames,
  incidentOf,
  incidentsOf,
  incidentsUrl,
  INCIDENT_PLACEHOLDER,
  lookupRequest,
  maintenanceName,
  sameMaintenance,
  STATUS_OF,
  STATUS_STEPS,
  STATUSPAGE_ID,
  transitionRequest,
  utc,
  type IncidentSummary,
  type StatusPageRequest,
  type StatusPageSpec,
  type StatusStep,
} from '../../modes/components/statuspage/statuspage';
import type { Window } from '../../modes/fields';
import { usage, type Values } from './args';
import { estateFile, load } from './estates';
import { EXIT, type Fetch, type Io } from './io';

/** The steps, and `show`. */
export const STATUSPAGE_STEPS = [...STATUS_STEPS, 'show'] as const;
type Step = (typeof STATUSPAGE_STEPS)[number];

/** How long one request may take. */
export const REQUEST_TIMEOUT_MS = 30_000;

/** An answer's text, on one line and short, with the key taken out. */
function oneLine(text: string, scrub: (t: string) => string): string {
  const flat = scrub(text).replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 197)}...` : flat;
}

/** What an error answer says: Statuspage's `error` or `message`, else its text. */
function errorDetail(text: string, scrub: (t: string) => string): string {
  try {
    const json = JSON.parse(text) as { error?: unknown; message?: unknown };
    const said = json.error ?? json.message;
    if (typeof said === 'string') return oneLine(said, scrub);
    if (Array.isArray(said)) return oneLine(said.map(String).join('; '), scrub);
  } catch {
    // not JSON: its text
  }
  return oneLine(text, scrub);
}

class Api {
  constructor(
    private readonly fetch: Fetch,
    private readonly key: string,
    private readonly hints: { readonly keyEnv: string; readonly incident: boolean },
  ) {}

  /** The key replaced by [secret] wherever it appears. */
  readonly scrub = (text: string): string => (this.key.length >= 8 ? text.split(this.key).join(MASK) : text);

  /** Sends `req` and returns its answer's JSON; any failure is one DrawbridgeError line. */
  async send(req: StatusPageRequest): Promise<unknown> {
    const at = `${req.method} ${req.url}`;
    const writes = req.method !== 'GET';
    let res: Response;
    try {
      res = await this.fetch(req.url, {
        method: req.method,
        headers: { Authorization: `OAuth ${this.key}`, Accept: 'application/json', ...(req.body ? { 'Content-Type': 'application/json' } : {}) },
        ...(req.body ? { body: JSON.stringify(req.body) } : {}),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (e) {
      const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
      const why = err.name === 'TimeoutError' ? `no answer within ${REQUEST_TIMEOUT_MS / 1000} s` : (err.cause?.code ?? err.cause?.message ?? err.message ?? String(e));
      throw new DrawbridgeError(this.scrub(`could not reach api.statuspage.io (${at}): ${why}; ${writes ? 'the update may not have arrived (`drawbridge statuspage show` says), ' : ''}nothing else was sent`));
    }
    const text = await res.text().catch(() => '');
    if (!res.ok) {
      const detail = text ? `: ${errorDetail(text, this.scrub)}` : '';
      const hint =
        res.status === 401 || res.status === 403
          ? ` (check the key in $${this.hints.keyEnv} and its access to the page)`
          : res.status === 404
            ? ` (check statusPage.pageId${this.hints.incident ? ' and --incident' : ''})`
            : res.status === 420 || res.status === 429
              ? ' (rate limited, one request a second per key: run it again in a minute)'
              : '';
      const applied = !writes ? '' : res.status >= 500 ? 'the update may or may not have been applied (`drawbridge statuspage show` says), ' : 'the update was not applied, ';
      throw new DrawbridgeError(this.scrub(`Statuspage answered ${res.status}${res.statusText ? ` ${res.statusText}` : ''} to ${at}${detail}${hint}; ${applied}nothing else was sent`));
    }
    if (!text) return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return undefined;
    }
  }
}

/** The request as --dry-run prints it: the key as [secret]. */
function printed(req: StatusPageRequest, note = ''): string {
  const lines = [`${req.method} ${req.url}${note}`, `Authorization: OAuth ${MASK}`];
  if (req.body) lines.push('Content-Type: application/json', '', JSON.stringify(req.body, null, 2));
  return `${lines.join('\n')}\n`;
}

/** The estate's maintenance on the page: the one incident with its name scheduled for the window's start. */
async function findMaintenance(api: Api, sp: StatusPageSpec, window: Window): Promise<IncidentSummary[]> {
  const req = lookupRequest(sp, window);
  const answer = await api.send(req);
  const incidents = incidentsOf(answer);
  if (!incidents) throw new DrawbridgeError(`Statuspage answered ${req.method} ${req.url} with something other than a list of incidents; nothing else was sent`);
  return sameMaintenance(incidents, sp, window);
}

function describe(i: IncidentSummary): string {
  return `"${i.name}" (id ${i.id})`;
}

/** Exactly one maintenance, or the line that says why not. */
function theOne(found: readonly IncidentSummary[], sp: StatusPageSpec, window: Window): IncidentSummary {
  const name = maintenanceName(sp, window);
  if (found.length === 1) return found[0]!;
  if (!found.length) {
    throw new DrawbridgeError(
      `no maintenance named "${name}" scheduled for ${utc(window.start)} on page ${sp.pageId}; run \`drawbridge statuspage scheduled\` first, or pass --incident ID (the id in the maintenance's URL on manage.statuspage.io); nothing else was sent`,
    );
  }
  throw new DrawbridgeError(
    `${found.length} maintenances named "${name}" are scheduled for ${utc(window.start)} on page ${sp.pageId} (${found.map((i) => `${i.id}: ${i.status}`).join(', ')}); pass --incident ID to name one; nothing else was sent`,
  );
}

function checkArguments(values: Values, words: readonly string[]): Step {
  const [step, ...rest] = words;
  const steps = STATUSPAGE_STEPS.join(', ');
  if (step === undefined) throw usage(`statuspage needs a step; steps: ${steps}`, 'statuspage');
  if (rest.length) throw usage(`too many arguments (${words.map(typedWord).join(' ')}); give one step: ${steps}`, 'statuspage');
  if (!(STATUSPAGE_STEPS as readonly string[]).includes(step)) throw usage(`unknown step ${typed(step)}; steps: ${steps}`, 'statuspage');
  const incident = values.incident;
  if (incident !== undefined) {
    if (step === 'scheduled') throw usage('--incident does not apply to scheduled, which creates the maintenance', 'statuspage');
    if (!STATUSPAGE_ID.test(incident)) throw usage(`--incident ${typedWord(incident)} is not a Statuspage incident id (12 lower-case letters and digits, e.g. pgwm2qmd8b2m)`, 'statuspage');
  }
  return step as Step;
}

/** The estate's status page and window, or the line that says what is missing. */
function statusPageOf(file: string, estate: Estate): { sp: StatusPageSpec; window: Window } {
  if (!estate.statusPage) throw new DrawbridgeError(`${file}: declares no statusPage; add one (pageId, components) to use drawbridge statuspage (README, "Status page")`);
  if (!estate.window) throw new DrawbridgeError(`${file}: statusPage needs the window: a scheduled maintenance has its start and end; add window: (reason, announce, start, end, timeZones)`);
  return { sp: estate.statusPage, window: estate.window };
}

export async function statusPageCommand(io: Io, values: Values, words: readonly string[]): Promise<number> {
  const step = checkArguments(values, words);
  const file = estateFile(io, values.estate);
  const estate = load(io, file.file);
  const { sp, window } = statusPageOf(file.file, estate);
  const keyEnv = sp.apiKeyEnv;
  const key = io.env[keyEnv] ?? '';
  const given = values.incident;
  const transition: StatusStep | undefined = step === 'show' ? undefined : step;
  const name = maintenanceName(sp, window);

  if (values['dry-run']) {
    const out: string[] = ['dry run: nothing is sent.\n'];
    const lookup = lookupRequest(sp, window);
    if (step === 'show') out.push(printed(given ? { method: 'GET', url: incidentsUrl(sp.pageId, given) } : lookup));
    else {
      if (!given) out.push(printed(lookup, step === 'scheduled' ? '   (is it there already? then nothing more is sent)' : `   (finds the maintenance: its id goes in ${INCIDENT_PLACEHOLDER})`), '\n');
      out.push(printed(transitionRequest(transition!, sp, window, estate.brand, given)));
    }
    if (!key) out.push(`\n(${keyEnv} is not set: sending would stop before the first request)\n`);
    io.stdout.write(out.join(''));
    return EXIT.ok;
  }

  if (!key) throw new DrawbridgeError(`${keyEnv} is not set: export the Statuspage API key in it (manage.statuspage.io: Your profile > API info); nothing was sent`);
  const api = new Api(io.fetch ?? (globalThis.fetch as Fetch), key, { keyEnv, incident: !!given });
  const say = (line: string) => io.stdout.write(`${api.scrub(line)}\n`);

  if (step === 'show') {
    const found = given ? incidentOf(await api.send({ method: 'GET', url: incidentsUrl(sp.pageId, given) })) : theOne(await findMaintenance(api, sp, window), sp, window);
    if (!found) throw new DrawbridgeError(`Statuspage answered GET ${incidentsUrl(sp.pageId, given)} with something other than an incident`);
    say(`${found.status}: ${describe(found)}, scheduled ${found.scheduled_for ?? '?'} -> ${found.scheduled_until ?? '?'}`);
    return EXIT.ok;
  }

  if (step === 'scheduled') {
    const existing = await findMaintenance(api, sp, window);
    if (existing.length) {
      say(`statuspage: the maintenance "${name}" for ${utc(window.start)} exists already (${existing.map((i) => `id ${i.id}, ${i.status}`).join('; ')}); nothing was sent`);
      return EXIT.ok;
    }
    const created = incidentOf(await api.send(transitionRequest('scheduled', sp, window, estate.brand)));
    say(
      `statuspage: created the scheduled maintenance "${name}"${created ? ` (id ${created.id})` : ' (the answer gave no id: `drawbridge statuspage show` finds it)'} on page ${sp.pageId}: scheduled ${utc(window.start)} -> ${utc(window.end)}; ${componentNames(sp)}`,
    );
    return EXIT.ok;
  }

  const target = STATUS_OF[transition!];
  let id = given;
  let was: string | undefined;
  if (!id) {
    const one = theOne(await findMaintenance(api, sp, window), sp, window);
    if (one.status === target) {
      say(`statuspage: ${describe(one)} is ${target} already; nothing was sent`);
      return EXIT.ok;
    }
    id = one.id;
    was = one.status;
  }
  const req = transitionRequest(transition!, sp, window, estate.brand, id);
  const updated = incidentOf(await api.send(req));
  const components = req.body?.incident.components ? `; ${componentNames(sp)}: ${Object.values(req.body.incident.components)[0]!.replace('_', ' ')}` : '';
  say(`statuspage: "${updated?.name ?? name}" (id ${id}): ${was ? `${was} -> ` : ''}${updated?.status ?? target}${components}`);
  return EXIT.ok;
}
