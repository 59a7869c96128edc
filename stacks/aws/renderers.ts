/**
 * The AWS renderers, keyed by their model component's kind, in the order they render (the order of
 * a template's resources): adding a component is one renderer under `components/` and one entry
 * here. EstateStack renders each stack part by looping over this registry.
 */
import type { DesiredAws } from '../../modes/desired';
import { byKind } from '../registry';
import { beanstalkRenderer } from './components/beanstalk';
import { capacityRenderer } from './components/capacity';
import { databaseAccessRenderer } from './components/database-access';
import { databasesRenderer } from './components/databases';
import { flagsRenderer } from './components/flags';
import { jobsRenderer } from './components/jobs';
import { listenerRenderer } from './components/listener';
import { route53Renderer } from './components/route53';
import { targetGroupsRenderer } from './components/target-groups';
import type { AwsRenderer, OperationsRenderer, StackPart } from './renderer';

/** Every AWS renderer by model kind. Target groups come before what forwards to them or attaches to them. */
export const AWS_RENDERERS: ReadonlyMap<string, AwsRenderer> = byKind([
  targetGroupsRenderer,
  listenerRenderer,
  route53Renderer,
  capacityRenderer,
  jobsRenderer,
  databaseAccessRenderer,
  flagsRenderer,
  beanstalkRenderer,
  databasesRenderer,
]);

/** The renderers of one stack part, in render order. */
export function renderersOf(part: StackPart): AwsRenderer[] {
  return [...AWS_RENDERERS.values()].filter((r) => r.part === part);
}

/** Whether any renderer of `part` has an item to render in `desired` (by its model component's items). */
export function partRenders(part: StackPart, desired: DesiredAws): boolean {
  return renderersOf(part).some((r) => r.component.items(desired).length > 0);
}

/** The operations renderers, whose items are shared out among the operations stacks. */
export function operationsRenderers(): OperationsRenderer[] {
  return [...AWS_RENDERERS.values()].filter((r): r is OperationsRenderer => r.part === 'operations');
}
