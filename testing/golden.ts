/**
 * Golden files for CLI and report tests: compares output with the file, or rewrites
 * the file when UPDATE_GOLDEN=1 (then review the diff before committing).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';

/** Compares `actual` with `directory/name`; golden files live beside their tests' package, outside shipped sources. */
export function expectGolden(directory: string, name: string, actual: string): void {
  const path = join(directory, name);
  if (process.env['UPDATE_GOLDEN'] === '1' || !existsSync(path)) writeFileSync(path, actual);
  expect(actual).toBe(readFileSync(path, 'utf8'));
}
