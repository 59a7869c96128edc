/**
 * Scheduled jobs (modes/components/aws/jobs.ts): one EventBridge rule per job, enabled or disabled
 * by the mode, invoking its Lambda function when it names one.
 */
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { jobs } from '../../../modes/components/aws/jobs';
import { logicalId } from '../names';
import { defineAwsRenderer } from '../renderer';

export const jobsRenderer = defineAwsRenderer({
  component: jobs,
  part: 'operations',
  // a rule, plus the permission that lets it invoke its function
  chunk: { key: 'scheduledJobs', cost: (job) => (job.targetArn ? 2 : 1) },
  replaceOnChange: {
    'AWS::Events::Rule': ['Name'],
    'AWS::Lambda::Permission': ['Action', 'FunctionName', 'Principal', 'SourceArn'],
  },
  render(scope, desired) {
    for (const job of desired.scheduledJobs) {
      const rule = new events.Rule(scope, logicalId('Job', job.id), {
        ruleName: job.name,
        schedule: events.Schedule.expression(job.schedule),
        enabled: job.enabled,
        ...(job.description ? { description: job.description } : {}),
      });
      if (job.targetArn) {
        rule.addTarget(new targets.LambdaFunction(lambda.Function.fromFunctionArn(scope, logicalId('JobFunction', job.id), job.targetArn)));
      }
    }
  },
});
