import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { DesiredAws } from '../../../../modes/desired';
import type { ModeState } from '../../../../modes/fields';
import { resolve } from '../../../../modes/resolve';
import type { Estate } from '../../../../modes/schema';
import { modeStateSlug, supportedModeStates } from '../../../../modes/state';
import { applicationLogicalId, environmentOptions, variableRenderer } from '../../../../stacks/aws/components/beanstalk';
import { synthAws } from '../../../../stacks/aws/synth';
import { estateNamed } from '../../../support/estates';
import { stagedStates } from '../../states';
import { cobaltEstate, PASSWORD_SECRET, STRIPE_SECRET } from './fixtures';

const bridge = estateNamed('bridge');
const aws = (state: ModeState): DesiredAws => resolve(bridge, state).aws!;
/** The bridge estate's variables refer to its databases and secrets: they are written in a stack (database references stay tokens here). */
const inStack = () => variableRenderer(new Stack());
/** The production application's environment of a colour (the SES application's is the other pair). */
const production = (desired: DesiredAws, colour: 'blue' | 'green') => desired.beanstalk!.environments.find((e) => e.application === 'cobalt' && e.colour === colour)!;
const optionsOf = (state: ModeState, colour: 'blue' | 'green') => {
  const desired = aws(state);
  return Object.fromEntries(environmentOptions(desired, production(desired, colour), inStack()).map((o) => [`${o.namespace}:${o.optionName}`, o.value]));
};

const normal: ModeState = { mode: 'normal', live: 'blue', hardDown: false };
const cutover: ModeState = { mode: 'cutover', live: 'blue', target: 'green', hardDown: false };

describe('environmentOptions', () => {
  // bridge (runbook 004) freezes blue behind its own page and scales it to 1/1 (cutover.freeze: maintenance); staff test green
  // behind that page; without a gate, a colour that is not open (idle, or a target not yet moved to) shows its own page.
  test.each<[string, 'blue' | 'green', Record<string, string>, ModeState]>([
    ['normal, blue live', 'blue', { MinSize: '2', MaxSize: '4', DRAWBRIDGE_READ_ONLY: '0', DRAWBRIDGE_MAINTENANCE: '0' }, normal],
    ['normal, blue live', 'green', { MinSize: '1', MaxSize: '1', DRAWBRIDGE_READ_ONLY: '1', DRAWBRIDGE_MAINTENANCE: '1' }, normal],
    ['maintenance, blue live', 'blue', { MinSize: '2', MaxSize: '4', DRAWBRIDGE_READ_ONLY: '0', DRAWBRIDGE_MAINTENANCE: '1' }, { mode: 'maintenance', live: 'blue', hardDown: false }],
    ['cutover blue -> green, prepared', 'blue', { MinSize: '2', MaxSize: '4', DRAWBRIDGE_READ_ONLY: '0', DRAWBRIDGE_MAINTENANCE: '0' }, { ...cutover, stage: 'prepare' }],
    ['cutover blue -> green, prepared', 'green', { MinSize: '2', MaxSize: '4', DRAWBRIDGE_READ_ONLY: '1', DRAWBRIDGE_MAINTENANCE: '1' }, { ...cutover, stage: 'prepare' }],
    ['cutover blue -> green, frozen', 'blue', { MinSize: '1', MaxSize: '1', DRAWBRIDGE_READ_ONLY: '1', DRAWBRIDGE_MAINTENANCE: '1' }, { ...cutover, stage: 'freeze' }],
    ['cutover blue -> green', 'blue', { MinSize: '1', MaxSize: '1', DRAWBRIDGE_READ_ONLY: '1', DRAWBRIDGE_MAINTENANCE: '1' }, cutover],
    ['cutover blue -> green', 'green', { MinSize: '2', MaxSize: '4', DRAWBRIDGE_READ_ONLY: '0', DRAWBRIDGE_MAINTENANCE: '1' }, cutover],
  ])('GIVEN %s WHEN the %s environment is rendered THEN its capacity and flags are %j', (_label, colour, expected, state) => {
    const options = optionsOf(state, colour);
    expect({
      MinSize: options['aws:autoscaling:asg:MinSize'],
      MaxSize: options['aws:autoscaling:asg:MaxSize'],
      DRAWBRIDGE_READ_ONLY: options['aws:elasticbeanstalk:application:environment:DRAWBRIDGE_READ_ONLY'],
      DRAWBRIDGE_MAINTENANCE: options['aws:elasticbeanstalk:application:environment:DRAWBRIDGE_MAINTENANCE'],
    }).toEqual(expected);
  });

  test.each(stagedStates(bridge).flatMap((s) => (['blue', 'green'] as const).map((c): [string, 'blue' | 'green', ModeState] => [modeStateSlug(s), c, s])))(
    'GIVEN %s WHEN the %s environment is rendered THEN it sets the same options as in normal mode, the VPC\'s, and the variables last in name order',
    (_label, colour, state) => {
      const desired = aws(state);
      const options = environmentOptions(desired, production(desired, colour), inStack());
      const names = (list: typeof options) => list.map((o) => `${o.namespace}:${o.optionName}`);
      const base = aws(supportedModeStates(bridge)[0]!);
      expect(names(options)).toEqual(names(environmentOptions(base, production(base, colour), inStack())));
      expect(options).toContainEqual({ namespace: 'aws:ec2:vpc', optionName: 'Subnets', value: 'subnet-0aaaabbbbcccc0001,subnet-0aaaabbbbcccc0002' });
      const variables = options.filter((o) => o.namespace === 'aws:elasticbeanstalk:application:environment').map((o) => o.optionName);
      expect(variables).toEqual([...variables].sort());
      expect(names(options).slice(-variables.length)).toEqual(variables.map((v) => `aws:elasticbeanstalk:application:environment:${v}`));
    },
  );

  test('GIVEN an environment with references WHEN its options are built without a scope THEN it is refused (references need the stack)', () => {
    const desired = resolve(cobaltEstate(true), normal).aws!;
    expect(() => environmentOptions(desired, desired.beanstalk!.environments[0]!)).toThrow('a variable that refers to a database or a secret needs variableRenderer(scope)');
  });
});

