/** `drawbridge plan [FROM] TO`: the runbook of a move, as Markdown or JSON. Loads only the pure model. */
import { cdkDefaultEstate } from '../../modes/estate-file';
import { plan, renderPlanJson, renderPlanMarkdown } from '../../modes/plan';
import { formatOf, type Values } from './args';
import { move, pulumiStack } from './estates';
import { EXIT, type Io } from './io';

export function planCommand(io: Io, values: Values, words: readonly string[]): number {
  const format = formatOf(values, ['md', 'json'], 'plan');
  const m = move(io, values, words, 'plan');
  const defaultEstateFile = m.estateFile.isDefault ? m.estateFile.file : cdkDefaultEstate(io.cwd);
  const p = plan(m.estate, m.from, m.to, {
    estateFile: m.estateFile.file,
    // Spelt as the operator spelt it (./estates/default.yaml is still the default).
    ...(defaultEstateFile !== undefined ? { defaultEstateFile } : {}),
    pulumiStack: pulumiStack(io, m.estate, m.estateFile, values.stack),
    ...(m.fromEstate !== m.estate ? { fromEstate: m.fromEstate } : {}),
  });
  io.stdout.write(format === 'json' ? renderPlanJson(p) : `${renderPlanMarkdown(p, m.estate)}\n`);
  return EXIT.ok;
}
