import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import { NagRuleCompliance, rules } from 'cdk-nag';
import type { ModeState } from '../../../../modes/fields';
import { resolve } from '../../../../modes/resolve';
import { buildAwsApp } from '../../../../stacks/aws/app';
import { notificationConfigurations, SCALING_EVENTS } from '../../../../stacks/aws/components/capacity';
import { estateNamed } from '../../../support/estates';
import { acknowledgements } from '../../../support/nag';

const normal: ModeState = { mode: 'normal', live: 'blue', hardDown: false };
const TOPIC = 'arn:aws:sns:eu-west-1:210987654321:ticketing-scaling-events';

describe('notificationConfigurations', () => {
  test.each([
    ['a topic', { topicArn: TOPIC }, [{ topicArn: TOPIC, notificationTypes: [...SCALING_EVENTS] }]],
    ['a reason for none', { none: 'A single machine nobody is paged about.' }, undefined],
  ] as const)('GIVEN %s THEN the group gets that topic with every scaling event, or no configuration at all', (_what, notifications, expected) => {
    expect(notificationConfigurations({ notifications })).toEqual(expected);
  });

  test('THEN the events are every launch and termination, and their failures', () => {
    expect([...SCALING_EVENTS].sort()).toEqual(['autoscaling:EC2_INSTANCE_LAUNCH', 'autoscaling:EC2_INSTANCE_LAUNCH_ERROR', 'autoscaling:EC2_INSTANCE_TERMINATE', 'autoscaling:EC2_INSTANCE_TERMINATE_ERROR']);
  });
});

describe('the capacity renderer: scaling notifications (ticketing: two groups with a topic, two with a reason)', () => {
  // GIVEN the ticketing estate rendered through the app's own wiring
  const app = buildAwsApp(resolve(estateNamed('ticketing'), normal), new App({ builtinCloudFormationValidation: false }));
  const stack = app.node.children.find((c): c is Stack => Stack.isStack(c))!;
  const template = Template.fromStack(stack);
  const group = (name: string) => stack.node.findAll().find((c): c is autoscaling.CfnAutoScalingGroup => c instanceof autoscaling.CfnAutoScalingGroup && c.autoScalingGroupName === name)!;
  const as3 = (name: string) => acknowledgements(app).filter((a) => a.id === 'AwsSolutions-AS3' && a.path === group(name).node.path);

  test.each(['ticketing-web', 'ticketing-web-services'])('GIVEN %s, whose notifications go to a topic THEN the template sends every scaling event there and AwsSolutions-AS3 is met with no acknowledgement', (name) => {
    template.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', {
      AutoScalingGroupName: name,
      NotificationConfigurations: [{ TopicARN: TOPIC, NotificationTypes: [...SCALING_EVENTS] }],
    });
    expect(rules.autoscaling.AutoScalingGroupScalingNotifications(group(name))).toBe(NagRuleCompliance.COMPLIANT);
    expect(as3(name)).toEqual([]);
  });

  test.each([
    ['ticketing-scheduled-tasks', 'One machine (min 1, max 1) that scales only when a maintenance window stops and starts it, while the team runs the runbook.'],
    ['ticketing-db-backup', 'One machine (min 1, max 1) that scales only when a maintenance window stops and starts it; the runbook then checks the backup on the restarted instance (check-db-backup).'],
  ])("GIVEN %s, which needs none THEN it has no notification configuration and acknowledges AwsSolutions-AS3 with the estate's reason", (name, reason) => {
    expect(group(name).notificationConfigurations).toBeUndefined();
    expect(rules.autoscaling.AutoScalingGroupScalingNotifications(group(name))).toBe(NagRuleCompliance.NON_COMPLIANT);
    expect(as3(name).map((a) => a.reason)).toEqual([`No scaling notifications, as the estate declares for this group (notifications.none): ${reason}`]);
  });
});
