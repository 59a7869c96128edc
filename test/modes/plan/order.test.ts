import { plan } from '../../../modes/plan';
import { keepingStateful } from '../../../modes/plan/legs';
import type { Estate } from '../../../modes/schema';
import { supportedModeStates } from '../../../modes/state';
import { estateNamed, estates } from '../../support/estates';
import { changeAt, changes, deploys, deploySequence, indexOf, planOf, statePairs, titles, word } from './support';

/** The position of the first deploy whose stage word starts with `stage`. */
const deployAt = (steps: Parameters<typeof deploys>[0], stage: string) => steps.findIndex((s) => deploys([s]).length > 0 && !!s.stage?.startsWith(stage));

describe('order: the way out mirrors the way in', () => {
  const names = estates.map(({ estate }) => [estate.name] as [string]);

  test.each(names)('GIVEN %s WHEN entering maintenance THEN it goes ahead -> page -> behind, and the page is up before the behind stage deploys', (name) => {
    const p = planOf(name, 'normal', 'maintenance');
    expect(['maintenance:ahead@blue', 'maintenance:page@blue', 'maintenance@blue'].filter((s) => p.stages.includes(s))).toEqual(p.stages);
    expect(p.stages[p.stages.length - 1]).toBe('maintenance@blue');
    const behind = p.steps.findIndex((s) => s.kind === 'deploy' && s.stage === 'maintenance@blue');
    expect(p.outage?.startsAtStep).toBeDefined();
    expect(p.outage!.startsAtStep! - 1).toBeLessThanOrEqual(behind);
  });

  test.each(names)('GIVEN %s WHEN leaving maintenance THEN it goes behind -> page -> the rest, the origin comes back before the page comes down, and the rollback of entering is this same plan', (name) => {
    const leave = planOf(name, 'maintenance', 'normal');
    expect(['normal:behind@blue', 'normal:page@blue', 'normal@blue'].filter((s) => leave.stages.includes(s))).toEqual(leave.stages);
    const released = leave.outage!.endsAtStep! - 1;
    for (const d of deploys(leave.steps)) if (d.stage === 'normal:behind@blue') expect(leave.steps.indexOf(d)).toBeLessThanOrEqual(released);
    expect(deploySequence(planOf(name, 'normal', 'maintenance').rollback!.steps)).toEqual(deploySequence(leave.steps));
  });

  test('GIVEN default WHEN leaving THEN the end checks run behind the page, before it comes down', () => {
    const leave = planOf('shop', 'maintenance', 'normal');
    expect(indexOf(leave.steps, 'deploy-aws')).toBeLessThan(indexOf(leave.steps, 'test-order'));
    expect(indexOf(leave.steps, 'test-order')).toBeLessThan(indexOf(leave.steps, 'deploy-cloudflare'));
    expect(leave.steps[indexOf(leave.steps, 'deploy-aws')]!.checks).toContainEqual(expect.objectContaining({ url: 'https://www.example-shop.com/', expect: 503 }));
  });
});

