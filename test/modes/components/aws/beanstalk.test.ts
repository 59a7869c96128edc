import type { DesiredBeanstalkEnvironment } from '../../../../modes/desired';
import { beanstalk } from '../../../../modes/components/aws/beanstalk';
import { awsPart, brief, changes, identityCases, itemsIn, runRule, verifyCtx, type StateName } from '../../../support/components';

const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-2:123456789012:secret:pay-AbCdEf';
const env = (colour: 'blue' | 'green', more: object = {}) => ({ id: `app-${colour}`, colour, name: `bridge-${colour}`, cnamePrefix: `bridge-${colour}`, ...more });
const spec = (more: object = {}) => ({
  application: 'bridge',
  solutionStackName: '64bit Amazon Linux 2023 v4.3.0 running Python 3.11',
  instanceProfile: 'ec2-role',
  serviceRole: 'service-role',
  min: 2,
  max: 4,
  variables: { APP_ENV: 'production' },
  paymentSecret: { variable: 'PAYMENT_SECRET_ARN', secretArn: SECRET_ARN },
  // Green first: resolve lists the environments by colour.
  environments: [env('green'), env('blue')],
  ...more,
});

type Row = { size: string; maintenance: string; readOnly: string; holds: boolean };
const view = (e: DesiredBeanstalkEnvironment): Row => ({ size: `${e.min}/${e.max}`, maintenance: e.variables.DRAWBRIDGE_MAINTENANCE!, readOnly: e.variables.DRAWBRIDGE_READ_ONLY!, holds: e.holdsPaymentSecret });
const serving: Row = { size: '2/4', maintenance: '0', readOnly: '0', holds: true };
const idle: Row = { size: '1/1', maintenance: '0', readOnly: '1', holds: false };
const closed: Row = { ...serving, maintenance: '1' };

