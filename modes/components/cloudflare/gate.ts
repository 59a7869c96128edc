/**
 * The maintenance gate Worker, when the estate puts one in front (it may not: a site whose own
 * application shows the page, or one with its own Workers, has none). Its flags are what the public
 * sees (the mode table's `gate()`: MAINTENANCE while the page is up or the target is held behind it,
 * READ_ONLY while the source is frozen read-only), its page shows the estate's window and brand, and
 * it always passes health paths to the origin. While it holds the public it lets the declared
 * `allowPaths` through (webhooks, legal pages, static assets) and answers `apiPaths` in JSON
 * (modes/gate-paths.ts). The script's name, content, routes and bindings other than the flags are
 * the same in every mode.
 */
import { z } from 'zod';
import { on } from '../../colours';
import { changeOf, defineComponent, type Change, type Effect } from '../../component';
import type { DesiredCloudflare } from '../../desired';
import { show } from '../../errors';
import { id, ipOrCidr, path, type Brand, type Window } from '../../fields';
import { DEFAULT_BYPASS_COOKIE, DEFAULT_BYPASS_PATH, DEFAULT_BYPASS_TTL_SECONDS, type GateBindings, type PageBindings } from '../../gate-contract';
import { MAX_BINDING_BYTES, parsePathEntry, pathMatches, type PathList, type PathRule } from '../../gate-paths';
import { showValue } from '../../secrets';
import { MIN_ALLOW_PREFIX, parseIpRange, tooBroad } from '../../ip';

const Bypass = z.strictObject({
  allowIps: z.array(ipOrCidr).default([]),
  cookieName: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).default(DEFAULT_BYPASS_COOKIE),
  ttlSeconds: z.number().int().min(60).max(86400).default(DEFAULT_BYPASS_TTL_SECONDS),
  path: path.default(DEFAULT_BYPASS_PATH),
});

/** A Worker's script name, as Cloudflare accepts it. */
export const workerName = z.string().regex(/^[a-z0-9][a-z0-9-_]{0,62}$/, 'must be a Worker name (lower-case letters, digits, - and _)');

const Gate = z.strictObject({
  scriptName: workerName,
  routes: z
    .array(z.strictObject({ zone: id, pattern: z.string().min(1).regex(/^[^\s]+\/\*?[^\s]*$/, 'must be a route pattern such as example.com/*') }))
    .min(1),
  healthPaths: z.array(path).default([]).describe('Paths always passed to the origin; the target groups\' health paths are added.'),
  allowPaths: z
    .array(z.string())
    .default([])
    .describe(
      "Paths let through to the origin in maintenance and read-only mode (payment and identity webhooks, legal pages, static assets), each '[METHOD ...] PATH': " +
        "'/terms' is that path exactly (case-sensitive, no trailing slash), '/assets/*' is /assets and everything under /assets/ (never /assetsx). " +
        "Methods (GET HEAD POST PUT PATCH DELETE OPTIONS) come first, separated by spaces; none means GET and HEAD. 'POST /webhooks/stripe' lets the webhook through, writes included, in read-only mode too. " +
        "Refused: the home page ('/', '/*'), the bypass path, query strings, '..', '//', '%' and duplicates.",
    ),
  apiPaths: z
    .array(z.string())
    .default([])
    .describe("Paths refused with the JSON 503 whatever Accept says, exact ('/graphql') or prefix ('/api/*', on a segment boundary as in allowPaths); no methods. Others get the page or JSON by Accept."),
  bypass: Bypass.default({ allowIps: [], cookieName: DEFAULT_BYPASS_COOKIE, ttlSeconds: DEFAULT_BYPASS_TTL_SECONDS, path: DEFAULT_BYPASS_PATH }),
})
  .optional()
  .describe("Drawbridge's maintenance gate Worker in front of the site. Optional: without it the application's own page (aws.parameters, cloudflare.appWorkers) holds the public.");

/**
 * A path list as its binding carries it: entries written out in full (methods included), in the
 * order declared. An entry that does not parse is passed as typed (check refuses it; the gate logs
 * and ignores it).
 */
export function pathListBinding(entries: readonly string[], list: PathList): string {
  return entries
    .map((e) => {
      const parsed = parsePathEntry(e, list);
      return parsed.ok ? parsed.rule.text : e.trim();
    })
    .join(',');
}

/** The page's content from the estate: reason, window, zones and brand. The same in every mode. */
export function pageBindings(estate: { readonly window?: Window | undefined; readonly brand: Brand }): PageBindings {
  const w = estate.window;
  return {
    REASON: w?.reason ?? '',
    WINDOW_ANNOUNCE: w?.announce ?? '',
    WINDOW_START: w?.start ?? '',
    WINDOW_END: w?.end ?? '',
    TIME_ZONES: (w?.timeZones ?? ['UTC']).join(','),
    BRAND_NAME: estate.brand.name,
    BRAND_COLOUR: estate.brand.colour,
    STATUS_URL: estate.brand.statusUrl ?? '',
    CONTACT: estate.brand.contact ?? '',
  };
}

