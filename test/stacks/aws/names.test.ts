import { logicalId } from '../../../stacks/aws/names';

describe('logicalId', () => {
  test.each([
    ['TargetGroup', 'web-blue', 'TargetGroupWebBlue'],
    ['Job', 'nightly', 'JobNightly'],
    ['Flag', 'read-only-blue', 'FlagReadOnlyBlue'],
    ['Record', 'www', 'RecordWww'],
    ['Environment', 'production-green', 'EnvironmentProductionGreen'],
  ])('GIVEN kind %s and estate id %s THEN the construct id is %s', (kind, id, expected) => {
    expect(logicalId(kind, id)).toBe(expected);
  });
});
