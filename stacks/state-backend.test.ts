/**
 * Where state lives when an environment names no bucket: local files that synth and
 * plan can use offline, found by the stacks that read them, and a warning at synth that
 * they hold secrets in plaintext.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { exampleCatalogDirectory, loadCatalog, type Environment } from '@tenantry/catalog';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StackJson } from '../posture/model.js';
import { buildApp } from './main.js';
import { readStackFiles } from '../synth-model/stack-files.js';
import { localStateWarnings } from './state-backend.js';

const outdir = mkdtempSync(join(tmpdir(), 'tenantry-local-state-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

/** The example staging environment with its state bucket removed. */
function stagingWithoutBucket(): Environment {
  const catalog = loadCatalog({ directory: exampleCatalogDirectory() });
  const staging = catalog.environments.find((env) => env.name === 'staging');
  if (!staging) throw new Error('the example catalog has no staging environment');
  const { state: _bucket, ...withoutState } = staging;
  return withoutState;
}

describe('an environment without a state bucket', () => {
  const env = stagingWithoutBucket();
  let stacks: ReadonlyMap<string, string>;
  const json = (name: string): StackJson & { data?: Record<string, Record<string, { config: { path: string } }>> } => JSON.parse(stacks.get(name) ?? 'null');

  beforeAll(() => {
    const catalog = loadCatalog({ directory: exampleCatalogDirectory() });
    buildApp({ ...catalog, tenants: [] }, [env], outdir).synth();
    stacks = readStackFiles(outdir);
  });

  it('keeps state in a local file of the working directory, so synth and plan work offline', () => {
    const path = (json('network-staging').terraform?.backend?.local as { path: string }).path;
    expect(resolve(outdir, 'stacks', 'network-staging', path)).toBe(resolve('terraform.network-staging.tfstate'));
  });

  it('reads a local producer state from the same file the producer writes', () => {
    const path = json('data-staging').data?.terraform_remote_state?.['cross-stack-reference-input-network-staging']?.config.path ?? '';
    expect(resolve(outdir, 'stacks', 'data-staging', path)).toBe(resolve('terraform.network-staging.tfstate'));
  });

  it('is named in a synth warning saying its state holds secrets in plaintext and how to fix it', () => {
    const [warning, ...others] = localStateWarnings([env]);
    expect(others).toEqual([]);
    expect(warning).toContain('environment staging');
    expect(warning).toContain('plaintext');
    expect(warning).toContain('state.kmsKeyArn');
  });

  it('is the only kind of environment warned about', () => {
    expect(localStateWarnings(loadCatalog({ directory: exampleCatalogDirectory() }).environments)).toEqual([]);
  });
});
