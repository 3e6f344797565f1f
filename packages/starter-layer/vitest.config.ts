// This package's own test run (the root run leaves packages/starter-* out, because the
// suite fails until the layer is written): `cd packages/<your-layer> && npx vitest run`.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
  },
});
