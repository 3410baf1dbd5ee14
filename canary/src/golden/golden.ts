/**
 * Golden files for CLI and report tests: compares output with the file, or rewrites
 * the file when UPDATE_GOLDEN=1 (then review the diff before committing).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

const directory = dirname(fileURLToPath(import.meta.url));

export function expectGolden(name: string, actual: string): void {
  const path = join(directory, name);
  if (process.env['UPDATE_GOLDEN'] === '1' || !existsSync(path)) writeFileSync(path, actual);
  expect(actual).toBe(readFileSync(path, 'utf8'));
}
