/** Writes schema/estate.schema.json from the zod schema, so editors autocomplete estate files. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { EstateSchema } from '../modes/schema';

export function estateJsonSchema(): string {
  const schema = z.toJSONSchema(EstateSchema, { io: 'input', unrepresentable: 'any' });
  return `${JSON.stringify({ ...schema, title: 'Drawbridge estate', $id: 'https://drawbridge.dev/estate.schema.json' }, null, 2)}\n`;
}

if (require.main === module) {
  const out = join(__dirname, '..', 'schema', 'estate.schema.json');
  mkdirSync(join(__dirname, '..', 'schema'), { recursive: true });
  writeFileSync(out, estateJsonSchema());
  process.stdout.write(`wrote ${out}\n`);
}
