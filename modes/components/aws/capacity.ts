/**
 * Auto Scaling capacity: min/max only (never DesiredCapacity, which CloudFormation would reset on
 * every deploy). The colour that is not live runs at its idle capacity (default 1/1, a warm
 * standby); during a cutover the colour being left is scaled to 1/1. Each group also says where its
 * scaling notifications go, or why it needs none: the same in every mode.
 */
import { z } from 'zod';
import { changeOf, coloursOf, defineComponent, references, uniqueBy, type Change } from '../../component';
import type { DesiredCapacity, DesiredNotifications } from '../../desired';
import { capacity as size, Colour, id, subnetId, TimingSchema } from '../../fields';
import { BEHIND } from '../../mode-table';
import { arnInEstate } from './arns';

/** An SNS topic ARN: partition, region, account, topic name (letters, digits, `-`, `_`; `.fifo` for a FIFO topic). */
export const SNS_TOPIC_ARN = /^arn:aws(?:-[a-z]+)*:sns:[a-z]{2}(?:-gov)?-[a-z]+-\d:\d{12}:[A-Za-z0-9_-]{1,256}(?:\.fifo)?$/;

/** Where a group's scaling notifications go, or why it needs none; one of the two, never both. */
export const Notifications = z
  .union([
    z.strictObject({
      topicArn: z
        .string()
        .max(255)
        .regex(SNS_TOPIC_ARN, 'is not an SNS topic ARN; allowed: arn:aws:sns:<region>:<account>:<topic>, in the estate\'s account and region')
        .describe('The SNS topic that gets the group\'s launch, terminate, failed-launch and failed-terminate events.'),
    }),
    z.strictObject({
      none: z
        .string()
        .trim()
        .min(10, 'must say, in a sentence, why the group needs no scaling notifications')
        .max(300)
        .describe('Why this group needs no scaling notifications, in a sentence; it becomes the reason of its cdk-nag acknowledgement (AwsSolutions-AS3).'),
    }),
  ], {
    error: 'say where the group\'s scaling notifications go, notifications: { topicArn: arn:aws:sns:<region>:<account>:<topic> }, or why it needs none, notifications: { none: "<the reason, a sentence>" }; give one of the two',
  })
  .describe('Where scaling notifications go ({ topicArn: arn:aws:sns:... }), or why the group needs none ({ none: "<reason>" }). Required; the same in every mode.');

const AutoScalingGroup = z.strictObject({
  id,
  name: z.string().min(1).max(255).describe('Physical name; changing it replaces the group.'),
  launchTemplateId: z.string().regex(/^lt-[0-9a-f]{8,17}$/, 'must be a launch template id (lt-...)'),
  launchTemplateVersion: z.string().regex(/^(\$Latest|\$Default|\d+)$/, 'must be $Latest, $Default or a version number').default('$Default'),
  min: size,
  max: size,
  idle: z
    .strictObject({ min: size, max: size })
    .optional()
    .describe('Capacity of this colour while it is not live (default min 1, max 1: warm standby).'),
  colour: Colour.optional(),
  targetGroups: z.array(id).default([]),
  subnetIds: z.array(subnetId).min(1).optional().describe('Defaults to the VPC private subnets.'),
  maintenance: z
    .strictObject({ min: size, max: size })
    .optional()
    .describe('Capacity in maintenance (e.g. min 0, max 0: a scheduled-tasks machine stopped for the window); default: unchanged.'),
  timing: TimingSchema.optional().describe('When the maintenance capacity applies (default: behind the page, and back first).'),
  notifications: Notifications,
});

/** The notifications of a group in words, for change records. */
function notificationsText(n: DesiredNotifications): string {
  return 'topicArn' in n ? n.topicArn : `none (${n.none})`;
}

/** Capacity of a colour while it is not live, unless the group says otherwise. */
export const DEFAULT_IDLE = { min: 1, max: 1 } as const;

