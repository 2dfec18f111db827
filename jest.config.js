/** Jest runs on the Node 24 binary from node_modules (see package.json "test"); Nest 12 is ESM-only and
 * loads through require(esm), which Jest's VM needs --experimental-vm-modules for. */
const swc = ['@swc/jest', { swcrc: true }];
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: { '^@libs/(.*)$': '<rootDir>/libs/$1' },
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  projects: undefined,
  roots: ['<rootDir>/src', '<rootDir>/libs', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts', '**/*.e2e-spec.ts'],
};
