/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.(t|j)sx?$': ['@swc/jest'] },
  snapshotFormat: { printBasicPrototype: false },
  testTimeout: 60000,
  globalSetup: '<rootDir>/test/global-setup.ts',
};
