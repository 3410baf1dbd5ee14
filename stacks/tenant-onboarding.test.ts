/**
 * The onboarding property: adding a tenant file adds exactly one stack and changes no
 * other stack's synthesized JSON; removing it removes exactly that stack.
 */
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticTenantId, writeSyntheticCatalog } from '../testing/synthetic-catalog.js';
import { SynthesisError, synthesizeApp } from './synthesize-app.js';
import { compareStacks, readStackFiles } from '../synth-model/stack-files.js';

const TENANTS = 30;
const work = mkdtempSync(join(tmpdir(), 'tenant-onboarding-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('onboarding and offboarding', () => {
  const catalog = join(work, 'catalog');
  let base: ReadonlyMap<string, string>;

  beforeAll(() => {
    writeSyntheticCatalog(catalog, { tenants: TENANTS });
    base = readStackFiles(synthesizeApp({ catalogDirectory: catalog, outdir: join(work, 'base') }));
  });

  it('adding a tenant file adds exactly its stack and changes no other stack', () => {
    const file = join(catalog, 'tenants', 'newcomer.yaml');
    writeFileSync(file, 'id: newcomer\nname: Newcomer Ltd\ntier: schema\nplan: business\nnamespace: true\ndomains:\n  custom:\n    prod: [app.newcomer.example]\n');
    try {
      const head = readStackFiles(synthesizeApp({ catalogDirectory: catalog, outdir: join(work, 'added') }));
      expect(compareStacks(base, head)).toEqual({ added: ['tenant-newcomer-prod'], removed: [], changed: [] });
    } finally {
      unlinkSync(file);
    }
  });

  it('removing a tenant file removes exactly its stack and changes no other stack', () => {
    // A tenant in the middle of the sorted list: no neighbour may shift.
    const id = syntheticTenantId(TENANTS / 2);
    const file = join(catalog, 'tenants', `${id}.yaml`);
    rmSync(file);
    let head: ReadonlyMap<string, string>;
    try {
      head = readStackFiles(synthesizeApp({ catalogDirectory: catalog, outdir: join(work, 'removed') }));
    } finally {
      writeSyntheticCatalog(catalog, { tenants: TENANTS });
    }
    expect(compareStacks(base, head)).toEqual({ added: [], removed: [`tenant-${id}-prod`], changed: [] });
  });

  it("the offboarding flag lifts a dedicated cluster's deletion protection in that tenant's stack only", () => {
    const id = syntheticTenantId(7);
    const file = join(catalog, 'tenants', `${id}.yaml`);
    expect(readFileSync(file, 'utf8')).toContain('tier: dedicated');
    appendFileSync(file, 'offboarding: true\n');
    try {
      const head = readStackFiles(synthesizeApp({ catalogDirectory: catalog, outdir: join(work, 'offboarding') }));
      expect(compareStacks(base, head)).toEqual({ added: [], removed: [], changed: [`tenant-${id}-prod`] });
      const cluster = (json: string | undefined) =>
        Object.values((JSON.parse(json ?? '{}') as { resource: Record<string, Record<string, Record<string, unknown>>> }).resource['aws_rds_cluster'] ?? {})[0];
      expect(cluster(base.get(`tenant-${id}-prod`))).toMatchObject({ deletion_protection: true, skip_final_snapshot: false });
      expect(cluster(head.get(`tenant-${id}-prod`))).toMatchObject({ deletion_protection: false, skip_final_snapshot: false });
    } finally {
      writeSyntheticCatalog(catalog, { tenants: TENANTS });
    }
  });

  it('changing one tenant file changes only that tenant stack', () => {
    const id = syntheticTenantId(3);
    const file = join(catalog, 'tenants', `${id}.yaml`);
    writeFileSync(file, `id: ${id}\nname: Renamed\ntier: pooled\nplan: starter\ndomains:\n  subdomain: renamed-${id}\n`);
    try {
      const head = readStackFiles(synthesizeApp({ catalogDirectory: catalog, outdir: join(work, 'changed') }));
      expect(compareStacks(base, head)).toEqual({ added: [], removed: [], changed: [`tenant-${id}-prod`] });
    } finally {
      writeSyntheticCatalog(catalog, { tenants: TENANTS });
    }
  });
});

describe('synthesis that must not happen', () => {
  const failure = (catalogDirectory: string, outdir: string): SynthesisError => {
    try {
      synthesizeApp({ catalogDirectory, outdir });
    } catch (error) {
      if (error instanceof SynthesisError) return error;
      throw error;
    }
    throw new Error('expected the app to fail');
  };

  it('reports a catalog error in one tenant file with that file name, and writes no stack', () => {
    const catalog = join(work, 'broken');
    writeSyntheticCatalog(catalog, { tenants: 5 });
    writeFileSync(join(catalog, 'tenants', 'broken.yaml'), 'id: broken\nname: Broken\ntier: platinum\nplan: starter\n');
    const outdir = join(work, 'broken-out');
    const error = failure(catalog, outdir);
    expect(error.stderr).toContain('tenants/broken.yaml: tier: must be one of pooled, schema, dedicated');
    expect(existsSync(join(outdir, 'stacks'))).toBe(false);
  });

  it('fails naming the quota when the catalog exceeds one', () => {
    const catalog = join(work, 'over-quota');
    writeSyntheticCatalog(catalog, { tenants: 14 });
    // Tenants 3 and 13 are schema-tier: two proxy secrets and the master's against a quota of one.
    appendFileSync(join(catalog, 'environments', 'prod.yaml'), 'quotas:\n  rdsProxySecretsPerProxy: 1\n');
    const error = failure(catalog, join(work, 'over-quota-out'));
    expect(error.stderr).toContain('RDS Proxy secrets per proxy: the catalog needs 3, the quota is 1');
  });
});
