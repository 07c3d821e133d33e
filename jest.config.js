/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  // The local host package's own tests run here too, with the same services from global setup.
  roots: ['<rootDir>/test', '<rootDir>/infra/local/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  // Generous: e2e tests wait on queue work while the kill tests beside them load both cores.
  testTimeout: 120000,
  maxWorkers: 2,
};
