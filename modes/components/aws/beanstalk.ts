/**
 * Elastic Beanstalk blue/green (runbook 004): one environment per colour. The colour not serving
 * customers runs at 1/1 and takes no writes; only the serving colour holds the payment secret.
 * Every managed variable is set in every mode (empty where off): CloudFormation keeps an
 * OptionSetting that is removed from the template.
 */
import { z } from 'zod';
import { on, servingColour } from '../../colours';
import { BEHIND } from '../../mode-table';
import { changeOf, defineComponent, unique, type Change } from '../../component';
import type { DesiredBeanstalkEnvironment } from '../../desired';
import { arn, capacity, Colour, id } from '../../fields';
import { looksSecret, showValue } from '../../secrets';
import { beanstalkCname } from '../../targets';

const BeanstalkEnvironment = z.strictObject({
  id,
  colour: Colour,
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9-]{2,39}$/, 'must be 4-40 letters, digits or dashes'),
  cnamePrefix: z.string().regex(/^[a-z0-9][a-z0-9-]{2,61}[a-z0-9]$/, 'must be 4-63 lower-case letters, digits or dashes'),
});

const Beanstalk = z.strictObject({
  application: z.string().min(1).max(100),
  solutionStackName: z.string().min(1),
  instanceType: z.string().regex(/^[a-z0-9]+\.[a-z0-9]+$/, 'must be an instance type such as t3.small').default('t3.small'),
  instanceProfile: z.string().min(1).describe('Name of the EC2 instance profile the environments use.'),
  serviceRole: z.string().min(1).describe('Name or ARN of the Beanstalk service role.'),
  min: capacity.min(1),
  max: capacity.min(1),
  variables: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string()).default({}),
  paymentSecret: z
    .strictObject({
      variable: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/),
      secretArn: arn('secretsmanager'),
    })
    .optional()
    .describe('Secrets Manager ARN given to exactly one colour (the live one; the target during a cutover).'),
  environments: z.array(BeanstalkEnvironment).length(2),
});

export const beanstalk = defineComponent({
  kind: 'beanstalkEnvironment',
  provider: 'aws',
  key: 'beanstalk',
  schema: Beanstalk.optional(),
  rules: [
    function oneEnvironmentPerColour(bs, ctx) {
      if (!bs) return;
      const colours = bs.environments.map((x) => x.colour);
      if (new Set(colours).size !== 2) ctx.report(['environments'], `needs one blue and one green environment; got ${colours.join(', ')}`);
      unique(bs.environments, 'id', ctx, ['environments']);
    },
    function minNotAboveMax(bs, ctx) {
      if (bs && bs.min > bs.max) ctx.report(['min'], `min ${bs.min} must not exceed max ${bs.max}`);
    },
  ],
  needsVpc: { what: 'Beanstalk', when: (bs) => !!bs },
  colours: (bs) => (bs?.environments ?? []).map((e) => e.colour),
  resolve: (bs, { table, facts }) => {
    if (!bs) return {};
    const region = facts.region ?? '';
    const holder = table.paymentHolder();
    return {
      beanstalk: {
        application: bs.application,
        solutionStackName: bs.solutionStackName,
        instanceType: bs.instanceType,
        instanceProfile: bs.instanceProfile,
        serviceRole: bs.serviceRole,
        environments: [...bs.environments]
          .sort((a, b) => a.colour.localeCompare(b.colour))
          .map((env): DesiredBeanstalkEnvironment => {
            // Only the colour that serves (or is being tested behind the page) holds the secret, and
            // none while writes are frozen; a colour with no traffic runs at 1/1.
            const holds = !!bs.paymentSecret && holder === env.colour;
            const scaled = table.scaled(env.colour);
            const variables: Record<string, string> = {
              ...bs.variables,
              DRAWBRIDGE_COLOUR: env.colour,
              DRAWBRIDGE_MAINTENANCE: on(table.appDown(env.colour, BEHIND, facts.hasGate)),
              DRAWBRIDGE_READ_ONLY: on(table.appReadOnly(env.colour)),
            };
            if (bs.paymentSecret) variables[bs.paymentSecret.variable] = holds ? bs.paymentSecret.secretArn : '';
            return {
              id: env.id,
              colour: env.colour,
              name: env.name,
              cnamePrefix: env.cnamePrefix,
              cname: beanstalkCname(env.cnamePrefix, region),
              min: scaled === 'normal' ? bs.min : 1,
              max: scaled === 'normal' ? bs.max : 1,
              variables,
              holdsPaymentSecret: holds,
            };
          }),
      },
    };
  },
  items: (aws) => aws.beanstalk?.environments ?? [],
  describe(x, y) {
    const c = changeOf(this, (x ?? y)!.id, (y ?? x)!.name);
    if (!x || !y) return [c(y ? 'add' : 'remove', `Beanstalk environment ${(x ?? y)!.name} ${y ? 'added' : 'removed'}`)];
    const out: Change[] = [];
    if (x.name !== y.name || x.cnamePrefix !== y.cnamePrefix) {
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
      if (was === now) continue;
      if (looksSecret(key) && x.holdsPaymentSecret !== y.holdsPaymentSecret) continue; // said above, in words
      const from = showValue(key, was);
      const to = showValue(key, now);
      out.push(c('modify', `${key} ${from} -> ${to} on ${y.name}`, { field: `variables.${key}`, from, to, effects: ['rolling-update'] }));
    }
    return out;
  },
  identity: (e) => [e.id, e.name, e.cnamePrefix],
  capacity: (e) => ({ colour: e.colour, min: e.min }),
  invariants(aws) {
    const envs = aws.beanstalk?.environments ?? [];
    const holders = envs.filter((e) => e.holdsPaymentSecret);
    return holders.length > 1 ? [`payment secret on ${holders.map((h) => h.name).join(' and ')}; exactly one colour may hold it`] : [];
  },
  verify(_before, aws, ctx) {
    const env = aws.beanstalk?.environments.find((e) => e.colour === servingColour(ctx.to));
    return env ? [{ what: `environment ${env.name} answers`, method: 'GET' as const, url: `http://${env.cname}${ctx.siteHealthPath}`, expect: 200 }] : [];
  },
});
