import type { EstateFacts } from '../../../../modes/component';
import type { DesiredBeanstalkEnvironment } from '../../../../modes/desired';
import { beanstalk, environmentTargets } from '../../../../modes/components/aws/beanstalk';
import type { ModeState } from '../../../../modes/fields';
import { awsPart, brief, changes, estateItems, identityCases, itemsIn, S, type StateName, titled, verifyCtx } from '../../../support/components';
import { estateNamed } from '../../../support/estates';
import { resolve } from '../../../../modes/resolve';
import { ctxOf, DB_SECRET, SECRET_ARN, spec, TWO_APPS } from './beanstalk-fixtures';
import { BEFORE_MOVE, FROZEN_WITH_PAGE, STAGED, stateNamed, type StagedName } from './staged';

type Row = { size: string; maintenance: string; readOnly: string; holds: boolean };
const view = (e: DesiredBeanstalkEnvironment): Row => ({ size: `${e.min}/${e.max}`, maintenance: e.variables.DRAWBRIDGE_MAINTENANCE as string, readOnly: e.variables.DRAWBRIDGE_READ_ONLY as string, holds: e.holdsPaymentSecret });
const serving: Row = { size: '2/4', maintenance: '0', readOnly: '0', holds: true };
const idle: Row = { size: '1/1', maintenance: '0', readOnly: '1', holds: false };
/** Its own maintenance page up (maintenance of the live colour). */
const down: Row = { ...serving, maintenance: '1' };
/** Writes refused at full capacity: a source frozen read-only, or a target not yet serving. */
const frozen: Row = { size: '2/4', maintenance: '0', readOnly: '1', holds: false };
const views = (input: unknown, state: StateName | ModeState, more: Partial<EstateFacts> = {}) => (itemsIn(beanstalk, input, state, more) as DesiredBeanstalkEnvironment[]).map(view);

const desired = (more: Partial<DesiredBeanstalkEnvironment> = {}): DesiredBeanstalkEnvironment => ({
  id: 'app-blue',
  application: 'bridge',
  colour: 'blue',
  name: 'bridge-blue',
  cnamePrefix: 'bridge-blue',
  cname: 'bridge-blue.eu-west-2.elasticbeanstalk.com',
  min: 2,
  max: 4,
  variables: { DRAWBRIDGE_READ_ONLY: '0', PAYMENT_SECRET_ARN: SECRET_ARN },
  holdsPaymentSecret: true,
  ...more,
});

