import { plan } from '../../../modes/plan';
import { isOnce, parseReference, stepsOfMove } from '../../../modes/plan/runbook';
import type { Estate, ManualStepSpec } from '../../../modes/schema';
import { estateNamed } from '../../support/estates';
import { misplacedSteps } from '../../support/plan-rules';
import { changeAt, deploys, indexOf, planOf, word } from './support';

const shop = estateNamed('shop');

const step = (id: string, on: ManualStepSpec['on'], modes: ManualStepSpec['modes'], kind: ManualStepSpec['kind'], more: Partial<ManualStepSpec> = {}): ManualStepSpec => ({
  id,
  phase: on === 'enter' ? 'start' : 'end',
  on,
  modes,
  kind,
  title: `Step ${id}`,
  minutes: 5,
  ...more,
});

/** One step per (on, mode), once and not: enough to tell every direction apart. */
const runbook: ManualStepSpec[] = [
  step('enter-m-sql', 'enter', ['maintenance'], 'sql'),
  step('enter-m-check', 'enter', ['maintenance'], 'check'),
  step('leave-m', 'leave', ['maintenance'], 'command'),
  step('enter-c', 'enter', ['cutover'], 'command'),
  step('enter-c-test', 'enter', ['cutover'], 'test'),
  step('leave-c', 'leave', ['cutover'], 'test'),
  step('fail-c', 'fail-back', ['cutover'], 'message'),
  step('enter-both', 'enter', ['maintenance', 'cutover'], 'status-page'),
];
const estate: Estate = { ...shop, runbook };
const ids = (from: string, to: string, wayBack: boolean) => stepsOfMove(estate, word(estate, from), word(estate, to), wayBack).map((s) => s.id);

describe('stepsOfMove: which declared steps a move runs', () => {
  test.each<[string, string, string, boolean, string[]]>([
    ['entering maintenance', 'normal@blue', 'maintenance@blue', false, ['enter-m-sql', 'enter-m-check', 'enter-both']],
    ['leaving it', 'maintenance@blue', 'normal@blue', false, ['leave-m']],
    ['entering a cutover', 'normal@blue', 'cutover@blue->green', false, ['enter-c', 'enter-c-test', 'enter-both']],
    ['completing it on the target', 'cutover@blue->green', 'normal@green', false, ['leave-c']],
    ['failing it back', 'cutover@blue->green', 'normal@blue', false, ['fail-c']],
    ['failing it back into maintenance', 'cutover@blue->green', 'maintenance@blue', false, ['fail-c', 'enter-m-sql', 'enter-m-check', 'enter-both']],
    ['a whole cutover', 'normal@blue', 'normal@green', false, ['enter-c', 'enter-c-test', 'enter-both', 'leave-c']],
    ['a cutover from maintenance', 'maintenance@blue', 'cutover@blue->green', false, ['leave-m', 'enter-c', 'enter-c-test', 'enter-both']],
    ['the way back of entering maintenance (leaving it)', 'maintenance@blue', 'normal@blue', true, ['leave-m']],
    ['the way back of leaving maintenance (re-entering it: nothing done once again)', 'normal@blue', 'maintenance@blue', true, ['enter-m-check', 'enter-both']],
    ['the way back of entering a cutover (a fail-back)', 'cutover@blue->green', 'normal@blue', true, ['fail-c']],
    ['the way back of a whole cutover (a fail-back)', 'normal@green', 'normal@blue', true, ['fail-c']],
    ['the way back of a cutover from maintenance (a fail-back)', 'cutover@blue->green', 'maintenance@blue', true, ['fail-c']],
    ['the way back of completing a cutover (never the forward-only work again)', 'normal@green', 'cutover@blue->green', true, []],
    ['the way back of a fail-back', 'normal@blue', 'cutover@blue->green', true, []],
  ])('GIVEN %s WHEN moving %s -> %s (way back: %s) THEN the steps are %j', (_label, from, to, wayBack, expected) => {
    expect(ids(from, to, wayBack)).toEqual(expected);
  });
});

describe('isOnce: what a way back never repeats', () => {
  test.each<[string, ManualStepSpec, boolean]>([
    ['sql', step('a', 'enter', ['maintenance'], 'sql'), true],
    ['command', step('a', 'enter', ['maintenance'], 'command'), true],
    ['message', step('a', 'enter', ['maintenance'], 'message'), true],
    ['status-page', step('a', 'enter', ['maintenance'], 'status-page'), false],
    ['check', step('a', 'enter', ['maintenance'], 'check'), false],
    ['test', step('a', 'enter', ['maintenance'], 'test'), false],
    ['sql with once: false', step('a', 'enter', ['maintenance'], 'sql', { once: false }), false],
    ['check with once: true', step('a', 'enter', ['maintenance'], 'check', { once: true }), true],
    ['check that declares its undo', step('a', 'enter', ['maintenance'], 'check', { undo: 'put it back' }), true],
  ])('GIVEN a %s step WHEN asking whether it is done once THEN %s', (_kind, s, once) => {
    expect(isOnce(s)).toBe(once);
  });
});

describe('parseReference: what before:/after: name', () => {
  test.each<[string, ReturnType<typeof parseReference>]>([
    ['page', { stage: 'page' }],
    ['move', { stage: 'move' }],
    ['restore', { stage: 'restore' }],
    ['aws.databaseAccess.sql-anywhere', { provider: 'aws', kind: 'databaseAccess', id: 'sql-anywhere' }],
    ['aws.scheduledJobs', { provider: 'aws', kind: 'scheduledJob' }],
    ['cloudflare.gate', { provider: 'cloudflare', kind: 'gate' }],
    ['aws.nosuch.x', undefined],
    ['gcp.databaseAccess.x', undefined],
    ['aws.databaseAccess.a.b', undefined],
    ['aws', undefined],
    ['sometime', undefined],
  ])('GIVEN %j WHEN reading it THEN it names %j', (text, ref) => {
    expect(parseReference(text)).toEqual(ref);
  });
});

