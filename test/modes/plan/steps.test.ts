import { plan, renderPlanJson, renderPlanMarkdown } from '../../../modes/plan';
import { describeChanges } from '../../../modes/changes';
import { isDrawbridgeError } from '../../../modes/errors';
import { resolve } from '../../../modes/resolve';
import type { Estate } from '../../../modes/schema';
import { supportedModeStates } from '../../../modes/state';
import { estateNamed, estates } from '../../support/estates';
import { changes, indexOf, planOf, word } from './support';

describe('plan normal -> maintenance on the ticketing estate (runbook 000)', () => {
  const p = planOf('ticketing', 'normal', 'maintenance');
  const all = [...p.steps, ...(p.rollback?.steps ?? [])];

  test.each<[string, RegExp]>([
    ['EC2: "Web-target-group" health check URL to /uptime-monitor-maintenance', /^target group Web-target-group health check \/uptime-monitor -> \/uptime-monitor-maintenance$/],
    ['EC2: "Web-services-target-group" health check URL to /uptime-monitor-maintenance', /^target group Web-services-target-group health check \/uptime-monitor -> \/uptime-monitor-maintenance$/],
    ['CF: ticketsource.com > Allow verified bots => Off', /^verified bots blocked on ticketing-example\.com$/],
    ['CF: ticketsource.co.uk > Allow verified bots => Off', /^verified bots blocked on ticketing-example\.co\.uk$/],
    ['CF: MAINTENANCE = 1 on the worker', /^MAINTENANCE 0 -> 1 on ticketing-gate$/],
    ['CF: COMPLETION_TIME_UK + ET + PT on the worker (day before)', /^completion time shown in Europe\/London, America\/New_York, America\/Los_Angeles .*09:00 GMT.*05:00 EDT.*02:00 PDT$/],
    ['SCHEDULED TASKS: disable-all-scheduled-tasks.bat', /^rule ticketing-scheduled-tasks disabled$/],
    ['SCHEDULED TASKS: disable-response-time-monitor-tasks.bat', /^rule ticketing-response-time-monitor disabled$/],
    ['DB: disable firewall rule "SAP SQL Anywhere DB"', /^DB firewall rule "SAP SQL Anywhere DB" \(ticketing-sql-anywhere-access\) closed: port 2638/],
    ['API (PRINT SERVER): set blocking code', /^parameter \/ticketing\/print-server\/blocked 0 -> 1$/],
  ])('GIVEN runbook 000 step %s WHEN planning THEN a deploy step changes it', (_step, change) => {
    expect(changes(p.steps).some((c) => change.test(c))).toBe(true);
  });

  test.each<[string, RegExp]>([
    ['on the way out, EC2 health check URL back to /uptime-monitor', /^target group Web-target-group health check \/uptime-monitor-maintenance -> \/uptime-monitor$/],
    ['on the way out, MAINTENANCE = 0', /^MAINTENANCE 1 -> 0 on ticketing-gate$/],
    ['on the way out, verified bots On', /^verified bots allowed on ticketing-example\.co\.uk$/],
    ['on the way out, enable the firewall rule', /^DB firewall rule "SAP SQL Anywhere DB" .* opened/],
    ['on the way out, enable-all-scheduled-tasks.bat', /^rule ticketing-scheduled-tasks enabled$/],
  ])('GIVEN runbook 000 %s WHEN planning THEN the rollback (the way back) does it', (_step, change) => {
    expect(changes(p.rollback?.steps ?? []).some((c) => change.test(c))).toBe(true);
  });

  test.each(['Scheduled', 'In Progress', 'Verifying', 'Completed'])('GIVEN the status page phase %s WHEN planning THEN a declared status-page step covers it', (phase) => {
    expect(all.some((s) => s.kind === 'status-page' && s.title.includes(phase))).toBe(true);
  });

  test('GIVEN the estate WHEN planning THEN phases run days-before to start in order, the window ships the day before', () => {
    const phases = p.steps.map((s) => s.phase);
    expect(phases).toEqual([...phases].sort((a, b) => ['days-before', 'day-before', 'minutes-before', 'start', 'end', 'after'].indexOf(a) - ['days-before', 'day-before', 'minutes-before', 'start', 'end', 'after'].indexOf(b)));
    expect(p.steps.find((s) => s.id === 'window-cloudflare')?.phase).toBe('day-before');
  });

  test('GIVEN the estate WHEN planning THEN the page goes up before anything is stopped, and the declared work runs behind it', () => {
    const cf = indexOf(p.steps, 'deploy-cloudflare');
    const aws = indexOf(p.steps, 'deploy-aws');
    expect(cf).toBeGreaterThan(-1);
    expect(cf).toBeLessThan(aws);
    expect(indexOf(p.steps, 'clear-sessions')).toBeGreaterThan(aws);
    expect(indexOf(p.steps, 'db-server-swap')).toBeGreaterThan(aws);
  });

  test('GIVEN the estate WHEN planning THEN every step has a check and a duration, and deploys name their exact command', () => {
    for (const s of p.steps) {
      expect(s.checks.length).toBeGreaterThan(0);
      expect(s.minutes).toBeGreaterThanOrEqual(0);
    }
    expect(p.steps.find((s) => s.id === 'deploy-cloudflare')?.command).toBe('pulumi up --stack production --config drawbridge:estate=estates/ticketing.yaml');
    expect(p.steps.find((s) => s.id === 'deploy-aws')?.command).toBe('npx cdk deploy --all --context estate=estates/ticketing.yaml');
    expect(p.steps.find((s) => s.id === 'deploy-cloudflare')?.checks).toContainEqual(expect.objectContaining({ url: 'https://www.ticketing-example.com/', expect: 503 }));
    expect(p.steps.find((s) => s.id === 'deploy-cloudflare')?.checks).toContainEqual(expect.objectContaining({ url: 'https://www.ticketing-example.com/uptime-monitor', expect: 200 }));
    expect(p.rollback?.steps.find((s) => s.id === 'deploy-cloudflare')?.checks).toContainEqual(expect.objectContaining({ url: 'https://www.ticketing-example.com/', expect: 200 }));
  });

  test('GIVEN the estate WHEN planning THEN the outage starts at the page and the way back is counted', () => {
    expect(p.outage).toMatchObject({ startsAtStep: p.steps[indexOf(p.steps, 'deploy-cloudflare')]!.n, declared: { minutes: 180 } });
    expect(p.outage?.endsAtStep).toBeUndefined();
    expect(p.outage?.wayBackMinutes).toBeGreaterThan(0);
    expect(p.outage?.minutes).toBe(p.steps.filter((s) => s.outage).reduce((n, s) => n + s.minutes, 0));
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

describe('cdk deploy approval', () => {
  test.each([
    ['leaving maintenance reopens the database rule', 'maintenance', 'normal', true],
    ['entering maintenance only closes it', 'normal', 'maintenance', false],
  ] as const)('GIVEN %s WHEN planning THEN the AWS deploy says whether cdk will ask for approval', (_label, from, to, asks) => {
    const p = planOf('ticketing', from, to);
    const deploy = p.steps.find((s) => s.id === 'deploy-aws')!;
    expect((deploy.detail ?? '').includes('stops to ask for approval of the security-group change')).toBe(asks);
  });
});

describe('edges', () => {
  test('GIVEN the same state on both sides WHEN planning THEN there is nothing to do and no rollback', () => {
    const p = planOf('shop', 'normal', 'normal');
    expect(p.steps).toEqual([]);
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
    expect(changes(p.steps)).toContain('DNS record makerepo.example.ca CNAME rails-1.hosting-example.net -> CNAME makerepo-is-down.pages.dev (static down page)');
    // The down page answers 503 everywhere (the page is the product) except robots.txt, which proves it is uploaded.
    const checks = p.steps.find((s) => s.id === 'deploy-cloudflare')?.checks;
    expect(checks).toContainEqual(expect.objectContaining({ url: 'https://makerepo-is-down.pages.dev/robots.txt', expect: 200 }));
    expect(checks).toContainEqual(expect.objectContaining({ url: 'https://makerepo-is-down.pages.dev/', expect: 503 }));
  });

  test('GIVEN a payment secret WHEN planning and describing changes THEN no secret value or ARN is printed', () => {
    const estate = estateNamed('bridge');
    const arn = estate.aws!.beanstalk!.paymentSecret!.secretArn;
    const p = planOf('bridge', 'normal@blue', 'cutover@blue->green');
    expect(renderPlanJson(p)).not.toContain(arn);
    expect(renderPlanMarkdown(p, estate)).not.toContain(arn);
    const d = describeChanges(resolve(estate, word(estate, 'normal')), resolve(estate, word(estate, 'cutover')));
    expect(JSON.stringify(d)).not.toContain(arn);
  });

  test('GIVEN an estate edit in a pull request WHEN planning with fromEstate THEN the merge is a step and the changes compare base with head', () => {
    const base = estateNamed('shop');
    const head: Estate = { ...base, state: { mode: 'maintenance', live: 'blue', hardDown: false } };
    const p = plan(head, base.state, head.state, { fromEstate: base, estateFile: 'estates/default.yaml', defaultEstateFile: 'estates/default.yaml' });
    expect(p.steps.some((s) => s.kind === 'commit')).toBe(true);
    expect(p.steps.find((s) => s.id === 'deploy-aws')?.command).toBe('npx cdk deploy --all');
  });
});

describe('review: the window ships the day before a planned move only', () => {
  test('GIVEN maintenance WHEN escalating to a hard-down THEN there is no day-before window step', () => {
    const p = planOf('shop', 'maintenance', 'maintenance:hard-down');
    expect(p.steps.filter((s) => s.phase === 'day-before' || s.id.startsWith('window-'))).toEqual([]);
    expect(p.notes.join('\n')).not.toMatch(/a day ahead/);
  });

  test('GIVEN normal WHEN entering a hard-down THEN the window still ships the day before', () => {
    const p = planOf('shop', 'normal', 'maintenance:hard-down');
    expect(p.steps.find((s) => s.id === 'window-cloudflare')?.phase).toBe('day-before');
  });
});

describe('review: a step lists each check once', () => {
  test('GIVEN the rolling estate WHEN planning maintenance THEN the rollback checks GET /health once', () => {
    const p = planOf('rolling', 'normal', 'maintenance');
    const back = p.rollback!.steps.find((s) => s.id === 'deploy-aws')!;
    expect(back.checks.filter((c) => c.url === 'https://app.rolling-example.net/health')).toHaveLength(1);
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