describe('beanstalk.resolve', () => {
  // Behind a gate. A cutover's source keeps its capacity, read-only, until the target is opened.
  test.each<[StateName, Row, Row]>([
    ['normalBlue', serving, idle],
    ['maintenance', down, idle],
    ['cutoverBlueGreen', frozen, serving],
    ['normalGreen', idle, serving],
    ['maintenanceGreen', idle, down],
    ['cutoverGreenBlue', serving, frozen],
  ])('GIVEN a blue and a green environment WHEN resolved in %s THEN blue is %j and green is %j', (state, blue, green) => {
    const items = itemsIn(beanstalk, spec(), state) as DesiredBeanstalkEnvironment[];
    expect(items.map((e) => e.colour)).toEqual(['blue', 'green']);
    expect(items.map(view)).toEqual([blue, green]);
  });

  // The target is scaled up from the prepare stage; no colour holds the payment secret while writes are frozen.
  test.each<[StagedName, Row, Row]>([
    ['cutover:prepare', serving, frozen],
    ['cutover:freeze', frozen, frozen],
    ['cutover:restore', frozen, frozen],
    ['cutover:move', frozen, serving],
    ['maintenance:ahead', serving, idle],
    ['maintenance:page', serving, idle],
    ['normal:behind', serving, idle],
    ['normal:page', serving, idle],
  ])('GIVEN a blue and a green environment WHEN resolved at %s THEN blue is %j and green is %j', (stage, blue, green) => {
    expect(views(spec(), STAGED[stage])).toEqual([blue, green]);
  });

  // Without a gate the application's own page keeps the public off a colour that is not open.
  const rows: [string, ModeState, Partial<EstateFacts>, Row, Row][] = [
    ['no gate, normal', S.normalBlue, { hasGate: false, policy: BEFORE_MOVE }, serving, { ...idle, maintenance: '1' }],
    ['no gate, cutover:prepare', STAGED['cutover:prepare'], { hasGate: false, policy: BEFORE_MOVE }, serving, { ...frozen, maintenance: '1' }],
    ['no gate, tested before the move, moved', STAGED['cutover:move'], { hasGate: false, policy: BEFORE_MOVE }, frozen, serving],
    ['frozen with the page, at the freeze', STAGED['cutover:freeze'], { policy: FROZEN_WITH_PAGE }, { size: '1/1', maintenance: '1', readOnly: '1', holds: false }, frozen],
  ];
  test.each(rows.map(([what, state, more, blue, green]) => ({ what, state, more, blue, green })))('GIVEN $what WHEN resolved THEN blue is $blue and green is $green', ({ state, more, blue, green }) => {
    expect(views(spec(), state, more)).toEqual([blue, green]);
  });

  test('GIVEN the payment secret WHEN resolved THEN every managed variable is set on both colours, the secret only on the serving one', () => {
    const [blue, green] = itemsIn(beanstalk, spec(), 'normalBlue') as DesiredBeanstalkEnvironment[];
    expect(blue).toEqual({
      id: 'app-blue',
      application: 'bridge',
      colour: 'blue',
      name: 'bridge-blue',
      cnamePrefix: 'bridge-blue',
      cname: 'bridge-blue.eu-west-2.elasticbeanstalk.com',
      min: 2,
      max: 4,
      variables: { APP_ENV: 'production', DRAWBRIDGE_COLOUR: 'blue', DRAWBRIDGE_MAINTENANCE: '0', DRAWBRIDGE_READ_ONLY: '0', PAYMENT_SECRET_ARN: SECRET_ARN },
      holdsPaymentSecret: true,
    });
    expect(green!.variables).toEqual({ APP_ENV: 'production', DRAWBRIDGE_COLOUR: 'green', DRAWBRIDGE_MAINTENANCE: '0', DRAWBRIDGE_READ_ONLY: '1', PAYMENT_SECRET_ARN: '' });
  });

  test('GIVEN no payment secret WHEN resolved THEN no colour holds one and no variable names it', () => {
    const items = itemsIn(beanstalk, spec({ paymentSecret: undefined }), 'normalBlue') as DesiredBeanstalkEnvironment[];
    expect(items.map((e) => e.holdsPaymentSecret)).toEqual([false, false]);
    expect(Object.keys(items[0]!.variables)).toEqual(['APP_ENV', 'DRAWBRIDGE_COLOUR', 'DRAWBRIDGE_MAINTENANCE', 'DRAWBRIDGE_READ_ONLY']);
  });

  test('GIVEN no Beanstalk in the estate WHEN resolved THEN nothing is set', () => {
    expect(itemsIn(beanstalk, undefined, 'normalBlue')).toEqual([]);
  });

  test('GIVEN the single form WHEN resolved THEN its one application has no id (it keeps the logical id Application)', () => {
    expect(beanstalk.resolve(beanstalk.schema.parse(spec()), ctxOf(S.normalBlue)).beanstalk!.applications).toEqual([
      { name: 'bridge', solutionStackName: '64bit Amazon Linux 2023 v4.3.0 running Python 3.11', instanceType: 't3.small', instanceProfile: 'ec2-role', serviceRole: 'service-role' },
    ]);
  });
});

