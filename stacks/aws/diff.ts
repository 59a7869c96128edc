/**
 * CloudFormation side of `drawbridge diff`: a thin wrapper over @aws-cdk/cloudformation-diff (the
 * library `cdk diff` prints with) that also reduces each template difference to the engine-neutral
 * `ResourceChange` list of modes/diff.ts, so the safety gate and `--json` treat both engines alike.
 */
import { Writable } from 'node:stream';
import { fullDiff, formatDifferences, ResourceImpact, type ResourceDifference, type TemplateDiff } from '@aws-cdk/cloudformation-diff';
import { disruptiveProperties, propertyChanges, type PropertyChange, type ResourceChange } from '../../modes/diff';

export interface TemplateOfStack {
  readonly stackName: string;
  // CloudFormation templates are untyped JSON.
  readonly template: Record<string, unknown>;
}

export interface StackDiff {
  readonly stackName: string;
  readonly diff: TemplateDiff;
  /** One entry per changed resource (stack-level parameters and outputs are left out). */
  readonly changes: readonly ResourceChange[];
}

const EMPTY = { Resources: {} };

/** Impacts that lose the physical resource. */
const REPLACING = new Set<ResourceImpact>([ResourceImpact.WILL_REPLACE, ResourceImpact.MAY_REPLACE]);
const REMOVING = new Set<ResourceImpact>([ResourceImpact.WILL_DESTROY, ResourceImpact.WILL_ORPHAN]);

/** Differences of every stack between two syntheses; a stack present on one side only diffs against an empty template. */
export function diffStacks(before: readonly TemplateOfStack[], after: readonly TemplateOfStack[]): StackDiff[] {
  const names = [...new Set([...before.map((s) => s.stackName), ...after.map((s) => s.stackName)])];
  return names.map((stackName) => {
    const a = before.find((s) => s.stackName === stackName)?.template ?? EMPTY;
    const b = after.find((s) => s.stackName === stackName)?.template ?? EMPTY;
    const diff = fullDiff(a, b);
    return { stackName, diff, changes: resourceChanges(diff) };
  });
}

/**
 * The changed resources of a diff in the order `forEachDifference` gives them (removed, added,
 * updated, the rest), found in one pass: `forEachDifference` filters the whole collection again
 * for every resource, quadratic in a stack's changes.
 */
function changedResources(diff: TemplateDiff): [string, ResourceDifference][] {
  const groups: [string, ResourceDifference][][] = [[], [], [], []];
  for (const [logicalId, change] of Object.entries(diff.resources.changes)) {
    groups[change.isRemoval ? 0 : change.isAddition ? 1 : change.isUpdate ? 2 : 3]!.push([logicalId, change]);
  }
  return groups.flat();
}

/** The resource differences of one template diff, in engine-neutral form. */
export function resourceChanges(diff: TemplateDiff): ResourceChange[] {
  const out: ResourceChange[] = [];
  for (const [logicalId, change] of changedResources(diff)) {
    if (!change.isDifferent) continue;
    const impact = change.changeImpact;
    const type = change.newResourceType ?? change.oldResourceType ?? 'unknown';
    const action = change.isAddition ? 'add' : change.isRemoval || REMOVING.has(impact) ? 'remove' : 'modify';
    const properties: PropertyChange[] = [];
    const because: string[] = [];
    if (action === 'modify') {
      for (const [name, p] of Object.entries(change.propertyUpdates)) {
        properties.push(...propertyChanges(p.oldValue, p.newValue, name));
        if (p.changeImpact && REPLACING.has(p.changeImpact)) because.push(name);
      }
      for (const [name, d] of Object.entries(change.otherChanges)) {
        if (name === 'Metadata') continue;
        properties.push(...propertyChanges(d.oldValue, d.newValue, name));
      }
    } else if (action === 'add') {
      properties.push(...propertyChanges(undefined, change.newProperties ?? {}, 'Properties'));
    }
    const replacement = action === 'modify' && (REPLACING.has(impact) || change.resourceTypeChanged);
    const disruptive = action === 'modify' && !replacement ? disruptiveProperties(type, properties) : [];
    out.push({
      id: logicalId,
      type,
      action,
      replacement,
      ...(replacement ? { replacedBecause: because.length ? because : change.resourceTypeChanged ? ['Type'] : [] } : {}),
      ...(disruptive.length ? { disruptiveBecause: disruptive } : {}),
      properties,
    });
  }
  return out;
}

/** The diff as `cdk diff` prints it (ANSI colours removed unless `colour`). */
export function formatStackDiff(d: StackDiff, colour: boolean): string {
  if (d.diff.isEmpty) return 'There were no differences\n';
  let text = '';
  const sink = new Writable({
    write(chunk: Buffer | string, _enc, done) {
      text += chunk.toString();
      done();
    },
  });
  formatDifferences(sink, d.diff);
  // eslint-disable-next-line no-control-regex
  return colour ? text : text.replace(/\u001b\[[0-9;]*m/g, '');
}
