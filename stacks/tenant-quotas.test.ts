import { loadCatalog, type Catalog, type Environment, type Tenant } from '@tenantry/catalog';
import { describe, expect, it } from 'vitest';
import { checkTenantQuotas, quotaBreaches, TenantQuotaError } from './tenant-quotas.js';

const example = loadCatalog();
const prod = example.environments.find((e) => e.name === 'prod') as Environment;
const template = example.tenants.find((t) => t.tier === 'pooled') as Tenant;

/** The example catalog with `n` extra tenants built by `shape`. */
function withTenants(n: number, shape: (index: number) => Partial<Tenant>): Catalog {
  const extra = Array.from({ length: n }, (_, index): Tenant => ({
    ...template,
    id: `extra-${index}`,
    subdomain: `extra-${index}`,
    file: `tenants/extra-${index}.yaml`,
    customHostnames: {},
    ...shape(index),
  }));
  return { ...example, tenants: [...example.tenants, ...extra] };
}

const withQuotas = (quotas: Partial<Environment['quotas']>): Environment => ({ ...prod, quotas: { ...prod.quotas, ...quotas } });

describe('tenant quota guards', () => {
  it('accept the example catalog', () => {
    expect(() => checkTenantQuotas(example, prod)).not.toThrow();
  });

  it('fail naming the RDS Proxy secret limit when schema-tier tenants and the master secret exceed it', () => {
    const schemaTenants = example.tenants.filter((t) => t.tier === 'schema').length;
    const catalog = withTenants(200, () => ({ tier: 'schema' }));
    expect(() => checkTenantQuotas(catalog, prod)).toThrow(TenantQuotaError);
    expect(() => checkTenantQuotas(catalog, prod)).toThrow(
      `RDS Proxy secrets per proxy: the catalog needs ${200 + schemaTenants + 1}, the quota is 200`,
    );
  });

  it('read the RDS Proxy limit from the environment file', () => {
    const catalog = withTenants(200, () => ({ tier: 'schema' }));
    expect(quotaBreaches(catalog, withQuotas({ rdsProxySecretsPerProxy: 500 }))).toEqual([]);
  });

  it("fail naming the custom hostname allowance when the environment's Cloudflare plan is exceeded", () => {
    const env: Environment = { ...prod, cloudflare: { ...prod.cloudflare, customHostnameLimit: 3 } };
    const catalog = withTenants(3, (i) => ({ customHostnames: { prod: [`app.customer-${i}.com`] } }));
    expect(() => checkTenantQuotas(catalog, env)).toThrow(/Cloudflare for SaaS custom hostnames per zone: the catalog needs 4, the quota is 3/);
    expect(() => checkTenantQuotas(catalog, env)).toThrow(/cloudflare\.customHostnameLimit in environments\/prod\.yaml/);
  });

  it('count only the custom hostnames of the environment being synthesized', () => {
    const env: Environment = { ...prod, cloudflare: { ...prod.cloudflare, customHostnameLimit: 1 } };
    const catalog = withTenants(5, (i) => ({ customHostnames: { staging: [`app.customer-${i}.com`] } }));
    expect(quotaBreaches(catalog, env)).toEqual([]);
  });

  it("fail naming the DNS record quota when the zone cannot hold one record per tenant and the platform's three", () => {
    const env: Environment = { ...prod, cloudflare: { ...prod.cloudflare, dnsRecordLimit: 5 } };
    const breaches = quotaBreaches(withTenants(2, () => ({})), env);
    expect(breaches.map((b) => [b.limit, b.needed, b.quota])).toEqual([['Cloudflare DNS records per zone', 3 + example.tenants.length + 2, 5]]);
    expect(breaches[0]?.remedy).toContain('cloudflare.dnsRecordLimit in environments/prod.yaml');
  });

  it('fail naming the Aurora cluster limit, counting the shared cluster', () => {
    const catalog = withTenants(39, () => ({ tier: 'dedicated', namespace: true }));
    // 1 shared + 1 example dedicated + 39 = 41 > 40.
    expect(quotaBreaches(catalog, withQuotas({ rdsProxiesPerRegion: 100 })).map((b) => [b.limit, b.needed])).toEqual([['Aurora DB clusters per region', 41]]);
  });

  it('fail naming the RDS Proxy limit first: every cluster has a proxy, and 20 proxies come before 40 clusters', () => {
    const catalog = withTenants(19, () => ({ tier: 'dedicated', namespace: true }));
    // 1 shared + 1 example dedicated + 19 = 21 > 20.
    expect(quotaBreaches(catalog, prod).map((b) => [b.limit, b.needed])).toEqual([['RDS Proxies per region', 21]]);
  });

  it('fail naming the IAM role and Pod Identity limits when too many tenants have a namespace', () => {
    const catalog = withTenants(5000, () => ({ namespace: true }));
    const env: Environment = { ...prod, cloudflare: { ...prod.cloudflare, dnsRecordLimit: 10_000 } };
    const limits = quotaBreaches(catalog, env).map((b) => b.limit);
    expect(limits).toEqual(['IAM roles per account', 'EKS Pod Identity associations per cluster']);
  });

  it('report every breached limit in one error', () => {
    const env: Environment = { ...prod, cloudflare: { ...prod.cloudflare, customHostnameLimit: 1 } };
    const catalog = withTenants(201, (i) => ({ tier: 'schema', customHostnames: { prod: [`app.customer-${i}.com`] } }));
    try {
      checkTenantQuotas(catalog, env);
      expect.fail('expected a TenantQuotaError');
    } catch (error) {
      expect(error).toBeInstanceOf(TenantQuotaError);
      expect((error as TenantQuotaError).breaches.map((b) => b.limit)).toEqual([
        'RDS Proxy secrets per proxy',
        'Cloudflare for SaaS custom hostnames per zone',
      ]);
      expect((error as Error).message).toMatch(/^Environment prod \(environments\/prod\.yaml\) would exceed 2 quota\(s\)/);
    }
  });
});
