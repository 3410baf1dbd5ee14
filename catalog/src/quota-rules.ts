/**
 * Quota rules: a catalog that would need more of a cloud resource than an environment's
 * account or plan allows is refused by the loader, so the failure shows up in a pull
 * request (and in every reader alike) rather than half-way through a deploy of hundreds
 * of stacks.
 */
import { customHostnames } from './queries.js';
import type { CatalogIssue, Environment, Tenant } from './types.js';
import { TIER_TRAITS } from './tier-traits.js';

/** One limit the catalog would exceed in one environment. */
export interface QuotaBreach {
  /** The limit by name, e.g. "RDS Proxy secrets per proxy". */
  readonly limit: string;
  /** The environment-file field that states the quota, e.g. `quotas.rdsProxySecretsPerProxy`. */
  readonly field: string;
  readonly quota: number;
  readonly needed: number;
  /** Where the quota is configured, and what to do about it. */
  readonly remedy: string;
}

/** Platform resources that count against the same quotas as the tenants' ones. */
const PLATFORM_AURORA_CLUSTERS = 1;
/** The master user's secret on the shared RDS Proxy. */
const PLATFORM_PROXY_SECRETS = 1;
/** The edge stack's own records: the base domain, `www` and the fallback origin (PlatformEdge). */
const PLATFORM_DNS_RECORDS = 3;

interface QuotaRule {
  readonly limit: string;
  readonly field: string;
  readonly quota: (env: Environment) => number;
  readonly needed: (tenants: readonly Tenant[], env: Environment) => number;
  readonly remedy: (env: Environment) => string;
}

const count = (tenants: readonly Tenant[], predicate: (t: Tenant) => boolean): number => tenants.filter(predicate).length;

/**
 * The rules, as data. Each counts what the tenant stacks of one environment would
 * create against the quota the environment file states (or its documented default).
 */
const RULES: readonly QuotaRule[] = [
  {
    limit: 'RDS Proxy secrets per proxy',
    field: 'quotas.rdsProxySecretsPerProxy',
    quota: (env) => env.quotas.rdsProxySecretsPerProxy,
    // Each schema-tier tenant's login secret is registered with the shared RDS Proxy, next to the master secret.
    needed: (tenants) => PLATFORM_PROXY_SECRETS + count(tenants, (t) => TIER_TRAITS[t.tier].sharedProxySecret),
    remedy: (env) =>
      `Every schema-tier tenant registers one secret with the shared proxy, which also holds the master secret. Move tenants to the pooled or dedicated tier, or raise the quota with AWS support and set quotas.rdsProxySecretsPerProxy in ${env.file}.`,
  },
  {
    limit: 'Cloudflare for SaaS custom hostnames per zone',
    field: 'cloudflare.customHostnameLimit',
    quota: (env) => env.cloudflare.customHostnameLimit,
    needed: (tenants, env) => tenants.reduce((sum, t) => sum + customHostnames(t, env).length, 0),
    remedy: (env) => `Raise the custom hostname allowance of the Cloudflare plan and set cloudflare.customHostnameLimit in ${env.file}.`,
  },
  {
    limit: 'Cloudflare DNS records per zone',
    field: 'cloudflare.dnsRecordLimit',
    quota: (env) => env.cloudflare.dnsRecordLimit,
    // One proxied record per tenant's platform hostname, plus the platform's own.
    needed: (tenants) => PLATFORM_DNS_RECORDS + tenants.length,
    remedy: (env) =>
      `Each tenant has one DNS record for its platform hostname. Ask Cloudflare to raise the zone's record quota (Enterprise) and set cloudflare.dnsRecordLimit in ${env.file}.`,
  },
  {
    limit: 'Aurora DB clusters per region',
    field: 'quotas.auroraClustersPerRegion',
    quota: (env) => env.quotas.auroraClustersPerRegion,
    needed: (tenants) => PLATFORM_AURORA_CLUSTERS + count(tenants, (t) => TIER_TRAITS[t.tier].ownCluster),
    remedy: (env) =>
      `Each dedicated tenant owns a cluster, plus the shared one. Raise the quota with AWS support and set quotas.auroraClustersPerRegion in ${env.file}.`,
  },
  {
    limit: 'RDS Proxies per region',
    field: 'quotas.rdsProxiesPerRegion',
    quota: (env) => env.quotas.rdsProxiesPerRegion,
    // AuroraPostgres gives every cluster, the shared one and each dedicated one, its own proxy.
    needed: (tenants) => PLATFORM_AURORA_CLUSTERS + count(tenants, (t) => TIER_TRAITS[t.tier].ownCluster),
    remedy: (env) =>
      `Each Aurora cluster, the shared one and each dedicated tenant's, has an RDS Proxy. Raise the quota with AWS support and set quotas.rdsProxiesPerRegion in ${env.file}.`,
  },
  {
    limit: 'IAM roles per account',
    field: 'quotas.iamRolesPerAccount',
    quota: (env) => env.quotas.iamRolesPerAccount,
    // Platform roles count as well; the guard sees only the tenants' share.
    needed: (tenants) => count(tenants, (t) => t.namespace),
    remedy: (env) =>
      `Each tenant with a namespace gets one IAM role. Raise the quota with AWS support (up to 5,000) and set quotas.iamRolesPerAccount in ${env.file}, or use another account.`,
  },
  {
    limit: 'EKS Pod Identity associations per cluster',
    field: 'quotas.podIdentityAssociationsPerCluster',
    quota: (env) => env.quotas.podIdentityAssociationsPerCluster,
    needed: (tenants) => count(tenants, (t) => t.namespace),
    remedy: (env) => `Each tenant namespace binds one service account. Split tenants across clusters, or set quotas.podIdentityAssociationsPerCluster in ${env.file} if AWS raised it.`,
  },
];

/** Every quota the tenants would exceed in `env`; empty when all fit. */
export function quotaBreaches(tenants: readonly Tenant[], env: Environment): readonly QuotaBreach[] {
  const breaches: QuotaBreach[] = [];
  for (const rule of RULES) {
    const quota = rule.quota(env);
    const needed = rule.needed(tenants, env);
    if (needed > quota) breaches.push({ limit: rule.limit, field: rule.field, quota, needed, remedy: rule.remedy(env) });
  }
  return breaches;
}

/** The loader's quota rule: one issue per limit exceeded, in the environment file that states the quota. */
export function quotaIssues(tenants: readonly Tenant[], environments: readonly Environment[]): CatalogIssue[] {
  return environments.flatMap((env) =>
    quotaBreaches(tenants, env).map((b) => ({ file: env.file, field: b.field, message: `${b.limit}: the catalog needs ${b.needed}, the quota is ${b.quota}. ${b.remedy}` })),
  );
}
