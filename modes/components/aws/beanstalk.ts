/**
 * Elastic Beanstalk blue/green (runbook 004): one environment per colour, for one application or
 * several moved together (beanstalk-spec.ts). A colour with no traffic runs at 1/1 and takes no
 * writes; only the serving colour holds its application's payment secret. Every managed variable
 * is set in every mode (empty where off, a database reference's `otherwise` while the database
 * does not exist): CloudFormation keeps an OptionSetting that is removed from the template.
 */
import { on, servingColour } from '../../colours';
import { changeOf, defineComponent, type Change } from '../../component';
import type { DesiredBeanstalkEnvironment, DesiredVariable } from '../../desired';
import { formatPath } from '../../path';
import { BEHIND } from '../../mode-table';
import { looksSecret } from '../../secrets';
import { beanstalkCname } from '../../targets';
import { beanstalkRules } from './beanstalk-rules';
import { applicationsOf, BeanstalkSchema } from './beanstalk-spec';
import { sameVariable, variableText, variableValue } from './variables';

export { applicationsOf, environmentTargets } from './beanstalk-spec';

export const beanstalk = defineComponent({
  kind: 'beanstalkEnvironment',
  provider: 'aws',
  key: 'beanstalk',
  schema: BeanstalkSchema,
  rules: beanstalkRules,
  needsVpc: { what: 'Beanstalk', when: (bs) => !!bs, publicSubnets: "each environment's load balancer is internet-facing (ELBScheme public) and goes in them" },
  colours: (bs) => applicationsOf(bs).flatMap(({ app }) => app.environments.map((e) => e.colour)),
  resolve: (bs, { table, facts }) => {
    if (!bs) return {};
    const region = facts.region ?? '';
    const holder = table.paymentHolder();
    const databases = facts.databases ?? [];
    const apps = applicationsOf(bs);
    return {
      beanstalk: {
        applications: apps.map(({ app }) => ({
          ...(app.id ? { id: app.id } : {}),
          name: app.application,
          solutionStackName: app.solutionStackName,
          instanceType: app.instanceType,
          instanceProfile: app.instanceProfile,
          serviceRole: app.serviceRole,
        })),
        environments: apps.flatMap(({ app, at }) =>
          app.environments
            .map((env, k) => ({ env, k }))
            .sort((a, b) => a.env.colour.localeCompare(b.env.colour))
            .map(({ env, k }): DesiredBeanstalkEnvironment => {
              // Only the colour that serves (or is being tested behind the page) holds the secret, and
              // none while writes are frozen; a colour with no traffic runs at 1/1.
              const holds = !!app.paymentSecret && holder === env.colour;
              const scaled = table.scaled(env.colour);
              const variables: Record<string, DesiredVariable> = {};
              const own = [...at, 'environments', k, 'variables'];
              for (const [name, value] of Object.entries(app.variables)) variables[name] = variableValue(value, databases, formatPath(['aws', 'beanstalk', ...at, 'variables', name]));
              for (const [name, value] of Object.entries(env.variables)) variables[name] = variableValue(value, databases, formatPath(['aws', 'beanstalk', ...own, name]));
              variables.DRAWBRIDGE_COLOUR = env.colour;
              variables.DRAWBRIDGE_MAINTENANCE = on(table.appDown(env.colour, BEHIND, facts.hasGate));
              variables.DRAWBRIDGE_READ_ONLY = on(table.appReadOnly(env.colour));
              if (app.paymentSecret) variables[app.paymentSecret.variable] = holds ? app.paymentSecret.secretArn : '';
              return {
                id: env.id,
                application: app.application,
                colour: env.colour,
                name: env.name,
                cnamePrefix: env.cnamePrefix,
                cname: beanstalkCname(env.cnamePrefix, region),
                min: scaled === 'normal' ? app.min : 1,
                max: scaled === 'normal' ? app.max : 1,
                variables,
                holdsPaymentSecret: holds,
              };
            }),
        ),
      },
    };
  },
  items: (aws) => aws.beanstalk?.environments ?? [],
  describe(x, y) {
    const c = changeOf(this, (x ?? y)!.id, (y ?? x)!.name);
    if (!x || !y) return [c(y ? 'add' : 'remove', `Beanstalk environment ${(x ?? y)!.name} ${y ? 'added' : 'removed'}`)];
    const out: Change[] = [];
    if (x.name !== y.name || x.cnamePrefix !== y.cnamePrefix || x.application !== y.application) {
      out.push(c('modify', `Beanstalk environment ${x.name} renamed to ${y.name} (replaces the environment)`, { field: 'name', from: x.name, to: y.name, effects: ['replaces'] }));
    }
    if (x.min !== y.min || x.max !== y.max) {
      out.push(c('modify', `Beanstalk environment ${y.name} min/max ${x.min}/${x.max} -> ${y.min}/${y.max}`, { field: 'min/max', from: `${x.min}/${x.max}`, to: `${y.min}/${y.max}`, effects: ['scales'] }));
    }
    if (x.holdsPaymentSecret !== y.holdsPaymentSecret) {
      out.push(
        c('modify', `payment secret ${y.holdsPaymentSecret ? 'given to' : 'removed from'} ${y.name}`, {
          field: 'paymentSecret',
          from: x.holdsPaymentSecret,
          to: y.holdsPaymentSecret,
          effects: ['rolling-update'],
        }),
      );
    }
    for (const key of [...new Set([...Object.keys(x.variables), ...Object.keys(y.variables)])].sort()) {
      const was = x.variables[key];
      const now = y.variables[key];
      if (sameVariable(was, now)) continue;
      if (looksSecret(key) && typeof was === 'string' && typeof now === 'string' && x.holdsPaymentSecret !== y.holdsPaymentSecret) continue; // said above, in words
      const from = variableText(key, was);
      const to = variableText(key, now);
      out.push(c('modify', `${key} ${from} -> ${to} on ${y.name}`, { field: `variables.${key}`, from, to, effects: ['rolling-update'] }));
    }
    return out;
  },
  identity: (e) => [e.id, e.application, e.name, e.cnamePrefix],
  // Without anything in front, the serving environment's own maintenance mode is what the public sees.
  shows: (aws, d) => {
    const env = aws.beanstalk?.environments.find((e) => e.colour === servingColour(d.state));
    if (!env) return undefined;
    return env.variables.DRAWBRIDGE_MAINTENANCE === '1' ? 'down' : env.variables.DRAWBRIDGE_READ_ONLY === '1' ? 'read-only' : 'open';
  },
  capacity: (e) => ({ colour: e.colour, min: e.min }),
  invariants(aws) {
    const envs = aws.beanstalk?.environments ?? [];
    return [...new Set(envs.map((e) => e.application))].flatMap((application) => {
      const holders = envs.filter((e) => e.application === application && e.holdsPaymentSecret);
      return holders.length > 1 ? [`payment secret on ${holders.map((h) => h.name).join(' and ')}; exactly one colour may hold it`] : [];
    });
  },
  verify(_before, aws, ctx) {
    const serving = servingColour(ctx.to);
    return (aws.beanstalk?.environments ?? [])
      .filter((e) => e.colour === serving)
      .map((env) => ({ what: `environment ${env.name} answers`, method: 'GET' as const, url: `http://${env.cname}${ctx.siteHealthPath}`, expect: 200 }));
  },
});
