import { invariantViolations, resolve, servingColour } from '../../modes/resolve';
import type { Estate, ModeState } from '../../modes/schema';
import { checkModeState, supportedModeStates } from '../../modes/state';
import { estateModeCases, estateNamed } from '../support/estates';

const normal: ModeState = { mode: 'normal', live: 'blue', hardDown: false };
const maintenance: ModeState = { mode: 'maintenance', live: 'blue', hardDown: false };
const hardDown: ModeState = { mode: 'maintenance', live: 'blue', hardDown: true };
const cutover: ModeState = { mode: 'cutover', live: 'blue', target: 'green', hardDown: false };

describe('invariants hold for every example estate in every mode state', () => {
  test.each(estateModeCases())('%s %s', (_n, _s, estate, state) => {
    const d = resolve(estate, state);
    expect(invariantViolations(d)).toEqual([]);
    const envs = d.aws?.beanstalk?.environments ?? [];
    if (estate.aws?.beanstalk?.paymentSecret) {
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
    expect(cf.gate.bindings).toMatchObject(flags);
    expect(cf.bots.map((b) => b.verifiedBots)).toEqual([bots]);
  });

  test('maintenance: the gate knows the reason, the end, the zones and every health path', () => {
    const b = resolve(shop, maintenance).cloudflare!.gate.bindings;
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
    expect(site(normal)).toMatchObject({ type: 'CNAME', target: { kind: 'value', value: 'origin.example-shop.com' } });
    expect(site(maintenance).target).toEqual(site(normal).target);
  });

  test('cutover: writes are paused at the gate and bots are handled as in maintenance', () => {
    const whimsy = estateNamed('whimsy');
    const cf = resolve(whimsy, cutover).cloudflare!;
    expect(cf.gate.bindings).toMatchObject({ MAINTENANCE: '0', READ_ONLY: '1' });
    expect(cf.bots.map((b) => [b.verifiedBots, b.fightMode])).toEqual([['block', true]]);
    expect(cf.records[0]).toMatchObject({ target: { kind: 'colour', colour: 'green', value: '192.0.2.20' }, proxied: true, ttl: 1 });
  });

  test('host cutover (runbook 003): the record follows the serving host through blue -> green -> blue, same record', () => {
    const whimsy = estateNamed('whimsy');
    const steps: ModeState[] = [normal, cutover, { mode: 'normal', live: 'green', hardDown: false }, { mode: 'cutover', live: 'green', target: 'blue', hardDown: false }, normal];
    const records = steps.map((s) => resolve(whimsy, s).cloudflare!.records[0]!);
    expect(records.map((r) => r.target)).toEqual([
      { kind: 'colour', colour: 'blue', value: '192.0.2.10' },
      { kind: 'colour', colour: 'green', value: '192.0.2.20' },
      { kind: 'colour', colour: 'green', value: '192.0.2.20' },
      { kind: 'colour', colour: 'blue', value: '192.0.2.10' },
      { kind: 'colour', colour: 'blue', value: '192.0.2.10' },
    ]);
    expect(new Set(records.map((r) => `${r.id} ${r.name} ${r.type}`)).size).toBe(1);
    expect(resolve(whimsy, steps[1]!).cloudflare!.gate.bindings.READ_ONLY).toBe('1');
  });

  test('a declared window lowers the TTL of records that change in a transition', () => {
    const makerepo = estateNamed('makerepo');
    const { window: _w, ...withoutWindow } = makerepo;
    const direct = (e: Estate) => resolve(e, normal).cloudflare!.records.find((r) => r.id === 'direct')!;
    expect(direct(makerepo)).toMatchObject({ proxied: false, ttl: 60 });
    expect(direct(withoutWindow as Estate).ttl).toBe(3600);
  });

  test('scheduled jobs and database access per colour through blue -> green -> blue (runbook 003: cron off on the old host)', () => {
    const rolling = estateNamed('rolling');
    const view = (s: ModeState) => {
      const aws = resolve(rolling, s).aws!;
      return {
        jobs: aws.scheduledJobs.filter((j) => j.enabled).map((j) => j.colour),
        db: aws.databaseAccess[0]!.open.map((o) => o.description),
      };
    };
    expect(supportedModeStates(rolling).map((s) => [s.mode, s.live, s.target ?? '-', view(s)])).toEqual([
      ['normal', 'blue', '-', { jobs: ['blue'], db: ['blue app servers'] }],
      ['maintenance', 'blue', '-', { jobs: [], db: [] }],
      ['cutover', 'blue', 'green', { jobs: ['green'], db: ['green app servers'] }],
      ['normal', 'green', '-', { jobs: ['green'], db: ['green app servers'] }],
      ['maintenance', 'green', '-', { jobs: [], db: [] }],
      ['cutover', 'green', 'blue', { jobs: ['blue'], db: ['blue app servers'] }],
    ]);
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
