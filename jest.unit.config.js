// The unit tier on its own: pure modules, *.spec.ts beside the code (see jest.config.js). A
// project of jest.config.js, and the whole config of `npm run test:mutation` (StrykerJS overrides
// the test environment for per-test coverage, which it can only do on a config without projects).
module.exports = {
  displayName: 'unit',
  rootDir: __dirname,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/apps/api/**/*.spec.ts'],
  moduleNameMapper: { '^@app/(.*)$': '<rootDir>/libs/$1/src' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json', isolatedModules: true, diagnostics: false }],
  },
};
