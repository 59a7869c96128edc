/**
 * The `aws.beanstalk` fragment: one application (today's form) or a list of applications moved
 * together (runbook 004's production and SES pairs), each with one environment per colour. An
 * environment's `colour` is the estate colour whose side it is on, whatever its name: in runbook
 * 004, cobalt-ses-production-green is today's (blue's side) and cobalt-ses-production-blue the new
 * one (green's). Pure.
 */
import { z } from 'zod';
import type { RelativePath } from '../../component';
import { arn, capacity, Colour, id } from '../../fields';
import { beanstalkCname, type TargetSources } from '../../targets';
import { VariableName, Variables } from './variables';

const BeanstalkEnvironment = z.strictObject({
  id,
  colour: Colour.describe('The estate colour whose side this environment is on, whatever its name.'),
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9-]{2,39}$/, 'must be 4-40 letters, digits or dashes'),
  cnamePrefix: z.string().regex(/^[a-z0-9][a-z0-9-]{2,61}[a-z0-9]$/, 'must be 4-63 lower-case letters, digits or dashes'),
  variables: Variables.describe(
    'This colour\'s own settings, merged over the application\'s: plain text, { database: <id>, attribute: address | port, otherwise: <value until it exists> } or { secret: <Secrets Manager ARN>, field: password }.',
  ),
});

const applicationFields = {
  application: z.string().min(1).max(100),
  solutionStackName: z.string().min(1),
  instanceType: z.string().regex(/^[a-z0-9]+\.[a-z0-9]+$/, 'must be an instance type such as t3.small').default('t3.small'),
  instanceProfile: z.string().min(1).describe('Name of the EC2 instance profile the environments use.'),
  serviceRole: z.string().min(1).describe('Name or ARN of the Beanstalk service role.'),
  min: capacity.min(1),
  max: capacity.min(1),
  variables: Variables.describe('Settings of both environments (plain text, a database reference or a secret reference); an environment\'s own variables override them.'),
  paymentSecret: z
    .strictObject({
      variable: VariableName,
      secretArn: arn('secretsmanager'),
    })
    .optional()
    .describe('Secrets Manager ARN given to exactly one colour of this application (the live one; the target during a cutover), never written in variables.'),
  environments: z.array(BeanstalkEnvironment).length(2),
};

const BeanstalkApplication = z.strictObject(applicationFields);

const ListedApplication = z.strictObject({
  id: id
    .optional()
    .describe('Names the application in logical ids and record targets ({ beanstalk: <id> }). At most one may omit it: that one keeps the logical ids of the single form.'),
  ...applicationFields,
});

export const BeanstalkSchema = z
  .union([BeanstalkApplication, z.array(ListedApplication).min(1).max(10)])
  .optional()
  .describe('One Elastic Beanstalk application with a blue and a green environment, or a list of applications moved together.');

export type BeanstalkSpec = z.output<typeof BeanstalkSchema>;
export type ApplicationSpec = z.output<typeof ListedApplication>;
export type EnvironmentSpec = z.output<typeof BeanstalkEnvironment>;

/** The applications of a spec with their paths (relative to `aws.beanstalk`): the single form is one application at its root. */
export function applicationsOf(bs: BeanstalkSpec): { readonly app: ApplicationSpec; readonly at: RelativePath }[] {
  if (!bs) return [];
  return Array.isArray(bs) ? bs.map((app, i) => ({ app, at: [i] })) : [{ app: bs, at: [] }];
}

/** Every environment with its application and path. */
export function environmentsOf(bs: BeanstalkSpec): { readonly app: ApplicationSpec; readonly env: EnvironmentSpec; readonly at: RelativePath }[] {
  return applicationsOf(bs).flatMap(({ app, at }) => app.environments.map((env, k) => ({ app, env, at: [...at, 'environments', k] })));
}

/** What record targets may point at: each environment's application id, colour and CNAME (record targets `{ beanstalk: true | <id> }`). */
export function environmentTargets(bs: BeanstalkSpec, region: string): TargetSources['beanstalk'] {
  return environmentsOf(bs).map(({ app, env }) => ({ ...(app.id ? { application: app.id } : {}), colour: env.colour, cname: beanstalkCname(env.cnamePrefix, region) }));
}
