/** The SSM flags the application reads (modes/components/aws/flags.ts): one parameter per flag, its value set by the mode. */
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { flags } from '../../../modes/components/aws/flags';
import { logicalId } from '../names';
import { defineAwsRenderer } from '../renderer';

export const flagsRenderer = defineAwsRenderer({
  component: flags,
  part: 'operations',
  chunk: { key: 'parameters' },
  replaceOnChange: { 'AWS::SSM::Parameter': ['Name'] },
  render(scope, desired) {
    for (const p of desired.parameters) {
      new ssm.StringParameter(scope, logicalId('Flag', p.id), {
        parameterName: p.name,
        stringValue: p.value,
        description: `Drawbridge ${p.flag} flag${p.colour ? ` (${p.colour})` : ''}`,
      });
    }
  },
});
