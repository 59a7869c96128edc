import fc from 'fast-check';
import { isDrawbridgeError } from '../../modes/errors';
import { describeChanges, plan, renderPlanJson, renderPlanMarkdown, type Plan, type PlanStep } from '../../modes/plan';
import { resolve } from '../../modes/resolve';
import type { Estate, ModeState } from '../../modes/schema';
import { effectiveModeState, supportedModeStates } from '../../modes/state';
import { formatModeWord, parseModeWord } from '../../modes/words';
import { estateArbitrary } from '../support/arbitrary';
import { estateNamed, estates } from '../support/estates';

const word = (estate: Estate, w: string): ModeState => parseModeWord(w, estate);
const planOf = (name: string, from: string, to: string): Plan => {
  const estate = estateNamed(name);
  return plan(estate, word(estate, from), word(estate, to), { estateFile: `estates/${name}.yaml`, pulumiStack: 'production' });
};
const changes = (steps: readonly PlanStep[]) => steps.flatMap((s) => s.changes);
const titles = (steps: readonly PlanStep[]) => steps.map((s) => s.title);
const indexOf = (steps: readonly PlanStep[], id: string) => steps.findIndex((s) => s.id === id);
const deployOrder = (steps: readonly PlanStep[]) => steps.filter((s) => s.id.startsWith('deploy-')).map((s) => s.engine);

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

