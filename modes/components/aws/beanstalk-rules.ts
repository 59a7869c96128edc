/**
 * The cross-field rules of `aws.beanstalk` (beanstalk.ts): each application has one environment
 * per colour; physical names are unique across applications; variables refer to the estate's
 * databases and take credentials from Secrets Manager; the payment secret is given by Drawbridge to
 * one colour of one application and is never written as a plain variable; ARNs are in the estate's
 * account and region. Pure functions of the spec and the rule facts.
 */
import type { RelativePath, Rule, RuleContext } from '../../component';
import { arnInEstate } from './arns';
import { applicationsOf, environmentsOf, type BeanstalkSpec } from './beanstalk-spec';
import { secretReferences, variablesRule, type VariablesSpec } from './variables';

/** Reports each value of `entries` already seen, at its own path, naming the first use. */
function uniqueAmong(entries: readonly { readonly value: string | undefined; readonly at: RelativePath }[], key: string, ctx: RuleContext, why = ''): void {
  const seen = new Map<string, RelativePath>();
  for (const { value, at } of entries) {
    if (value === undefined) continue;
    const first = seen.get(value);
    if (first) ctx.report([...at, key], `duplicate ${key} '${value}' (already used at ${ctx.where(first)}); each ${key} must be unique${why}`);
    else seen.set(value, at);
  }
}

/** Every map of variables of the spec with its path: each application's, then each environment's. */
function variableMaps(bs: BeanstalkSpec): { readonly variables: VariablesSpec; readonly at: RelativePath; readonly app: number }[] {
  return applicationsOf(bs).flatMap(({ app, at }, i) => [
    { variables: app.variables, at: [...at, 'variables'], app: i },
    ...app.environments.map((env, k) => ({ variables: env.variables, at: [...at, 'environments', k, 'variables'], app: i })),
  ]);
}

export const beanstalkRules: readonly Rule<BeanstalkSpec>[] = [
  function oneEnvironmentPerColour(bs, ctx) {
    for (const { app, at } of applicationsOf(bs)) {
      const colours = app.environments.map((x) => x.colour);
      if (new Set(colours).size !== 2) ctx.report([...at, 'environments'], `needs one blue and one green environment; got ${colours.join(', ')}`);
    }
  },
  function minNotAboveMax(bs, ctx) {
    for (const { app, at } of applicationsOf(bs)) if (app.min > app.max) ctx.report([...at, 'min'], `min ${app.min} must not exceed max ${app.max}`);
  },
  function uniqueApplications(bs, ctx) {
    if (!Array.isArray(bs)) return;
    const apps = applicationsOf(bs);
    uniqueAmong(apps.map(({ app, at }) => ({ value: app.id, at })), 'id', ctx);
    uniqueAmong(apps.map(({ app, at }) => ({ value: app.application, at })), 'application', ctx, ': it is the application\'s name in the account and region');
    const unnamed = apps.filter(({ app }) => !app.id);
    for (const { at } of unnamed.slice(1)) {
      ctx.report([...at, 'id'], `is required: only one application may omit id (${ctx.where(unnamed[0]!.at)} does; it keeps the logical ids of the single form)`);
    }
  },
  function uniqueEnvironments(bs, ctx) {
    // Physical names: Beanstalk refuses a second environment of one name, or a second CNAME prefix, in the region, whatever the application.
    const envs = environmentsOf(bs);
    uniqueAmong(envs.map(({ env, at }) => ({ value: env.id, at })), 'id', ctx);
    uniqueAmong(envs.map(({ env, at }) => ({ value: env.name, at })), 'name', ctx, ': environment names are unique in the account and region, across applications');
    uniqueAmong(envs.map(({ env, at }) => ({ value: env.cnamePrefix, at })), 'cnamePrefix', ctx, ': a CNAME prefix is one host name of the region');
  },
  function variablesFromTheEstate(bs, ctx) {
    for (const { variables, at } of variableMaps(bs)) variablesRule(variables, ctx, at);
  },
  function paymentSecretOnOneColour(bs, ctx) {
    const apps = applicationsOf(bs);
    const maps = variableMaps(bs);
    apps.forEach(({ app, at }, i) => {
      const secret = app.paymentSecret;
      if (!secret) return;
      const owner = `the payment secret of ${app.application} (${ctx.where([...at, 'paymentSecret'])})`;
      for (const m of maps) {
        for (const [name, value] of Object.entries(m.variables)) {
          const arn = typeof value === 'string' ? value : 'secret' in value ? value.secret : undefined;
          const both = m.at.includes('environments') ? 'this environment would hold it in every mode, also while the other colour does' : 'both environments would get it';
          if (m.app === i && name === secret.variable) {
            ctx.report([...m.at, name], `${name} is ${owner}: written here, ${both}; remove it, Drawbridge gives it to the one colour that may hold it`);
          } else if (arn === secret.secretArn) {
            const whose = m.app === i ? both : `it belongs to ${app.application} alone`;
            ctx.report([...m.at, name], `${name} holds the ARN of ${owner}: ${whose}; remove it`);
          }
        }
      }
      apps.slice(i + 1).forEach((other) => {
        if (other.app.paymentSecret?.secretArn === secret.secretArn) {
          ctx.report([...other.at, 'paymentSecret', 'secretArn'], `${secret.secretArn} is already ${owner}; a payment secret belongs to one application: remove it here`);
        }
      });
    });
  },
  function arnsInTheEstate(bs, ctx) {
    for (const { app, at } of applicationsOf(bs)) {
      if (app.paymentSecret) arnInEstate(app.paymentSecret.secretArn, 'payment secret', ctx, [...at, 'paymentSecret', 'secretArn']);
      if (app.serviceRole.startsWith('arn:')) arnInEstate(app.serviceRole, 'service role', ctx, [...at, 'serviceRole']);
    }
    for (const { variables, at } of variableMaps(bs)) for (const ref of secretReferences(variables, at)) arnInEstate(ref.arn, 'secret', ctx, ref.at);
  },
];
