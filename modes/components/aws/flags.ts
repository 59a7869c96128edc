/**
 * Flags the application reads (SSM parameters, runbook 003's maintenance.txt, migrating.txt and
 * notice.txt): `maintenance` is on while the colour's application shows its page (maintenance; a
 * source frozen with the page; without a gate, a colour that is idle or not yet tested); `readOnly`
 * while it refuses writes (every colour not serving, a source frozen read-only; a shared one while
 * a cutover's source is frozen); `notice` while a window is declared.
 */
import { z } from 'zod';
import { servingColour } from '../../colours';
import { changeOf, coloursOf, defineComponent, uniqueBy } from '../../component';
import { Colour, id, TimingSchema } from '../../fields';
import { BEHIND } from '../../mode-table';
import { showValue } from '../../secrets';

const Parameter = z.strictObject({
  id,
  name: z.string().regex(/^\/[A-Za-z0-9_.\-/]+$/, "must be an SSM parameter path starting with '/'"),
  flag: z
    .enum(['maintenance', 'readOnly', 'notice'])
    .describe(
      'maintenance: the application shows its page (its colour, or all when shared); readOnly: it refuses writes; notice: a window is declared (the application announces it).',
    ),
  colour: Colour.optional(),
  on: z.string().default('true'),
  off: z.string().default('false'),
  timing: TimingSchema.optional().describe('When a maintenance flag switches (default: behind the page, back first).'),
});

export const flags = defineComponent({
  kind: 'parameter',
  provider: 'aws',
  key: 'parameters',
  schema: z.array(Parameter).default([]),
  rules: [
    uniqueBy('uniqueParameters', 'id', 'name'),
  ],
  colours: coloursOf,
  resolve: (list, { table, facts }) => ({
    parameters: list.map((p) => {
      const set =
        p.flag === 'maintenance' ? table.appDown(p.colour, p.timing ?? BEHIND, facts.hasGate) : p.flag === 'readOnly' ? table.appReadOnly(p.colour) : !!facts.window;
      return { id: p.id, name: p.name, flag: p.flag, value: set ? p.on : p.off, set, ...(p.colour ? { colour: p.colour } : {}) };
    }),
  }),
  items: (aws) => aws.parameters,
  describe(x, y) {
    const c = changeOf(this, (x ?? y)!.id, (y ?? x)!.name);
    if (!x || !y) return [c(y ? 'add' : 'remove', `parameter ${(x ?? y)!.name} ${y ? 'added' : 'removed'}`)];
    if (x.value === y.value) return [];
    const from = showValue(y.name, x.value);
    const to = showValue(y.name, y.value);
    return [c('modify', `parameter ${y.name} ${from} -> ${to}`, { field: 'value', from, to, effects: ['flips-flag'] })];
  },
  identity: (p) => [p.id, p.name],
  // The serving colour's (or shared) flags: the application's own page or read-only mode.
  shows: (aws, d) => {
    const mine = aws.parameters.filter((p) => p.colour === undefined || p.colour === servingColour(d.state));
    if (!mine.some((p) => p.flag === 'maintenance' || p.flag === 'readOnly')) return undefined;
    return mine.some((p) => p.set && p.flag === 'maintenance') ? 'down' : mine.some((p) => p.set && p.flag === 'readOnly') ? 'read-only' : 'open';
  },
  verify(before, aws, ctx) {
    return aws.parameters
      .filter((p) => before?.parameters.find((q) => q.id === p.id)?.value !== p.value)
      .slice(0, 2)
      .map((p) => ({
        what: `parameter ${p.name} is ${showValue(p.name, p.value)}`,
        command: `aws ssm get-parameter --name ${p.name} --query Parameter.Value --output text${ctx.regionArg}`,
        output: showValue(p.name, p.value),
      }));
  },
});
