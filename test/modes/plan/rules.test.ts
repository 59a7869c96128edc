/**
 * The plan rules of issue 11 (test/support/plan-rules.ts) hold for every example estate and every
 * move between the states it supports, for the moves that stop at a stage or go on from one, and
 * for generated estates with generated runbooks.
 */
import fc from 'fast-check';
import { plan } from '../../../modes/plan';
import type { Estate } from '../../../modes/schema';
import { supportedModeStates } from '../../../modes/state';
import { estateArbitrary } from '../../support/arbitrary';
import { estateNamed, estates } from '../../support/estates';
import { planRuleViolations } from '../../support/plan-rules';
import { runbookArbitrary, stagePairs, statePairs, word } from './support';

const complete = estates.flatMap(({ estate }) => statePairs(supportedModeStates(estate)).map(([a, b]): [string, string, string] => [estate.name, a, b]));
const staged = estates.flatMap(({ estate }) => stagePairs(estate).map(([a, b]): [string, string, string] => [estate.name, a, b]));

describe('the plan rules on the example estates', () => {
  test('GIVEN the example estates THEN the cases below cover every supported move and several hundred staged ones', () => {
    expect(complete.length).toBeGreaterThan(150);
    expect(staged.length).toBeGreaterThan(300);
    expect(new Set(staged.map(([name]) => name))).toEqual(new Set(estates.map(({ estate }) => estate.name)));
  });

  test.each(complete)('GIVEN %s WHEN moving %s -> %s THEN the plan and its way back keep every rule', (name, from, to) => {
    const estate = estateNamed(name);
    expect(planRuleViolations(estate, word(estate, from), word(estate, to))).toEqual([]);
  });

  test.each(staged)('GIVEN %s WHEN moving %s -> %s (a stage) THEN the plan and its way back keep every rule', (name, from, to) => {
    const estate = estateNamed(name);
    expect(planRuleViolations(estate, word(estate, from), word(estate, to))).toEqual([]);
    expect(plan(estate, word(estate, from), word(estate, to)).rollback?.toWord).toBe(from);
  });
});

describe('the plan rules on generated estates', () => {
  const withRunbook = estateArbitrary.chain((estate) => runbookArbitrary(estate).map((runbook): Estate => ({ ...estate, runbook })));

  test('GIVEN any valid estate with a runbook and a move it supports, staged or not WHEN planning THEN every rule holds, every step is checked, and there is a way back unless nothing moves', () => {
    fc.assert(
      fc.property(withRunbook, fc.nat(), fc.boolean(), fc.boolean(), (estate, i, stages, still) => {
        const pairs = stages ? stagePairs(estate) : statePairs(supportedModeStates(estate));
        const [a, b] = still ? [pairs[i % pairs.length]![0], pairs[i % pairs.length]![0]] : pairs[i % pairs.length]!;
        const p = plan(estate, word(estate, a), word(estate, b));
        if (still) {
          expect(p.steps).toEqual([]);
          expect(p.rollback).toBeUndefined();
          return;
        }
        expect(planRuleViolations(estate, word(estate, a), word(estate, b))).toEqual([]);
        expect(p.rollback?.toWord).toBe(a);
        for (const s of [...p.steps, ...p.rollback!.steps]) expect(s.checks.length).toBeGreaterThan(0);
      }),
      { numRuns: 150 },
    );
  });
});
