// Test support: compare text with a golden file under test/golden. Set UPDATE_GOLDEN=1 to
// (re)write the files after checking a change by eye; a missing file fails the test.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

const dir = fileURLToPath(new URL('../golden/', import.meta.url));

export function expectGolden(name: string, actual: string): void {
  const path = `${dir}${name}`;
  if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(path, actual);
  if (!existsSync(path)) throw new Error(`golden file ${name} is missing; run with UPDATE_GOLDEN=1 and review it`);
  expect(actual).toBe(readFileSync(path, 'utf8'));
}
