/**
 * Runbook 003 (estates/host-cutover.yaml): a host cutover of a small site without a Cloudflare gate,
 * the hosts' flag files as Drawbridge flags, read from the plan JSON.
 */
import { expectInOrder, expectTogether, planJson, positionOf } from './runbook';

describe('runbook 003: the host cutover', () => {
  const p = planJson('whimsy', 'normal@blue', 'normal@green');

  test('GIVEN the whimsy estate WHEN moving hosts THEN the runbook\'s steps come in its order', () => {
    expectInOrder(p.steps, [
      // pre-requisites: the initial rsync, the target checked, a time agreed with Infra
      'initial-rsync',
      'target-ready',
      'arrange-dns',
      // notice.txt: the window's notice, a day ahead
      /^parameter \/whimsy\/notice false -> true$/,
      // about an hour before: Infra, board@ and secretary@
      'infra-available',
      'email-board',
      // about 20 minutes before: migrating.txt on the source disables writes
      /^parameter \/whimsy\/blue\/migrating false -> true$/,
      // the data copy refreshed, the target tested on its own name
      'final-rsync',
      'test-target',
      // maintenance.txt removed on the target, then the DNS change
      /^parameter \/whimsy\/green\/maintenance true -> false$/,
      /^DNS record whimsy\.example\.org A 192\.0\.2\.10 \(blue\) -> A 192\.0\.2\.20 \(green\)$/,
      'dns-check',
      // maintenance.txt on the source once DNS has moved
      /^parameter \/whimsy\/blue\/maintenance false -> true$/,
      // tidy-up of the old host
      'remove-crontabs',
      'stop-mail-push',
    ]);
  });

  test('GIVEN the whimsy estate WHEN moving hosts THEN the last copy comes after the freeze and before the DNS change, and the target opens before DNS points at it', () => {
    const freeze = positionOf(p.steps, /^parameter \/whimsy\/blue\/migrating false -> true$/);
    const copy = positionOf(p.steps, 'final-rsync');
    const ready = positionOf(p.steps, /^parameter \/whimsy\/green\/maintenance true -> false$/);
    const dns = positionOf(p.steps, /^DNS record whimsy\.example\.org/);
    expect([freeze < copy, copy < ready, ready < dns]).toEqual([true, true, true]);
    expectTogether(p.steps, [/^parameter \/whimsy\/green\/migrating true -> false$/, /^parameter \/whimsy\/green\/maintenance true -> false$/]);
  });

  test('GIVEN the whimsy estate WHEN moving hosts THEN the public can read but not write from the freeze until the move, and the estate declares no gate', () => {
    expect(p.outage).toMatchObject({ effect: 'writes are refused (read-only)' });
    expect(p.steps[p.outage!.startsAtStep! - 1]!.changes).toContain('parameter /whimsy/blue/migrating false -> true');
    expect(p.steps.flatMap((s) => s.changes).some((c) => /on whimsy-gate/.test(c))).toBe(false);
  });

  test('GIVEN a fail-back before DNS moved THEN the source simply opens again, and the board is told', () => {
    const back = planJson('whimsy', 'cutover:freeze@blue->green', 'normal@blue');
    expectInOrder(back.steps, ['failback-notice', /^parameter \/whimsy\/blue\/migrating true -> false$/]);
    expect(back.steps.flatMap((s) => s.changes).some((c) => /^DNS record/.test(c))).toBe(false);
  });
});
