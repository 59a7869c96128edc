import { arnInEstate, arnParts } from '../../../../modes/components/aws/arns';
import type { RelativePath, RuleContext } from '../../../../modes/component';
import { formatPath } from '../../../../modes/path';
import { ruleFacts, titled } from '../../../support/components';

describe('arnParts', () => {
  test.each([
    ['arn:aws:lambda:eu-west-2:123456789012:function:x', 'eu-west-2', '123456789012'],
    ['arn:aws:iam::123456789012:role/eb', '', '123456789012'],
    ['arn:aws:s3:::bucket', '', ''],
    ['arn:aws-cn:acm:cn-north-1:123456789012:certificate/x', 'cn-north-1', '123456789012'],
  ])('GIVEN %s THEN its region is %j and its account %j', (arn, region, account) => {
    expect(arnParts(arn)).toEqual({ region, account });
  });
});

describe('arnInEstate', () => {
  const run = (arn: string | undefined, estate: { account?: string; region?: string }) => {
    const out: string[] = [];
    const ctx: RuleContext = {
      facts: ruleFacts(estate),
      report: (at: RelativePath, message: string) => out.push(`${formatPath(['aws', ...at])}: ${message}`),
      where: (at: RelativePath) => formatPath(['aws', ...at]),
    };
    arnInEstate(arn, 'secret', ctx, ['x']);
    return out;
  };
  const ESTATE = { account: '123456789012', region: 'eu-west-2' };
  test.each(titled<[string, string | undefined, object, number]>([
    ['an ARN of the estate', 'arn:aws:secretsmanager:eu-west-2:123456789012:secret:x', ESTATE, 0],
    ['no ARN', undefined, ESTATE, 0],
    ['a global ARN of the account', 'arn:aws:iam::123456789012:role/eb', ESTATE, 0],
    ['an estate without AWS facts', 'arn:aws:secretsmanager:us-east-1:999999999999:secret:x', {}, 0],
    ['another region and account', 'arn:aws:secretsmanager:us-east-1:999999999999:secret:x', ESTATE, 2],
  ]))('GIVEN $what THEN it reports $expected problems', ({ row: [, arn, estate, count] }) => {
    expect(run(arn, estate)).toHaveLength(count);
  });
});
