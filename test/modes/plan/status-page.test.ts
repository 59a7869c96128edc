/**
 * The status page in the plan (modes/plan/status-page.ts): each status change at the step of the
 * move where it becomes true, as the exact request `drawbridge statuspage` sends.
 */
import { transitionRequest } from '../../../modes/components/statuspage/statuspage';
import { plan, renderPlanJson, renderPlanMarkdown, type PlanStep } from '../../../modes/plan';
import type { Estate } from '../../../modes/schema';
import { supportedModeStates } from '../../../modes/state';
import { estateNamed, estates } from '../../support/estates';
import { planRuleViolations } from '../../support/plan-rules';
import { indexOf, planOf, stagePairs, statePairs, word } from './support';

const STATUS_PAGE = { pageId: 'kctbh9vrtdwd', components: [{ id: '8kbf7d35c070', name: 'Website' }], apiKeyEnv: 'STATUSPAGE_API_KEY', remindPrior: true };
const withStatusPage = (name: string): Estate => ({ ...estateNamed(name), statusPage: STATUS_PAGE });

const statusSteps = (steps: readonly PlanStep[]) => steps.filter((s) => s.id.startsWith('statuspage-')).map((s) => s.id.slice('statuspage-'.length));
/** The first deploy of the stage `word` at or after position `from`. */
const deployOf = (steps: readonly PlanStep[], stage: string) => steps.findIndex((s) => s.kind === 'deploy' && s.stage === stage);