const desired = (more: Partial<DesiredBeanstalkEnvironment> = {}): DesiredBeanstalkEnvironment => ({
  id: 'app-blue',
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
  test.each<[StateName, Row, Row]>([
    ['normalBlue', serving, idle],
    ['maintenance', closed, idle],
    ['cutoverBlueGreen', idle, serving],
    ['normalGreen', idle, serving],
    ['maintenanceGreen', idle, closed],
    ['cutoverGreenBlue', serving, idle],
  ])('GIVEN a blue and a green environment WHEN resolved in %s THEN blue is %j and green is %j', (state, blue, green) => {
    const items = itemsIn(beanstalk, spec(), state) as DesiredBeanstalkEnvironment[];
    expect(items.map((e) => e.colour)).toEqual(['blue', 'green']);
    expect(items.map(view)).toEqual([blue, green]);
  });

  test('GIVEN the payment secret WHEN resolved THEN every managed variable is set on both colours, the secret only on the serving one', () => {
    const [blue, green] = itemsIn(beanstalk, spec(), 'normalBlue') as DesiredBeanstalkEnvironment[];
    expect(blue).toEqual({
      id: 'app-blue',
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
});

describe('beanstalk.describe', () => {
  const leaving = desired({ min: 1, max: 1, variables: { DRAWBRIDGE_READ_ONLY: '1', PAYMENT_SECRET_ARN: '' }, holdsPaymentSecret: false });
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
    ['the environment renamed', desired(), desired({ name: 'bridge-b' }), [{ text: 'Beanstalk environment bridge-blue renamed to bridge-b (replaces the environment)', action: 'modify', field: 'name', effects: ['replaces'] }]],
    ['the environment added', undefined, desired(), [{ text: 'Beanstalk environment bridge-blue added', action: 'add', effects: [] }]],
    ['the environment removed', desired(), undefined, [{ text: 'Beanstalk environment bridge-blue removed', action: 'remove', effects: [] }]],
  ])('GIVEN %s WHEN described THEN the change records say so', (_what, before, after, expected) => {
    expect(changes(beanstalk, before, after).map(brief)).toEqual(expected);
  });

  test('GIVEN the secret moving WHEN described THEN no record carries the secret ARN', () => {
    expect(JSON.stringify(changes(beanstalk, desired(), leaving))).not.toContain(SECRET_ARN);
  });
});

describe('beanstalk rules', () => {
  test.each<[string, string, unknown, string[]]>([
    ['oneEnvironmentPerColour', 'one blue and one green', spec(), []],
    ['oneEnvironmentPerColour', 'two blue environments', spec({ environments: [env('blue'), env('blue', { id: 'other' })] }), ['aws.beanstalk.environments: needs one blue and one green environment; got blue, blue']],
    [
      'oneEnvironmentPerColour',
      'two environments with one id',
      spec({ environments: [env('blue'), env('green', { id: 'app-blue' })] }),
      ["aws.beanstalk.environments[1].id: duplicate id 'app-blue' (already used at aws.beanstalk.environments[0]); each id must be unique"],
    ],
    ['minNotAboveMax', 'min below max', spec(), []],
    ['minNotAboveMax', 'min above max', spec({ min: 5, max: 4 }), ['aws.beanstalk.min: min 5 must not exceed max 4']],
  ])('WHEN %s runs on %s THEN it reports the listed problems', (rule, _what, input, expected) => {
    expect(runRule(beanstalk, rule, input)).toEqual(expected);
  });

  test.each(['oneEnvironmentPerColour', 'minNotAboveMax'])('GIVEN no Beanstalk WHEN %s runs THEN there is nothing to report', (rule) => {
    expect(runRule(beanstalk, rule, undefined)).toEqual([]);
  });

  test('GIVEN Beanstalk THEN it needs a VPC and has both colours', () => {
    expect(beanstalk.needsVpc!.when(beanstalk.schema.parse(spec()))).toBe(true);
    expect(beanstalk.needsVpc!.when(undefined)).toBe(false);
    expect([...beanstalk.colours!(beanstalk.schema.parse(spec()))]).toEqual(['green', 'blue']);
  });
});

describe('beanstalk invariants and capacity', () => {
  const part = (envs: DesiredBeanstalkEnvironment[]) => awsPart({ beanstalk: { environments: envs } });
  test.each<[string, boolean[], string[]]>([
    ['one holder', [true, false], []],
    ['no holder', [false, false], []],
    ['two holders', [true, true], ['payment secret on bridge-blue and bridge-green; exactly one colour may hold it']],
  ])('GIVEN %s of the payment secret THEN the broken rules are %j', (_what, holds, expected) => {
    const envs = [desired({ holdsPaymentSecret: holds[0]! }), desired({ id: 'app-green', colour: 'green', name: 'bridge-green', holdsPaymentSecret: holds[1]! })];
    expect(beanstalk.invariants!(part(envs), () => true)).toEqual(expected);
  });

  test.each<[StateName, { colour: string; min: number }[]]>([
    ['normalBlue', [{ colour: 'blue', min: 2 }, { colour: 'green', min: 1 }]],
    ['cutoverBlueGreen', [{ colour: 'blue', min: 1 }, { colour: 'green', min: 2 }]],
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

  test('GIVEN no Beanstalk THEN there is nothing to check', () => {
    expect(beanstalk.verify!(undefined, awsPart({}), verifyCtx('normalBlue'))).toEqual([]);
  });
});

describe('beanstalk.identity', () => {
  test.each(identityCases(beanstalk))('GIVEN the %s estate WHEN resolved in every mode state it supports (%s) THEN every environment keeps its identity', (_name, _states, ids) => {
    for (const other of ids) expect(other).toEqual(ids[0]);
  });

  test('GIVEN only capacity and variables change THEN the identity is the same; a new CNAME prefix is not', () => {
    expect(beanstalk.identity({ ...desired(), min: 1, variables: {}, holdsPaymentSecret: false })).toEqual(beanstalk.identity(desired()));
    expect(beanstalk.identity(desired({ cnamePrefix: 'other' }))).not.toEqual(beanstalk.identity(desired()));
  });
});