describe('beanstalk with several applications', () => {
  test.each<[StateName | StagedName, string[]]>([
    ['normalBlue', ['cobalt-production-blue 2/4 ro0 holds', 'cobalt-production-green 1/1 ro1', 'cobalt-ses-production-green 1/2 ro0', 'cobalt-ses-production-blue 1/1 ro1']],
    ['cutover:freeze', ['cobalt-production-blue 2/4 ro1', 'cobalt-production-green 2/4 ro1', 'cobalt-ses-production-green 1/2 ro1', 'cobalt-ses-production-blue 1/2 ro1']],
    ['cutoverBlueGreen', ['cobalt-production-blue 2/4 ro1', 'cobalt-production-green 2/4 ro0 holds', 'cobalt-ses-production-green 1/2 ro1', 'cobalt-ses-production-blue 1/2 ro0']],
    ['normalGreen', ['cobalt-production-blue 1/1 ro1', 'cobalt-production-green 2/4 ro0 holds', 'cobalt-ses-production-green 1/1 ro1', 'cobalt-ses-production-blue 1/2 ro0']],
  ])('GIVEN the production and the SES pairs WHEN resolved in %s THEN both move together and only production holds the payment secret: %j', (state, expected) => {
    const items = itemsIn(beanstalk, TWO_APPS, stateNamed(state)) as DesiredBeanstalkEnvironment[];
    expect(items.map((e) => `${e.name} ${e.min}/${e.max} ro${e.variables.DRAWBRIDGE_READ_ONLY as string}${e.holdsPaymentSecret ? ' holds' : ''}`)).toEqual(expected);
  });

  // Runbook 004 (no gate, freeze: maintenance): blue's own page goes up at the freeze; green shows
  // its page (staff test behind it) with the payment credentials from the move until normal opens it.
  test.each<[StateName | StagedName, string[]]>([
    ['normalBlue', ['cobalt-production-blue 2/4 m0 ro0 holds', 'cobalt-production-green 1/1 m1 ro1', 'cobalt-ses-production-green 1/2 m0 ro0', 'cobalt-ses-production-blue 1/1 m1 ro1']],
    ['cutover:prepare', ['cobalt-production-blue 2/4 m0 ro0 holds', 'cobalt-production-green 2/4 m1 ro1', 'cobalt-ses-production-green 1/2 m0 ro0', 'cobalt-ses-production-blue 1/2 m1 ro1']],
    ['cutover:freeze', ['cobalt-production-blue 1/1 m1 ro1', 'cobalt-production-green 2/4 m1 ro1', 'cobalt-ses-production-green 1/1 m1 ro1', 'cobalt-ses-production-blue 1/2 m1 ro1']],
    ['cutover:move', ['cobalt-production-blue 1/1 m1 ro1', 'cobalt-production-green 2/4 m1 ro0 holds', 'cobalt-ses-production-green 1/1 m1 ro1', 'cobalt-ses-production-blue 1/2 m1 ro0']],
    ['normalGreen', ['cobalt-production-blue 1/1 m1 ro1', 'cobalt-production-green 2/4 m0 ro0 holds', 'cobalt-ses-production-green 1/1 m1 ro1', 'cobalt-ses-production-blue 1/2 m0 ro0']],
  ])('GIVEN the two pairs, no gate and a source frozen with its page WHEN resolved in %s THEN size, page, read-only and the payment secret are %j', (state, expected) => {
    const items = itemsIn(beanstalk, TWO_APPS, stateNamed(state), { policy: FROZEN_WITH_PAGE, hasGate: false }) as DesiredBeanstalkEnvironment[];
    expect(items.map((e) => `${e.name} ${e.min}/${e.max} m${e.variables.DRAWBRIDGE_MAINTENANCE as string} ro${e.variables.DRAWBRIDGE_READ_ONLY as string}${e.holdsPaymentSecret ? ' holds' : ''}`)).toEqual(expected);
  });

  test('GIVEN two applications WHEN resolved THEN each is listed with its id, and each environment names its application', () => {
    const part = beanstalk.resolve(beanstalk.schema.parse(TWO_APPS), ctxOf(S.normalBlue)).beanstalk!;
    expect(part.applications.map((a) => [a.id, a.name])).toEqual([['production', 'cobalt'], ['ses', 'cobalt-ses']]);
    expect(part.environments.map((e) => `${e.application}/${e.colour}`)).toEqual(['cobalt/blue', 'cobalt/green', 'cobalt-ses/blue', 'cobalt-ses/green']);
  });

  test.each<[StateName | StagedName, string[]]>([
    ['normalBlue', ['cobalt/cobalt-production-blue holds', 'cobalt/cobalt-production-green', 'cobalt-ses/cobalt-ses-production-green', 'cobalt-ses/cobalt-ses-production-blue']],
    ['cutover:freeze', ['cobalt/cobalt-production-blue', 'cobalt/cobalt-production-green', 'cobalt-ses/cobalt-ses-production-green', 'cobalt-ses/cobalt-ses-production-blue']],
    ['cutover:move', ['cobalt/cobalt-production-blue', 'cobalt/cobalt-production-green holds', 'cobalt-ses/cobalt-ses-production-green', 'cobalt-ses/cobalt-ses-production-blue']],
  ])('GIVEN the bridge estate WHEN resolved in %s THEN its environments, blue side first, and the one holding the Stripe secret are %j', (state, expected) => {
    const envs = estateItems<DesiredBeanstalkEnvironment>(beanstalk, 'bridge', stateNamed(state));
    expect(envs.map((e) => `${e.application}/${e.name}${e.holdsPaymentSecret ? ' holds' : ''}`)).toEqual(expected);
    expect(envs.map((e) => e.colour)).toEqual(['blue', 'green', 'blue', 'green']);
  });

  test('GIVEN the bridge estate WHEN resolved THEN its first application keeps the single form\'s logical ids (no id) and the SES one is named ses', () => {
    const part = resolve(estateNamed('bridge'), S.normalBlue).aws!.beanstalk!;
    expect(part.applications.map((a) => [a.id, a.name])).toEqual([[undefined, 'cobalt'], ['ses', 'cobalt-ses']]);
  });

  test('GIVEN two applications THEN record targets know each environment\'s application, and the single form none', () => {
    expect(environmentTargets(beanstalk.schema.parse(TWO_APPS), 'eu-west-2').map((t) => `${t.application}/${t.colour} ${t.cname}`)).toEqual([
      'production/blue cobalt-production-blue.eu-west-2.elasticbeanstalk.com',
      'production/green cobalt-production-green.eu-west-2.elasticbeanstalk.com',
      'ses/blue cobalt-ses-production-green.eu-west-2.elasticbeanstalk.com',
      'ses/green cobalt-ses-production-blue.eu-west-2.elasticbeanstalk.com',
    ]);
    expect(environmentTargets(beanstalk.schema.parse(spec()), 'eu-west-2')).toEqual([
      { colour: 'green', cname: 'bridge-green.eu-west-2.elasticbeanstalk.com' },
      { colour: 'blue', cname: 'bridge-blue.eu-west-2.elasticbeanstalk.com' },
    ]);
  });
});

