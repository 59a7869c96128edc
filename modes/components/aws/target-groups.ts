/**
 * Target groups: the health check path per mode. In maintenance every group answers on its
 * maintenance path, so instances stay in service and the ALB does not fail open; otherwise a
 * colour's groups are on it while the colour carries no traffic of its own (idle, a cutover's
 * source frozen or draining), per the mode table's maintenanceHealth.
 */
import { z } from 'zod';
import { isActive } from '../../colours';
import { changeOf, coloursOf, defineComponent, uniqueBy, type Change } from '../../component';
import type { DesiredTargetGroup } from '../../desired';
import { Colour, id, path, port, TimingSchema } from '../../fields';
import { BEHIND } from '../../mode-table';

const TargetGroup = z.strictObject({
  id,
  name: z
    .string()
    .regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?$/, 'must be 1-32 letters, digits or dashes, not starting or ending with a dash')
    .describe('Physical name; changing it replaces the target group.'),
  port: port.default(80),
  protocol: z.enum(['HTTP', 'HTTPS']).default('HTTP'),
  healthPath: path.describe('Health check path in normal mode.'),
  maintenanceHealthPath: path.describe('Health check path in maintenance: instances stay in service while the app is down.'),
  colour: Colour.optional(),
  deregistrationDelaySeconds: z.number().int().min(0).max(3600).default(300),
  timing: TimingSchema.optional().describe('When the health check moves to the maintenance path (default: behind the page, and back first).'),
});

export type TargetGroupSpec = z.output<typeof TargetGroup>;

export const targetGroups = defineComponent({
  kind: 'targetGroup',
  provider: 'aws',
  key: 'targetGroups',
  schema: z.array(TargetGroup).default([]),
  rules: [
    uniqueBy('uniqueTargetGroups', 'id', 'name'),
  ],
  needsVpc: { what: 'target groups', when: (groups) => groups.length > 0 },
  colours: coloursOf,
  resolve: (groups, { table }) => ({
    targetGroups: groups.map(
      (t): DesiredTargetGroup => ({
        id: t.id,
        name: t.name,
        port: t.port,
        protocol: t.protocol,
        deregistrationDelaySeconds: t.deregistrationDelaySeconds,
        // Instances stay in service while their application is down, frozen, draining or idle: the ALB does not fail open.
        healthPath: table.maintenanceHealth(t.colour, t.timing ?? BEHIND) ? t.maintenanceHealthPath : t.healthPath,
        ...(t.colour ? { colour: t.colour } : {}),
      }),
    ),
  }),
  items: (aws) => aws.targetGroups,
  describe(x, y) {
    const c = changeOf(this, (x ?? y)!.id, (y ?? x)!.name);
    if (!x || !y) return [c(y ? 'add' : 'remove', `target group ${(x ?? y)!.name} ${y ? 'added' : 'removed'}`)];
    const out: Change[] = [];
    if (x.name !== y.name) out.push(c('modify', `target group ${y.id} renamed ${x.name} -> ${y.name} (replaces the target group)`, { field: 'name', from: x.name, to: y.name, effects: ['replaces'] }));
    if (x.healthPath !== y.healthPath) out.push(c('modify', `target group ${y.name} health check ${x.healthPath} -> ${y.healthPath}`, { field: 'healthPath', from: x.healthPath, to: y.healthPath }));
    if (x.port !== y.port || x.protocol !== y.protocol) {
      out.push(c('modify', `target group ${y.name} ${x.protocol}:${x.port} -> ${y.protocol}:${y.port}`, { field: 'port', from: `${x.protocol}:${x.port}`, to: `${y.protocol}:${y.port}`, effects: ['replaces'] }));
    }
    if (x.deregistrationDelaySeconds !== y.deregistrationDelaySeconds) {
      out.push(
        c('modify', `target group ${y.name} deregistration delay ${x.deregistrationDelaySeconds}s -> ${y.deregistrationDelaySeconds}s`, {
          field: 'deregistrationDelaySeconds',
          from: x.deregistrationDelaySeconds,
          to: y.deregistrationDelaySeconds,
        }),
      );
    }
    return out;
  },
  identity: (t) => [t.id, t.name, t.port, t.protocol],
  verify(_before, aws, ctx) {
    // The serving colour's groups (and shared ones), a few: their instances must pass the new check.
    const hostOf = (tgId: string) => aws.listener?.rules.find((r) => r.targets.some((t) => t.targetGroup === tgId) && r.hosts?.length)?.hosts?.[0];
    return aws.targetGroups
      .filter((t) => isActive(t.colour, ctx.to))
      .slice(0, 3)
      .map((tg) => ({ what: `instances of ${tg.name} pass their health check`, method: 'GET' as const, url: ctx.url(tg.healthPath, hostOf(tg.id)), expect: 200 }));
  },
});
