/**
 * Scheduled jobs (EventBridge rules): enabled in normal mode (the shared ones and the live colour's),
 * disabled in maintenance, and only the target colour's during a cutover.
 */
import { z } from 'zod';
import { changeOf, coloursOf, defineComponent, uniqueBy } from '../../component';
import { arn, Colour, id, TimingSchema } from '../../fields';
import { BEHIND } from '../../mode-table';
import { arnsInEstate } from './arns';

const ScheduledJob = z.strictObject({
  id,
  name: z.string().regex(/^[.\-_A-Za-z0-9]{1,64}$/, 'must be 1-64 letters, digits, dots, dashes or underscores'),
  schedule: z
    .string()
    .regex(
      /^(rate\((1 (minute|hour|day)|([2-9]|[1-9]\d+) (minutes|hours|days))\)|cron\(\S+( \S+){5}\))$/,
      'must be an EventBridge schedule: rate(1 minute), rate(5 minutes) (singular only for 1), or cron() with six fields such as cron(0 2 * * ? *)',
    ),
  description: z.string().max(512).optional(),
  targetArn: arn('lambda').optional().describe('Lambda function the rule invokes.'),
  colour: Colour.optional(),
  timing: TimingSchema.optional().describe('When the job stops and starts again (default: stops behind the page, starts first on the way out); monitors: { enter: ahead, leave: ahead }.'),
});

export const jobs = defineComponent({
  kind: 'scheduledJob',
  provider: 'aws',
  key: 'scheduledJobs',
  schema: z.array(ScheduledJob).default([]),
  rules: [
    uniqueBy('uniqueJobs', 'id', 'name'),
    // CDK cannot add a rule target in another account (CannotCreateCrossAccountRule), nor invoke a function of another region.
    arnsInEstate('lambdaTargetsInTheEstate', 'targetArn', 'Lambda target'),
  ],
  colours: coloursOf,
  resolve: (list, { table }) => ({
    scheduledJobs: list.map((j) => ({
      id: j.id,
      name: j.name,
      schedule: j.schedule,
      ...(j.description ? { description: j.description } : {}),
      ...(j.targetArn ? { targetArn: j.targetArn } : {}),
      enabled: table.runs(j.colour, j.timing ?? BEHIND),
      ...(j.colour ? { colour: j.colour } : {}),
    })),
  }),
  items: (aws) => aws.scheduledJobs,
  describe(x, y) {
    const c = changeOf(this, (x ?? y)!.id, (y ?? x)!.name);
    if (!x || !y) return [c(y ? 'add' : 'remove', `rule ${(x ?? y)!.name} ${y ? 'added' : 'removed'}`)];
    if (x.enabled === y.enabled) return [];
    return [c('modify', `rule ${y.name} ${y.enabled ? 'enabled' : 'disabled'}`, { field: 'enabled', from: x.enabled, to: y.enabled, effects: [y.enabled ? 'starts-work' : 'stops-work'] })];
  },
  identity: (j) => [j.id, j.name, j.schedule],
  verify(before, aws, ctx) {
    const job = aws.scheduledJobs.find((j) => before?.scheduledJobs.find((q) => q.id === j.id)?.enabled !== j.enabled);
    if (!job) return [];
    return [
      {
        what: `rule ${job.name} is ${job.enabled ? 'enabled' : 'disabled'}`,
        command: `aws events describe-rule --name ${job.name} --query State --output text${ctx.regionArg}`,
        output: job.enabled ? 'ENABLED' : 'DISABLED',
      },
    ];
  },
});
