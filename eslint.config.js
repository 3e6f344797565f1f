// ESLint flat config: type-aware typescript-eslint rules for the whole workspace (promises
// that nobody awaits or that land where a void callback is expected, `any`), and the
// determinism rule for the layer packages: no wall clock, no unseeded randomness and no
// host timers in physical/link/network/transport/application src (virtual time and the
// node's seeded random stream instead). Run by `pnpm lint` and as part of `pnpm typecheck`.

import tseslint from 'typescript-eslint';

const LAYER_SOURCES = ['packages/{physical,link,network,transport,application}/src/**/*.ts'];
const DETERMINISM = 'layers run in virtual time with seeded randomness: use node.scheduler / node.random (same seed, same trace)';

export default tseslint.config(
  {
    ignores: ['**/node_modules/**', '**/dist/**', 'packages/web/dist/**', 'packages/web/test-results/**', 'coverage/**', 'fixtures/**', '**/test/fixtures/**', '.newcomer-test-*/**'],
  },
  {
    files: ['**/*.ts'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    files: LAYER_SOURCES,
    rules: {
      'no-restricted-globals': [
        'error',
        { name: 'setTimeout', message: DETERMINISM },
        { name: 'setInterval', message: DETERMINISM },
        { name: 'setImmediate', message: DETERMINISM },
        { name: 'performance', message: DETERMINISM },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: DETERMINISM },
        { object: 'performance', property: 'now', message: DETERMINISM },
        { object: 'Math', property: 'random', message: DETERMINISM },
        { object: 'globalThis', property: 'setTimeout', message: DETERMINISM },
        { object: 'globalThis', property: 'setInterval', message: DETERMINISM },
      ],
      'no-restricted-syntax': ['error', { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: DETERMINISM }],
    },
  },
);
