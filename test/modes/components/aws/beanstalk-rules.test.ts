import { beanstalk } from '../../../../modes/components/aws/beanstalk';
import { runRule } from '../../../support/components';
import { DB_SECRET, env, perColour, SECRET_ARN, spec, TWO_APPS } from './beanstalk-fixtures';

describe('beanstalk rules', () => {
  const ESTATE = { account: '123456789012', region: 'eu-west-2', databases: [{ id: 'db-blue', colour: 'blue' as const, pending: false }, { id: 'db-green', colour: 'green' as const, pending: true }] };
  const withVariables = (blue: object, green: object = {}, app: object = {}) => spec({ variables: app, environments: [env('blue', { variables: blue }), env('green', { variables: green })] });
  test.each<[string, string, unknown, string[]]>([
    ['oneEnvironmentPerColour', 'one blue and one green', spec(), []],
    ['oneEnvironmentPerColour', 'two blue environments', spec({ environments: [env('blue'), env('blue', { id: 'other' })] }), ['aws.beanstalk.environments: needs one blue and one green environment; got blue, blue']],
    ['oneEnvironmentPerColour', 'an application of the list with two green ones', [{ ...spec(), environments: [env('green'), env('green', { id: 'x' })] }], ['aws.beanstalk[0].environments: needs one blue and one green environment; got green, green']],
    ['minNotAboveMax', 'min below max', spec(), []],
    ['minNotAboveMax', 'min above max', spec({ min: 5, max: 4 }), ['aws.beanstalk.min: min 5 must not exceed max 4']],
    ['minNotAboveMax', 'min above max in a listed application', TWO_APPS.map((a, i) => (i ? { ...a, min: 3 } : a)), ['aws.beanstalk[1].min: min 3 must not exceed max 2']],
    ['uniqueEnvironments', 'two pairs with their own names', TWO_APPS, []],
    [
      'uniqueEnvironments',
      'two environments with one id',
      spec({ environments: [env('blue'), env('green', { id: 'app-blue' })] }),
      ["aws.beanstalk.environments[1].id: duplicate id 'app-blue' (already used at aws.beanstalk.environments[0]); each id must be unique"],
    ],
    [
      'uniqueEnvironments',
      'an environment name of the other application',
      [TWO_APPS[0], { ...TWO_APPS[1]!, environments: [TWO_APPS[1]!.environments[0], { ...TWO_APPS[1]!.environments[1]!, name: 'cobalt-production-blue' }] }],
      ["aws.beanstalk[1].environments[1].name: duplicate name 'cobalt-production-blue' (already used at aws.beanstalk[0].environments[0]); each name must be unique: environment names are unique in the account and region, across applications"],
    ],
    [
      'uniqueEnvironments',
      'a CNAME prefix used twice',
      spec({ environments: [env('blue'), env('green', { cnamePrefix: 'bridge-blue' })] }),
      ["aws.beanstalk.environments[1].cnamePrefix: duplicate cnamePrefix 'bridge-blue' (already used at aws.beanstalk.environments[0]); each cnamePrefix must be unique: a CNAME prefix is one host name of the region"],
    ],
    ['uniqueApplications', 'two applications with their ids', TWO_APPS, []],
    ['uniqueApplications', 'the single form', spec(), []],
    [
      'uniqueApplications',
      'two applications without an id and one name',
      [{ ...TWO_APPS[0], id: undefined }, { ...TWO_APPS[1], id: undefined, application: 'cobalt' }],
      [
        "aws.beanstalk[1].application: duplicate application 'cobalt' (already used at aws.beanstalk[0]); each application must be unique: it is the application's name in the account and region",
        'aws.beanstalk[1].id: is required: only one application may omit id (aws.beanstalk[0] does; it keeps the logical ids of the single form)',
      ],
    ],
    ['uniqueApplications', 'two applications of one id', [TWO_APPS[0], { ...TWO_APPS[1], id: 'production' }], ["aws.beanstalk[1].id: duplicate id 'production' (already used at aws.beanstalk[0]); each id must be unique"]],
    ['variablesFromTheEstate', 'references to the estate\'s databases and a secret', perColour(), []],
    [
      'variablesFromTheEstate',
      'a reference to an unknown database',
      withVariables({ RDS_HOSTNAME: { database: 'db-red', attribute: 'address' } }),
      ["aws.beanstalk.environments[0].variables.RDS_HOSTNAME.database: unknown database 'db-red'; allowed: db-blue, db-green"],
    ],
    [
      'variablesFromTheEstate',
      'a reference to a database waiting to be restored, without otherwise',
      withVariables({}, { RDS_HOSTNAME: { database: 'db-green', attribute: 'address' } }),
      [
        'aws.beanstalk.environments[1].variables.RDS_HOSTNAME: RDS_HOSTNAME refers to database db-green, which does not exist until the restore stage of the cutover to green (restored: false); add otherwise: <the value until then>, e.g. the database it uses today',
      ],
    ],
    [
      'variablesFromTheEstate',
      'a password written as plain text',
      withVariables({}, { RDS_PASSWORD: 'hunter2' }),
      ['aws.beanstalk.environments[1].variables.RDS_PASSWORD: RDS_PASSWORD looks like a credential and is written as plain text; give it as { secret: arn:aws:secretsmanager:..., field: password } so it never enters the template'],
    ],
    ['variablesFromTheEstate', 'an empty password and a secret\'s ARN', withVariables({ RDS_PASSWORD: '' }, {}, { API_SECRET_ARN: DB_SECRET }), []],
    [
      'variablesFromTheEstate',
      'a variable named like Drawbridge\'s own',
      withVariables({}, {}, { DRAWBRIDGE_COLOUR: 'red' }),
      ['aws.beanstalk.variables.DRAWBRIDGE_COLOUR: DRAWBRIDGE_COLOUR: names starting with DRAWBRIDGE_ are set by Drawbridge in every mode; rename it'],
    ],
    ['paymentSecretOnOneColour', 'the payment secret given by Drawbridge only', spec(), []],
    [
      'paymentSecretOnOneColour',
      'the payment variable written among the application\'s variables',
      withVariables({}, {}, { PAYMENT_SECRET_ARN: SECRET_ARN }),
      [
        'aws.beanstalk.variables.PAYMENT_SECRET_ARN: PAYMENT_SECRET_ARN is the payment secret of bridge (aws.beanstalk.paymentSecret): written here, both environments would get it; remove it, Drawbridge gives it to the one colour that may hold it',
      ],
    ],
    [
      'paymentSecretOnOneColour',
      'the payment secret\'s ARN under another name on green',
      withVariables({}, { STRIPE: { secret: SECRET_ARN, field: 'key' } }),
      ['aws.beanstalk.environments[1].variables.STRIPE: STRIPE holds the ARN of the payment secret of bridge (aws.beanstalk.paymentSecret): this environment would hold it in every mode, also while the other colour does; remove it'],
    ],
    [
      'paymentSecretOnOneColour',
      'the payment secret\'s ARN on the SES application',
      [TWO_APPS[0], { ...TWO_APPS[1], variables: { STRIPE_SECRET_ARN: SECRET_ARN } }],
      ['aws.beanstalk[1].variables.STRIPE_SECRET_ARN: STRIPE_SECRET_ARN holds the ARN of the payment secret of cobalt (aws.beanstalk[0].paymentSecret): it belongs to cobalt alone; remove it'],
    ],
    [
      'paymentSecretOnOneColour',
      'the payment secret declared by both applications',
      [TWO_APPS[0], { ...TWO_APPS[1], paymentSecret: { variable: 'PAY', secretArn: SECRET_ARN } }],
      ['aws.beanstalk[1].paymentSecret.secretArn: arn:aws:secretsmanager:eu-west-2:123456789012:secret:pay-AbCdEf is already the payment secret of cobalt (aws.beanstalk[0].paymentSecret); a payment secret belongs to one application: remove it here'],
    ],
    ['arnsInTheEstate', 'secrets and a role of the estate', spec({ serviceRole: 'arn:aws:iam::123456789012:role/eb' }), []],
    [
      'arnsInTheEstate',
      'a payment secret of another region, a secret of another account and a role of another account',
      spec({
        serviceRole: 'arn:aws:iam::999999999999:role/eb',
        paymentSecret: { variable: 'PAY', secretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:pay' },
        environments: [env('blue', { variables: { RDS_PASSWORD: { secret: 'arn:aws:secretsmanager:eu-west-2:999999999999:secret:x', field: 'password' } } }), env('green')],
      }),
      [
        "aws.beanstalk.paymentSecret.secretArn: payment secret arn:aws:secretsmanager:us-east-1:123456789012:secret:pay is in region us-east-1, not the estate's region eu-west-2 (aws.region); use one in eu-west-2, or move the estate",
        "aws.beanstalk.serviceRole: service role arn:aws:iam::999999999999:role/eb is in account 999999999999, not the estate's account 123456789012 (aws.account); use one in account 123456789012",
        "aws.beanstalk.environments[0].variables.RDS_PASSWORD.secret: secret arn:aws:secretsmanager:eu-west-2:999999999999:secret:x is in account 999999999999, not the estate's account 123456789012 (aws.account); use one in account 123456789012",
      ],
    ],
  ])('WHEN %s runs on %s THEN it reports the listed problems', (rule, _what, input, expected) => {
    expect(runRule(beanstalk, rule, input, ESTATE)).toEqual(expected);
  });

  test.each((beanstalk.rules ?? []).map((r) => r.name))('GIVEN no Beanstalk WHEN %s runs THEN there is nothing to report', (rule) => {
    expect(runRule(beanstalk, rule, undefined)).toEqual([]);
  });

  test('GIVEN Beanstalk THEN it needs a VPC and has both colours', () => {
    expect(beanstalk.needsVpc!.when(beanstalk.schema.parse(spec()))).toBe(true);
    expect(beanstalk.needsVpc!.when(undefined)).toBe(false);
    expect([...beanstalk.colours!(beanstalk.schema.parse(spec()))]).toEqual(['green', 'blue']);
    expect([...beanstalk.colours!(beanstalk.schema.parse(TWO_APPS))]).toEqual(['blue', 'green', 'blue', 'green']);
  });

  test.each<[string, unknown]>([
    ['an empty list', []],
    ['a variable that is neither text nor a reference', spec({ variables: { X: { database: 'db-blue' } } })],
    ['a secret that is not a Secrets Manager ARN', spec({ variables: { X: { secret: 'arn:aws:ssm:eu-west-2:1:parameter/x', field: 'password' } } })],
  ])('GIVEN %s THEN the schema refuses it', (_what, input) => {
    expect(beanstalk.schema.safeParse(input).success).toBe(false);
  });
});