describe('beanstalk.describe', () => {
  const leaving = desired({ min: 1, max: 1, variables: { DRAWBRIDGE_READ_ONLY: '1', PAYMENT_SECRET_ARN: '' }, holdsPaymentSecret: false });
  const host = { database: 'db-green', identifier: 'cobalt-production-green', attribute: 'address' } as const;
  test.each<[string, DesiredBeanstalkEnvironment | undefined, DesiredBeanstalkEnvironment | undefined, ReturnType<typeof brief>[]]>([
    ['nothing changed', desired(), desired(), []],
    [
      'the serving colour being left',
      desired(),
      leaving,
      [
        { text: 'Beanstalk environment bridge-blue min/max 2/4 -> 1/1', action: 'modify', field: 'min/max', effects: ['scales'] },
        { text: 'payment secret removed from bridge-blue', action: 'modify', field: 'paymentSecret', effects: ['rolling-update'] },
        { text: 'DRAWBRIDGE_READ_ONLY 0 -> 1 on bridge-blue', action: 'modify', field: 'variables.DRAWBRIDGE_READ_ONLY', effects: ['rolling-update'] },
      ],
    ],
    ['the secret given back', leaving, desired({ min: 1, max: 1, variables: { DRAWBRIDGE_READ_ONLY: '1', PAYMENT_SECRET_ARN: SECRET_ARN } }), [{ text: 'payment secret given to bridge-blue', action: 'modify', field: 'paymentSecret', effects: ['rolling-update'] }]],
    [
      'a credential-like variable set while the holder stays',
      desired({ variables: { DB_PASSWORD: '' } }),
      desired({ variables: { DB_PASSWORD: 'hunter2' } }),
      [{ text: 'DB_PASSWORD (empty) -> (set) on bridge-blue', action: 'modify', field: 'variables.DB_PASSWORD', effects: ['rolling-update'] }],
    ],
    ['a variable added', desired({ variables: {} }), desired({ variables: { FEATURE: 'on' } }), [{ text: 'FEATURE (none) -> on on bridge-blue', action: 'modify', field: 'variables.FEATURE', effects: ['rolling-update'] }]],
    [
      'the environment pointed at the restored database (the restore stage)',
      desired({ variables: { RDS_HOSTNAME: 'test-db.example.org' } }),
      desired({ variables: { RDS_HOSTNAME: host } }),
      [{ text: 'RDS_HOSTNAME test-db.example.org -> cobalt-production-green endpoint address on bridge-blue', action: 'modify', field: 'variables.RDS_HOSTNAME', effects: ['rolling-update'] }],
    ],
    [
      'a password taken from Secrets Manager',
      desired({ variables: { RDS_PASSWORD: '' } }),
      desired({ variables: { RDS_PASSWORD: { secret: DB_SECRET, field: 'password' } } }),
      [{ text: 'RDS_PASSWORD (empty) -> [secret] (Secrets Manager) on bridge-blue', action: 'modify', field: 'variables.RDS_PASSWORD', effects: ['rolling-update'] }],
    ],
    ['the same reference', desired({ variables: { RDS_HOSTNAME: host } }), desired({ variables: { RDS_HOSTNAME: { ...host } } }), []],
    ['the environment renamed', desired(), desired({ name: 'bridge-b' }), [{ text: 'Beanstalk environment bridge-blue renamed to bridge-b (replaces the environment)', action: 'modify', field: 'name', effects: ['replaces'] }]],
    ['the environment moved to another application', desired(), desired({ application: 'other' }), [{ text: 'Beanstalk environment bridge-blue renamed to bridge-blue (replaces the environment)', action: 'modify', field: 'name', effects: ['replaces'] }]],
    ['the environment added', undefined, desired(), [{ text: 'Beanstalk environment bridge-blue added', action: 'add', effects: [] }]],
    ['the environment removed', desired(), undefined, [{ text: 'Beanstalk environment bridge-blue removed', action: 'remove', effects: [] }]],
  ])('GIVEN %s WHEN described THEN the change records say so', (_what, before, after, expected) => {
    expect(changes(beanstalk, before, after).map(brief)).toEqual(expected);
  });

  test('GIVEN the secret moving WHEN described THEN no record carries the secret ARN', () => {
    expect(JSON.stringify(changes(beanstalk, desired(), leaving))).not.toContain(SECRET_ARN);
  });

  test('GIVEN a password reference WHEN described THEN no record carries the secret\'s ARN', () => {
    const records = changes(beanstalk, desired({ variables: {} }), desired({ variables: { RDS_PASSWORD: { secret: DB_SECRET, field: 'password' } } }));
    expect(records).toHaveLength(1);
    expect(JSON.stringify(records)).not.toContain(DB_SECRET);
  });
});

