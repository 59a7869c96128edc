/**
 * Application settings of a Beanstalk environment (runbook 004: "Point cobalt-production-green at
 * the new RDS instance: RDS_HOSTNAME, RDS_DB_NAME, RDS_USERNAME, RDS_PASSWORD"). A value is plain
 * text, a reference to a database of the estate (its endpoint address or port, taken from the
 * database resource when it exists, else the reference's `otherwise`), or a field of a Secrets
 * Manager secret (a dynamic reference: the value never enters a template, a plan or a log). Pure.
 */
import { z } from 'zod';
import type { RelativePath, RuleContext } from '../../component';
import type { DesiredVariable } from '../../desired';
import { DrawbridgeError } from '../../errors';
import { arn, id } from '../../fields';
import { looksSecret, MASK, showValue } from '../../secrets';

export const VariableName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be letters, digits and underscores, not starting with a digit');

const DatabaseReference = z
  .strictObject({
    database: id.describe('The id of a database of the estate (aws.databases[].id).'),
    attribute: z.enum(['address', 'port']).describe('address: the endpoint host name; port: the endpoint port.'),
    otherwise: z
      .string()
      .optional()
      .describe('The value while the database does not exist yet (restored: false, before the restore stage of the cutover to its colour); required for such a database.'),
  })
  .describe('The endpoint of a database of the estate, e.g. { database: db-green, attribute: address }.');

const SecretReference = z
  .strictObject({
    secret: arn('secretsmanager').describe('The Secrets Manager secret (in the estate\'s account and region).'),
    field: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,128}$/, 'must be a JSON key of the secret such as password')
      .describe('The JSON key of the secret, e.g. password.'),
  })
  .describe('A field of a Secrets Manager secret, given as a dynamic reference (the value never enters the template).');

export const VariableValue = z.union([z.string(), DatabaseReference, SecretReference]);

/** Settings by name: plain text, `{ database, attribute, otherwise }` or `{ secret, field }`. */
export const Variables = z.record(VariableName, VariableValue).default({});

export type VariableSpec = z.output<typeof VariableValue>;
export type VariablesSpec = z.output<typeof Variables>;

/** A database as a variable sees it in one state. */
export interface DatabaseFact {
  readonly id: string;
  readonly identifier: string;
  readonly exists: boolean;
}

/** The desired value of one variable in a state: a database reference becomes `otherwise` while the database does not exist. */
export function variableValue(value: VariableSpec, databases: readonly DatabaseFact[], at: string): DesiredVariable {
  if (typeof value === 'string' || 'secret' in value) return value;
  const db = databases.find((d) => d.id === value.database);
  if (db?.exists) return { database: db.id, identifier: db.identifier, attribute: value.attribute };
  if (value.otherwise !== undefined) return value.otherwise;
  throw new DrawbridgeError(`${at}: database ${value.database} does not exist in this state; add otherwise: <the value until it does>`);
}

/** A variable's value as a change line may show it: never a secret. */
export function variableText(name: string, value: DesiredVariable | undefined): string {
  if (value === undefined || typeof value === 'string') return showValue(name, value);
  if ('secret' in value) return `${MASK} (Secrets Manager)`;
  return `${value.identifier} endpoint ${value.attribute}`;
}

/** Whether two desired values are the same. */
export function sameVariable(a: DesiredVariable | undefined, b: DesiredVariable | undefined): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

const ARN = /^arn:aws[a-z-]*:/;

/**
 * The rules of one map of variables at `at`: database references name a database of the estate
 * (with `otherwise` when it waits to be restored), credentials come from Secrets Manager, and
 * DRAWBRIDGE_* names are Drawbridge's own.
 */
export function variablesRule(variables: VariablesSpec, ctx: RuleContext, at: RelativePath): void {
  const databases = ctx.facts.databases ?? [];
  for (const [name, value] of Object.entries(variables)) {
    const here = [...at, name];
    if (name.startsWith('DRAWBRIDGE_')) ctx.report(here, `${name}: names starting with DRAWBRIDGE_ are set by Drawbridge in every mode; rename it`);
    if (typeof value === 'string') {
      if (looksSecret(name) && value !== '' && !ARN.test(value)) {
        ctx.report(here, `${name} looks like a credential and is written as plain text; give it as { secret: arn:aws:secretsmanager:..., field: ${name.toLowerCase().includes('password') ? 'password' : '<key>'} } so it never enters the template`);
      }
      continue;
    }
    if ('secret' in value) continue;
    const db = databases.find((d) => d.id === value.database);
    if (!db) {
      ctx.report([...here, 'database'], `unknown database '${value.database}'; allowed: ${databases.map((d) => d.id).join(', ') || '(none declared in aws.databases)'}`);
    } else if (db.pending && value.otherwise === undefined) {
      ctx.report(
        here,
        `${name} refers to database ${db.id}, which does not exist until the restore stage of the cutover to ${db.colour} (restored: false); add otherwise: <the value until then>, e.g. the database it uses today`,
      );
    }
  }
}

/** Secret ARNs a map of variables names, with their paths. */
export function secretReferences(variables: VariablesSpec, at: RelativePath): { readonly arn: string; readonly at: RelativePath }[] {
  return Object.entries(variables).flatMap(([name, v]) => (typeof v !== 'string' && 'secret' in v ? [{ arn: v.secret, at: [...at, name, 'secret'] }] : []));
}
