/**
 * What a tenant's plan entitles it to in this service, cached in Redis with a TTL so a
 * plan change in the catalog reaches running replicas within one TTL without a catalog
 * read on every request.
 */
import type { Catalog, PlanName } from '@tenantry/catalog';
import type { Redis } from 'ioredis';

export interface Entitlements {
  readonly plan: PlanName;
  /** Projects the tenant may own; POST /api/projects answers 403 beyond it. */
  readonly maxProjects: number;
  /** Most projects one GET /api/projects returns. */
  readonly listLimit: number;
}

const PLAN_ENTITLEMENTS: Readonly<Record<PlanName, Omit<Entitlements, 'plan'>>> = {
  starter: { maxProjects: 100, listLimit: 50 },
  business: { maxProjects: 1_000, listLimit: 100 },
  enterprise: { maxProjects: 10_000, listLimit: 200 },
};

/** The Redis key of a tenant's cached entitlements. */
export function entitlementsKey(tenantId: string): string {
  return `tenant-api:entitlements:${tenantId}`;
}

export interface EntitlementCacheProps {
  readonly redis: Redis;
  readonly catalog: Catalog;
  /** Seconds a cached entry lives. */
  readonly ttlSeconds: number;
  /**
   * Told when Redis fails; the request goes on with entitlements from the catalog.
   * @default - failures are not reported
   */
  readonly onCacheError?: (error: unknown) => void;
  /**
   * After a Redis failure, requests skip Redis for this long (ms) and use the catalog, so
   * a hung Redis costs one command timeout per cooldown, not one per request.
   * @default 1000
   */
  readonly cooldownMs?: number;
}

/**
 * Read-through cache of entitlements: Redis first, the catalog's plan on a miss. The
 * cache only saves work, so a Redis failure degrades to the catalog instead of failing
 * the request.
 */
export class EntitlementCache {
  readonly #props: EntitlementCacheProps;
  /** Plan entitlements per tenant id, for cache misses and Redis outages (every request then). */
  readonly #fromPlans: ReadonlyMap<string, Entitlements>;
  /** performance.now() until which Redis is not asked. */
  #skipRedisUntil = 0;

  constructor(props: EntitlementCacheProps) {
    this.#props = props;
    this.#fromPlans = new Map(props.catalog.tenants.map((tenant) => [tenant.id, { plan: tenant.plan, ...PLAN_ENTITLEMENTS[tenant.plan] }]));
  }

  /** @throws Error when the tenant is not in the catalog (the resolver should have refused it) */
  async get(tenantId: string): Promise<Entitlements> {
    if (performance.now() < this.#skipRedisUntil) return this.#fromCatalog(tenantId);
    const key = entitlementsKey(tenantId);
    try {
      const cached = await this.#props.redis.get(key);
      if (cached !== null) return JSON.parse(cached) as Entitlements;
    } catch (error) {
      this.#failed(error);
      return this.#fromCatalog(tenantId);
    }
    const entitlements = this.#fromCatalog(tenantId);
    // Filling the cache is not the request's business: it does not wait for it.
    this.#props.redis.set(key, JSON.stringify(entitlements), 'EX', this.#props.ttlSeconds).catch((error: unknown) => this.#failed(error));
    return entitlements;
  }

  #failed(error: unknown): void {
    this.#skipRedisUntil = performance.now() + (this.#props.cooldownMs ?? 1000);
    this.#props.onCacheError?.(error);
  }

  #fromCatalog(tenantId: string): Entitlements {
    const entitlements = this.#fromPlans.get(tenantId);
    if (entitlements === undefined) throw new Error(`tenant "${tenantId}" is not in the catalog`);
    return entitlements;
  }
}
