/**
 * Builds the edge once before the suite (dist/edge/gate.js, dist/pages/<estate>/), so `npm test`
 * on a clean clone runs the workerd, browser and Pulumi tests against what `npm run build:edge`
 * would ship; and the CLI and CDK app bundles (dist/bin/), so the tests that start them as
 * processes do not all build them at once.
 */
import { buildEdge } from '../scripts/build-edge';

export default async function globalSetup(): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const compiled = require('../bin/compiled') as { ENTRY_POINTS: string[]; build(name: string): string };
  for (const name of compiled.ENTRY_POINTS) compiled.build(name);
  await buildEdge({ log: () => undefined });
}
