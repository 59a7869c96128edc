/**
 * The estate schema's building blocks: field schemas shared by several components (ids, paths, host
 * names, ARNs, colours, times) and the estate-wide parts every component may read (the mode state,
 * the window, the brand, record targets). Components compose their fragments from these; the
 * estate schema (`schema.ts`) composes the components.
 */
import { z } from 'zod';
import { DEFAULT_BRAND_COLOUR } from './gate-contract';
import { HOST_NAME, IPV4_CIDR, IPV6_CIDR, URL_PATH } from './patterns';

export const MODES = ['normal', 'maintenance', 'cutover'] as const;
export const COLOURS = ['blue', 'green'] as const;
export const PHASES = ['days-before', 'day-before', 'minutes-before', 'start', 'end', 'after'] as const;

/** Maintenance slots, in the order entering maintenance switches them (stages.ts). */
export const SLOTS = ['ahead', 'page', 'behind'] as const;
/** Stages of a cutover, in order (stages.ts). */
export const CUTOVER_STAGES = ['prepare', 'freeze', 'restore', 'move'] as const;
/** Every stage a mode state may name: maintenance ahead/page, leaving behind/page, the cutover's. */
export const STAGES = ['ahead', 'page', 'behind', 'prepare', 'freeze', 'restore', 'move'] as const;

export const Mode = z.enum(MODES);
export const Colour = z.enum(COLOURS);
export const Phase = z.enum(PHASES);

export const id = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,39}$/, 'must be lower-case letters, digits and dashes, starting with a letter (at most 40)')
  .describe('An id unique among its kind; used for logical ids and Pulumi names, so never change it.');

export const path = z.string().regex(URL_PATH, "must start with '/' and contain no spaces or commas");

export const hostname = z.string().max(253).regex(HOST_NAME, 'must be a lower-case DNS name such as www.example.com');

export const isoTime = z.iso
  .datetime({ offset: true })
  .describe('ISO-8601 date and time with an offset, e.g. 2030-01-19T22:00:00Z');

/*
 * An estate is parsed once per process: zod's compiled (new Function) fast path costs more to build
 * than it saves on one parse, and `drawbridge check` is mostly start-up.
 */
z.config({ jitless: true });

const knownZones = new Map<string, boolean>();
/** ICU's canonical zone names: a set lookup instead of loading a zone's rules (~20 ms for the first). */
let canonicalZones: ReadonlySet<string> | undefined;
export function isTimeZone(value: string): boolean {
  if (value === 'UTC') return true;
  canonicalZones ??= new Set(Intl.supportedValuesOf('timeZone'));
  if (canonicalZones.has(value)) return value.includes('/') || value === 'UTC';
  let known = knownZones.get(value);
  if (known === undefined) {
    // Aliases (Asia/Calcutta, US/Eastern) are valid too, though not canonical.
    try {
      new Intl.DateTimeFormat('en-GB', { timeZone: value });
      known = value.includes('/') || value === 'UTC';
    } catch {
      known = false;
    }
    if (knownZones.size < 1000) knownZones.set(value, known);
  }
  return known;
}

export const timeZone = z
  .string()
  .refine(isTimeZone, { error: (issue) => `${JSON.stringify(issue.input)} must be an IANA time zone such as Europe/London, America/New_York or UTC` })
  .describe('IANA time zone name');

export const awsAccount = z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account id');
export const awsRegion = z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, 'must be an AWS region such as eu-west-2');
export const arn = (service: string) =>
  z.string().regex(new RegExp(`^arn:aws[a-z-]*:${service}:`), `must be an ARN of the ${service} service (arn:aws:${service}:...)`);
export const sgId = z.string().regex(/^sg-[0-9a-f]{8,17}$/, 'must be a security group id (sg-...)');
export const subnetId = z.string().regex(/^subnet-[0-9a-f]{8,17}$/, 'must be a subnet id (subnet-...)');
export const hostedZoneId = z.string().regex(/^Z[A-Z0-9]{4,32}$/, 'must be a hosted zone id (Z...)');
export const ipOrCidr = z
  .string()
  .regex(new RegExp(`${IPV4_CIDR.source}|${IPV6_CIDR.source}`, 'i'), 'must be an IPv4 or IPv6 address, optionally with a /prefix');