describe('runbook 000 (ticketing): the four status page updates', () => {
  const enter = planOf('ticketing', 'normal', 'maintenance');
  const leave = planOf('ticketing', 'maintenance', 'normal');

  test('GIVEN entering maintenance THEN the maintenance is scheduled the day before and goes in progress as the page goes up; its rollback verifies and calls it off', () => {
    expect(statusSteps(enter.steps)).toEqual(['scheduled', 'in-progress']);
    expect(statusSteps(enter.rollback!.steps)).toEqual(['verifying', 'called-off']);
  });

  test('GIVEN leaving maintenance THEN it is verified behind the page and completed at the end; its rollback (the page up again) sets it in progress again', () => {
    expect(statusSteps(leave.steps)).toEqual(['verifying', 'completed']);
    expect(statusSteps(leave.rollback!.steps)).toEqual(['in-progress']);
  });

  test('GIVEN entering THEN Scheduled ships with the window, before the messenger announcement, and before anything of the day of the move', () => {
    const scheduled = indexOf(enter.steps, 'statuspage-scheduled');
    expect(enter.steps[scheduled]!.phase).toBe('day-before');
    expect(indexOf(enter.steps, 'window-cloudflare')).toBe(scheduled - 1);
    expect(indexOf(enter.steps, 'messenger')).toBe(scheduled + 1);
  });

  test('GIVEN entering THEN In progress comes after the back office is logged out and right before the commit and deploys that put the page up, while the public still sees the site', () => {
    const i = indexOf(enter.steps, 'statuspage-in-progress');
    const page = deployOf(enter.steps, 'maintenance:page@blue');
    expect(indexOf(enter.steps, 'back-office-logout')).toBe(i - 1);
    expect(enter.steps.slice(i + 1, page).map((s) => s.kind)).toEqual(['commit']);
    expect(enter.steps[i]!.outage).toBe(false);
    expect(enter.steps[page]!.changes).toContain('MAINTENANCE 0 -> 1 on web (KV web/MAINTENANCE)');
  });

  test('GIVEN leaving THEN Verifying comes once the origin is back behind the page, before the staff tests, and while the public still sees the page', () => {
    const i = indexOf(leave.steps, 'statuspage-verifying');
    expect(deployOf(leave.steps, 'normal:behind@blue')).toBe(i - 1);
    for (const test of ['check-db-backup', 'test-booking']) expect(indexOf(leave.steps, test)).toBeGreaterThan(i);
    expect(i).toBeLessThan(deployOf(leave.steps, 'normal:page@blue'));
    expect(leave.steps[i]!.outage).toBe(true);
  });

  test('GIVEN leaving THEN Completed is the last step, after the page is down and the after-window checks (the logs) are done', () => {
    const last = leave.steps[leave.steps.length - 1]!;
    expect(last.id).toBe('statuspage-completed');
    expect(last.outage).toBe(false);
    expect(indexOf(leave.steps, 'check-logs')).toBeLessThan(last.n - 1);
    expect(leave.outage?.endsAtStep).toBeLessThan(last.n);
  });

  test('GIVEN the rollback of entering THEN Verifying comes after the server swap is undone and before the staff tests', () => {
    const back = enter.rollback!.steps;
    const i = indexOf(back, 'statuspage-verifying');
    expect(indexOf(back, 'undo-db-server-swap')).toBe(i - 1);
    expect(indexOf(back, 'test-booking')).toBeGreaterThan(i);
    expect(back[back.length - 1]!.id).toBe('statuspage-called-off');
  });

  test('GIVEN each status step THEN it runs `drawbridge statuspage <step>` and shows the exact request, the key only by its variable\'s name', () => {
    const estate = estateNamed('ticketing');
    for (const s of [...enter.steps, ...enter.rollback!.steps, ...leave.steps].filter((x) => x.kind === 'status-page')) {
      const step = s.id.slice('statuspage-'.length) as Parameters<typeof transitionRequest>[0];
      const req = transitionRequest(step, estate.statusPage!, estate.window!, estate.brand);
      expect(s.source).toBe('drawbridge');
      expect(s.command).toBe(`npx drawbridge statuspage ${step} --estate estates/ticketing.yaml`);
      expect(s.request).toEqual({ method: req.method, url: req.url, headers: { Authorization: 'OAuth $STATUSPAGE_API_KEY', 'Content-Type': 'application/json' }, body: req.body });
      expect(s.checks[0]).toEqual({ what: expect.any(String), command: 'npx drawbridge statuspage show --estate estates/ticketing.yaml', output: expect.stringMatching(/^(scheduled|in_progress|verifying|completed): "Server updates and a database upgrade" \.\.\.$/) });
    }
  });

  test('GIVEN the plan as Markdown and JSON THEN the request is printed as sent: method, URL, headers and body', () => {
    const md = renderPlanMarkdown(enter, estateNamed('ticketing'));
    expect(md).toContain(
      [
        '  ```http',
        '  PATCH https://api.statuspage.io/v1/pages/tkt0example1/incidents/{incident_id}',
        '  Authorization: OAuth $STATUSPAGE_API_KEY',
        '  Content-Type: application/json',
        '',
        '  {',
        '    "incident": {',
        '      "status": "in_progress",',
      ].join('\n'),
    );
    expect(JSON.parse(renderPlanJson(enter)).steps.find((s: PlanStep) => s.id === 'statuspage-scheduled').request.body.incident.scheduled_for).toBe('2030-03-17T06:00:00.000Z');
  });
});

