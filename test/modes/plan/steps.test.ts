import { plan, renderPlanJson, renderPlanMarkdown } from '../../../modes/plan';
import { describeChanges } from '../../../modes/changes';
import { isDrawbridgeError } from '../../../modes/errors';
import { resolve } from '../../../modes/resolve';
import type { Estate } from '../../../modes/schema';
import { supportedModeStates } from '../../../modes/state';
import { estateNamed, estates } from '../../support/estates';
import { changeAt, changes, deploys, indexOf, planOf, word } from './support';

const PHASE_ORDER = ['days-before', 'day-before', 'minutes-before', 'start', 'end', 'after'];

describe('plan normal -> maintenance on the ticketing estate (runbook 000)', () => {
  const p = planOf('ticketing', 'normal', 'maintenance');
  const all = [...p.steps, ...(p.rollback?.steps ?? [])];
  const page = changeAt(p.steps, /^MAINTENANCE 0 -> 1 on web /);

  test.each<[string, RegExp]>([
    ['EC2: "Web-target-group" health check URL to /uptime-monitor-maintenance', /^target group Web-target-group health check \/uptime-monitor -> \/uptime-monitor-maintenance$/],
    ['EC2: "Web-services-target-group" health check URL to /uptime-monitor-maintenance', /^target group Web-services-target-group health check \/uptime-monitor -> \/uptime-monitor-maintenance$/],
    ['CF: ticketsource.com > Allow verified bots => Off', /^verified bots blocked on ticketing-example\.com$/],
    ['CF: ticketsource.co.uk > Allow verified bots => Off', /^verified bots blocked on ticketing-example\.co\.uk$/],
    ['CF: MAINTENANCE = 1 on "web" worker', /^MAINTENANCE 0 -> 1 on web \(KV web\/MAINTENANCE\)$/],
    ['CF: MAINTENANCE = 1 on "web-services" worker', /^MAINTENANCE 0 -> 1 on web-services \(KV web-services\/MAINTENANCE\)$/],
    ['CF: COMPLETION_TIME_UK on "web" worker', /^COMPLETION_TIME_UK "" -> Sun 17 Mar 2030, 09:00 GMT on web /],
    ['CF: COMPLETION_TIME_ET on "web" worker', /^COMPLETION_TIME_ET "" -> Sun 17 Mar 2030, 05:00 EDT on web /],
    ['CF: COMPLETION_TIME_PT on "web" worker', /^COMPLETION_TIME_PT "" -> Sun 17 Mar 2030, 02:00 PDT on web /],
    ['SCHEDULED TASKS: disable-all-scheduled-tasks.bat', /^rule ticketing-scheduled-tasks disabled$/],
    ['SCHEDULED TASKS: stop instance', /^auto scaling group ticketing-scheduled-tasks min\/max 1\/1 -> 0\/0$/],
    ['DB BACKUP: stop instance', /^auto scaling group ticketing-db-backup min\/max 1\/1 -> 0\/0$/],
    ['SCHEDULED TASKS: disable-response-time-monitor-tasks.bat', /^rule ticketing-response-time-monitor disabled$/],
    ['DB: disable firewall rule "SAP SQL Anywhere DB"', /^DB firewall rule "SAP SQL Anywhere DB" \(ticketing-sql-anywhere-access\) closed: port 2638/],
    ['API (PRINT SERVER): set blocking code', /^parameter \/ticketing\/print-server\/blocked 0 -> 1$/],
  ])('GIVEN runbook 000 step %s WHEN planning THEN a deploy step changes it', (_step, change) => {
    const at = changeAt(p.steps, change);
    expect(at).toBeGreaterThan(-1);
    expect(p.steps[at]!.kind).toBe('deploy');
  });

  test.each<[string, RegExp]>([
    ['on the way out, EC2 health check URL back to /uptime-monitor', /^target group Web-target-group health check \/uptime-monitor-maintenance -> \/uptime-monitor$/],
    ['on the way out, MAINTENANCE = 0 on "web"', /^MAINTENANCE 1 -> 0 on web \(KV web\/MAINTENANCE\)$/],
    ['on the way out, MAINTENANCE = 0 on "web-services"', /^MAINTENANCE 1 -> 0 on web-services \(KV web-services\/MAINTENANCE\)$/],
    ['on the way out, verified bots On', /^verified bots allowed on ticketing-example\.co\.uk$/],
    ['on the way out, enable the firewall rule', /^DB firewall rule "SAP SQL Anywhere DB" .* opened/],
    ['on the way out, start the scheduled-tasks instance', /^auto scaling group ticketing-scheduled-tasks min\/max 0\/0 -> 1\/1$/],
    ['on the way out, enable-all-scheduled-tasks.bat', /^rule ticketing-scheduled-tasks enabled$/],
    ['after the window, enable-response-time-monitor-tasks.bat', /^rule ticketing-response-time-monitor enabled$/],
  ])('GIVEN runbook 000 %s WHEN planning THEN the rollback (the way back) does it', (_step, change) => {
    expect(changes(p.rollback?.steps ?? []).some((c) => change.test(c))).toBe(true);
  });

  test.each(['scheduled', 'in_progress', 'verifying', 'completed'])('GIVEN the status page phase %s WHEN planning (entering and its rollback) THEN a status-page step moves the maintenance to it', (status) => {
    const moves = all.filter((s) => s.kind === 'status-page' && (s.request?.body as { incident: { status: string } } | undefined)?.incident.status === status);
    expect(moves).toHaveLength(1);
    expect(moves[0]!.command).toMatch(/^npx drawbridge statuspage (scheduled|in-progress|verifying|called-off) --estate estates\/ticketing\.yaml$/);
  });

  test('GIVEN the estate WHEN planning THEN phases run days-before to start in order, and the completion times ship in the window the day before', () => {
    const phases = p.steps.map((s) => s.phase);
    expect(phases).toEqual([...phases].sort((a, b) => PHASE_ORDER.indexOf(a) - PHASE_ORDER.indexOf(b)));
    const window = p.steps[indexOf(p.steps, 'window-cloudflare')]!;
    expect(window.phase).toBe('day-before');
    expect(window.changes.filter((c) => /^COMPLETION_TIME_(UK|ET|PT) "" -> /.test(c))).toHaveLength(3);
  });

  test('GIVEN the estate WHEN planning THEN what goes ahead switches before the page, the page goes up before anything stops, and the declared work runs behind it', () => {
    expect(page).toBeGreaterThan(-1);
    // the page is what puts the public out: the outage starts with it
    expect(p.outage?.startsAtStep).toBe(p.steps[page]!.n);
    for (const ahead of [/^target group Web-target-group health check/, /^rule ticketing-response-time-monitor disabled$/, /^verified bots blocked on/]) expect(changeAt(p.steps, ahead)).toBeLessThan(page);
    const stops = [/^DB firewall rule .* closed/, /^rule ticketing-scheduled-tasks disabled$/, /^auto scaling group ticketing-scheduled-tasks min\/max 1\/1 -> 0\/0$/].map((c) => changeAt(p.steps, c));
    for (const stop of stops) expect(stop).toBeGreaterThan(page);
    const closed = changeAt(p.steps, /^DB firewall rule .* closed/);
    for (const id of ['clear-sessions', 'db-server-swap', 'session-db', 'server-updates']) expect(indexOf(p.steps, id)).toBeGreaterThan(closed);
    // the back office is logged out and the status page updated before the page goes up (before: page)
    expect(indexOf(p.steps, 'back-office-logout')).toBeLessThan(page);
    expect(indexOf(p.steps, 'statuspage-in-progress')).toBeLessThan(page);
  });

  test('GIVEN the estate WHEN planning THEN every step has a check and a duration, deploys name their exact command, and the page and its removal are checked', () => {
    for (const s of all) {
      expect(s.checks.length).toBeGreaterThan(0);
      expect(s.minutes).toBeGreaterThanOrEqual(0);
    }
    for (const d of deploys(all)) {
      expect(d.command).toBe(d.provider === 'cloudflare' ? 'pulumi up --stack production --config drawbridge:estate=estates/ticketing.yaml' : 'npx cdk deploy --all --context estate=estates/ticketing.yaml');
    }
    expect(p.steps[page]!.checks).toContainEqual(expect.objectContaining({ url: 'https://www.ticketing-example.com/', expect: 503 }));
    const pageDown = p.rollback!.steps[changeAt(p.rollback!.steps, /^MAINTENANCE 1 -> 0 on web /)]!;
    expect(pageDown.checks).toContainEqual(expect.objectContaining({ url: 'https://www.ticketing-example.com/', expect: 200 }));
    expect(pageDown.checks).toContainEqual(expect.objectContaining({ url: 'https://www.ticketing-example.com/uptime-monitor', expect: 200 }));
  });

  test('GIVEN the estate WHEN planning THEN the outage starts at the page and the way back is counted', () => {
    expect(p.outage).toMatchObject({ startsAtStep: p.steps[page]!.n, declared: { minutes: 180 } });
    expect(p.outage?.endsAtStep).toBeUndefined();
    expect(p.outage?.wayBackMinutes).toBeGreaterThan(0);
    expect(p.outage?.minutes).toBe(p.steps.filter((s) => s.outage).reduce((n, s) => n + s.minutes, 0));
    expect(p.steps.slice(0, page).every((s) => !s.outage)).toBe(true);
  });

  test('GIVEN the plan WHEN rendered as Markdown THEN it has the steps by phase, a Mermaid gantt chart and the rollback', () => {
    const md = renderPlanMarkdown(p, estateNamed('ticketing'));
    expect(md).toMatch(/```mermaid\ngantt\n/);
    expect(md).toMatch(/dateFormat YYYY-MM-DD HH:mm/);
    expect(md).toMatch(/section Start\n/);
    expect(md).toMatch(/Deploy Cloudflare \(Pulumi\) put the maintenance page up :crit, active, s\d+, 2030-03-17 06:0\d, /);
    expect(md).toMatch(/### Day before\n/);
    expect(md).toMatch(/### Rollback: the way back to normal@blue\n/);
    expect(md).toContain('| Declared window | 2030-03-17T06:00:00Z → 2030-03-17T09:00:00Z (3 h)');
  });

  test('GIVEN the plan WHEN rendered as JSON THEN it is the plan object', () => {
    expect(JSON.parse(renderPlanJson(p))).toEqual(JSON.parse(JSON.stringify(p)));
  });
});

describe('the page held by the gate (default estate)', () => {
  test('GIVEN a gate WHEN the page goes up and while the origin works behind it THEN the health path is checked to still reach the origin', () => {
    const p = planOf('shop', 'normal', 'maintenance');
    const page = changeAt(p.steps, /^MAINTENANCE 0 -> 1 on shop-gate$/);
    expect(page).toBeGreaterThan(-1);
    expect(deploys(p.steps.slice(page)).length).toBeGreaterThanOrEqual(2);
    for (const d of deploys(p.steps.slice(page))) {
      expect(d.checks).toContainEqual(expect.objectContaining({ url: 'https://www.example-shop.com/', expect: 503 }));
      expect(d.checks).toContainEqual(expect.objectContaining({ url: 'https://www.example-shop.com/healthz', expect: 200 }));
    }
  });
});

describe('cdk deploy approval', () => {
  test.each([
    ['leaving maintenance reopens the database rule', 'maintenance', 'normal', 1],
    ['entering maintenance only closes it', 'normal', 'maintenance', 0],
  ] as const)('GIVEN %s WHEN planning THEN exactly the AWS deploys that open the rule say cdk will ask for approval', (_label, from, to, opening) => {
    const aws = deploys(planOf('ticketing', from, to).steps).filter((s) => s.provider === 'aws');
    expect(aws.length).toBeGreaterThan(0);
    const opens = aws.filter((s) => s.changes.some((c) => /^DB firewall rule .* opened/.test(c)));
    expect(opens).toHaveLength(opening);
    for (const d of aws) expect((d.detail ?? '').includes('stops to ask for approval of the security-group change')).toBe(opens.includes(d));
  });
});

describe('edges', () => {
  test('GIVEN the same state on both sides WHEN planning THEN there is nothing to do and no rollback', () => {
    const p = planOf('shop', 'normal', 'normal');
    expect(p.steps).toEqual([]);
    expect(p.stages).toEqual([]);
    expect(p.rollback).toBeUndefined();
    expect(renderPlanMarkdown(p)).toContain('Nothing to do');
  });

  test('GIVEN a cutover whose target equals live WHEN planning THEN the model refuses it, naming what is allowed', () => {
    const estate = estateNamed('bridge');
    let error: unknown;
    try {
      plan(estate, word(estate, 'normal'), { mode: 'cutover', live: 'blue', target: 'blue', hardDown: false });
    } catch (e) {
      error = e;
    }
    expect(isDrawbridgeError(error) && error.message).toBe('cutover target blue equals live blue; the target must be the other colour (green)');
  });

  test('GIVEN a hard-down WHEN planning THEN the site record moves to the down page and the down page is checked', () => {
    const p = planOf('makerepo', 'normal', 'maintenance:hard-down');
    const moved = changeAt(p.steps, /^DNS record makerepo\.example\.ca CNAME rails-1\.hosting-example\.net \(blue\) -> CNAME makerepo-is-down\.pages\.dev \(static down page\)$/);
    expect(moved).toBeGreaterThan(-1);
    // The down page answers 503 everywhere (the page is the product) except robots.txt, which proves it is uploaded.
    const checks = p.steps[moved]!.checks;
    expect(checks).toContainEqual(expect.objectContaining({ url: 'https://makerepo-is-down.pages.dev/robots.txt', expect: 200 }));
    expect(checks).toContainEqual(expect.objectContaining({ url: 'https://makerepo-is-down.pages.dev/', expect: 503 }));
  });

  test('GIVEN a hard-down WHEN leaving it THEN the site record stays on the down page until the page comes down', () => {
    const p = planOf('makerepo', 'maintenance:hard-down', 'normal');
    const back = changeAt(p.steps, /^DNS record makerepo\.example\.ca CNAME makerepo-is-down\.pages\.dev .* -> CNAME rails-1\.hosting-example\.net/);
    const lifted = changeAt(p.steps, /^MAINTENANCE 1 -> 0 on makerepo-gate$/);
    expect(back).toBeGreaterThan(-1);
    expect(back).toBeLessThanOrEqual(lifted);
    expect(indexOf(p.steps, 'verify-direct')).toBeLessThan(lifted);
  });

  test('GIVEN payment and database secrets WHEN planning and describing changes THEN no secret value or ARN is printed', () => {
    const estate = estateNamed('bridge');
    const text = JSON.stringify(estate.aws);
    const arns = [...new Set(text.match(/arn:aws:secretsmanager:[^"]+/g))];
    expect(arns.length).toBeGreaterThanOrEqual(2); // the Stripe secret, and blue's database password (RDS_PASSWORD and masterSecretArn)
    const printed = [renderPlanJson(planOf('bridge', 'normal@blue', 'normal@green')), renderPlanMarkdown(planOf('bridge', 'normal@blue', 'cutover@blue->green'), estate)];
    const d = describeChanges(resolve(estate, word(estate, 'normal')), resolve(estate, word(estate, 'cutover')));
    for (const arn of arns) for (const out of [...printed, JSON.stringify(d)]) expect(out).not.toContain(arn);
  });

  test('GIVEN an estate edit in a pull request WHEN planning with fromEstate THEN the merge is a step and the changes compare base with head', () => {
    const base = estateNamed('shop');
    const head: Estate = { ...base, state: { mode: 'maintenance', live: 'blue', hardDown: false } };
    const p = plan(head, base.state, head.state, { fromEstate: base, estateFile: 'estates/default.yaml', defaultEstateFile: 'estates/default.yaml' });
    expect(p.steps.some((s) => s.kind === 'commit')).toBe(true);
    const aws = deploys(p.steps).filter((s) => s.provider === 'aws');
    expect(aws.length).toBeGreaterThan(0);
    for (const d of aws) expect(d.command).toBe('npx cdk deploy --all');
  });
});

describe('review: the window ships the day before a planned move only', () => {
  test('GIVEN maintenance WHEN escalating to a hard-down THEN there is no day-before window step', () => {
    const p = planOf('shop', 'maintenance', 'maintenance:hard-down');
    expect(p.steps.filter((s) => s.phase === 'day-before' || s.id.startsWith('window-'))).toEqual([]);
    expect(p.notes.join('\n')).not.toMatch(/a day ahead/);
  });

  test.each([
    ['entering a hard-down', 'shop', 'normal', 'maintenance:hard-down'],
    ['a whole cutover', 'bridge', 'normal@blue', 'normal@green'],
  ])('GIVEN normal WHEN %s THEN the window still ships the day before', (_label, name, from, to) => {
    const p = planOf(name, from, to);
    const window = p.steps.filter((s) => s.id.startsWith('window-'));
    expect(window.length).toBeGreaterThan(0);
    for (const w of window) expect(w.phase).toBe('day-before');
  });
});

describe('review: a step lists each check once', () => {
  test('GIVEN the rolling estate WHEN planning maintenance THEN the rollback checks GET /health once per deploy', () => {
    const p = planOf('rolling', 'normal', 'maintenance');
    const back = deploys(p.rollback!.steps);
    expect(back.length).toBeGreaterThan(0);
    for (const d of back) expect(d.checks.filter((c) => c.url === 'https://app.rolling-example.net/health').length).toBeLessThanOrEqual(1);
    expect(back.some((d) => d.checks.some((c) => c.url === 'https://app.rolling-example.net/health'))).toBe(true);
  });

  test('GIVEN every move of every example estate WHEN planning THEN no step repeats a request or command', () => {
    for (const { estate } of estates) {
      const states = supportedModeStates(estate);
      for (const from of states) {
        for (const to of states) {
          if (from === to) continue;
          const p = plan(estate, from, to);
          for (const s of [...p.steps, ...(p.rollback?.steps ?? [])]) {
            const keys = s.checks.filter((c) => c.url || c.command).map((c) => `${c.method ?? 'GET'} ${c.url ?? c.command} ${c.expect ?? c.output}`);
            expect(keys).toEqual([...new Set(keys)]);
          }
        }
      }
    }
  });
});
