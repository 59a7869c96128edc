/**
 * Runbook 000 (estates/ticketing.yaml): the ticketing site's maintenance, every infrastructure step
 * in the runbook's order, read from the plan JSON.
 */
import { expectInOrder, expectTogether, planJson, positionOf } from './runbook';

describe('runbook 000: entering maintenance', () => {
  const p = planJson('ticketing', 'normal', 'maintenance');

  test('GIVEN the ticketing estate WHEN entering maintenance THEN the runbook\'s steps come in its order: days before, day before, minutes before, start', () => {
    expectInOrder(p.steps, [
      // pre update tasks: days before
      'new-amis',
      'launch-amis',
      'update-in-service',
      // day before: the completion times on the "web" Worker, the status page (Scheduled), the messenger
      /^COMPLETION_TIME_UK "" -> .* on web/,
      'statuspage-scheduled',
      'messenger',
      // minutes before: the print server's blocking code, both health checks, the monitor, the bots, Slack
      /^parameter \/ticketing\/print-server\/blocked 0 -> 1$/,
      /^target group Web-target-group health check \/uptime-monitor -> \/uptime-monitor-maintenance$/,
      /^verified bots blocked on ticketing-example\.com$/,
      'slack-start',
      // start: log out, status In Progress, then MAINTENANCE = 1 on both Workers, then what stops behind the page
      'back-office-logout',
      'statuspage-in-progress',
      /^MAINTENANCE 0 -> 1 on web \(KV web\/MAINTENANCE\)$/,
      /^rule ticketing-scheduled-tasks disabled$/,
      'clear-sessions',
      'db-server-swap',
      'session-db',
      'server-updates',
    ]);
  });

  test.each([
    ['the two target groups, the monitor and the print server (AWS, minutes before)', [/^target group Web-target-group health check/, /^target group Web-services-target-group health check/, /^rule ticketing-response-time-monitor disabled$/, /^parameter \/ticketing\/print-server\/blocked 0 -> 1$/]],
    ['verified bots off on both zones (Cloudflare, minutes before)', [/^verified bots blocked on ticketing-example\.com$/, /^verified bots blocked on ticketing-example\.co\.uk$/]],
    ['MAINTENANCE = 1 on "web" and "web-services"', [/^MAINTENANCE 0 -> 1 on web \(/, /^MAINTENANCE 0 -> 1 on web-services \(/]],
    ['the scheduled tasks off and their instance stopped, the DB backup instance stopped, the DB firewall rule off', [/^rule ticketing-scheduled-tasks disabled$/, /^auto scaling group ticketing-scheduled-tasks min\/max 1\/1 -> 0\/0$/, /^auto scaling group ticketing-db-backup min\/max 1\/1 -> 0\/0$/, /^DB firewall rule "SAP SQL Anywhere DB" .* closed/]],
  ] as const)('GIVEN the ticketing estate WHEN entering maintenance THEN one deploy does %s', (_what, names) => {
    expectTogether(p.steps, names);
  });

  test('GIVEN the ticketing estate WHEN entering maintenance THEN the Workers put the page up before the database firewall closes, and the monitors are off before the start', () => {
    const page = positionOf(p.steps, /^MAINTENANCE 0 -> 1 on web \(/);
    expect(page).toBeLessThan(positionOf(p.steps, /^DB firewall rule "SAP SQL Anywhere DB" .* closed/));
    const monitor = p.steps[positionOf(p.steps, /^rule ticketing-response-time-monitor disabled$/)]!;
    expect(monitor.phase).toBe('minutes-before');
    expect(p.steps[page]!.phase).toBe('start');
  });
});

describe('runbook 000: leaving maintenance', () => {
  const p = planJson('ticketing', 'maintenance', 'normal');

  test('GIVEN the ticketing estate WHEN leaving maintenance THEN the runbook\'s end and after steps come in its order', () => {
    expectInOrder(p.steps, [
      // DB: cache restored => enable the firewall rule
      'restore-cache',
      /^DB firewall rule "SAP SQL Anywhere DB" .* opened/,
      // the status page says Verifying while staff test behind the page (Drawbridge's order: the
      // runbook says Verifying once the page is down, and the public sees the site by then)
      'statuspage-verifying',
      // SCHEDULED TASKS and DB BACKUP: start the instances, check the backup, TEST BOOKING
      'check-db-backup',
      'test-booking',
      // enable-all-scheduled-tasks, health checks back, MAINTENANCE = 0 on both Workers, bots on, print server unblocked
      /^rule ticketing-scheduled-tasks enabled$/,
      /^MAINTENANCE 1 -> 0 on web \(/,
      // post update tasks, then the status page Completed once they are done
      /^rule ticketing-response-time-monitor enabled$/,
      'cloudwatch-dashboard',
      'drop-cache',
      'check-logs',
      'slack-end',
      'statuspage-completed',
    ]);
  });

  test.each([
    ['the firewall rule opened and both instances started', [/^DB firewall rule "SAP SQL Anywhere DB" .* opened/, /^auto scaling group ticketing-scheduled-tasks min\/max 0\/0 -> 1\/1$/, /^auto scaling group ticketing-db-backup min\/max 0\/0 -> 1\/1$/]],
    ['the scheduled tasks, both health checks and the print server back', [/^rule ticketing-scheduled-tasks enabled$/, /^target group Web-target-group health check \/uptime-monitor-maintenance -> \/uptime-monitor$/, /^target group Web-services-target-group health check/, /^parameter \/ticketing\/print-server\/blocked 1 -> 0$/]],
    ['MAINTENANCE = 0 on both Workers and verified bots on for both zones', [/^MAINTENANCE 1 -> 0 on web \(/, /^MAINTENANCE 1 -> 0 on web-services \(/, /^verified bots allowed on ticketing-example\.com$/, /^verified bots allowed on ticketing-example\.co\.uk$/]],
  ] as const)('GIVEN the ticketing estate WHEN leaving maintenance THEN one deploy does %s', (_what, names) => {
    expectTogether(p.steps, names);
  });

  test('GIVEN the way back of leaving (entering again) THEN it never repeats what was done once: no session DELETEs, no server swap, no "maintenance starting" message', () => {
    const back = p.rollback!.steps.map((s) => s.id);
    for (const once of ['clear-sessions', 'db-server-swap', 'session-db', 'server-updates', 'slack-start', 'new-amis']) expect(back).not.toContain(once);
    expect(back).toEqual(expect.arrayContaining(['back-office-logout', 'statuspage-in-progress']));
  });

  test('GIVEN the way back of entering (leaving early) THEN the server swap is undone, not repeated', () => {
    const enter = planJson('ticketing', 'normal', 'maintenance');
    const back = enter.rollback!.steps;
    expect(back.find((s) => s.id === 'undo-db-server-swap')?.title).toBe('Undo: DB: stop the services and the instance, detach D: E: F:, destroy it, launch the new AMI, attach D: E: F:, start the DB service');
    expect(back.map((s) => s.id)).not.toContain('db-server-swap');
  });
});