describe('cutover: the snapshot follows the freeze, the restore follows the snapshot, traffic follows the restore', () => {
  const bridge = estateNamed('bridge');
  const withGreen = (restored: boolean | undefined): Estate => ({ ...bridge, aws: { ...bridge.aws!, databases: bridge.aws!.databases.map((d) => (d.colour === 'green' ? { ...d, restored } : d)) } });
  const withoutGreen: Estate = { ...bridge, aws: { ...bridge.aws!, databases: bridge.aws!.databases.filter((d) => d.colour === 'blue') } };
  const added = /^RDS database cobalt-production-green added \(restored from snapshot production-blue-before-green\)$/;

  test.each<[string, Estate, Estate | undefined]>([
    ['one estate whose target database waits to be restored', bridge, undefined],
    ['a pull request that adds the target database with restored: false', bridge, withoutGreen],
  ])('GIVEN %s WHEN cutting over THEN the restore stage creates it from the snapshot taken after the freeze, and the migrations run before traffic moves', (_label, head, fromEstate) => {
    const p = plan(head, word(head, 'normal@blue'), word(head, 'cutover@blue->green'), fromEstate ? { fromEstate } : {});
    const freeze = deployAt(p.steps, 'cutover:freeze');
    const snapshot = indexOf(p.steps, 'snapshot');
    const restore = deployAt(p.steps, 'cutover:restore');
    const move = changeAt(p.steps, /^Route 53 record www\.bridge-example\.org .* -> CNAME cobalt-production-green/);
    expect(freeze).toBeGreaterThan(-1);
    expect(snapshot).toBeGreaterThan(freeze);
    expect(restore).toBeGreaterThan(snapshot);
    expect(changeAt(p.steps, added)).toBe(restore);
    expect(indexOf(p.steps, 'migrate')).toBeGreaterThan(restore);
    expect(move).toBeGreaterThan(indexOf(p.steps, 'migrate'));
    expect(p.steps[snapshot]!.detail).toMatch(/^Taken once writes have stopped \(after the freeze\)/);
    expect(p.steps.some((s) => s.id === 'catch-up')).toBe(false);
    expect(changes(p.steps)).toEqual(
      expect.arrayContaining(['payment secret removed from cobalt-production-blue', 'payment secret given to cobalt-production-green', 'Beanstalk environment cobalt-production-blue min/max 2/4 -> 1/1']),
    );
  });

  test.each<[string, boolean | undefined]>([
    ['restored: true', true],
    ['no restored (created when first deployed)', undefined],
  ])('GIVEN a pull request whose base estate has the target database already (%s) WHEN cutting over THEN nothing restores it: a catch-up step brings it up to date after the freeze, before traffic moves', (_label, restored) => {
    const head = withGreen(restored);
    const p = plan(head, word(head, 'normal@blue'), word(head, 'cutover@blue->green'), { fromEstate: structuredClone(head) });
    expect(p.steps.some((s) => s.kind === 'snapshot')).toBe(false);
    expect(changeAt(p.steps, /^RDS database/)).toBe(-1);
    const catchUp = indexOf(p.steps, 'catch-up');
    expect(catchUp).toBeGreaterThan(deployAt(p.steps, 'cutover:freeze'));
    expect(catchUp).toBeLessThan(changeAt(p.steps, /^Route 53 record www\.bridge-example\.org .* -> CNAME cobalt-production-green/));
    expect(p.steps[catchUp]!.title).toBe('Bring cobalt-production-green up to date with production-blue (it exists already, so nothing restores it)');
  });

  test('GIVEN a pull request that marks an existing target database restored: false WHEN planning THEN the plan says the move would remove it, in the safety gate\'s words', () => {
    const p = plan(bridge, word(bridge, 'normal@blue'), word(bridge, 'cutover@blue->green'), { fromEstate: withGreen(undefined) });
    expect(p.warnings).toContainEqual(expect.stringMatching(/^unsafe: this move would remove or replace a stateful resource: RDS database cobalt-production-green removed \(cutover:prepare@blue->green\)\. .*`drawbridge diff` exits 3/));
  });

  test('GIVEN a pull request that adds the target database without restored: false WHEN planning THEN the plan says it would be created before the freeze, from a snapshot the plan does not take', () => {
    const p = plan(withGreen(undefined), word(bridge, 'normal@blue'), word(bridge, 'cutover@blue->green'), { fromEstate: withoutGreen });
    expect(p.warnings).toContainEqual(expect.stringMatching(/^RDS database cobalt-production-green added .* \(cutover:prepare@blue->green\): created from a snapshot this plan does not take after the freeze .* declare the database with restored: false/));
  });

  test('GIVEN the bridge estate in maintenance WHEN cutting over THEN it freezes (without preparing, which would open blue again), snapshots, restores, migrates, then moves', () => {
    const p = planOf('bridge', 'maintenance@blue', 'cutover@blue->green');
    expect(p.stages).toEqual(['cutover:freeze@blue->green', 'cutover:restore@blue->green', 'cutover@blue->green']);
    const order = [deployAt(p.steps, 'cutover:freeze'), indexOf(p.steps, 'snapshot'), changeAt(p.steps, /^RDS database cobalt-production-green added/), indexOf(p.steps, 'migrate'), changeAt(p.steps, /^payment secret given to cobalt-production-green$/)];
    expect(order.every((i) => i > -1)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(changeAt(p.steps, /^DRAWBRIDGE_MAINTENANCE 1 -> 0 on cobalt-production-blue$/)).toBe(-1);
  });

  test('GIVEN DNS moves on Cloudflare (runbook 003) WHEN cutting over THEN writes freeze at the source, data syncs, the target opens for writes and only then DNS moves', () => {
    const p = planOf('whimsy', 'normal@blue', 'cutover@blue->green');
    const freeze = changeAt(p.steps, /^parameter \/whimsy\/blue\/migrating false -> true$/);
    const sync = indexOf(p.steps, 'final-rsync');
    const open = changeAt(p.steps, /^parameter \/whimsy\/green\/migrating true -> false$/);
    const move = changeAt(p.steps, /^DNS record whimsy\.example\.org A 192\.0\.2\.10 \(blue\) -> A 192\.0\.2\.20 \(green\)$/);
    expect(p.steps[freeze]!.stage).toBe('cutover:freeze@blue->green');
    expect(p.steps[freeze]!.checks).toContainEqual(expect.objectContaining({ method: 'POST', what: 'writes are refused: the application says it is read-only' }));
    expect([freeze, sync, open, move].every((i) => i > -1)).toBe(true);
    expect(freeze).toBeLessThan(sync);
    expect(sync).toBeLessThan(open);
    expect(open).toBeLessThan(move);
    expect(p.steps[move]!.checks).toContainEqual(expect.objectContaining({ url: 'https://whimsy.example.org/', expect: 200 }));
    // the outage lasts until DNS has moved: until then the public reaches the frozen host
    expect(p.outage?.endsAtStep).toBe(p.steps[move]!.n);
  });

  test('GIVEN no freeze (runbook 002) WHEN cutting over THEN green is scaled up before the weights move, blue keeps its capacity and sessions until they drain, its scaling suspended meanwhile', () => {
    const p = planOf('rolling', 'normal@blue', 'normal@green');
    const at = [
      changeAt(p.steps, /^auto scaling group app-green min\/max 1\/1 -> 2\/6$/),
      indexOf(p.steps, 'suspend-scaling'),
      changeAt(p.steps, /^listener default action weights: app-blue 100 -> 0, app-green 0 -> 100$/),
      indexOf(p.steps, 'drain'),
      indexOf(p.steps, 'resume-scaling'),
      changeAt(p.steps, /^auto scaling group app-blue min\/max 2\/6 -> 1\/1$/),
    ];
    expect(at.every((i) => i > -1)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(p.steps[at[0]!]!.stage).not.toBe(p.steps[at[2]!]!.stage);
    expect(p.outage).toBeUndefined();
  });
});

describe('fail-back', () => {
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

  test('GIVEN a target still held behind its page WHEN failing back THEN the source just goes back, after what the target took is reconciled, and the completion steps are left out', () => {
    const p = planOf('bridge', 'cutover@blue->green', 'normal@blue');
    expect(p.stages).toEqual(['normal@blue']);
    const opens = changeAt(p.steps, /^DRAWBRIDGE_MAINTENANCE 1 -> 0 on cobalt-production-blue$/);
    expect(indexOf(p.steps, 'reconcile')).toBeGreaterThan(-1);
    expect(indexOf(p.steps, 'reconcile')).toBeLessThan(opens);
    expect(indexOf(p.steps, 'failback-tell')).toBeGreaterThan(-1);
    const completion = titles(planOf('bridge', 'cutover@blue->green', 'normal@green').steps);
    for (const title of ['Test the new system (entries and payments) as staff', 'Enter the notifications.unregistered_blocked_email data back in']) {
      expect(completion).toContain(title);
      expect(titles(p.steps)).not.toContain(title);
    }
  });

  test('GIVEN a target open to the public (runbook 003) WHEN failing back THEN it is the reverse cutover, reconciled before the old host is retired, without the forward-only steps', () => {
    const p = planOf('whimsy', 'cutover@blue->green', 'normal@blue');
    expect(p.stages).toEqual(['cutover:prepare@green->blue', 'cutover:freeze@green->blue', 'cutover@green->blue', 'normal@blue']);
    expect(indexOf(p.steps, 'reconcile')).toBeGreaterThan(changeAt(p.steps, /^DNS record whimsy\.example\.org .* -> A 192\.0\.2\.10 \(blue\)$/));
    expect(indexOf(p.steps, 'failback-notice')).toBeGreaterThan(-1);
    for (const id of ['final-rsync', 'test-target', 'dns-check', 'remove-crontabs']) expect(indexOf(p.steps, id)).toBe(-1);
  });

  test.each<[string, string, string, RegExp]>([
    // blue opens to the public again only once what green took is carried back
    ['a whole cutover', 'normal@blue', 'normal@green', /^DRAWBRIDGE_MAINTENANCE 1 -> 0 on cobalt-production-blue$/],
    // back into maintenance on blue: traffic returns behind the page, then the writes are carried back
    ['a cutover entered from maintenance', 'maintenance@blue', 'cutover@blue->green', /^Route 53 record www\.bridge-example\.org CNAME cobalt-production-green.* -> CNAME cobalt-production-blue/],
  ])('GIVEN the rollback of %s WHEN reading it THEN it fails back: what green took is reconciled, and no forward-only step (tests, migrations) is in it', (label, from, to, release) => {
    const back = planOf('bridge', from, to).rollback!.steps;
    const released = changeAt(back, release);
    const reconciled = indexOf(back, 'reconcile');
    expect(released).toBeGreaterThan(-1);
    expect(reconciled).toBeGreaterThan(-1);
    if (label === 'a whole cutover') expect(reconciled).toBeLessThan(released);
    else expect(reconciled).toBeGreaterThan(released);
    expect(indexOf(back, 'failback-tell')).toBeGreaterThan(-1);
    for (const id of ['test', 'migrate', 'convert-users', 'restore-blocked-emails']) expect(indexOf(back, id)).toBe(-1);
  });
});

describe('every transition of every example estate', () => {
  const pairs = estates.flatMap(({ estate }) => statePairs(supportedModeStates(estate)).map(([a, b]): [string, string, string] => [estate.name, a, b]));

  test.each(pairs)('GIVEN %s WHEN moving %s -> %s THEN the plan has steps and checks, ends in TO, and its rollback is the plan of the way back to FROM', (name, from, to) => {
    const estate = estateNamed(name);
    const p = planOf(name, from, to);
    expect(p.steps.length).toBeGreaterThan(0);
    expect(p.steps.map((s) => s.n)).toEqual(p.steps.map((_, i) => i + 1));
    for (const s of [...p.steps, ...p.rollback!.steps]) expect(s.checks.length).toBeGreaterThan(0);
    if (p.stages.length) expect(p.stages[p.stages.length - 1]).toBe(to);
    expect(p.commits).toBe(p.steps.filter((s) => s.kind === 'commit').length);
    expect(p.rollback?.toWord).toBe(from);
    expect(p.rollback?.steps.length).toBeGreaterThan(0);
    // the way back keeps what the way in created, and deploys what the plan of that move deploys
    const back = plan(keepingStateful(estate, word(estate, from)), word(estate, to), word(estate, from));
    expect(deploySequence(p.rollback!.steps)).toEqual(deploySequence(back.steps));
  });
});