describe('order: the way out is the reverse of the way in', () => {
  const withBoth = estates.filter(({ estate }) => estate.aws && estate.cloudflare).map(({ estate }) => [estate.name] as [string]);

  test.each(withBoth)('GIVEN %s WHEN entering and leaving maintenance THEN Cloudflare goes first in and last out', (name) => {
    const enter = planOf(name, 'normal', 'maintenance');
    const leave = planOf(name, 'maintenance', 'normal');
    expect(deployOrder(enter.steps)).toEqual(['cloudflare', 'aws']);
    expect(deployOrder(leave.steps)).toEqual(['aws', 'cloudflare']);
    expect(deployOrder(enter.rollback?.steps ?? [])).toEqual(deployOrder(leave.steps));
  });

  test('GIVEN default WHEN leaving THEN the end checks run behind the page, before it comes down', () => {
    const leave = planOf('shop', 'maintenance', 'normal');
    expect(indexOf(leave.steps, 'deploy-aws')).toBeLessThan(indexOf(leave.steps, 'test-order'));
    expect(indexOf(leave.steps, 'test-order')).toBeLessThan(indexOf(leave.steps, 'deploy-cloudflare'));
    expect(leave.steps[indexOf(leave.steps, 'deploy-aws')]!.checks).toContainEqual(expect.objectContaining({ url: 'https://www.example-shop.com/', expect: 503 }));
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

describe('cutover and fail-back', () => {
  test.each([
    ['one estate (no base to compare)', undefined, /is restored from the snapshot only when it is created: declare it in the pull request that enters cutover/],
    ['a pull request that adds the target database', 'without-green', /This pull request adds cobalt-production-green: the AWS deploy creates it from this snapshot/],
    ['a pull request where the target database already exists', 'same', /cobalt-production-green already exists in the base estate, so this deploy does NOT restore it/],
  ] as const)('GIVEN %s WHEN cutting over THEN the snapshot step says whether the restore happens', (_label, base, expected) => {
    const bridge = estateNamed('bridge');
    const withoutGreen: Estate = { ...bridge, aws: { ...bridge.aws!, databases: bridge.aws!.databases.filter((d) => d.colour === 'blue') } };
    const fromEstate = base === 'without-green' ? withoutGreen : base === 'same' ? structuredClone(bridge) : undefined;
    const p = plan(bridge, word(bridge, 'normal@blue'), word(bridge, 'cutover@blue->green'), fromEstate ? { fromEstate } : {});
    expect(p.steps[0]!.kind).toBe('snapshot');
    expect(p.steps[0]!.detail).toMatch(expected);
  });

  test('GIVEN an estate whose target database is restored from a snapshot WHEN cutting over THEN the first step takes that snapshot', () => {
    const p = planOf('bridge', 'normal@blue', 'cutover@blue->green');
    expect(p.steps[0]).toMatchObject({
      kind: 'snapshot',
      command: 'aws rds create-db-snapshot --db-instance-identifier production-blue --db-snapshot-identifier production-blue-before-green --region ap-southeast-2',
    });
    expect(p.steps[0]!.checks[0]!.command).toBe('aws rds wait db-snapshot-available --db-snapshot-identifier production-blue-before-green --region ap-southeast-2');
    expect(changes(p.steps)).toEqual(
      expect.arrayContaining([
        'payment secret removed from cobalt-production-blue',
        'payment secret given to cobalt-production-green',
        'Beanstalk environment cobalt-production-blue min/max 2/4 -> 1/1',
        expect.stringMatching(/^Route 53 record www\.bridge-example\.org CNAME .*blue.* -> CNAME cobalt-production-green/),
      ]),
    );
  });

  test('GIVEN DNS moves on Cloudflare WHEN cutting over THEN writes freeze at the source, data syncs, and only then DNS moves', () => {
    const p = planOf('whimsy', 'normal@blue', 'cutover@blue->green');
    const freeze = indexOf(p.steps, 'deploy-aws');
    const sync = indexOf(p.steps, 'final-rsync');
    const move = indexOf(p.steps, 'deploy-cloudflare');
    // the source freezes as the target (frozen while idle) opens for writes
    expect(p.steps[freeze]!.changes).toEqual(['parameter /whimsy/blue/migrating false -> true', 'parameter /whimsy/green/migrating true -> false']);
    expect(p.steps[move]!.changes).toContain('DNS record whimsy.example.org A 192.0.2.10 (blue) -> A 192.0.2.20 (green)');
    expect(freeze).toBeLessThan(sync);
    expect(sync).toBeLessThan(move);
    expect(p.steps[move]!.checks).toContainEqual(expect.objectContaining({ method: 'POST', expect: 503 }));
  });

  test.each<[string, string, string, string]>([
    ['bridge', 'cutover@blue->green', 'normal@green', 'Complete the cutover: green is live'],
    ['bridge', 'cutover@blue->green', 'normal@blue', 'Fail back from green to blue'],
    ['rolling', 'normal@green', 'cutover@green->blue', 'Cut over from green to blue'],
  ])('GIVEN %s WHEN moving %s -> %s THEN the plan says "%s" and has its way back', (name, from, to, summary) => {
    const p = planOf(name, from, to);
    expect(p.summary).toBe(summary);
    expect(p.rollback?.toWord).toBe(from);
    expect(p.rollback?.steps.length).toBeGreaterThan(0);
  });

  test('GIVEN a fail-back WHEN planning THEN writes taken by the target are reconciled and the completion steps that change data are left out', () => {
    const p = planOf('bridge', 'cutover@blue->green', 'normal@blue');
    expect(p.steps[0]).toMatchObject({ id: 'reconcile', kind: 'check' });
    expect(titles(p.steps)).not.toContain('Convert users on the new live environment');
    expect(titles(planOf('bridge', 'cutover@blue->green', 'normal@green').steps)).toContain('Convert users on the new live environment');
  });
});

/**
 * The order rules, as properties of a plan with two deploys: maintenance is entered page first
 * (Cloudflare) and left page last, the way out being the reverse of the way in; leaving any mode
 * releases the page (or freeze) last; entering a cutover moves traffic only after the freeze.
 */
function expectSafeOrder(estate: Estate, p: Plan): void {
  const order = deployOrder(p.steps);
  if (order.length < 2) return;
  const maintenanceMove = (a: ModeState, b: ModeState) => a.mode === 'normal' && b.mode === 'maintenance';
  if (maintenanceMove(p.from, p.to)) {
    expect(order).toEqual(['cloudflare', 'aws']);
    expect(deployOrder(p.rollback?.steps ?? [])).toEqual([...order].reverse());
  }
  if (maintenanceMove(p.to, p.from)) expect(order).toEqual(['aws', 'cloudflare']);
  if (p.direction === 'leave') expect(order[order.length - 1]).toBe(estate.cloudflare ? 'cloudflare' : 'aws');
  if (p.to.mode === 'cutover' && p.direction !== 'leave') {
    const deploys = p.steps.filter((s) => s.id.startsWith('deploy-'));
    const movesTraffic = (s: PlanStep) => s.changes.some((c) => /^(DNS record|Route 53 record|listener) /.test(c) && / -> /.test(c));
    if (!deploys.every(movesTraffic)) expect(movesTraffic(deploys[0]!)).toBe(false);
  }
}

describe('every transition of every example estate', () => {
  const pairs = estates.flatMap(({ estate }) => {
    const states = supportedModeStates(estate);
    return states.flatMap((a) => states.filter((b) => b !== a).map((b): [string, string, string] => [estate.name, formatModeWord(a), formatModeWord(b)]));
  });

  test.each(pairs)('GIVEN %s WHEN moving %s -> %s THEN the plan has steps, checks, the safe order and a rollback back to FROM', (name, from, to) => {
    const p = planOf(name, from, to);
    expect(p.steps.length).toBeGreaterThan(0);
    expect(p.rollback?.toWord).toBe(from);
    expect(p.rollback?.steps.length).toBeGreaterThan(0);
    for (const s of p.steps) expect(s.checks.length).toBeGreaterThan(0);
    expect(p.steps.map((s) => s.n)).toEqual(p.steps.map((_, i) => i + 1));
    expectSafeOrder(estateNamed(name), p);
  });
});

describe('generated estates', () => {
  test('GIVEN any valid estate and two states it supports WHEN planning THEN the order rules hold and there is a way back', () => {
    fc.assert(
      fc.property(estateArbitrary, fc.nat(), fc.nat(), (estate, i, j) => {
        const states = supportedModeStates(estate);
        const from = states[i % states.length]!;
        const to = states[j % states.length]!;
        const p = plan(estate, from, to);
        if (formatModeWord(from) === formatModeWord(to)) {
          expect(p.rollback).toBeUndefined();
          return;
        }
        expect(p.rollback?.toWord).toBe(formatModeWord(from));
        expectSafeOrder(estate, p);
      }),
      { numRuns: 200 },
    );
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
    const d = describeChanges(estate, resolve(estate, word(estate, 'normal')), resolve(estate, word(estate, 'cutover')));
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

// ---------------------------------------------------------------------------------------------
// Findings of the user review of the generated runbook.

/** Every shell command a plan prints: deploys, overrides, snapshot, checks, and its rollback's. */
function commandsOf(p: Plan): string[] {
  const steps = [...p.steps, ...(p.rollback?.steps ?? [])];
  return steps.flatMap((s) => [s.command, s.override, s.overrideCleanup, ...s.checks.map((c) => c.command)].filter((c): c is string => !!c));
}

/** The `pulumi up` commands among them, split at `&&`. */
function pulumiUps(p: Plan): string[] {
  return commandsOf(p)
    .flatMap((c) => c.split(' && '))
    .filter((c) => c.startsWith('pulumi up'));
}

describe('review: Pulumi commands target the plan\'s estate', () => {
  test('GIVEN an estate other than cdk.json\'s WHEN planning THEN every pulumi up (deploys, overrides, rollback) names it, and a note says how to point the stack at it', () => {
    const estate = estateNamed('ticketing');
    const p = plan(estate, word(estate, 'normal'), word(estate, 'maintenance'), { estateFile: 'estates/ticketing.yaml', defaultEstateFile: 'estates/default.yaml' });
    const ups = pulumiUps(p);
    expect(ups.length).toBeGreaterThanOrEqual(4); // window, deploy, override, rollback deploy and override
    for (const up of ups) expect(up).toBe('pulumi up --stack ticketing --config drawbridge:estate=estates/ticketing.yaml');
    expect(p.notes.filter((n) => n.includes('pulumi config set drawbridge:estate estates/ticketing.yaml --stack ticketing'))).toHaveLength(1);
  });

  test('GIVEN the estate cdk.json names WHEN planning THEN pulumi up names the stack only, and no note is added', () => {
    const estate = estateNamed('shop');
    const p = plan(estate, word(estate, 'normal'), word(estate, 'maintenance'), { estateFile: 'estates/default.yaml', defaultEstateFile: 'estates/default.yaml', pulumiStack: 'production' });
    expect(new Set(pulumiUps(p))).toEqual(new Set(['pulumi up --stack production']));
    expect(p.notes.join('\n')).not.toContain('drawbridge:estate');
  });
});

/** The Pulumi config a stack holds after running an override's `pulumi config` commands on `before`. */
function applyPulumiOverride(before: Record<string, string>, override: string): Record<string, string> {
  const config = { ...before };
  for (const cmd of override.split(' && ')) {
    const words = cmd.split(' ');
    if (cmd.startsWith('pulumi config set-all ')) {
      words.forEach((w, i) => {
        if (words[i - 1] === '--plaintext') {
          const [k, v] = w.split('=') as [string, string];
          config[k] = v;
        }
      });
    } else if (cmd.startsWith('pulumi config rm-all ')) {
      for (const w of words.slice(3)) if (w.startsWith('drawbridge:')) delete config[w];
      expect(words).toContain('--stack');
    } else if (cmd.startsWith('pulumi config ')) {
      throw new Error(`unexpected command ${cmd}`);
    }
  }
  return config;
}

function overridesOf(config: Record<string, string>) {
  return { mode: config['drawbridge:mode'], live: config['drawbridge:live'], target: config['drawbridge:target'], hardDown: config['drawbridge:hardDown'] };
}

describe('review: an emergency override gives exactly the TO state, whatever was set before', () => {
  // The default estate has colours, a cutover and a hard-down: every key matters.
  const shop = estateNamed('shop');
  const states = supportedModeStates(shop);
  const cases = states.flatMap((from) => states.filter((to) => to !== from).map((to): [string, string] => [formatModeWord(from), formatModeWord(to)]));

  test.each(cases)('GIVEN a stack overridden to %s WHEN running the Pulumi override to %s THEN the program reads exactly that state', (fromWord, toWord) => {
    const from = word(shop, fromWord);
    const to = word(shop, toWord);
    const p = plan(shop, from, to, { pulumiStack: 'production' });
    const override = (p.steps.find((s) => s.id === 'deploy-cloudflare') ?? p.steps.find((s) => s.engine === 'cloudflare'))?.override;
    if (!override) return; // no Cloudflare change between these states
    // Before: the stack holds the override that put it in FROM (stale hardDown/target included).
    const entered = plan(shop, to, from, { pulumiStack: 'production' }).steps.find((s) => s.engine === 'cloudflare' && s.override)!.override!;
    const before = applyPulumiOverride({}, entered);
    expect(effectiveModeState(shop, overridesOf(before), 'drawbridge:', new Date(0)).state).toEqual(expect.objectContaining(from));
    const after = applyPulumiOverride(before, override);
    const { state } = effectiveModeState(shop, overridesOf(after), 'drawbridge:', new Date(0));
    expect(formatModeWord(state)).toBe(toWord);
    expect(state.hardDown).toBe(to.hardDown);
    expect(state.target).toBe(to.mode === 'cutover' ? to.target : undefined);
  });

  test.each(cases)('GIVEN an estate committed at %s WHEN running the CDK override to %s THEN the app reads exactly that state', (fromWord, toWord) => {
    const committed: Estate = { ...shop, state: word(shop, fromWord) };
    const p = plan(committed, committed.state, word(shop, toWord));
    const override = p.steps.find((s) => s.engine === 'aws' && s.override)?.override;
    if (!override) return;
    const context = Object.fromEntries([...override.matchAll(/--context (\w+)=(\S+)/g)].map((m) => [m[1], m[2]]));
    const { state } = effectiveModeState(committed, { mode: context.mode, live: context.live, target: context.target, hardDown: context.hardDown }, '--context', new Date(0));
    expect(formatModeWord(state)).toBe(toWord);
    expect(state.hardDown).toBe(word(shop, toWord).hardDown);
  });

  test('GIVEN a hard-down entered by override WHEN reading the rollback override THEN it sets hardDown false and removes target', () => {
    const p = plan(shop, word(shop, 'normal'), word(shop, 'maintenance:hard-down'), { pulumiStack: 'production' });
    const back = p.rollback!.steps.find((s) => s.id === 'deploy-cloudflare')!;
    expect(back.override).toBe(
      'pulumi config set-all --plaintext drawbridge:mode=normal --plaintext drawbridge:live=blue --plaintext drawbridge:hardDown=false --stack production' +
        ' && pulumi config rm-all drawbridge:target --stack production && pulumi up --stack production --config drawbridge:estate=estates/shop.yaml',
    );
    expect(back.overrideCleanup).toBe('pulumi config rm-all drawbridge:mode drawbridge:live drawbridge:target drawbridge:hardDown --stack production');
  });
});

describe('review: AWS CLI commands name the estate\'s region', () => {
  const withAws = estates.filter(({ estate }) => estate.aws).map(({ estate }) => [estate.name] as [string]);

  test.each(withAws)('GIVEN %s WHEN planning every move THEN every aws command the plan prints has --region of the estate', (name) => {
    const estate = estateNamed(name);
    const states = supportedModeStates(estate);
    let seen = 0;
    for (const from of states) {
      for (const to of states) {
        if (from === to) continue;
        const p = plan(estate, from, to);
        const texts = [...commandsOf(p), ...[...p.steps, ...(p.rollback?.steps ?? [])].filter((s) => s.source === 'drawbridge').map((s) => s.detail ?? '')];
        for (const text of texts) {
          for (const m of text.matchAll(/\baws (ssm|events|rds) [^)`]*/g)) {
            seen++;
            expect(m[0]).toContain(` --region ${estate.aws!.region}`);
          }
        }
      }
    }
    expect(seen).toBeGreaterThan(0);
  });

  test('GIVEN a cutover restored from a snapshot WHEN planning THEN the snapshot, its wait and its delete name the region', () => {
    const p = planOf('bridge', 'normal@blue', 'cutover@blue->green');
    expect(p.steps[0]!.command).toBe('aws rds create-db-snapshot --db-instance-identifier production-blue --db-snapshot-identifier production-blue-before-green --region ap-southeast-2');
    expect(p.steps[0]!.checks[0]!.command).toBe('aws rds wait db-snapshot-available --db-snapshot-identifier production-blue-before-green --region ap-southeast-2');
    expect(p.steps[0]!.detail).toContain('aws rds delete-db-snapshot --db-snapshot-identifier production-blue-before-green --region ap-southeast-2');
  });
});

describe('review: checks of what customers see are run from outside the staff bypass', () => {
  test('GIVEN a gate with allow-listed staff addresses WHEN entering and leaving maintenance THEN each check of the gate says to run it from outside the allow-list and without the cookie', () => {
    const p = planOf('shop', 'normal', 'maintenance');
    const gateChecks = [...p.steps, ...p.rollback!.steps].flatMap((s) => s.checks).filter((c) => c.url === 'https://www.example-shop.com/');
    expect(gateChecks.length).toBeGreaterThanOrEqual(4); // banner, page up, page still up behind AWS, site back
    for (const c of gateChecks) {
      expect(c.from).toContain('outside the bypass allow-list (not from 203.0.113.10, 198.51.100.0/24)');
      expect(c.from).toContain('without the drawbridge_bypass cookie');
    }
    expect(renderPlanMarkdown(p, estateNamed('shop'))).toMatch(/`GET https:\/\/www\.example-shop\.com\/` → \*\*503\*\* \(the maintenance page answers, with Retry-After; run it from outside the bypass allow-list/);
  });

  test('GIVEN an estate without a gate WHEN entering maintenance THEN checks carry no bypass advice', () => {
    const p = planOf('bridge', 'normal', 'maintenance');
    expect(p.steps.flatMap((s) => s.checks).some((c) => c.from)).toBe(false);
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
