// Root vitest configuration: one run covers every package's tests. The browser tests
// (packages/web, Chromium driving the page) run as a second group, after the rest, one file
// at a time: they measure the page's responsiveness, which a busy machine would distort.
// Tests import the workspace packages' TypeScript sources through the `netlayers-source` export
// condition (no build needed to test); processes the tests spawn (the CLI, tsx scripts) run the
// built dist/, which the global setup brings up to date first.
import { defineConfig } from 'vitest/config';

const BROWSER_TESTS = 'packages/web/test/**/*.test.ts';
// Vite's default conditions (which a configured list replaces), after the sources' own.
const DEV_PROD = 'development|production';

export default defineConfig({
  resolve: { conditions: ['netlayers-source', 'module', 'browser', DEV_PROD] },
  ssr: { resolve: { conditions: ['netlayers-source', 'module', 'node', DEV_PROD] } },
  test: {
    globalSetup: ['./vitest.global-setup.ts'],
    exclude: ['**/node_modules/**', 'packages/starter-*/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'stack',
          include: ['packages/*/test/**/*.test.ts', 'examples/test/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: ['**/node_modules/**', 'packages/starter-*/**', BROWSER_TESTS],
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: [BROWSER_TESTS],
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
