/**
 * The checks a person runs after each step: what the public sees once a leg is deployed (from the
 * desired state itself, so a check never expects what that state cannot give), what the origin
 * does (each component's own `verify`), and the confirmation of a declared manual step.
 */
import { servingColour } from '../colours';
import type { DesiredState } from '../desired';
import type { ModeState } from '../fields';
import { componentsOf } from '../registry';
import type { ManualStepSpec } from '../schema';
import { customerView, siteUrl, verifyContext, type PlanContext } from './context';
import type { Check } from './types';

/** What the public sees in a desired state. */
export type PublicView = 'open' | 'read-only' | 'down';

/**
 * What the public sees: the gate's flags when the estate has one, else the serving colour's
 * application (its Beanstalk environment's or its flags' maintenance and read-only settings).
 */
export function publicView(d: DesiredState): PublicView {
  const gate = d.cloudflare?.gate?.bindings;
  if (gate) return gate.MAINTENANCE === '1' ? 'down' : gate.READ_ONLY === '1' ? 'read-only' : 'open';
  if ((d.cloudflare?.records ?? []).some((r) => r.target.kind === 'downPage')) return 'down';
  const serving = servingColour(d.state);
  const env = d.aws?.beanstalk?.environments.find((e) => e.colour === serving);
  if (env) return env.variables.DRAWBRIDGE_MAINTENANCE === '1' ? 'down' : env.variables.DRAWBRIDGE_READ_ONLY === '1' ? 'read-only' : 'open';
  const flags = (d.aws?.parameters ?? []).filter((p) => p.set && (p.colour === undefined || p.colour === serving));
  if (flags.some((p) => p.flag === 'maintenance')) return 'down';
  if (flags.some((p) => p.flag === 'readOnly')) return 'read-only';
  return 'open';
}

/** Identical checks (same request or command, same expectation) listed once, the first kept. */
export function dedupeChecks(checks: readonly Check[]): Check[] {
  const seen = new Set<string>();
  return checks.filter((c) => {
    const key = c.url || c.command ? JSON.stringify([c.method ?? 'GET', c.url, c.expect ?? 200, c.command, c.output]) : JSON.stringify([c.what]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** What the public sees once a leg that holds or releases it is deployed. */
export function edgeChecks(ctx: PlanContext, to: ModeState, d: DesiredState): Check[] {
  const site = ctx.siteUrl.toString();
  const health = siteUrl(ctx, ctx.estate.site.healthPath);
  // The site's own URL cannot both answer the page and be the health path that reaches the origin.
  const healthCheck = health !== site;
  const gate = !!d.cloudflare?.gate;
  const down = gate ? 503 : ctx.estate.site.maintenanceStatus;
  const hardDown = (d.cloudflare?.records ?? []).some((r) => r.target.kind === 'downPage');
  switch (publicView(d)) {
    case 'down': {
      const page = gate || hardDown ? 'the maintenance page answers, with Retry-After' : "the application's maintenance page answers";
      const checks: Check[] = [customerView(ctx, { what: page, method: 'GET', url: site, expect: hardDown ? 503 : down })];
      // In a hard-down the origin may well be unreachable: that is what the down page is for.
      if (!hardDown && gate && healthCheck) checks.push({ what: 'the health path still reaches the origin', method: 'GET', url: health, expect: 200 });
      if (hardDown && d.cloudflare?.downPage) {
        // The down page answers 503 on every path but robots.txt, which answers 200 once it is uploaded
        // (`npm run build:edge` then `wrangler pages deploy`: the provider does not upload files).
        const dp = d.cloudflare.downPage;
        checks.push({
          what: `the static down page is uploaded (else: npm run build:edge -- --estate ${ctx.estateFile} && npx wrangler pages deploy dist/pages/${ctx.estate.name} --project-name ${dp.projectName} --branch main)`,
          method: 'GET',
          url: `https://${dp.pagesDomain}/robots.txt`,
          expect: 200,
        });
        checks.push({ what: 'the down page answers for the site, with Retry-After', method: 'GET', url: `https://${dp.pagesDomain}/`, expect: 503 });
      }
      if (to.mode === 'cutover' && to.target && servingColour(to) === to.target && gate) {
        checks.push({ what: `staff reach ${to.target} through the bypass`, method: 'GET', url: site, expect: 200, from: 'through the staff bypass (an allow-listed address or the bypass cookie)' });
      }
      return checks;
    }
    case 'read-only':
      return [
        { what: 'reads are served', method: 'GET', url: site, expect: 200 },
        customerView(ctx, { what: 'writes are refused', method: 'POST', url: site, expect: gate ? 503 : down }),
      ];
    case 'open':
      return [
        customerView(ctx, { what: 'the site answers', method: 'GET', url: site, expect: 200 }),
        ...(healthCheck ? [{ what: 'the health path answers', method: 'GET' as const, url: health, expect: 200 }] : []),
      ];
  }
}

/** What the origin does after an AWS deploy: each AWS component's own checks. */
export function originChecks(ctx: PlanContext, to: ModeState, before: DesiredState, d: DesiredState): Check[] {
  const aws = d.aws;
  if (!aws) return [];
  const v = verifyContext(ctx, to);
  return componentsOf('aws').flatMap((c) => c.verify?.(before.aws, aws, v) ?? []);
}

/** How a person confirms a declared manual step: its own request when it declares one. */
export function manualCheck(ctx: PlanContext, step: ManualStepSpec): Check[] {
  const estate = ctx.estate;
  if (step.check) {
    const c = step.check;
    return [{ what: `${step.title.replace(/\.$/, '')}: done`, method: c.method === 'HEAD' ? 'GET' : c.method, url: c.url, expect: c.expect, ...(c.from ? { from: c.from } : {}) }];
  }
  switch (step.kind) {
    case 'status-page':
      return estate.brand.statusUrl
        ? [{ what: 'the status page shows the update', method: 'GET', url: estate.brand.statusUrl, expect: 200 }]
        : [{ what: 'the status page shows the update' }];
    case 'sql':
      return [{ what: 'the statements complete without error (note the rows affected)' }];
    case 'command':
      return [{ what: 'the command exits 0' }];
    case 'message':
      return [{ what: 'the message is posted where customers and staff see it' }];
    case 'check':
    case 'test':
      return [{ what: `${step.title.replace(/\.$/, '')}: done, and what it showed noted in the log of the move` }];
  }
}