describe('placement: a step ordered against a stage or a declared change lands next to it', () => {
  const enter = planOf('ticketing', 'normal', 'maintenance');
  // Runbook 000 with a declared step after the page stage, where the runbook updated its status page by hand.
  const ticketing = estateNamed('ticketing');
  const afterPage: Estate = { ...ticketing, runbook: [...ticketing.runbook, step('announce-back', 'leave', ['maintenance'], 'message', { after: 'page' })] };
  const leave = plan(afterPage, word(afterPage, 'maintenance'), word(afterPage, 'normal'));

  test.each<[string, 'enter' | 'leave', string, RegExp | string, 'before' | 'after']>([
    ['the sessions are cleared once the database firewall is closed', 'enter', 'clear-sessions', /^DB firewall rule .* closed/, 'after'],
    ['the back office is logged out before the page stage', 'enter', 'back-office-logout', 'maintenance:page@blue', 'before'],
    ['the cache is restored before the database firewall opens', 'leave', 'restore-cache', /^DB firewall rule .* opened/, 'before'],
    ['the booking is tested before the page stage (the origin back, then the page down)', 'leave', 'test-booking', 'normal:page@blue', 'before'],
    ['the site is announced back once the page stage is deployed', 'leave', 'announce-back', 'normal:page@blue', 'after'],
  ])('GIVEN runbook 000: %s WHEN planning (%s, step %s) THEN it lands next to what it names, with no other deploy between', (_label, move, id, target, side) => {
    const steps = (move === 'enter' ? enter : leave).steps;
    const s = indexOf(steps, id);
    // the deploy that changes the item, or the stage's deploys (the first one before it, the last one after it)
    const at = typeof target === 'string' ? steps.flatMap((d, i) => (d.kind === 'deploy' && d.stage === target ? [i] : [])) : [changeAt(steps, target)];
    expect(s).toBeGreaterThan(-1);
    expect(at.length).toBeGreaterThan(0);
    expect(at[0]).toBeGreaterThan(-1);
    const [lo, hi] = side === 'before' ? [s, at[0]!] : [at[at.length - 1]!, s];
    expect(lo).toBeLessThan(hi);
    expect(deploys(steps.slice(lo + 1, hi))).toEqual([]);
  });

  test('GIVEN the ticketing estate WHEN entering and leaving THEN the checker finds no step misplaced', () => {
    expect([...misplacedSteps(ticketing, enter), ...misplacedSteps(afterPage, leave)]).toEqual([]);
  });

  test.each<[string, string]>([
    ['an item the move does not change (the api record, in a maintenance)', 'cloudflare.records.api'],
    ['a stage the move does not have (the restore, in a maintenance)', 'restore'],
  ])('GIVEN a step after %s WHEN planning THEN it falls back to its phase, where a step naming nothing goes', (_label, after) => {
    const twins: Estate = { ...shop, runbook: [step('plain', 'enter', ['maintenance'], 'check'), step('named', 'enter', ['maintenance'], 'check', { after })] };
    const p = plan(twins, word(twins, 'normal'), word(twins, 'maintenance'));
    const plain = indexOf(p.steps, 'plain');
    expect(plain).toBeGreaterThan(-1);
    expect(indexOf(p.steps, 'named')).toBe(plain + 1);
    expect(p.steps[plain + 1]!.phase).toBe('start');
  });

  test('GIVEN a step after an item the move changes WHEN planning THEN it leaves its phase for that deploy\'s', () => {
    const moved: Estate = { ...shop, runbook: [step('plain', 'enter', ['maintenance'], 'check'), step('named', 'enter', ['maintenance'], 'check', { phase: 'after', after: 'cloudflare.gate' })] };
    const p = plan(moved, word(moved, 'normal'), word(moved, 'maintenance'));
    const gate = changeAt(p.steps, /^MAINTENANCE 0 -> 1 on shop-gate$/);
    expect(indexOf(p.steps, 'named')).toBe(gate + 1);
    expect(p.steps[gate + 1]!.phase).toBe(p.steps[gate]!.phase);
  });
});

describe('the way back and steps done once', () => {
  test('GIVEN a step that declares its undo WHEN reading the rollback of entering THEN the undo runs instead, and nothing done once is repeated', () => {
    const back = planOf('ticketing', 'normal', 'maintenance').rollback!.steps;
    const undo = back.find((s) => s.id === 'undo-db-server-swap');
    expect(undo).toMatchObject({ kind: 'command', title: expect.stringMatching(/^Undo: DB: stop the services/), detail: 'Start the old DB instance again from its volumes (D: E: F:) and its previous AMI.' });
    expect(back.indexOf(undo!)).toBeLessThan(changeAt(back, /^MAINTENANCE 1 -> 0 on web /));
    for (const id of ['db-server-swap', 'clear-sessions', 'slack-start']) expect(indexOf(back, id)).toBe(-1);
  });

  test('GIVEN leaving maintenance WHEN reading its rollback (re-entering) THEN the steps done once are left out and the checks stay', () => {
    const back = planOf('ticketing', 'maintenance', 'normal').rollback!.steps;
    for (const id of ['clear-sessions', 'db-server-swap', 'session-db', 'server-updates', 'slack-start']) expect(indexOf(back, id)).toBe(-1);
    for (const id of ['back-office-logout', 'statuspage-in-progress']) expect(indexOf(back, id)).toBeGreaterThan(-1);
  });
});
