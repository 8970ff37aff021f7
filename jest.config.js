// Two projects: `unit` (pure modules, *.spec.ts beside the code) and `e2e` (test/**/*.e2e-spec.ts:
// real GraphQL over HTTP against the built app, started as child processes by libs/testing).
// Nest 12 packages are ESM-only and Jest 29 loads modules with its own CommonJS loader (Node's
// require(esm) does not apply inside it; README, Tests and CI), so tests never import
// Nest-decorated code in-process: they drive the compiled app (`npm run build` runs first).
const unit = require('./jest.unit.config.js');

module.exports = {
  testTimeout: 120000,
  reporters: ['default', '<rootDir>/test/support/timing-reporter.cjs'],
  projects: [
    unit,
    {
      displayName: 'e2e',
      rootDir: __dirname,
      testEnvironment: 'node',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      // The timeout and the afterAll that stops every app, stack and database of a file.
      setupFilesAfterEnv: ['<rootDir>/test/support/e2e-setup.ts'],
      moduleNameMapper: unit.moduleNameMapper,
      transform: unit.transform,
    },
  ],
};
