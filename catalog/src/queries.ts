/** Questions every reader asks of a loaded catalog, answered in one place. */
import { budgetSeconds } from '@tenantry/conventions';
import type { Catalog, Environment, Tenant } from './types.js';

/** The platform hostname of a tenant in an environment: `<subdomain>.<baseDomain>`. */
export function platformHostname(tenant: Tenant, env: Environment): string {
  return `${tenant.subdomain}.${env.baseDomain}`;
}

/** Custom hostnames of a tenant in one environment (none when the tenant lists none). */
export function customHostnames(tenant: Tenant, env: Environment): readonly string[] {
  return tenant.customHostnames[env.name] ?? [];
}

/** Every hostname a tenant answers on in an environment, platform hostname first. */
export function tenantHostnames(tenant: Tenant, env: Environment): readonly string[] {
  return [platformHostname(tenant, env), ...customHostnames(tenant, env)];
}

/** Hostname → tenant id for one environment, for resolving the tenant of a request. */
export function hostnameIndex(catalog: Catalog, env: Environment): ReadonlyMap<string, string> {
  const index = new Map<string, string>();
  for (const tenant of catalog.tenants) {
    for (const hostname of tenantHostnames(tenant, env)) index.set(hostname, tenant.id);
  }
  return index;
}

/**
 * Every distinct latency budget of the catalog in seconds, ascending. Histogram bucket
 * boundaries must include each of them so that "share of requests under budget" is exact.
 */
export function latencyBudgetsSeconds(catalog: Catalog): readonly number[] {
  const budgets = new Set(catalog.tenants.map((t) => budgetSeconds(t.slo.p95LatencyMs)));
  return [...budgets].sort((a, b) => a - b);
}

/** The tenant with this id, or undefined. */
export function findTenant(catalog: Catalog, id: string): Tenant | undefined {
  return catalog.tenants.find((t) => t.id === id);
}

/**
 * Secrets Manager name of the read-only database audit credential of an environment: the
 * data stack creates it, `tenantry-audit db --env` reads it.
 */
export function auditSecretName(environment: string): string {
  return `tenantry/${environment}/platform/database-audit`;
}