describe('beanstalk invariants and capacity', () => {
  const part = (envs: DesiredBeanstalkEnvironment[]) => awsPart({ beanstalk: { environments: envs } });
  test.each(titled<[string, boolean[], string[]]>([
    ['one holder', [true, false], []],
    ['no holder', [false, false], []],
    ['two holders', [true, true], ['payment secret on bridge-blue and bridge-green; exactly one colour may hold it']],
  ]))('GIVEN $what of the payment secret THEN the broken rules are $expected', ({ row: [, holds, expected] }) => {
    const envs = [desired({ holdsPaymentSecret: holds[0]! }), desired({ id: 'app-green', colour: 'green', name: 'bridge-green', holdsPaymentSecret: holds[1]! })];
    expect(beanstalk.invariants!(part(envs), () => true)).toEqual(expected);
  });

  test('GIVEN one holder in each of two applications THEN no rule is broken (each application has its own secret)', () => {
    const envs = [desired(), desired({ id: 'ses-blue', application: 'ses', name: 'ses-blue' })];
    expect(beanstalk.invariants!(part(envs), () => true)).toEqual([]);
  });

  test.each<[StateName, { colour: string; min: number }[]]>([
    ['normalBlue', [{ colour: 'blue', min: 2 }, { colour: 'green', min: 1 }]],
    ['cutoverBlueGreen', [{ colour: 'blue', min: 2 }, { colour: 'green', min: 2 }]],
    ['normalGreen', [{ colour: 'blue', min: 1 }, { colour: 'green', min: 2 }]],
  ])('GIVEN the environments resolved in %s THEN each gives its colour its min', (state, expected) => {
    expect((itemsIn(beanstalk, spec(), state) as DesiredBeanstalkEnvironment[]).map((e) => beanstalk.capacity!(e))).toEqual(expected);
  });
});

