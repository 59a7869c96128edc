/**
 * The checks a person runs after each step: what the public sees once a leg is deployed (from the
 * desired state itself, so a check never expects what that state cannot give), what the origin
 * does (each component's own `verify`), and the confirmation of a declared manual step.
 */
import { servingColour } from '../colours';
import type { PublicView } from '../component';
import type { DesiredState } from '../desired';
import type { Provider } from '../engines';
import type { ModeState } from '../fields';
import { componentsOf } from '../registry';
import type { ManualStepSpec } from '../schema';
import { customerView, siteUrl, verifyContext, type PlanContext } from './context';
import type { Check } from './types';

export type { PublicView } from '../component';

const WORST: readonly PublicView[] = ['down', 'read-only', 'open'];

/**
 * What the public sees: at the edge, the first Cloudflare component that decides it (the gate, the
 * application's Workers, a hard-down's records); else the worst of what the origin's components
 * say (the serving colour's Beanstalk environment, its flags); open when none decides.
 */
export function publicView(d: DesiredState): PublicView {
  const views = (provider: Provider) =>
    componentsOf(provider).flatMap((c) => {
      const part = d[provider];
      const v = part && c.shows ? c.shows(part, d) : undefined;
      return v ? [v] : [];
    });
  const edge = views('cloudflare');
  if (edge.length) return edge[0]!;
  const origin = views('aws');
  return WORST.find((v) => origin.includes(v)) ?? 'open';
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
        // The gate answers writes 503; an application's own read-only mode answers them its own way.
        customerView(ctx, gate ? { what: 'writes are refused', method: 'POST', url: site, expect: 503 } : { what: 'writes are refused: the application says it is read-only', method: 'POST', url: site }),
      ];
    case 'open':
      return [
        customerView(ctx, { what: 'the site answers', method: 'GET', url: site, expect: 200 }),
        ...(healthCheck ? [{ what: 'the health path answers', method: 'GET' as const, url: health, expect: 200 }] : []),
      ];
  }
}

/** What a provider's components check after its deploy (each component's own `verify`). */
export function componentChecks(ctx: PlanContext, provider: Provider, to: ModeState, before: DesiredState, d: DesiredState): Check[] {
  const part = d[provider];
  if (!part) return [];
  const v = verifyContext(ctx, to);
  return componentsOf(provider).flatMap((c) => c.verify?.(before[provider], part, v) ?? []);
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
