/**
 * What each isolation tier means, as data. Constructs, stacks and quota checks ask
 * these traits instead of comparing tier names, so adding a tier is one entry here
 * (the compiler then points at every switch that has to handle it).
 */
import type { TierName } from './plans.js';

/**
 * Where a tenant's rows live:
 * - `shared-rows`: in the shared schema of the shared cluster, isolated by row-level security;
 * - `own-schema`: in the tenant's own schema and login role inside the shared cluster;
 * - `own-cluster`: in the tenant's own Aurora cluster.
 */
export type TenantDataPlacement = 'shared-rows' | 'own-schema' | 'own-cluster';

/**
 * Whether the tenant runs in its own Kubernetes namespace:
 * - `always`: the tier requires one (a tenant file may not turn it off);
 * - `optional`: the tenant file's `namespace` decides (default false).
 */
export type NamespacePolicy = 'always' | 'optional';

export interface TierTraits {
  readonly tier: TierName;
  readonly data: TenantDataPlacement;
  readonly namespace: NamespacePolicy;
  /** The tenant owns a PostgreSQL schema and role in the shared cluster. */
  readonly ownSchema: boolean;
  /** The tenant owns an Aurora cluster (counted against the regional cluster quota). */
  readonly ownCluster: boolean;
  /** The tenant's login secret is registered with the shared RDS Proxy (counted against its secrets quota). */
  readonly sharedProxySecret: boolean;
}

/** The traits of every tier; `Record<TierName, …>` makes a missing tier a compile error. */
export const TIER_TRAITS: Readonly<Record<TierName, TierTraits>> = {
  pooled: { tier: 'pooled', data: 'shared-rows', namespace: 'optional', ownSchema: false, ownCluster: false, sharedProxySecret: false },
  schema: { tier: 'schema', data: 'own-schema', namespace: 'optional', ownSchema: true, ownCluster: false, sharedProxySecret: true },
  dedicated: { tier: 'dedicated', data: 'own-cluster', namespace: 'always', ownSchema: false, ownCluster: true, sharedProxySecret: false },
};

/** The traits of `tier`. */
export function tierTraits(tier: TierName): TierTraits {
  return TIER_TRAITS[tier];
}

/** Whether a tenant of `tier` gets a namespace, given what its file says (`undefined` when it says nothing). */
export function tenantHasNamespace(tier: TierName, requested: boolean | undefined): boolean {
  const policy = TIER_TRAITS[tier].namespace;
  switch (policy) {
    case 'always':
      return true;
    case 'optional':
      return requested ?? false;
    default:
      return assertNever(policy);
  }
}

/** Compile-time exhaustiveness guard for switches over tier traits. */
export function assertNever(value: never): never {
  throw new Error(`unhandled tier trait value ${JSON.stringify(value)}: add a case for it`);
}