describe('beanstalk.verify', () => {
  test.each<[StateName, string]>([
    ['normalBlue', 'bridge-blue'],
    ['cutoverBlueGreen', 'bridge-green'],
    ['normalGreen', 'bridge-green'],
  ])('GIVEN a move to %s THEN the serving environment %s is checked on the site health path', (to, name) => {
    const aws = awsPart({ beanstalk: { environments: itemsIn(beanstalk, spec(), to) } });
    expect(beanstalk.verify!(undefined, aws, verifyCtx(to))).toEqual([{ what: `environment ${name} answers`, method: 'GET', url: `http://${name}.eu-west-2.elasticbeanstalk.com/health`, expect: 200 }]);
  });

  test('GIVEN two applications and a move to green THEN the serving environment of each is checked', () => {
    const aws = awsPart({ beanstalk: { environments: itemsIn(beanstalk, TWO_APPS, 'cutoverBlueGreen') } });
    expect(beanstalk.verify!(undefined, aws, verifyCtx('cutoverBlueGreen')).map((c) => c.what)).toEqual(['environment cobalt-production-green answers', 'environment cobalt-ses-production-blue answers']);
  });

  test('GIVEN no Beanstalk THEN there is nothing to check', () => {
    expect(beanstalk.verify!(undefined, awsPart({}), verifyCtx('normalBlue'))).toEqual([]);
  });
});

describe('beanstalk.identity', () => {
  test.each(identityCases(beanstalk))('GIVEN the %s estate WHEN resolved in every mode state it supports (%s) THEN every environment keeps its identity', (_name, _states, ids) => {
    for (const other of ids) expect(other).toEqual(ids[0]);
  });

  test('GIVEN only capacity and variables change THEN the identity is the same; a new CNAME prefix or application is not', () => {
    expect(beanstalk.identity({ ...desired(), min: 1, variables: {}, holdsPaymentSecret: false })).toEqual(beanstalk.identity(desired()));
    expect(beanstalk.identity(desired({ cnamePrefix: 'other' }))).not.toEqual(beanstalk.identity(desired()));
    expect(beanstalk.identity(desired({ application: 'other' }))).not.toEqual(beanstalk.identity(desired()));
  });
});
