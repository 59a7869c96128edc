/**
 * Flags the application reads (SSM parameters): `maintenance` is on in maintenance (for the live
 * colour's flag or a shared one); `readOnly` is on for every colour that is not serving (the side
 * being left stays frozen after the cutover too), and a shared one is on during a cutover.
 */
import { z } from 'zod';
import { servingColour } from '../../colours';
import { changeOf, coloursOf, defineComponent, uniqueBy } from '../../component';
import { Colour, id } from '../../fields';
import { showValue } from '../../secrets';

const Parameter = z.strictObject({
  id,
  name: z.string().regex(/^\/[A-Za-z0-9_.\-/]+$/, "must be an SSM parameter path starting with '/'"),
  flag: z.enum(['maintenance', 'readOnly']),
  colour: Colour.optional(),
  on: z.string().default('true'),
  off: z.string().default('false'),
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
  resolve: (list, { state }) => ({
    parameters: list.map((p) => {
      const set =
        p.flag === 'maintenance'
          ? state.mode === 'maintenance' && (p.colour === undefined || p.colour === state.live)
          : p.colour === undefined
            ? state.mode === 'cutover'
            : p.colour !== servingColour(state);
      return { id: p.id, name: p.name, flag: p.flag, value: set ? p.on : p.off, ...(p.colour ? { colour: p.colour } : {}) };
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
