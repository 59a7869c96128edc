/**
 * `drawbridge plan` in-process: the runbook, windows against the clock, and the Pulumi stack its
 * commands name.
 */
import { cli, shopYaml, SHOP, writeEstate } from '../io';

describe('plan', () => {
  test('GIVEN the ticketing estate WHEN planning normal maintenance THEN a Markdown runbook with gantt chart and rollback is printed', async () => {
    const r = await cli(['plan', 'normal', 'maintenance', '--estate', 'estates/ticketing.yaml']);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out).toMatch(/^## Drawbridge plan: ticketing, normal@blue → maintenance@blue\n/);
    expect(r.out).toContain('```mermaid\ngantt');
    expect(r.out).toContain('npx cdk deploy --all --context estate=estates/ticketing.yaml');
    expect(r.out).toContain('### Rollback: the way back to normal@blue');
  });

  test.each([[['--format', 'json']], [['--json']]])('GIVEN %j WHEN planning THEN the plan is one JSON object', async (flags) => {
    const r = await cli(['plan', 'maintenance', ...flags]);
    expect(r.code).toBe(0);
    const p = JSON.parse(r.out) as { fromWord: string; toWord: string; steps: unknown[]; rollback: unknown };
    expect([p.fromWord, p.toWord]).toEqual(['normal@blue', 'maintenance@blue']);
    expect(p.steps.length).toBeGreaterThan(0);
    expect(p.rollback).toBeDefined();
  });

  test('GIVEN a base and a head estate WHEN planning with no mode words THEN it plans from the base committed state to the head one', async () => {
    const head = writeEstate('head.yaml', shopYaml.replace('  mode: normal\n', '  mode: maintenance\n'));
    const r = await cli(['plan', '--from-estate', SHOP, '--estate', head, '--json']);
    expect(r.code).toBe(0);
    const p = JSON.parse(r.out) as { fromWord: string; toWord: string; steps: { kind: string }[] };
    expect([p.fromWord, p.toWord]).toEqual(['normal@blue', 'maintenance@blue']);
    expect(p.steps.map((s) => s.kind)).toContain('commit');
  });

  test('GIVEN the committed state as TO WHEN planning THEN there is nothing to do', async () => {
    const r = await cli(['plan', 'committed', 'normal@blue', '--estate', SHOP]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('Nothing to do');
  });
});

describe('review: plan and diff refuse a TO whose window has ended, as cdk synth and Pulumi do', () => {
  // The fixture's window ends 2030-01-20T00:30:00Z; the clock is injected.
  const after = '2030-02-01T00:00:00Z';
  const before = '2030-01-01T00:00:00Z';

  test.each<[string, string[]]>([
    ['plan', ['plan', 'normal', 'maintenance', '--estate', SHOP]],
    ['diff', ['diff', 'normal', 'maintenance', '--estate', SHOP]],
    ['plan of a hard-down', ['plan', 'maintenance', 'maintenance:hard-down', '--estate', SHOP]],
  ])('GIVEN a window that ended WHEN running %s into maintenance THEN exit 1 with the engines\' message', async (_what, argv) => {
    const r = await cli(argv, { now: after });
    expect(r.code).toBe(1);
    expect(r.err).toBe('drawbridge: window.end 2030-01-20T00:30:00Z is in the past (now 2030-02-01T00:00:00.000Z); set an end time in the future before entering maintenance, or remove the window for an open-ended one\n');
    expect(r.out).toBe('');
  });

  test('GIVEN a window that ended WHEN planning the way out to normal THEN the plan is printed (leaving stays possible)', async () => {
    const r = await cli(['plan', 'maintenance', 'normal', '--estate', SHOP], { now: after });
    expect(r.code).toBe(0);
    expect(r.out).toContain('Leave maintenance');
  });

  test('GIVEN the window still ahead WHEN planning into maintenance THEN the plan is printed', async () => {
    const r = await cli(['plan', 'normal', 'maintenance', '--estate', SHOP], { now: before });
    expect(r.code).toBe(0);
  });

  test('GIVEN no injected clock and a window in 2020 WHEN planning into maintenance THEN the real clock refuses it', async () => {
    const file = writeEstate('ended-2020.yaml', shopYaml.replace('"2030-01-18T09:00:00Z"', '"2020-01-18T09:00:00Z"').replace('"2030-01-19T22:00:00Z"', '"2020-01-19T22:00:00Z"').replace('"2030-01-20T00:30:00Z"', '"2020-01-20T00:30:00Z"'));
    const r = await cli(['plan', 'normal', 'maintenance', '--estate', file]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^drawbridge: window\.end 2020-01-20T00:30:00Z is in the past/);
  });

  test('GIVEN a committed maintenance whose window ended by the injected clock WHEN checked THEN the state problem is named, exit 1', async () => {
    const file = writeEstate('committed-maintenance.yaml', shopYaml.replace('  mode: normal\n', '  mode: maintenance\n'));
    expect((await cli(['check', file], { now: before })).code).toBe(0);
    const r = await cli(['check', file], { now: after });
    expect(r.code).toBe(1);
    expect(r.err).toBe(`drawbridge: ${file}:17: state: window.end 2030-01-20T00:30:00Z is in the past (now 2030-02-01T00:00:00.000Z); set an end time in the future before entering maintenance, or remove the window for an open-ended one\n`);
  });
});

describe('review: Pulumi commands in a plan target the plan\'s estate', () => {
  test('GIVEN an estate other than cdk.json\'s and no --stack WHEN planning THEN pulumi up uses the estate\'s stack and names the estate, never the production stack', async () => {
    const r = await cli(['plan', 'normal', 'maintenance', '--estate', 'estates/ticketing.yaml']);
    expect(r.code).toBe(0);
    const ups = r.out.match(/pulumi up [^`\n]*/g) ?? [];
    expect(ups.length).toBeGreaterThan(0);
    for (const up of ups) expect(up).toBe('pulumi up --stack ticketing --config drawbridge:estate=estates/ticketing.yaml');
    expect(r.out).not.toContain('--stack production');
    expect(r.out).toContain('`pulumi config set drawbridge:estate estates/ticketing.yaml --stack ticketing`');
  });

  test('GIVEN --stack WHEN planning another estate THEN that stack is used, still pointed at the estate', async () => {
    const r = await cli(['plan', 'normal', 'maintenance', '--estate', 'estates/ticketing.yaml', '--stack', 'tickets-prod']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('pulumi up --stack tickets-prod --config drawbridge:estate=estates/ticketing.yaml');
  });

  test.each([['estates/default.yaml'], ['./estates/default.yaml']])('GIVEN the estate cdk.json names (%s) WHEN planning THEN the only stack file\'s stack is used and neither engine is told the estate', async (file) => {
    const r = await cli(['plan', 'normal', 'maintenance', '--estate', file]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^ {2}pulumi up --stack production$/m);
    expect(r.out).toMatch(/^ {2}npx cdk deploy --all$/m);
    expect(r.out).not.toContain('drawbridge:estate');
  });
});