export const cfId = z.string().regex(/^[0-9a-f]{32}$/, 'must be a 32-character Cloudflare id (hex)');
export const capacity = z.number().int().min(0).max(1000);
export const port = z.number().int().min(1).max(65535);

/** The committed mode state: the one line a pull request changes to enter or leave a mode. */
export const ModeStateSchema = z.strictObject({
  mode: Mode.default('normal').describe('normal | maintenance | cutover'),
  live: Colour.default('blue').describe('The colour serving customers (estates with blue/green parts).'),
  target: Colour.optional().describe('During a cutover, the colour being moved to. Must differ from live.'),
  hardDown: z
    .boolean()
    .default(false)
    .describe('Maintenance variant for when the origin is unreachable: site records point at the static down page.'),
  stage: z
    .enum(STAGES)
    .optional()
    .describe(
      'A stage of a move in progress. maintenance: ahead | page (then complete); normal, leaving maintenance: behind | page; cutover: prepare | freeze | restore | move (the default). `drawbridge plan` lists the stages of a move.',
    ),
});

/** When an item switches in a maintenance move: ahead of the page, with it, or behind it (stages.ts). */
export const TimingSchema = z
  .strictObject({
    enter: z.enum(SLOTS).describe('ahead: minutes before the start; page: with the maintenance page; behind: once the page is up'),
    leave: z.enum(SLOTS).describe('behind: first on the way out; page: with the page coming down; ahead: after it, once the site is back'),
  })
  .describe('When this item switches entering and leaving maintenance.');

/** How a cutover goes, for the whole estate. */
export const CutoverPolicySchema = z.strictObject({
  freeze: z
    .enum(['read-only', 'maintenance', 'none'])
    .default('read-only')
    .describe('How the source is frozen from the freeze stage: writes refused, the maintenance page, or not at all (a rolling upgrade).'),
  test: z
    .enum(['behind-page', 'before-move'])
    .optional()
    .describe('Where staff test the target: behind the page once traffic is on it (the default with a Cloudflare gate), or on its own address before traffic moves (the default without).'),
});

/** What the page answers during a long window (`window.longOutage`): README, "Long outages". */
export const LONG_OUTAGE = ['placeholder', 'keep-503'] as const;

export const WindowSchema = z.strictObject({
  reason: z.string().min(1).max(200).describe('Shown to customers on the maintenance page.'),
  announce: isoTime.describe('From this time the site shows a banner announcing the window.'),
  start: isoTime,
  end: isoTime.describe('Retry-After and the page\'s "back at" times are derived from this.'),
  timeZones: z.array(timeZone).min(1).max(8).describe('Time zones the end time is shown in, in this order.'),
  longOutage: z
    .enum(LONG_OUTAGE)
    .optional()
    .describe(
      'For a window longer than two days (search engines may drop pages that answer 503 that long). placeholder: a 200 page with noindex is served instead of the 503 (today by the application\'s own maintenance page, with site.maintenanceStatus: 200; the gate and the down page answer 503). keep-503: the 503 with Retry-After, on purpose.',
    ),
});

export const BrandSchema = z.strictObject({
  name: z.string().min(1).max(80),
  colour: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a #rrggbb colour').default(DEFAULT_BRAND_COLOUR),
  statusUrl: z.url().optional(),
  contact: z.string().max(200).optional(),
});

/** What a DNS record points at: a fixed value, the load balancer, the serving Beanstalk environment, or a value per colour. */
export const RecordTarget = z.union([
  z.strictObject({ value: z.string().min(1) }),
  z.strictObject({ loadBalancer: z.literal(true) }),
  z.strictObject({
    beanstalk: z
      .union([z.literal(true), id])
      .describe('The serving colour\'s environment (the target\'s once a cutover moves traffic): true for the first Beanstalk application, or the id of one in the list.'),
  }),
  z.strictObject({ colours: z.strictObject({ blue: z.string().min(1), green: z.string().min(1) }).describe('One value per colour: the live one (the target during a cutover).') }),
]);

export type ModeState = z.output<typeof ModeStateSchema>;
export type TimingSpec = z.output<typeof TimingSchema>;
export type Window = z.output<typeof WindowSchema>;
export type Brand = z.output<typeof BrandSchema>;
export type ModeName = z.output<typeof Mode>;
export type ColourName = z.output<typeof Colour>;
export type PhaseName = z.output<typeof Phase>;
export type RecordTargetSpec = z.output<typeof RecordTarget>;
