import { ApplicationProtocol } from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { protocol } from '../../../../stacks/aws/components/target-groups';

describe('protocol', () => {
  test.each([
    ['HTTP', ApplicationProtocol.HTTP],
    ['HTTPS', ApplicationProtocol.HTTPS],
  ] as const)('GIVEN %s THEN the ELBv2 protocol is %s', (p, expected) => {
    expect(protocol(p)).toBe(expected);
  });
});
