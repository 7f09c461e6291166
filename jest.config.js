/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // jest and ts-jest live in test-tools/ (npm test's pretest installs them), out of the package's devDependencies.
  transform: { '^.+\\.ts$': ['<rootDir>/test-tools/node_modules/ts-jest', { tsconfig: 'tsconfig.json', isolatedModules: true }] },
  // A snapshot missing in CI must fail, never be written silently.
  ci: process.env.CI === 'true',
  testTimeout: 60000,
  reporters: ['default', '<rootDir>/test/support/json-result-reporter.js'],
};
