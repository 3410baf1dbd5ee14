import { describe, expect, it } from 'vitest';
import { configFromEnv } from './config.js';

const VALID = { DATABASE_URL: 'postgres://app@127.0.0.1/app', REDIS_URL: 'redis://127.0.0.1:6379' };

describe('configFromEnv', () => {
  it('applies the documented defaults', () => {
    const config = configFromEnv(VALID);
    expect(config).toMatchObject({ port: 8080, host: '0.0.0.0', migrate: true, entitlementsTtlSeconds: 60, databasePoolSize: 10, migrationDatabaseUrl: undefined });
    expect(config.faults?.size).toBe(0);
  });

  it.each([
    [{ REDIS_URL: VALID.REDIS_URL }, 'DATABASE_URL is not set'],
    [{ DATABASE_URL: VALID.DATABASE_URL }, 'REDIS_URL is not set'],
    [{ ...VALID, PORT: 'http' }, 'PORT="http" is not a whole number between 0 and 65535'],
    [{ ...VALID, ENTITLEMENTS_TTL_SECONDS: '0' }, 'ENTITLEMENTS_TTL_SECONDS="0"'],
    [{ ...VALID, TENANTRY_FAULTS: 'brightwave:latency' }, 'TENANTRY_FAULTS="brightwave:latency"'],
  ])('%j is refused naming the variable', (env, message) => {
    expect(() => configFromEnv(env)).toThrow(message);
  });
});
