import { databaseEngine, masterUsername } from '../../../../stacks/aws/components/databases';

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
