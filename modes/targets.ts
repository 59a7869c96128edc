/**
 * Record targets, shared by the Route 53 and the Cloudflare records: what a target points at in a
 * mode state, and the rules a target must keep. Pure.
 */
import { servingColour } from './colours';
import type { ColourName, ModeState, RecordTargetSpec } from './fields';
import type { RecordValue } from './desired';
import type { RuleContext, RelativePath } from './component';
import { DrawbridgeError } from './errors';
import { IPV4 } from './patterns';

/** What record targets may point at, from the estate. */
export interface TargetSources {
  readonly loadBalancerDnsName?: string;
  /** Each Beanstalk environment's colour and CNAME, in application order, with its application's id when the application has one. */
  readonly beanstalk: readonly { readonly application?: string; readonly colour: ColourName; readonly cname: string }[];
}

/** How a record may use its target. */
export interface TargetRuleOptions {
  /** The record can be an alias (Route 53): an A record may point at the load balancer or a Beanstalk environment. */
  readonly alias?: boolean;
}

export function beanstalkCname(prefix: string, region: string): string {
  return `${prefix}.${region}.elasticbeanstalk.com`;
}

/** What a record points at in this state; every kind carries the DNS value, resolved once here. */
export function recordTarget(target: RecordTargetSpec, state: ModeState, sources: TargetSources, at: string): RecordValue {
  if ('value' in target) return { kind: 'value', value: target.value };
  if ('loadBalancer' in target) {
    if (!sources.loadBalancerDnsName) throw new DrawbridgeError(`${at}.target: loadBalancer needs aws.loadBalancer.dnsName in the estate`);
    return { kind: 'loadBalancer', value: sources.loadBalancerDnsName };
  }
  const colour = servingColour(state);
  if ('colours' in target) return { kind: 'colour', colour, value: target.colours[colour] };
  // `true`: the first application (the only one of the single form); else the application of that id.
  const application = target.beanstalk === true ? sources.beanstalk[0]?.application : target.beanstalk;
  const env = sources.beanstalk.find((e) => e.colour === colour && e.application === application);
  if (!env) throw new DrawbridgeError(`${at}.target: no beanstalk environment of colour ${colour}${application ? ` in application ${application}` : ''} for a record target`);
  return { kind: 'beanstalk', colour, value: env.cname };
}

/** The rules of one record's target: what it needs in the estate, and which record types suit it. */
export function targetRule(target: RecordTargetSpec, type: string, ctx: RuleContext, at: RelativePath, options: TargetRuleOptions = {}): void {
  if ('loadBalancer' in target) {
    if (!ctx.facts.hasLoadBalancer) ctx.report(at, 'target loadBalancer needs aws.loadBalancer');
    if (type === 'AAAA') ctx.report(at, 'a load balancer target needs type A or CNAME');
  }
  if ('colours' in target && type === 'A') {
    for (const c of ['blue', 'green'] as const) {
      if (!IPV4.test(target.colours[c])) ctx.report([...at, 'colours', c], `'${target.colours[c]}' is not an IPv4 address, which an A record needs`);
    }
  }
  if ('beanstalk' in target) {
    if (!ctx.facts.hasBeanstalk) ctx.report(at, 'target beanstalk needs aws.beanstalk');
    const apps = ctx.facts.beanstalkApplications ?? [];
    if (ctx.facts.hasBeanstalk && target.beanstalk !== true && !apps.includes(target.beanstalk)) {
      ctx.report([...at, 'beanstalk'], `unknown Beanstalk application '${target.beanstalk}'; allowed: true (the first application)${apps.length ? `, ${apps.join(', ')}` : ''}`);
    }
    if (type !== 'CNAME' && !(options.alias && type === 'A')) ctx.report(at, `a beanstalk target needs type CNAME${options.alias ? ' or A (an alias)' : ''}; got ${type}`);
  }
}

/** Colours a list of record targets has parts for: a target with a value per colour names both. */
export function targetColours(targets: readonly RecordTargetSpec[]): ColourName[] {
  return targets.some((t) => 'colours' in t) ? ['blue', 'green'] : [];
}

/** How a record's target reads in a change line. */
export function recordText(v: RecordValue | { readonly kind: 'downPage'; readonly value: string }): string {
  switch (v.kind) {
    case 'value':
      return v.value;
    case 'loadBalancer':
      return `the load balancer (${v.value})`;
    case 'beanstalk':
      return `${v.value} (${v.colour})`;
    case 'colour':
      return `${v.value} (${v.colour})`;
    case 'downPage':
      return `${v.value} (static down page)`;
  }
}

/** Records that point at a colour which has no capacity in the state. */
export function recordsOnStoppedColours(records: readonly { name: string; target: RecordValue | { kind: 'downPage' } }[], running: (c: ColourName) => boolean): string[] {
  const out: string[] = [];
  for (const r of records) {
    if ((r.target.kind === 'beanstalk' || r.target.kind === 'colour') && !running(r.target.colour)) {
      out.push(`record ${r.name} points at ${r.target.colour}, which is not running`);
    }
  }
  return out;
}
