/** Helpers shared by the plan tests: plans of the example estates and what to read off them. */
import { plan, type Plan, type PlanStep } from '../../../modes/plan';
import type { Estate, ModeState } from '../../../modes/schema';
import { parseModeWord } from '../../../modes/words';
import { estateNamed } from '../../support/estates';

export const word = (estate: Estate, w: string): ModeState => parseModeWord(w, estate);
export const planOf = (name: string, from: string, to: string): Plan => {
  const estate = estateNamed(name);
  return plan(estate, word(estate, from), word(estate, to), { estateFile: `estates/${name}.yaml`, pulumiStack: 'production' });
};
export const changes = (steps: readonly PlanStep[]) => steps.flatMap((s) => s.changes);
export const titles = (steps: readonly PlanStep[]) => steps.map((s) => s.title);
export const indexOf = (steps: readonly PlanStep[], id: string) => steps.findIndex((s) => s.id === id);
export const deployOrder = (steps: readonly PlanStep[]) => steps.filter((s) => s.id.startsWith('deploy-')).map((s) => s.provider);

/** Every shell command a plan prints: deploys, overrides, snapshot, checks, and its rollback's. */
export function commandsOf(p: Plan): string[] {
  const steps = [...p.steps, ...(p.rollback?.steps ?? [])];
  return steps.flatMap((s) => [s.command, s.override, s.overrideCleanup, ...s.checks.map((c) => c.command)].filter((c): c is string => !!c));
}

/** The `pulumi up` commands among them, split at `&&`. */
export function pulumiUps(p: Plan): string[] {
  return commandsOf(p)
    .flatMap((c) => c.split(' && '))
    .filter((c) => c.startsWith('pulumi up'));
}
