/**
 * One Jest project per package. A single real Redis Cluster is started for the whole run by
 * `@cluster-pubsub/testing`'s global setup (or taken from REDIS_CLUSTER_NODES=host:port,...).
 */
const tsJest = [
  'ts-jest',
  { tsconfig: '<rootDir>/../../tsconfig.jest.json', diagnostics: { warnOnly: false } },
];

const moduleNameMapper = {
  '^@cluster-pubsub/core$': '<rootDir>/../core/src/index.ts',
  '^@cluster-pubsub/testing$': '<rootDir>/../testing/src/index.ts',
};

// Jest's per-file vm realm lacks Node's Symbol.asyncDispose, which `await using` needs.
const setupFiles = [`${__dirname}/packages/testing/jest/setup-dispose-symbols.js`];

const project = (name) => ({
  displayName: name,
  rootDir: `<rootDir>/packages/${name}`,
  testEnvironment: 'node',
  setupFiles,
  transform: { '^.+\\.ts$': tsJest },
  moduleNameMapper,
  testMatch: ['<rootDir>/src/**/*.test.ts', '<rootDir>/test/**/*.test.ts'],
});

/** @type {import('jest').Config} */
module.exports = {
  projects: [project('testing'), project('core'), {
    ...project('examples'),
    rootDir: '<rootDir>/examples',
    // Each example package keeps its tests in its own test/ folder (examples/seed/test/…).
    testMatch: ['<rootDir>/*.test.ts', '<rootDir>/*/test/**/*.test.ts'],
    moduleNameMapper: {
      '^@cluster-pubsub/core$': '<rootDir>/../packages/core/src/index.ts',
      '^@cluster-pubsub/testing$': '<rootDir>/../packages/testing/src/index.ts',
    },
    transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/../tsconfig.jest.json' }] },
  }],
  globalSetup: '<rootDir>/packages/testing/jest/global-setup.js',
  globalTeardown: '<rootDir>/packages/testing/jest/global-teardown.js',
  testTimeout: 60_000,
};
