/**
 * The checks a person runs after each step: what the edge shows customers after a deploy that holds
 * the page, what the origin does after one behind it (each component's own `verify`), and the
 * confirmation of a declared manual step.
 */
import type { DesiredState } from '../desired';
import type { ModeState } from '../fields';
import { componentsOf } from '../registry';
import type { Estate, ManualStepSpec } from '../schema';
import { customerView, siteUrl, verifyContext, type PlanContext } from './context';
import { effect } from './moves';
import type { Check } from './types';

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

/** What customers see once the engine holding the page (or the freeze) has deployed `to`. */
export function edgeChecks(ctx: PlanContext, to: ModeState, d: DesiredState): Check[] {
  const site = ctx.siteUrl.toString();
  const health = siteUrl(ctx, ctx.estate.site.healthPath);
  switch (effect(to)) {
    case 'down': {
      const checks: Check[] = [customerView(ctx, { what: 'the maintenance page answers, with Retry-After', method: 'GET', url: site, expect: 503 })];
      // In a hard-down the origin may well be unreachable: that is what the down page is for.
      if (!to.hardDown) checks.push({ what: 'the health path still reaches the origin', method: 'GET', url: health, expect: 200 });
      if (to.hardDown && d.cloudflare?.downPage) {
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
      return checks;
    }
    case 'read-only':
      return [
        { what: 'reads are served', method: 'GET', url: site, expect: 200 },
        customerView(ctx, { what: 'writes are refused', method: 'POST', url: site, expect: 503 }),
      ];
    case 'open':
      return [
        customerView(ctx, { what: 'the site is back', method: 'GET', url: site, expect: 200 }),
        { what: 'the health path answers', method: 'GET', url: health, expect: 200 },
      ];
  }
}

/**
 * What the origin does after an AWS deploy of `to`: each AWS component's own checks, then what the
 * site answers (the page still up when Cloudflare holds it, else the site or its reads).
 */
export function originChecks(ctx: PlanContext, to: ModeState, before: DesiredState, d: DesiredState, pageHeld: boolean, includeSite = true): Check[] {
  const aws = d.aws;
  if (!aws) return [];
  const v = verifyContext(ctx, to);
  const checks = componentsOf('aws').flatMap((c) => c.verify?.(before.aws, aws, v) ?? []);
  if (!includeSite) return checks;
  const site = ctx.siteUrl.toString();
  if (pageHeld) checks.push(customerView(ctx, { what: 'the maintenance page is still up', method: 'GET', url: site, expect: 503 }));
  else if (effect(to) === 'open') checks.push({ what: 'the site answers', method: 'GET', url: site, expect: 200 });
  else if (effect(to) === 'read-only') checks.push({ what: 'reads are served', method: 'GET', url: site, expect: 200 });
  return checks;
}

/** How a person confirms a declared manual step. */
export function manualCheck(estate: Estate, step: ManualStepSpec): Check[] {
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
      return [{ what: `done: ${step.title.charAt(0).toLowerCase()}${step.title.slice(1)}` }];
  }
}
