/**
 * The database firewall rule (modes/components/aws/database-access.ts): a security group
 * Drawbridge owns and the database carries. Closing the rule empties the group's ingress list (an
 * in-place update) instead of deleting a rule resource.
 */
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { databaseAccess } from '../../../modes/components/aws/database-access';
import { logicalId } from '../names';
import { defineAwsRenderer } from '../renderer';

export const databaseAccessRenderer = defineAwsRenderer({
  component: databaseAccess,
  part: 'operations',
  chunk: { key: 'databaseAccess' },
  replaceOnChange: { 'AWS::EC2::SecurityGroup': ['GroupDescription', 'GroupName', 'VpcId'] },
  render(scope, desired) {
    for (const access of desired.databaseAccess) {
      new ec2.CfnSecurityGroup(scope, logicalId('DatabaseAccess', access.id), {
        groupName: access.name,
        groupDescription: access.description,
        vpcId: desired.vpc!.id,
        securityGroupIngress: access.open.map((o) => ({
          ipProtocol: 'tcp',
          fromPort: access.port,
          toPort: access.port,
          sourceSecurityGroupId: o.securityGroupId,
          description: o.description,
        })),
      });
    }
  },
});
