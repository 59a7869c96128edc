/**
 * Runbook 001 (estates/makerepo.yaml): unplanned and planned maintenance of a Rails server behind
 * Cloudflare, with the branded down page when the server is unreachable, read from the plan JSON.
 */
import { expectInOrder, expectTogether, planJson, positionOf } from './runbook';

describe('runbook 001: maintenance with the server reachable, and a hard-down', () => {
  test('GIVEN makerepo WHEN entering maintenance THEN it is announced 24 hours ahead, the issue scoped and told, the page up, then the backup and the work', () => {
    const p = planJson('makerepo', 'normal', 'maintenance');
    expectInOrder(p.steps, ['stakeholders', /^WINDOW_ANNOUNCE 2030-04-05T13:00:00Z/, 'announce', 'scope', 'tell-management', /^MAINTENANCE 0 -> 1 on makerepo-gate$/, 'backup', 'implement']);
    // the banner shows a day before the start, with the reason and the time it is back
    const window = p.steps.find((s) => s.id === 'window-cloudflare')!;
    expect(window.changes).toEqual(expect.arrayContaining(['REASON "Server migration" on makerepo-gate', expect.stringMatching(/^completion time shown in America\/Toronto .*: Sat 6 Apr 2030, 13:00 EDT$/)]));
  });

  test('GIVEN makerepo WHEN the server is unreachable (a hard-down) THEN the site record moves to the branded static down page with the page, and comes back only after the fix is verified on the server directly', () => {
    const down = planJson('makerepo', 'normal', 'maintenance:hard-down');
    expectTogether(down.steps, [/^MAINTENANCE 0 -> 1 on makerepo-gate$/, /^DNS record makerepo\.example\.ca CNAME rails-1\.hosting-example\.net \(blue\) -> CNAME makerepo-is-down\.pages\.dev \(static down page\)$/]);
    const up = planJson('makerepo', 'maintenance:hard-down', 'normal');
    expectInOrder(up.steps, ['verify-direct', /^DNS record makerepo\.example\.ca CNAME makerepo-is-down\.pages\.dev .* -> CNAME rails-1\.hosting-example\.net/, 'communicate']);
    expect(up.steps[positionOf(up.steps, 'verify-direct')]!.checks[0]).toMatchObject({ url: 'https://direct.makerepo.example.ca/up', expect: 200 });
  });

  test('GIVEN makerepo WHEN migrating to a new server THEN both run, the new one is verified before the public sees it, and the old one is retired only later', () => {
    const p = planJson('makerepo', 'normal@blue', 'normal@green');
    expectInOrder(p.steps, ['backup', /^DNS record makerepo\.example\.ca CNAME rails-1\.hosting-example\.net \(blue\) -> CNAME rails-2\.hosting-example\.net \(green\)$/, 'verify-new-server', /^MAINTENANCE 1 -> 0 on makerepo-gate$/]);
    expect(p.notes.join('\n')).toMatch(/Retire it as its own change/);
  });
});
