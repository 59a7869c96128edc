/**
 * Databases (RDS), one per colour for a blue/green estate. Stateful: kept with a snapshot on
 * removal and deletion protection, and never replaced by a mode switch. A database declared with a
 * snapshot is restored from it when CloudFormation creates it, and only then.
 */
import { z } from 'zod';
import { changeOf, defineComponent, uniqueBy, type Change } from '../../component';
import { arn, Colour, id, type ModeState } from '../../fields';
import { cutoverBefore } from '../../stages';
import { arnsInEstate } from './arns';

const RdsDatabase = z.strictObject({
  id,
  colour: Colour,
  identifier: z.string().regex(/^[a-z][a-z0-9-]{0,62}$/, 'must be a lower-case DB instance identifier'),
  engine: z.enum(['postgres', 'mysql']).default('postgres'),
  engineVersion: z.string().regex(/^\d+(\.\d+)*$/),
  instanceClass: z.string().regex(/^db\.[a-z0-9]+\.[a-z0-9]+$/, 'must be an instance class such as db.t3.small'),
  allocatedStorageGiB: z.number().int().min(20).max(65536).default(20),
  snapshotIdentifier: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9-:]{0,254}$/)
    .optional()
    .describe(
      'Restore this database from the named snapshot. CloudFormation restores only when it creates the database: declare it in the pull request that enters cutover, after the plan\'s snapshot step. Fixed once created: changing it replaces the database.',
    ),
  restored: z
    .boolean()
    .optional()
    .describe(
      'With snapshotIdentifier: false while the database does not exist yet (the restore stage of the cutover to its colour creates it from the snapshot taken after the freeze); set true, or remove it, once it exists.',
    ),
  port: z.number().int().min(1150).max(65535).default(5432),
  masterUsername: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_]{0,62}$/, 'must be a database user name (letters, digits, underscores)')
    .optional()
    .describe('The master user. For an existing database, its current user: changing it replaces the database. Default: postgres (mysql: admin).'),
  masterSecretArn: arn('secretsmanager')
    .optional()
    .describe(
      'Secrets Manager secret whose "password" field is the master password. Set it when adopting an existing database, or Drawbridge generates a new password and the first deploy resets it. Not for a database restored from a snapshot (it keeps the snapshot\'s).',
    ),
});

/**
 * Whether a database exists in a state. One still to be restored (`restored: false`) is created by
 * the restore stage of the cutover to its colour, from the snapshot taken after the freeze: it
 * exists from that stage on and whenever its colour is live (normal or maintenance, at any stage,
 * and as the source of a cutover back), and nowhere else.
 */
export function exists(d: { readonly colour: string; readonly snapshotIdentifier?: string | undefined; readonly restored?: boolean | undefined }, state: ModeState): boolean {
  if (!d.snapshotIdentifier || d.restored !== false) return true;
  if (state.live === d.colour) return true;
  return state.mode === 'cutover' && state.target === d.colour && !cutoverBefore(state, 'restore');
}

/** Fields whose change replaces the database. */
const REPLACING: ReadonlySet<string> = new Set(['identifier', 'snapshotIdentifier', 'engine', 'port', 'masterUsername']);

export const databases = defineComponent({
  kind: 'database',
  provider: 'aws',
  key: 'databases',
  schema: z.array(RdsDatabase).default([]),
  rules: [
    // identifier: the instance's name, unique in the account and region
    uniqueBy('uniqueDatabases', 'id', 'identifier'),
    arnsInEstate('secretsInTheEstate', 'masterSecretArn', 'master secret'),
    function restoredKeepsSnapshotCredentials(list, ctx) {
      list.forEach((d, i) => {
        if (d.restored !== undefined && !d.snapshotIdentifier) ctx.report([i, 'restored'], 'only a database restored from a snapshot (snapshotIdentifier) can be waiting to be restored; remove restored');
        if (d.snapshotIdentifier && (d.masterSecretArn || d.masterUsername)) {
          ctx.report([i, d.masterSecretArn ? 'masterSecretArn' : 'masterUsername'], 'a database restored from a snapshot keeps the snapshot\'s master user and password; remove it');
        }
      });
    },
  ],
  needsVpc: { what: 'databases', when: (list) => list.length > 0 },
  colours: (list) => list.map((d) => d.colour),
  resolve: (list, { state }) => ({
    databases: list.filter((d) => exists(d, state)).map((d) => ({
      id: d.id,
      colour: d.colour,
      identifier: d.identifier,
      engine: d.engine,
      engineVersion: d.engineVersion,
      instanceClass: d.instanceClass,
      allocatedStorageGiB: d.allocatedStorageGiB,
      port: d.port,
      ...(d.snapshotIdentifier ? { snapshotIdentifier: d.snapshotIdentifier } : {}),
      ...(d.masterUsername ? { masterUsername: d.masterUsername } : {}),
      ...(d.masterSecretArn ? { masterSecretArn: d.masterSecretArn } : {}),
    })),
  }),
  items: (aws) => aws.databases,
  describe(x, y) {
    const d = (y ?? x)!;
    const c = changeOf(this, d.id, d.identifier);
    if (!x || !y) {
      return [
        y
          ? c('add', `RDS database ${d.identifier} added${d.snapshotIdentifier ? ` (restored from snapshot ${d.snapshotIdentifier})` : ''}`, { effects: ['creates-stateful'] })
          : c('remove', `RDS database ${d.identifier} removed`),
      ];
    }
    const out: Change[] = [];
    for (const key of ['identifier', 'engine', 'engineVersion', 'instanceClass', 'allocatedStorageGiB', 'snapshotIdentifier', 'port', 'masterUsername'] as const) {
      if (x[key] === y[key]) continue;
      const replaces = REPLACING.has(key);
      out.push(
        c('modify', `RDS database ${y.identifier} ${key} ${String(x[key] ?? '(none)')} -> ${String(y[key] ?? '(none)')}${replaces ? ' (replaces the database)' : ''}`, {
          field: key,
          from: x[key] ?? null,
          to: y[key] ?? null,
          effects: replaces ? ['replaces'] : [],
        }),
      );
    }
    return out;
  },
  identity: (d) => [d.id, d.identifier, d.snapshotIdentifier, d.engine, d.port, d.masterUsername],
});
