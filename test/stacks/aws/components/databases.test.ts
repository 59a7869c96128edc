import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { ModeState } from '../../../../modes/fields';
import { resolve } from '../../../../modes/resolve';
import type { Estate } from '../../../../modes/schema';
import { buildAwsApp } from '../../../../stacks/aws/app';
import { databaseEngine, GENERATED_SECRET_UNROTATED, masterUsername, STANDARD_PORT } from '../../../../stacks/aws/components/databases';
import { acknowledgements } from '../../../support/nag';
import { cobaltEstate } from './fixtures';

const normal: ModeState = { mode: 'normal', live: 'blue', hardDown: false };

describe('databaseEngine', () => {
  test.each([
    ['postgres', '16.4', 'postgres', '16.4', '16'],
    ['postgres', '15', 'postgres', '15', '15'],
    ['mysql', '8.0.35', 'mysql', '8.0.35', '8.0'],
  ] as const)('GIVEN %s %s THEN the engine is %s %s, major version %s', (engine, engineVersion, type, full, major) => {
    const e = databaseEngine({ engine, engineVersion });
    expect([e.engineType, e.engineVersion?.fullVersion, e.engineVersion?.majorVersion]).toEqual([type, full, major]);
  });
});

describe('masterUsername', () => {
  test.each([
    ['postgres', undefined, 'postgres'],
    ['mysql', undefined, 'admin'],
    ['postgres', 'app_owner', 'app_owner'],
  ] as const)('GIVEN %s with user %s THEN the master user is %s', (engine, user, expected) => {
    expect(masterUsername({ engine, ...(user ? { masterUsername: user } : {}) })).toBe(expected);
  });
});

describe('the acknowledgements of a database say what is true of it', () => {
  /** The cobalt estate with blue's database new (no masterSecretArn: Drawbridge generates its secret); green is restored from a snapshot. */
  function cobaltWithNewBlue(): Estate {
    const estate = structuredClone(cobaltEstate(true)) as Estate & { aws: { databases: Record<string, unknown>[] } };
    const { masterSecretArn: _secret, masterUsername: _user, ...blue } = estate.aws.databases[0]!;
    estate.aws.databases[0] = blue;
    return estate;
  }
  const app = buildAwsApp(resolve(cobaltWithNewBlue(), normal), new App({ builtinCloudFormationValidation: false }));
  const stack = app.node.children.find((c): c is Stack => Stack.isStack(c))!;
  const template = Template.fromStack(stack);
  const acks = (id: string) => acknowledgements(app).filter((a) => a.id === id);

  test('GIVEN a new database WHEN synthesized THEN its generated master secret has no rotation, and SMG4 is acknowledged with that, not with a rotation outside the stack', () => {
    template.resourceCountIs('AWS::SecretsManager::Secret', 1);
    template.resourceCountIs('AWS::SecretsManager::RotationSchedule', 0);
    expect(acks('AwsSolutions-SMG4')).toEqual([{ path: 'cobalt-aws/BlueGreen/DatabaseDbBlue', id: 'AwsSolutions-SMG4', reason: GENERATED_SECRET_UNROTATED }]);
    expect(GENERATED_SECRET_UNROTATED).toMatch(/no rotation is attached/);
    expect(GENERATED_SECRET_UNROTATED).not.toMatch(/rotated by|rotation schedule outside/);
  });

  test('GIVEN the reasons WHEN compared with the template THEN what they claim holds: IAM authentication is on, and the instance security group admits no one', () => {
    expect(Object.values(template.findResources('AWS::RDS::DBInstance')).map((r) => r.Properties.EnableIAMDatabaseAuthentication)).toEqual([true, true]);
    const groups = Object.values(template.findResources('AWS::EC2::SecurityGroup', { Properties: { GroupDescription: Match.stringLikeRegexp('^Security group for Database') } }));
    expect(groups).toHaveLength(2);
    for (const g of groups) expect(g.Properties.SecurityGroupIngress).toBeUndefined();
    template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 0);
    expect(acks('AwsSolutions-RDS11').map((a) => a.reason)).toEqual([STANDARD_PORT, STANDARD_PORT]);
  });

  test('GIVEN an adopted database (masterSecretArn) WHEN synthesized THEN the stack makes no secret, so nothing acknowledges SMG4', () => {
    const adopted = buildAwsApp(resolve(cobaltEstate(true), normal), new App({ builtinCloudFormationValidation: false }));
    expect(acknowledgements(adopted).filter((a) => a.id === 'AwsSolutions-SMG4')).toEqual([]);
  });
});