export const capacity = defineComponent({
  kind: 'autoScalingGroup',
  provider: 'aws',
  key: 'autoScalingGroups',
  schema: z.array(AutoScalingGroup).default([]),
  rules: [
    uniqueBy('uniqueGroups', 'id', 'name'),
    function groupsAttachToKnownTargetGroups(groups, ctx) {
      const known = new Set(ctx.facts.targetGroups.map((t) => t.id));
      groups.forEach((g, i) => references(known, 'target group', g.targetGroups, [i, 'targetGroups'], ctx));
    },
    function minNotAboveMax(groups, ctx) {
      groups.forEach((g, i) => {
        if (g.min > g.max) ctx.report([i, 'min'], `min ${g.min} must not exceed max ${g.max}`);
        for (const key of ['idle', 'maintenance'] as const) {
          const c = g[key];
          if (c && c.min > c.max) ctx.report([i, key, 'min'], `min ${c.min} must not exceed max ${c.max}`);
        }
      });
    },
    function notificationTopicsInTheEstate(groups, ctx) {
      groups.forEach((g, i) => {
        if ('topicArn' in g.notifications) arnInEstate(g.notifications.topicArn, 'notification topic', ctx, [i, 'notifications', 'topicArn']);
      });
    },
    function groupsServeTheirOwnColour(groups, ctx) {
      // A blue group in a green target group would take green's traffic while blue is idle.
      const colourOf = new Map(ctx.facts.targetGroups.map((t) => [t.id, t.colour]));
      groups.forEach((g, i) =>
        g.targetGroups.forEach((tg, k) => {
          const c = colourOf.get(tg);
          if (g.colour && c && c !== g.colour) {
            ctx.report([i, 'targetGroups', k], `${g.colour} group ${g.name} is attached to ${c} target group ${tg}; attach each colour's group to its own colour's target groups`);
          }
        }),
      );
    },
  ],
  needsVpc: { what: 'Auto Scaling groups', when: (groups) => groups.length > 0 },
  colours: coloursOf,
  resolve: (groups, { table, facts }) => ({
    autoScalingGroups: groups.map((g): DesiredCapacity => {
      const scaled = g.colour ? table.scaled(g.colour) : 'normal';
      let cap: { min: number; max: number } = scaled === 'normal' ? { min: g.min, max: g.max } : scaled === 'one' ? { min: 1, max: 1 } : (g.idle ?? DEFAULT_IDLE);
      if (g.maintenance && table.inMaintenance(g.colour, g.timing ?? BEHIND)) cap = g.maintenance;
      return {
        id: g.id,
        name: g.name,
        ...cap,
        launchTemplateId: g.launchTemplateId,
        launchTemplateVersion: g.launchTemplateVersion,
        targetGroups: g.targetGroups,
        subnetIds: g.subnetIds ?? facts.privateSubnetIds,
        notifications: g.notifications,
        ...(g.colour ? { colour: g.colour } : {}),
      };
    }),
  }),
  items: (aws) => aws.autoScalingGroups,
  describe(x, y) {
    const c = changeOf(this, (x ?? y)!.id, (y ?? x)!.name);
    if (!x || !y) return [c(y ? 'add' : 'remove', `auto scaling group ${(x ?? y)!.name} ${y ? 'added' : 'removed'}`)];
    const out: Change[] = [];
    if (x.min !== y.min || x.max !== y.max) {
      out.push(c('modify', `auto scaling group ${y.name} min/max ${x.min}/${x.max} -> ${y.min}/${y.max}`, { field: 'min/max', from: `${x.min}/${x.max}`, to: `${y.min}/${y.max}`, effects: ['scales'] }));
    }
    // The same in every mode: changes only between two versions of the estate.
    const was = notificationsText(x.notifications);
    const now = notificationsText(y.notifications);
    if (was !== now) out.push(c('modify', `auto scaling group ${y.name} scaling notifications ${was} -> ${now}`, { field: 'notifications', from: was, to: now }));
    return out;
  },
  identity: (g) => [g.id, g.name, g.launchTemplateId],
  capacity: (g) => ({ ...(g.colour ? { colour: g.colour } : {}), min: g.min }),
});
