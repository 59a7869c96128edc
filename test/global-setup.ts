/**
 * Builds the edge once before the suite (dist/edge/gate.js, dist/pages/<estate>/), so `npm test`
 * on a clean clone runs the workerd, browser and Pulumi tests against what `npm run build:edge`
 * would ship.
 */
import { buildEdge } from '../scripts/build-edge';

export default async function globalSetup(): Promise<void> {
  await buildEdge({ log: () => undefined });
}
