import { describe, expect, it } from 'vitest';
import { parseTenantsFile, TenantsFileError } from './tenants-file.js';
import { EXAMPLE_TENANTS_FILE } from './report/example-summary.fixture.js';

describe('parseTenantsFile()', () => {
  it('reads a file written by the generator', () => {
    expect(parseTenantsFile(JSON.stringify(EXAMPLE_TENANTS_FILE))).toEqual(EXAMPLE_TENANTS_FILE);
  });

  it('fails on a file of another version, asking to regenerate it', () => {
    expect(() => parseTenantsFile(JSON.stringify({ ...EXAMPLE_TENANTS_FILE, version: 0 }))).toThrow(/regenerate it with `npm run loadtests:build`[\s\S]*version is 0, expected 1/);
  });

  it('lists every broken tenant field at once', () => {
    const broken = { ...EXAMPLE_TENANTS_FILE, tenants: [{ id: 'a', hostname: '', weight: 0, p95BudgetMs: 200, errorRateBudget: 2 }] };
    let error: unknown;
    try {
      parseTenantsFile(JSON.stringify(broken));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(TenantsFileError);
    expect((error as Error).message.split('\n').slice(1)).toEqual([
      '- tenants[0].hostname is not a non-empty string',
      '- tenants[0].weight is not a positive number',
      '- tenants[0].errorRateBudget is not a ratio in (0, 1]',
    ]);
  });

  it('fails on a file without tenants', () => {
    expect(() => parseTenantsFile(JSON.stringify({ ...EXAMPLE_TENANTS_FILE, tenants: [] }))).toThrow(/tenants is not a non-empty array/);
  });
});
