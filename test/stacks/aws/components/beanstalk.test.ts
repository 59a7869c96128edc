import type { DesiredAws } from '../../../../modes/desired';
import { resolve } from '../../../../modes/resolve';
import type { ModeState } from '../../../../modes/schema';
import { supportedModeStates } from '../../../../modes/state';
import { environmentOptions } from '../../../../stacks/aws/components/beanstalk';
import { estateNamed } from '../../../support/estates';

const bridge = estateNamed('bridge');
const aws = (state: ModeState): DesiredAws => resolve(bridge, state).aws!;
const optionsOf = (state: ModeState, colour: 'blue' | 'green') => {
  const desired = aws(state);
  const env = desired.beanstalk!.environments.find((e) => e.colour === colour)!;
  return Object.fromEntries(environmentOptions(desired, env).map((o) => [`${o.namespace}:${o.optionName}`, o.value]));
};

describe('environmentOptions', () => {
  test.each<[string, ModeState, 'blue' | 'green', Record<string, string>]>([
    ['normal, blue live', { mode: 'normal', live: 'blue', hardDown: false }, 'blue', { MinSize: '2', MaxSize: '4', DRAWBRIDGE_READ_ONLY: '0', DRAWBRIDGE_MAINTENANCE: '0' }],
    ['normal, blue live', { mode: 'normal', live: 'blue', hardDown: false }, 'green', { MinSize: '1', MaxSize: '1', DRAWBRIDGE_READ_ONLY: '1', DRAWBRIDGE_MAINTENANCE: '0' }],
    ['maintenance, blue live', { mode: 'maintenance', live: 'blue', hardDown: false }, 'blue', { MinSize: '2', MaxSize: '4', DRAWBRIDGE_READ_ONLY: '0', DRAWBRIDGE_MAINTENANCE: '1' }],
    ['cutover blue -> green', { mode: 'cutover', live: 'blue', target: 'green', hardDown: false }, 'blue', { MinSize: '1', MaxSize: '1', DRAWBRIDGE_READ_ONLY: '1', DRAWBRIDGE_MAINTENANCE: '0' }],
    ['cutover blue -> green', { mode: 'cutover', live: 'blue', target: 'green', hardDown: false }, 'green', { MinSize: '2', MaxSize: '4', DRAWBRIDGE_READ_ONLY: '0', DRAWBRIDGE_MAINTENANCE: '0' }],
  ])('GIVEN %s WHEN the %s environment is rendered THEN its capacity and flags are %j', (_label, state, colour, expected) => {
    const options = optionsOf(state, colour);
    expect({
      MinSize: options['aws:autoscaling:asg:MinSize'],
      MaxSize: options['aws:autoscaling:asg:MaxSize'],
      DRAWBRIDGE_READ_ONLY: options['aws:elasticbeanstalk:application:environment:DRAWBRIDGE_READ_ONLY'],
      DRAWBRIDGE_MAINTENANCE: options['aws:elasticbeanstalk:application:environment:DRAWBRIDGE_MAINTENANCE'],
    }).toEqual(expected);
  });

  test.each(supportedModeStates(bridge).flatMap((s) => (['blue', 'green'] as const).map((c): [string, ModeState, 'blue' | 'green'] => [JSON.stringify(s), s, c])))(
    'GIVEN %s WHEN the %s environment is rendered THEN it sets the same options as in normal mode, the VPC\'s, and the variables last in name order',
    (_label, state, colour) => {
      const desired = aws(state);
      const env = desired.beanstalk!.environments.find((e) => e.colour === colour)!;
      const options = environmentOptions(desired, env);
      const names = (list: typeof options) => list.map((o) => `${o.namespace}:${o.optionName}`);
      const base = aws(supportedModeStates(bridge)[0]!);
      expect(names(options)).toEqual(names(environmentOptions(base, base.beanstalk!.environments.find((e) => e.colour === colour)!)));
      expect(options).toContainEqual({ namespace: 'aws:ec2:vpc', optionName: 'Subnets', value: 'subnet-0aaaabbbbcccc0001,subnet-0aaaabbbbcccc0002' });
      const variables = options.filter((o) => o.namespace === 'aws:elasticbeanstalk:application:environment').map((o) => o.optionName);
      expect(variables).toEqual([...variables].sort());
      expect(names(options).slice(-variables.length)).toEqual(variables.map((v) => `aws:elasticbeanstalk:application:environment:${v}`));
    },
  );
});
