/**
 * What every part of the plan needs to know about where it runs: the estate, the file the operator
 * names, the deploy target of the engines, and the site's URL.
 */
import type { VerifyContext } from '../component';
import type { DeployTarget } from '../engines';
import type { ModeState } from '../fields';
import type { Estate } from '../schema';
import type { Check } from './types';

export interface PlanContext {
  readonly estate: Estate;
  readonly estateFile: string;
  readonly target: DeployTarget;
  readonly siteUrl: URL;
}

/** ` --region <aws.region>` for the AWS CLI commands the plan prints ('' for an estate without aws:). */
export function regionArg(estate: Estate): string {
  return estate.aws?.region ? ` --region ${estate.aws.region}` : '';
}

/** A URL on the site, optionally on another of its hosts. */
export function siteUrl(ctx: PlanContext, path: string, host?: string): string {
  const u = new URL(ctx.siteUrl.toString());
  if (host) u.hostname = host;
  u.pathname = path;
  u.search = '';
  return u.toString();
}

/** What a component's `verify` is handed. */
export function verifyContext(ctx: PlanContext, to: ModeState): VerifyContext {
  return { to, url: (path, host) => siteUrl(ctx, path, host), siteHealthPath: ctx.estate.site.healthPath, regionArg: regionArg(ctx.estate), stack: ctx.target.stack };
}

/**
 * Where to run checks of what the gate shows customers: staff addresses on the bypass allow-list
 * (and browsers holding the bypass cookie) get through the gate, so they would see the origin.
 */
function outsideBypass(estate: Estate): string | undefined {
  const bypass = estate.cloudflare?.gate?.bypass;
  if (!bypass) return undefined;
  const ips = bypass.allowIps;
  const through = 'staff get through the gate (answers carry X-Drawbridge-Bypass)';
  return ips.length
    ? `from outside the bypass allow-list (not from ${ips.join(', ')}) and without the ${bypass.cookieName} cookie: ${through}`
    : `without the ${bypass.cookieName} cookie: ${through}`;
}

/** The check, to be run from outside the staff bypass when the estate has a gate. */
export function customerView(ctx: PlanContext, c: Check): Check {
  const from = outsideBypass(ctx.estate);
  return from ? { ...c, from } : c;
}
