/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.(t|j)sx?$': ['@swc/jest'] },
  snapshotFormat: { printBasicPrototype: false },
  testTimeout: 60000,
  // One worker per core, not jest's default of one fewer: on CI's 2 cores that default is a single
  // worker, while much of the suite waits on child processes (cdk, moto, workerd, Chromium).
  maxWorkers: '100%',
  globalSetup: '<rootDir>/test/global-setup.ts',
};
