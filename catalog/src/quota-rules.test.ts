import { appendFileSync, cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CatalogValidationError } from './errors.js';
import { exampleCatalogDirectory, loadCatalog } from './loader.js';
import { quotaBreaches, quotaIssues } from './quota-rules.js';
import type { Environment, Tenant } from './types.js';

const example = loadCatalog();
const prod = example.environments.find((e) => e.name === 'prod') as Environment;
const template = example.tenants.find((t) => t.tier === 'pooled') as Tenant;

/** The example catalog's tenants with `n` extra tenants built by `shape`. */
function withTenants(n: number, shape: (index: number) => Partial<Tenant>): readonly Tenant[] {
  const extra = Array.from({ length: n }, (_, index): Tenant => ({
    ...template,
    id: `extra-${index}`,
    subdomain: `extra-${index}`,
    file: `tenants/extra-${index}.yaml`,
    customHostnames: {},
    ...shape(index),
  }));
  return [...example.tenants, ...extra];
}

const withQuotas = (quotas: Partial<Environment['quotas']>): Environment => ({ ...prod, quotas: { ...prod.quotas, ...quotas } });

describe('tenant quota rules', () => {
  it('accept the example catalog', () => {
    expect(quotaIssues(example.tenants, example.environments)).toEqual([]);
  });

  it('fail naming the RDS Proxy secret limit when schema-tier tenants and the master secret exceed it', () => {
    const schemaTenants = example.tenants.filter((t) => t.tier === 'schema').length;
    const [issue] = quotaIssues(withTenants(200, () => ({ tier: 'schema' })), [prod]);
    expect(issue).toEqual({
      file: 'environments/prod.yaml',
      field: 'quotas.rdsProxySecretsPerProxy',
      message: expect.stringContaining(`RDS Proxy secrets per proxy: the catalog needs ${200 + schemaTenants + 1}, the quota is 200`),
    });
  });

  it('read the RDS Proxy limit from the environment file', () => {
    expect(quotaBreaches(withTenants(200, () => ({ tier: 'schema' })), withQuotas({ rdsProxySecretsPerProxy: 500 }))).toEqual([]);
  });

  it("fail naming the custom hostname allowance when the environment's Cloudflare plan is exceeded", () => {
    const env: Environment = { ...prod, cloudflare: { ...prod.cloudflare, customHostnameLimit: 3 } };
    const [issue] = quotaIssues(withTenants(3, (i) => ({ customHostnames: { prod: [`app.customer-${i}.com`] } })), [env]);
    expect(issue?.field).toBe('cloudflare.customHostnameLimit');
    expect(issue?.message).toMatch(/Cloudflare for SaaS custom hostnames per zone: the catalog needs 4, the quota is 3/);
    expect(issue?.message).toMatch(/cloudflare\.customHostnameLimit in environments\/prod\.yaml/);
  });

  it('count only the custom hostnames of the environment being checked', () => {
    const env: Environment = { ...prod, cloudflare: { ...prod.cloudflare, customHostnameLimit: 1 } };
    expect(quotaBreaches(withTenants(5, (i) => ({ customHostnames: { staging: [`app.customer-${i}.com`] } })), env)).toEqual([]);
  });

  it("fail naming the DNS record quota when the zone cannot hold one record per tenant and the platform's three", () => {
    const env: Environment = { ...prod, cloudflare: { ...prod.cloudflare, dnsRecordLimit: 5 } };
    const breaches = quotaBreaches(withTenants(2, () => ({})), env);
    expect(breaches.map((b) => [b.limit, b.needed, b.quota])).toEqual([['Cloudflare DNS records per zone', 3 + example.tenants.length + 2, 5]]);
    expect(breaches[0]?.remedy).toContain('cloudflare.dnsRecordLimit in environments/prod.yaml');
  });

  it('fail naming the Aurora cluster limit, counting the shared cluster', () => {
    // 1 shared + 1 example dedicated + 39 = 41 > 40.
    expect(quotaBreaches(withTenants(39, () => ({ tier: 'dedicated', namespace: true })), withQuotas({ rdsProxiesPerRegion: 100 })).map((b) => [b.limit, b.needed])).toEqual([
      ['Aurora DB clusters per region', 41],
    ]);
  });

  it('fail naming the RDS Proxy limit first: every cluster has a proxy, and 20 proxies come before 40 clusters', () => {
    // 1 shared + 1 example dedicated + 19 = 21 > 20.
    expect(quotaBreaches(withTenants(19, () => ({ tier: 'dedicated', namespace: true })), prod).map((b) => [b.limit, b.needed])).toEqual([['RDS Proxies per region', 21]]);
  });

  it('fail naming the IAM role and Pod Identity limits when too many tenants have a namespace', () => {
    const env: Environment = { ...prod, cloudflare: { ...prod.cloudflare, dnsRecordLimit: 10_000 } };
    expect(quotaBreaches(withTenants(5000, () => ({ namespace: true })), env).map((b) => b.limit)).toEqual(['IAM roles per account', 'EKS Pod Identity associations per cluster']);
  });

  it('report every breached limit of every environment', () => {
    const env: Environment = { ...prod, cloudflare: { ...prod.cloudflare, customHostnameLimit: 1 } };
    const tenants = withTenants(201, (i) => ({ tier: 'schema', customHostnames: { prod: [`app.customer-${i}.com`] } }));
    const staging = example.environments.find((e) => e.name === 'staging') as Environment;
    expect(quotaIssues(tenants, [env, staging]).map((i) => `${i.file}: ${i.field}`)).toEqual([
      'environments/prod.yaml: quotas.rdsProxySecretsPerProxy',
      'environments/prod.yaml: cloudflare.customHostnameLimit',
      'environments/staging.yaml: quotas.rdsProxySecretsPerProxy',
    ]);
  });

  describe('in the loader', () => {
    const work = mkdtempSync(join(tmpdir(), 'tenantry-quota-'));
    afterAll(() => rmSync(work, { recursive: true, force: true }));

    it('refuse a catalog whose environment file sets a quota the tenants exceed', () => {
      for (const folder of ['environments', 'tenants']) cpSync(join(exampleCatalogDirectory(), folder), join(work, folder), { recursive: true });
      // The example catalog has one schema-tier tenant; this is the second.
      writeFileSync(join(work, 'tenants', 'second-schema.yaml'), 'id: second-schema\nname: Second schema\ntier: schema\nplan: starter\n');
      appendFileSync(join(work, 'environments', 'prod.yaml'), 'quotas:\n  rdsProxySecretsPerProxy: 1\n');
      expect(() => loadCatalog({ directory: work })).toThrow(CatalogValidationError);
      expect(() => loadCatalog({ directory: work })).toThrow(/environments\/prod\.yaml: quotas\.rdsProxySecretsPerProxy: RDS Proxy secrets per proxy: the catalog needs 3, the quota is 1/);
    });
  });
});
