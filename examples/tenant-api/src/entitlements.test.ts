import { loadCatalog } from '@tenantry/catalog';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type RedisServer } from '../../../testing/redis.js';
import { EntitlementCache, entitlementsKey } from './entitlements.js';

let server: RedisServer;
let redis: Redis;

beforeAll(async () => {
  server = await startRedis();
  redis = new Redis(server.url);
});

afterAll(async () => {
  await redis?.quit();
  await server?.stop();
});

describe('EntitlementCache', () => {
  it("caches the tenant's plan entitlements in Redis with the TTL, and reads them from there afterwards", async () => {
    const cache = new EntitlementCache({ redis, catalog: loadCatalog(), ttlSeconds: 30 });
    expect(await cache.get('harbor-law')).toEqual({ plan: 'enterprise', maxProjects: 10_000, listLimit: 200 });
    const ttl = await redis.ttl(entitlementsKey('harbor-law'));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(30);

    // A changed cached value is what the next request sees: the catalog is not read again.
    await redis.set(entitlementsKey('harbor-law'), JSON.stringify({ plan: 'enterprise', maxProjects: 1, listLimit: 1 }), 'KEEPTTL');
    expect(await cache.get('harbor-law')).toEqual({ plan: 'enterprise', maxProjects: 1, listLimit: 1 });
  });

  it('refuses a tenant that is not in the catalog', async () => {
    const cache = new EntitlementCache({ redis, catalog: loadCatalog(), ttlSeconds: 30 });
    await expect(cache.get('nobody')).rejects.toThrow('tenant "nobody" is not in the catalog');
  });
});
