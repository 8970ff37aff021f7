// @ts-check
// The Nest starter's configuration (type-aware typescript-eslint, Prettier as a rule), over apps,
// libs and test. printWidth lives in .prettierrc.
import eslint from '@eslint/js';
import eslintPluginPrettierRecommended from 'eslint-plugin-prettier/recommended';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  {
    ignores: ['eslint.config.mjs', 'dist/**', 'node_modules/**', 'coverage/**'],
  },
  eslint.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  eslintPluginPrettierRecommended,
  {
    languageOptions: {
      globals: {
        ...globals.node,
        ...globals.jest,
      },
      sourceType: 'commonjs',
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
  },
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-floating-promises': 'warn',
      '@typescript-eslint/no-unsafe-argument': 'warn',
      'prettier/prettier': ['error', { endOfLine: 'auto' }],
      // `_name` marks a value left out on purpose (`const { stacktrace: _s, ...rest } = …`).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // Apollo plugin hooks, ThrottlerGuard overrides, rate-limit stores and test doubles are
      // async by contract; an async function without await still turns a throw into a rejection.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // Tests read untyped JSON on purpose (GraphQL responses, SQL rows, sink messages): `any` is
    // what the test client returns, and no-explicit-any is off above, as in the Nest starter.
    files: ['test/**', 'libs/testing/**', '**/*.spec.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
  {
    // The screens run in the browser (apps/client/tsconfig.json), as ES modules.
    files: ['apps/client/**'],
    languageOptions: { globals: { ...globals.browser }, sourceType: 'module' },
    // `onSubmit={async (e) => …}`: Preact ignores the handler's promise; the handlers catch their own errors.
    rules: { '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }] },
  },
  {
    // In no tsconfig (apps/client/tsconfig.json covers src/ only, for the browser): no type information.
    files: ['apps/client/vite.config.ts'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    // Plain CommonJS helpers (child processes started by libs/testing): no type information.
    files: ['**/*.cjs'],
    extends: [tseslint.configs.disableTypeChecked],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
