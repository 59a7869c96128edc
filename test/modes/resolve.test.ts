import { applicationsOf } from '../../modes/components/aws/beanstalk';
import { invariantViolations, resolve, servingColour } from '../../modes/resolve';
import type { Estate, ModeState } from '../../modes/schema';
import { checkModeState } from '../../modes/state';
import { parseModeWord } from '../../modes/words';
import { estateModeCases, estateNamed } from '../support/estates';

const normal: ModeState = { mode: 'normal', live: 'blue', hardDown: false };
const maintenance: ModeState = { mode: 'maintenance', live: 'blue', hardDown: false };
const hardDown: ModeState = { mode: 'maintenance', live: 'blue', hardDown: true };
const cutover: ModeState = { mode: 'cutover', live: 'blue', target: 'green', hardDown: false };
const staged = (state: ModeState, stage: NonNullable<ModeState['stage']>): ModeState => ({ ...state, stage });

describe('invariants hold for every example estate in every mode state', () => {
  test.each(estateModeCases())('%s %s', (_n, _s, estate, state) => {
    const d = resolve(estate, state);
    expect(invariantViolations(d)).toEqual([]);
    const envs = d.aws?.beanstalk?.environments ?? [];
    if (applicationsOf(estate.aws?.beanstalk).some(({ app }) => app.paymentSecret)) {
      // exactly one colour holds the payment secret: the one serving customers
      expect(envs.filter((e) => e.holdsPaymentSecret).map((e) => e.colour)).toEqual([servingColour(state)]);
    }
    if (state.mode === 'cutover') expect(state.target).not.toBe(state.live);
  });

  test.each(estateModeCases())('%s %s: resolve is pure (same input, same output)', (_n, _s, estate, state) => {
    expect(resolve(estate, state)).toEqual(resolve(estate, state));
  });
});

