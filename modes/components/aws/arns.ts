/**
 * ARNs the estate names (a certificate, the load balancer, Lambda targets, secrets, roles) must be
 * in the estate's account and region (`aws.account`, `aws.region`): otherwise they pass the schema
 * and fail later, in synthesis (CDK refuses a rule targeting another account's function) or in the
 * deploy. Pure.
 */
import type { RelativePath, RuleContext } from '../../component';

/** The region and account of an ARN (empty for global services such as IAM). */
export function arnParts(value: string): { readonly region: string; readonly account: string } {
  const [, , , region = '', account = ''] = value.split(':');
  return { region, account };
}

/** Reports `value` at `at` when it is in another region or account than the estate's; `what` names it ("listener certificate"). */
export function arnInEstate(value: string | undefined, what: string, ctx: RuleContext, at: RelativePath): void {
  if (!value) return;
  const { region, account } = arnParts(value);
  const { region: estateRegion, account: estateAccount } = ctx.facts;
  if (region && estateRegion && region !== estateRegion) {
    ctx.report(at, `${what} ${value} is in region ${region}, not the estate's region ${estateRegion} (aws.region); use one in ${estateRegion}, or move the estate`);
  }
  if (account && estateAccount && account !== estateAccount) {
    ctx.report(at, `${what} ${value} is in account ${account}, not the estate's account ${estateAccount} (aws.account); use one in account ${estateAccount}`);
  }
}

/** A rule named `name` that checks one ARN field of each item of a list (`what` names it in messages). */
export function arnsInEstate<T extends object>(name: string, key: keyof T & string, what: string) {
  const rule = (items: readonly T[], ctx: RuleContext): void =>
    items.forEach((item, i) => {
      const value = item[key];
      if (typeof value === 'string') arnInEstate(value, what, ctx, [i, key]);
    });
  return Object.defineProperty(rule, 'name', { value: name });
}