describe('applicationLogicalId', () => {
  test.each([
    ['the single form', undefined, 'Application'],
    ['a listed application without an id', undefined, 'Application'],
    ['a listed application with an id', 'ses', 'ApplicationSes'],
  ])('GIVEN %s THEN its logical id is %s', (_what, id, expected) => {
    expect(applicationLogicalId({ ...(id ? { id } : {}), name: 'x', solutionStackName: 's', instanceType: 't3.small', instanceProfile: 'p', serviceRole: 'r' })).toBe(expected);
  });
});

/** The option value of a variable of the environment named `name`. */
function variable(t: Template, name: string, key: string): unknown {
  const [env] = Object.values(t.findResources('AWS::ElasticBeanstalk::Environment', { Properties: { EnvironmentName: name } })) as { Properties: { OptionSettings: { Namespace: string; OptionName: string; Value: unknown }[] } }[];
  return env!.Properties.OptionSettings.find((o) => o.Namespace === 'aws:elasticbeanstalk:application:environment' && o.OptionName === key)?.Value;
}

describe('the Beanstalk renderer with two applications and per-colour settings (runbook 004)', () => {
  const templates = new Map<string, Template>();
  const template = (state: ModeState, restored = false): Template => {
    const key = `${restored}/${JSON.stringify(state)}`;
    if (!templates.has(key)) templates.set(key, Template.fromJSON(synthAws(cobaltEstate(restored), state, { builtinValidation: false }).stacks[0]!.template));
    return templates.get(key)!;
  };
  const dbLogicalId = (t: Template, identifier: string) => Object.keys(t.findResources('AWS::RDS::DBInstance', { Properties: { DBInstanceIdentifier: identifier } }))[0];

  test('GIVEN two applications WHEN rendered THEN each has its application and its two environments, the first one under the logical id of the single form', () => {
    const t = template(normal);
    // the same estate with its first application in the single form
    const listed = cobaltEstate(true);
    const first = (listed.aws!.beanstalk as Extract<NonNullable<Estate['aws']>['beanstalk'], unknown[]>)[0]!;
    const { id: _id, ...singleForm } = first;
    const estate: Estate = { ...listed, aws: { ...listed.aws!, beanstalk: singleForm, dns: undefined } };
    const single = Object.keys(Template.fromJSON(synthAws(estate, normal, { builtinValidation: false }).stacks[0]!.template).findResources('AWS::ElasticBeanstalk::Application'));
    expect(single).toEqual(['BlueGreenApplication2B065B24']);
    expect(Object.entries(t.findResources('AWS::ElasticBeanstalk::Application')).map(([id, r]) => [id, (r as { Properties: { ApplicationName: string } }).Properties.ApplicationName])).toEqual([
      [single[0], 'cobalt'],
      [expect.stringMatching(/^BlueGreenApplicationSes/), 'cobalt-ses'],
    ]);
    const envs = Object.values(t.findResources('AWS::ElasticBeanstalk::Environment')).map((r) => (r as { Properties: { ApplicationName: string; EnvironmentName: string } }).Properties);
    expect(envs.map((e) => `${e.ApplicationName}/${e.EnvironmentName}`)).toEqual(['cobalt/cobalt-production-blue', 'cobalt/cobalt-production-green', 'cobalt-ses/cobalt-ses-production-green', 'cobalt-ses/cobalt-ses-production-blue']);
  });

  test.each<[string, ModeState, boolean]>([
    ['normal, blue live', normal, false],
    ['the freeze', { ...cutover, stage: 'freeze' }, false],
    ['the restore stage', { ...cutover, stage: 'restore' }, true],
    ['the move', cutover, true],
  ])('GIVEN green referring to its database WHEN rendered at %s THEN RDS_HOSTNAME is its endpoint (Fn::GetAtt) only once the database exists: %s', (_what, state, present) => {
    const t = template(state);
    const db = dbLogicalId(t, 'cobalt-production-green');
    expect(db !== undefined).toBe(present);
    for (const name of ['cobalt-production-green', 'cobalt-ses-production-blue']) {
      expect([variable(t, name, 'RDS_HOSTNAME'), variable(t, name, 'RDS_PORT')]).toEqual(
        present ? [{ 'Fn::GetAtt': [db, 'Endpoint.Address'] }, { 'Fn::GetAtt': [db, 'Endpoint.Port'] }] : ['cobalt-test.abc123.ap-southeast-2.rds.amazonaws.com', '5432'],
      );
    }
    expect(variable(t, 'cobalt-production-blue', 'RDS_HOSTNAME')).toEqual({ 'Fn::GetAtt': [dbLogicalId(t, 'production-blue'), 'Endpoint.Address'] });
  });

  test('GIVEN the password from Secrets Manager WHEN rendered THEN it is a dynamic reference, and no secret value is in the template', () => {
    const t = template(cutover);
    expect(variable(t, 'cobalt-production-green', 'RDS_PASSWORD')).toBe(`{{resolve:secretsmanager:${PASSWORD_SECRET}:SecretString:password::}}`);
    expect(variable(t, 'cobalt-ses-production-green', 'RDS_PASSWORD')).toBe(`{{resolve:secretsmanager:${PASSWORD_SECRET}:SecretString:password::}}`);
  });

  test.each<[string, ModeState, string]>([
    ['normal, blue live', normal, 'cobalt-production-blue'],
    ['the move to green', cutover, 'cobalt-production-green'],
  ])('GIVEN %s WHEN rendered THEN only %s of the production application holds the payment secret; the SES application has none', (_what, state, holder) => {
    const t = template(state);
    for (const name of ['cobalt-production-blue', 'cobalt-production-green']) expect(variable(t, name, 'STRIPE_SECRET_ARN')).toBe(name === holder ? STRIPE_SECRET : '');
    for (const name of ['cobalt-ses-production-green', 'cobalt-ses-production-blue']) expect(variable(t, name, 'STRIPE_SECRET_ARN')).toBeUndefined();
  });
});