describe('the mode table (DESIGN.md)', () => {
  const shop = estateNamed('shop');

  test.each([
    ['normal', normal, { MAINTENANCE: '0', READ_ONLY: '0' }, 'allow'],
    ['maintenance', maintenance, { MAINTENANCE: '1', READ_ONLY: '0' }, 'block'],
  ] as const)('%s: gate flags and verified bots', (_label, state, flags, bots) => {
    const cf = resolve(shop, state).cloudflare!;
    expect(cf.gate!.bindings).toMatchObject(flags);
    expect(cf.bots.map((b) => b.verifiedBots)).toEqual([bots]);
  });

  test('maintenance: the gate knows the reason, the end, the zones and every health path', () => {
    const b = resolve(shop, maintenance).cloudflare!.gate!.bindings;
    expect(b.REASON).toBe('Database upgrade to a faster server');
    expect(b.WINDOW_END).toBe('2030-01-20T00:30:00Z');
    expect(b.TIME_ZONES).toBe('Europe/London,America/New_York,America/Los_Angeles');
    expect(b.HEALTH_PATHS.split(',')).toEqual(expect.arrayContaining(['/healthz', '/healthz-maintenance', '/api/healthz']));
  });

  test('the window end is computed in each zone (runbook 000 typed COMPLETION_TIME_UK/ET/PT by hand)', () => {
    expect(resolve(shop, maintenance).window!.endIn).toEqual([
      { zone: 'Europe/London', text: 'Sun 20 Jan 2030, 00:30 GMT' },
      { zone: 'America/New_York', text: 'Sat 19 Jan 2030, 19:30 EST' },
      { zone: 'America/Los_Angeles', text: 'Sat 19 Jan 2030, 16:30 PST' },
    ]);
  });

  test('hard-down: the site record becomes a proxied CNAME to the down page, and comes back in normal', () => {
    const site = (state: ModeState) => resolve(shop, state).cloudflare!.records.find((r) => r.id === 'www')!;
    expect(site(hardDown)).toMatchObject({ type: 'CNAME', proxied: true, ttl: 1, target: { kind: 'downPage', value: 'example-shop-down.pages.dev' } });
    expect(site(normal)).toMatchObject({ type: 'CNAME', target: { kind: 'loadBalancer', value: 'shop-web-1234567890.eu-west-2.elb.amazonaws.com' } });
    expect(site(maintenance).target).toEqual(site(normal).target);
  });

  test.each<[string, ModeState, { MAINTENANCE: string; READ_ONLY: string }, string, number]>([
    // prepare: green scales up, nothing changes for the public
    ['cutover:prepare', staged(cutover, 'prepare'), { MAINTENANCE: '0', READ_ONLY: '0' }, 'allow', 0],
    // freeze: blue frozen read-only, the public reads only, traffic still on blue
    ['cutover:freeze', staged(cutover, 'freeze'), { MAINTENANCE: '0', READ_ONLY: '1' }, 'block', 0],
    ['cutover:restore', staged(cutover, 'restore'), { MAINTENANCE: '0', READ_ONLY: '1' }, 'block', 0],
    // move: traffic on green, the public held on the page while staff test green through the bypass
    ['cutover (move)', cutover, { MAINTENANCE: '1', READ_ONLY: '0' }, 'block', 100],
  ])('%s: the gate, bots and green\'s weight', (_label, state, flags, bots, greenWeight) => {
    const d = resolve(shop, state);
    expect(d.cloudflare!.gate!.bindings).toMatchObject(flags);
    expect(d.cloudflare!.bots.map((b) => b.verifiedBots)).toEqual([bots]);
    expect(d.aws!.listener!.default.targets.find((t) => t.targetGroup === 'web-green')!.weight).toBe(greenWeight);
  });

  test('host cutover (runbook 003, no gate): the flag files follow each host and the record follows the serving host, same record', () => {
    const whimsy = estateNamed('whimsy');
    const steps: ModeState[] = [normal, staged(cutover, 'freeze'), cutover, { mode: 'normal', live: 'green', hardDown: false }];
    const view = (s: ModeState) => {
      const d = resolve(whimsy, s);
      const flag = (name: string) => d.aws!.parameters.find((p) => p.name === name)!.value;
      return {
        record: d.cloudflare!.records[0]!.target.value,
        // migrating.txt (writes frozen) and maintenance.txt (access stopped) on each host; notice.txt while the window is declared
        blue: [flag('/whimsy/blue/migrating'), flag('/whimsy/blue/maintenance')],
        green: [flag('/whimsy/green/migrating'), flag('/whimsy/green/maintenance')],
        notice: flag('/whimsy/notice'),
      };
    };
    expect(steps.map(view)).toEqual([
      { record: '192.0.2.10', blue: ['false', 'false'], green: ['true', 'true'], notice: 'true' },
      { record: '192.0.2.10', blue: ['true', 'false'], green: ['true', 'true'], notice: 'true' },
      { record: '192.0.2.20', blue: ['true', 'false'], green: ['false', 'false'], notice: 'true' },
      { record: '192.0.2.20', blue: ['true', 'true'], green: ['false', 'false'], notice: 'true' },
    ]);
    expect(new Set(steps.map((s) => resolve(whimsy, s).cloudflare!.records[0]!.id)).size).toBe(1);
    expect(resolve(whimsy, normal).cloudflare!.gate).toBeUndefined();
  });

  test('a declared window lowers the TTL of records that change in a transition', () => {
    const makerepo = estateNamed('makerepo');
    const { window: _w, ...withoutWindow } = makerepo;
    const direct = (e: Estate) => resolve(e, normal).cloudflare!.records.find((r) => r.id === 'direct')!;
    expect(direct(makerepo)).toMatchObject({ proxied: false, ttl: 60 });
    expect(direct(withoutWindow as Estate).ttl).toBe(3600);
  });

  test.each<[string, string, [string, { jobs: (string | undefined)[]; db: string[]; blue: string; green: string }][]]>([
    [
      'shop (a read-only freeze): the source reads on but runs nothing; green runs once open',
      'shop',
      [
        ['normal@blue', { jobs: [undefined, undefined], db: ['shop web instances (blue)'], blue: '2/6', green: '1/1' }],
        ['cutover:prepare@blue->green', { jobs: [undefined, undefined], db: ['shop web instances (blue)', 'shop web instances (green)'], blue: '2/6', green: '2/6' }],
        ['cutover:freeze@blue->green', { jobs: [], db: ['shop web instances (blue)', 'shop web instances (green)'], blue: '2/6', green: '2/6' }],
        ['cutover@blue->green', { jobs: [], db: ['shop web instances (blue)', 'shop web instances (green)'], blue: '2/6', green: '2/6' }],
        ['normal@green', { jobs: [undefined, undefined], db: ['shop web instances (green)'], blue: '1/1', green: '2/6' }],
      ],
    ],
    [
      'rolling (runbook 002, no freeze): the serving colour\'s jobs run throughout; blue keeps its servers until it is retired',
      'rolling',
      [
        ['normal@blue', { jobs: ['blue'], db: ['blue app servers'], blue: '2/6', green: '1/1' }],
        ['cutover:prepare@blue->green', { jobs: ['blue'], db: ['blue app servers', 'green app servers'], blue: '2/6', green: '2/6' }],
        ['cutover@blue->green', { jobs: ['green'], db: ['blue app servers', 'green app servers'], blue: '2/6', green: '2/6' }],
        ['normal@green', { jobs: ['green'], db: ['green app servers'], blue: '1/1', green: '2/6' }],
      ],
    ],
  ])('%s', (_label, name, rows) => {
    const estate = estateNamed(name);
    const view = (s: ModeState) => {
      const aws = resolve(estate, s).aws!;
      const cap = (c: string) => aws.autoScalingGroups.filter((g) => g.colour === c).map((g) => `${g.min}/${g.max}`)[0]!;
      return { jobs: aws.scheduledJobs.filter((j) => j.enabled).map((j) => j.colour), db: aws.databaseAccess[0]!.open.map((o) => o.description), blue: cap('blue'), green: cap('green') };
    };
    for (const [word, expected] of rows) expect([word, view(parseModeWord(word, estate))]).toEqual([word, expected]);
  });

  test('maintenance: the rolling estate closes the database and stops the jobs of both colours, and keeps capacity', () => {
    const aws = resolve(estateNamed('rolling'), maintenance).aws!;
    expect(aws.scheduledJobs.filter((j) => j.enabled)).toEqual([]);
    expect(aws.databaseAccess[0]!.open).toEqual([]);
    expect(aws.autoScalingGroups.map((g) => `${g.min}/${g.max}`)).toEqual(['2/6', '1/1']);
  });
});

describe('invalid combinations are errors before any engine runs', () => {
  test.each([
    ['bridge', { mode: 'cutover', live: 'blue', target: 'blue', hardDown: false }, 'cutover target blue equals live blue; the target must be the other colour (green)'],
    ['bridge', { mode: 'cutover', live: 'blue', hardDown: false }, 'mode cutover needs a target colour different from live (blue); allowed target: green'],
    ['shop', { mode: 'normal', live: 'blue', hardDown: true }, 'hardDown=true only applies to mode maintenance; mode is normal'],
    ['ticketing', { mode: 'cutover', live: 'blue', target: 'green', hardDown: false }, 'mode cutover needs an estate with blue and green parts; ticketing has no colours; allowed modes here: normal, maintenance'],
    ['ticketing', { mode: 'maintenance', live: 'blue', hardDown: true }, 'hardDown=true needs a cloudflare record with downPageOnHardDown: true and a cloudflare.downPage'],
  ] as const)('%s %j', (name, state, message) => {
    expect(() => resolve(estateNamed(name), state as ModeState)).toThrow(message);
    expect(() => checkModeState(estateNamed(name), state as ModeState)).toThrow(message);
  });
});