describe('a cutover and its fail-back (runbook 004 with a status page)', () => {
  const bridge = withStatusPage('bridge');

  test('GIVEN the whole cutover THEN In progress comes before the freeze holds the public, Verifying before the staff test green, Completed at the end', () => {
    const p = plan(bridge, word(bridge, 'normal@blue'), word(bridge, 'normal@green'));
    expect(statusSteps(p.steps)).toEqual(['scheduled', 'in-progress', 'verifying', 'completed']);
    expect(indexOf(p.steps, 'statuspage-in-progress')).toBeLessThan(deployOf(p.steps, 'cutover:freeze@blue->green'));
    expect(indexOf(p.steps, 'statuspage-in-progress')).toBeGreaterThan(deployOf(p.steps, 'cutover:prepare@blue->green'));
    const verifying = indexOf(p.steps, 'statuspage-verifying');
    expect(verifying).toBeGreaterThan(deployOf(p.steps, 'cutover@blue->green'));
    expect(verifying).toBeLessThan(indexOf(p.steps, 'test'));
    expect(p.steps[p.steps.length - 1]!.id).toBe('statuspage-completed');
  });

  test('GIVEN the fail-back THEN the maintenance is verified and called off, not completed as planned', () => {
    const p = plan(bridge, word(bridge, 'cutover@blue->green'), word(bridge, 'normal@blue'));
    expect(statusSteps(p.steps)).toEqual(['verifying', 'called-off']);
    expect((p.steps.find((s) => s.id === 'statuspage-called-off')!.request!.body as { incident: { body: string } }).incident.body).toMatch(/^The maintenance was stopped/);
  });

  test('GIVEN a rolling cutover that never holds the public THEN the maintenance goes in progress when the work starts and completes at the end', () => {
    const rolling = withStatusPage('rolling');
    const p = plan(rolling, word(rolling, 'normal@blue'), word(rolling, 'normal@green'));
    expect(statusSteps(p.steps)).toEqual(['scheduled', 'in-progress', 'completed']);
    expect(p.steps[indexOf(p.steps, 'statuspage-in-progress')]!.phase).toBe('start');
  });
});

describe('estates without a status page, or without a window', () => {
  test('GIVEN an estate without statusPage THEN no plan has a status-page step of Drawbridge\'s', () => {
    const shop = estateNamed('shop');
    for (const [a, b] of statePairs(supportedModeStates(shop))) {
      const p = plan(shop, word(shop, a), word(shop, b));
      expect(statusSteps([...p.steps, ...(p.rollback?.steps ?? [])])).toEqual([]);
    }
  });

  test('GIVEN a status page but no window THEN the plan has no status-page step and says why', () => {
    const { window: _w, ...rest } = withStatusPage('shop');
    const p = plan(rest as Estate, word(rest as Estate, 'normal'), word(rest as Estate, 'maintenance'));
    expect(statusSteps([...p.steps, ...p.rollback!.steps])).toEqual([]);
    expect(p.warnings).toContain('statusPage is declared, but the estate has no window: a scheduled maintenance needs its start and end, so this plan has no status-page steps; add window: (reason, announce, start, end, timeZones).');
  });
});

describe('every example estate with a status page, every move', () => {
  const LIFECYCLE = ['scheduled', 'in-progress', 'verifying', 'completed'];
  const cases = estates.flatMap(({ estate }) =>
    [...statePairs(supportedModeStates(estate)), ...stagePairs(estate)].map(([a, b]): [string, string, string] => [estate.name, a, b]),
  );

  test.each(cases)('GIVEN %s with a status page WHEN moving %s -> %s THEN the plan rules hold, and the status page follows what the public sees, in the order of its lifecycle', (name, a, b) => {
    const estate = withStatusPage(name);
    expect(planRuleViolations(estate, word(estate, a), word(estate, b))).toEqual([]);
    const p = plan(estate, word(estate, a), word(estate, b));
    for (const steps of [p.steps, p.rollback?.steps ?? []]) {
      const seen = statusSteps(steps).map((s) => (s === 'called-off' ? 'completed' : s));
      expect(seen).toEqual([...seen].sort((x, y) => LIFECYCLE.indexOf(x) - LIFECYCLE.indexOf(y)));
      expect(new Set(seen).size).toBe(seen.length);
      for (const s of steps.filter((x) => x.kind === 'status-page')) {
        // Verifying while the public is held; In progress announced while it still sees the site (or
        // when it is held already, on a way back); Completed last, with the site open.
        if (s.id === 'statuspage-verifying') expect(s.outage).toBe(true);
        if (s.id === 'statuspage-completed' || s.id === 'statuspage-called-off') {
          expect(s.outage).toBe(false);
          expect(s).toBe(steps[steps.length - 1]);
        }
        if (s.id === 'statuspage-scheduled') expect(s.phase).toBe('day-before');
      }
    }
  });
});