describe('apex and per-application records (runbook 004: "myabf.com.au ... and ses.myabf.com.au")', () => {
  const records = (state: ModeState) => Template.fromJSON(synthAws(cobaltEstate(true), state, { builtinValidation: false }).stacks[0]!.template).findResources('AWS::Route53::RecordSet');
  const byName = (state: ModeState) => Object.fromEntries(Object.values(records(state)).map((r) => { const p = (r as { Properties: Record<string, unknown> }).Properties; return [p.Name as string, p]; }));

  test.each<[string, ModeState, string, string]>([
    ['normal, blue live', normal, 'cobalt-production-blue', 'cobalt-ses-production-green'],
    ['the move to green', cutover, 'cobalt-production-green', 'cobalt-ses-production-blue'],
  ])('GIVEN %s WHEN rendered THEN the apex is an A alias to %s in Elastic Beanstalk\'s ap-southeast-2 zone, and ses points at %s', (_what, state, production, ses) => {
    const r = byName(state);
    expect(r['cobalt-example.org.']).toEqual({
      Name: 'cobalt-example.org.',
      Type: 'A',
      HostedZoneId: 'Z0987654321ZYXWVUTSRQ',
      AliasTarget: { DNSName: `${production}.ap-southeast-2.elasticbeanstalk.com`, HostedZoneId: 'Z2PCDNR3VC2G1N' },
    });
    expect(r['www.cobalt-example.org.']).toMatchObject({ Type: 'CNAME', ResourceRecords: [`${production}.ap-southeast-2.elasticbeanstalk.com`] });
    expect(r['ses.cobalt-example.org.']).toMatchObject({ Type: 'CNAME', ResourceRecords: [`${ses}.ap-southeast-2.elasticbeanstalk.com`] });
  });
});