/** Every path the gate always passes to the origin: declared ones, the site's, the target groups'. */
export function healthPaths(site: string, declared: readonly string[], targetGroups: readonly { healthPath: string; maintenanceHealthPath: string }[]): string[] {
  const paths = [site, ...declared];
  for (const t of targetGroups) paths.push(t.healthPath, t.maintenanceHealthPath);
  return [...new Set(paths.filter((p) => p !== '/'))].sort();
}

/**
 * What a flag of the public's view (the page, read-only) switching does: going up holds the public;
 * going down releases it only when no other flag still holds it (read-only giving way to the page
 * when a cutover's target is held behind it releases nobody).
 */
export function publicEffects(up: boolean, heldAfter: boolean): Effect[] {
  if (up) return ['holds-public'];
  return heldAfter ? [] : ['releases-public'];
}

type GateItem = NonNullable<DesiredCloudflare['gate']> & { readonly id: 'gate' };

export const gate = defineComponent({
  kind: 'gate',
  provider: 'cloudflare',
  key: 'gate',
  schema: Gate,
  rules: [
    function bypassPathIsItsOwn(g, ctx) {
      if (!g) return;
      const p = g.bypass.path;
      const health = g.healthPaths.includes(p) ? 'a health path' : ctx.facts.healthPaths?.includes(p) ? "a health path (the site's or a target group's)" : undefined;
      if (p === '/robots.txt' || health) {
        ctx.report(['bypass', 'path'], `${show(p)} is also ${p === '/robots.txt' ? 'robots.txt' : health}; the bypass form would answer instead of the origin. Use a path of its own, such as /__drawbridge/bypass`);
      }
    },
    function pathListsAreSafe(g, ctx) {
      // The same parser as the gate's (edge/config.ts), so `check` refuses what the gate would ignore.
      if (!g) return;
      const lists: [key: 'allowPaths' | 'apiPaths', list: PathList][] = [['allowPaths', 'allow'], ['apiPaths', 'api']];
      for (const [key, list] of lists) {
        const seen = new Map<string, { readonly at: number; readonly rule: PathRule }>();
        g[key].forEach((entry, i) => {
          const parsed = parsePathEntry(entry, list);
          if (!parsed.ok) {
            ctx.report([key, i], `${show(entry)} ${parsed.problem}`);
            return;
          }
          const rule = parsed.rule;
          const pattern = rule.prefix ? `${rule.path}/*` : rule.path;
          const first = seen.get(pattern);
          if (first !== undefined) {
            const merged = `${[...new Set([...first.rule.methods, ...rule.methods])].join(' ')} ${pattern}`;
            ctx.report([key, i], `${show(entry)} lists ${pattern} again (already at ${ctx.where([key, first.at])}); list each path once${list === 'allow' ? `, with all its methods (${merged})` : ''}`);
            return;
          }
          seen.set(pattern, { at: i, rule });
          if (list === 'allow' && pathMatches(rule, g.bypass.path)) {
            ctx.report([key, i], `${show(entry)} covers the bypass path ${g.bypass.path}, which the staff bypass form answers, never the origin; list paths of the site only`);
          }
        });
        const bytes = new TextEncoder().encode(pathListBinding(g[key], list)).length;
        if (bytes > MAX_BINDING_BYTES) {
          ctx.report([key], `written out (${list === 'allow' ? 'ALLOW_PATHS' : 'API_PATHS'}) is ${bytes} bytes; a Worker variable holds at most ${MAX_BINDING_BYTES} bytes, so the deploy would fail; list prefixes (/assets/*) instead of many paths`);
        }
      }
    },
    function allowListNotEveryone(g, ctx) {
      // The same check as the gate's (modes/ip.ts), so `check` refuses what the gate would ignore.
      g?.bypass.allowIps.forEach((entry, i) => {
        const range = parseIpRange(entry);
        if (range && tooBroad(range)) {
          ctx.report(['bypass', 'allowIps', i], `${show(entry)} would let nearly everyone bypass the page; allowed: IPv4 ranges of /${MIN_ALLOW_PREFIX.v4} or narrower, IPv6 of /${MIN_ALLOW_PREFIX.v6} or narrower (list your offices' addresses)`);
        }
      });
    },
    function routesInTheirZone(g, ctx) {
      const zones = ctx.facts.zones;
      g?.routes.forEach((route, i) => {
        const zone = zones.get(route.zone);
        if (zone === undefined) {
          ctx.report(['routes', i, 'zone'], `unknown zone '${route.zone}'; allowed: ${[...zones.keys()].join(', ')}`);
          return;
        }
        const host = route.pattern.split('/')[0]!.replace(/^\*\.?/, '');
        if (host !== zone && !host.endsWith(`.${zone}`)) {
          ctx.report(['routes', i, 'pattern'], `'${route.pattern}' is not in the zone ${zone}; a route's host must be the zone or one of its subdomains`);
        }
      });
    },
  ],
  resolve: (g, { table, facts }) => {
    if (!g) return {};
    const page = pageBindings(facts);
    const shows = table.gate();
    // Listed in this order on purpose: it is the order of the Worker's bindings in the stack.
    const bindings: GateBindings = {
      MAINTENANCE: on(shows.maintenance),
      READ_ONLY: on(shows.readOnly),
      REASON: page.REASON,
      WINDOW_ANNOUNCE: page.WINDOW_ANNOUNCE,
      WINDOW_START: page.WINDOW_START,
      WINDOW_END: page.WINDOW_END,
      TIME_ZONES: page.TIME_ZONES,
      HEALTH_PATHS: healthPaths(facts.siteHealthPath, g.healthPaths, facts.targetGroups).join(','),
      ALLOW_PATHS: pathListBinding(g.allowPaths, 'allow'),
      API_PATHS: pathListBinding(g.apiPaths, 'api'),
      BYPASS_ALLOW_IPS: g.bypass.allowIps.join(','),
      BYPASS_COOKIE: g.bypass.cookieName,
      BYPASS_TTL_SECONDS: String(g.bypass.ttlSeconds),
      BYPASS_PATH: g.bypass.path,
      BRAND_NAME: page.BRAND_NAME,
      BRAND_COLOUR: page.BRAND_COLOUR,
      STATUS_URL: page.STATUS_URL,
      CONTACT: page.CONTACT,
    };
    return {
      gate: {
        scriptName: g.scriptName,
        routes: g.routes.map((r) => ({ zone: r.zone, zoneId: facts.zones.get(r.zone)?.zoneId ?? '', pattern: r.pattern })),
        bindings,
      },
    };
  },
  items: (cf): GateItem[] => (cf.gate ? [{ ...cf.gate, id: 'gate' }] : []),
  describe(x, y) {
    if (!x || !y) return [];
    const script = y.scriptName;
    const c = changeOf(this, 'gate', script);
    const out: Change[] = [];
    if (x.scriptName !== script) out.push(c('modify', `gate Worker renamed ${x.scriptName} -> ${script} (replaces the Worker)`, { field: 'scriptName', from: x.scriptName, to: script, effects: ['replaces'] }));
    for (const key of Object.keys(y.bindings) as (keyof GateBindings)[]) {
      const was = x.bindings[key];
      const now = y.bindings[key];
      if (was === now) continue;
      const from = showValue(key, was);
      const to = showValue(key, now);
      const held = key === 'MAINTENANCE' || key === 'READ_ONLY' ? publicEffects(now === '1', y.bindings.MAINTENANCE === '1' || y.bindings.READ_ONLY === '1') : [];
      out.push(c('modify', `${key} ${from} -> ${to} on ${script}`, { field: `bindings.${key}`, from, to, effects: ['flips-flag', ...held] }));
    }
    const before = x.routes.map((r) => r.pattern);
    const after = y.routes.map((r) => r.pattern);
    for (const p of after) if (!before.includes(p)) out.push(c('modify', `route ${p} -> ${script} added`, { field: 'routes', to: p, effects: ['moves-traffic'] }));
    for (const p of before) if (!after.includes(p)) out.push(c('modify', `route ${p} removed from ${script}`, { field: 'routes', from: p, effects: ['moves-traffic'] }));
    return out;
  },
  identity: (g) => [g.scriptName, g.routes],
  // The gate is what the public meets first.
  shows: (cf) => (cf.gate ? (cf.gate.bindings.MAINTENANCE === '1' ? 'down' : cf.gate.bindings.READ_ONLY === '1' ? 'read-only' : 'open') : undefined),
  checks(cf) {
    const problems: string[] = [];
    if (!cf.gate) return problems;
    const patterns = new Map<string, string>();
    for (const route of cf.gate.routes) {
      const first = patterns.get(route.pattern);
      if (first !== undefined) problems.push(`cloudflare.gate.routes: pattern ${show(route.pattern)} is listed twice (zones ${first} and ${route.zone}); list each pattern once`);
      patterns.set(route.pattern, route.zone);
    }
    // The gate runs only on proxied traffic: a route whose host is a DNS-only record never sees a request.
    cf.gate.routes.forEach((route, i) => {
      const host = route.pattern.split('/')[0]!.replace(/^\*\./, '');
      const unproxied = cf.records.filter((r) => r.name === host && !r.proxied);
      if (unproxied.length) {
        problems.push(
          `cloudflare.gate.routes[${i}]: ${show(route.pattern)} is on ${unproxied.map((r) => `record ${r.id}`).join(', ')}, which is DNS-only (proxied: false), so the gate never runs there; set proxied: true on the record or drop the route`,
        );
      }
    });
    return problems;
  },
});
