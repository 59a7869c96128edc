/**
 * The database firewall rule: a security group Drawbridge owns and the database carries. Each mode
 * sets its ingress list (open to the app in normal mode, empty in maintenance, the target colour
 * only during a cutover), an in-place update that never deletes a resource.
 */
import { z } from 'zod';
import { changeOf, defineComponent, uniqueBy } from '../../component';
import { Colour, id, port, sgId, TimingSchema } from '../../fields';
import { BEHIND } from '../../mode-table';

const DatabaseAccess = z.strictObject({
  id,
  name: z.string().min(1).max(255).describe('Name of the security group Drawbridge owns and attaches to the database.'),
  description: z.string().min(1).max(255).describe('What the rule lets in, e.g. "SAP SQL Anywhere DB".'),
  port,
  allowFrom: z
    .array(z.strictObject({ securityGroupId: sgId, colour: Colour.optional(), description: z.string().max(255).optional() }))
    .min(1),
  timing: TimingSchema.optional().describe('When the rule closes and opens again (default: closes behind the page, opens first on the way out).'),
});

export const databaseAccess = defineComponent({
  kind: 'databaseAccess',
  provider: 'aws',
  key: 'databaseAccess',
  schema: z.array(DatabaseAccess).default([]),
  rules: [
    // name: the security group's name, unique in the VPC
    uniqueBy('uniqueRules', 'id', 'name'),
  ],
  needsVpc: { what: 'database access', when: (list) => list.length > 0 },
  colours: (list) => list.flatMap((a) => a.allowFrom.flatMap((f) => (f.colour ? [f.colour] : []))),
  resolve: (list, { table }) => ({
    databaseAccess: list.map((a) => ({
      id: a.id,
      name: a.name,
      description: a.description,
      port: a.port,
      open: a.allowFrom.filter((f) => table.databaseOpen(f.colour, a.timing ?? BEHIND)).map((f) => ({ securityGroupId: f.securityGroupId, description: f.description ?? a.description })),
    })),
  }),
  items: (aws) => aws.databaseAccess,
  describe(x, y) {
    const c = changeOf(this, (x ?? y)!.id, (y ?? x)!.name);
    if (!x || !y) return [c(y ? 'add' : 'remove', `DB firewall rule "${(x ?? y)!.description}" ${y ? 'added' : 'removed'}`)];
    const was = x.open.map((o) => o.securityGroupId);
    const now = y.open.map((o) => o.securityGroupId);
    if (was.join(',') === now.join(',')) return [];
    const more = { field: 'ingress', from: was, to: now };
    const opens = now.some((s) => !was.includes(s));
    const rule = `DB firewall rule "${y.description}" (${y.name})`;
    if (now.length === 0) return [c('modify', `${rule} closed: port ${y.port} no longer open to ${was.join(', ')}`, { ...more, effects: ['closes-access'] })];
    if (was.length === 0) return [c('modify', `${rule} opened: port ${y.port} open to ${now.join(', ')}`, { ...more, effects: ['opens-access'] })];
    const closes = was.some((s) => !now.includes(s));
    const effects = [...(opens ? (['opens-access'] as const) : []), ...(closes ? (['closes-access'] as const) : [])];
    return [c('modify', `${rule} port ${y.port}: ${was.join(', ')} -> ${now.join(', ')}`, { ...more, effects })];
  },
  identity: (a) => [a.id, a.name, a.description, a.port],
});
