import { describe, expect, it } from 'vitest';
import { DEFAULT_TIMEOUTS, configFromEnv } from './config.js';

const VALID = { DATABASE_URL: 'postgres://app@127.0.0.1/app', REDIS_URL: 'redis://127.0.0.1:6379', TENANTRY_AUTH_JWKS_URL: 'https://auth.example.com/.well-known/jwks.json' };

describe('configFromEnv', () => {
  it('applies the documented defaults', () => {
    const config = configFromEnv(VALID);
    expect(config).toMatchObject({ port: 8080, host: '0.0.0.0', migrate: true, entitlementsTtlSeconds: 60, databasePoolSize: 10, migrationDatabaseUrl: undefined });
    expect(config.faults?.size).toBe(0);
    expect(config.timeouts).toEqual(DEFAULT_TIMEOUTS);
    expect(config.auth).toEqual({ mode: 'token', keys: { jwksUrl: new URL(VALID.TENANTRY_AUTH_JWKS_URL) } });
  });

  it('development mode without tokens only when asked for by name', () => {
    const { TENANTRY_AUTH_JWKS_URL: _, ...noKeys } = VALID;
    expect(() => configFromEnv(noKeys)).toThrow('set exactly one of TENANTRY_AUTH_JWKS_URL (production) and TENANTRY_AUTH_JWKS_FILE');
    expect(configFromEnv({ ...noKeys, TENANTRY_AUTH_MODE: 'development' }).auth).toEqual({ mode: 'development' });
  });

  it.each([
    [{ REDIS_URL: VALID.REDIS_URL }, 'DATABASE_URL is not set'],
    [{ DATABASE_URL: VALID.DATABASE_URL }, 'REDIS_URL is not set'],
    [{ ...VALID, PORT: 'http' }, 'PORT="http" is not a whole number between 0 and 65535'],
    [{ ...VALID, ENTITLEMENTS_TTL_SECONDS: '0' }, 'ENTITLEMENTS_TTL_SECONDS="0"'],
    [{ ...VALID, TENANTRY_FAULTS: 'brightwave:latency' }, 'TENANTRY_FAULTS="brightwave:latency"'],
    [{ ...VALID, TENANTRY_AUTH_MODE: 'off' }, 'TENANTRY_AUTH_MODE="off" is neither'],
    [{ ...VALID, TENANTRY_AUTH_JWKS_URL: 'http://auth.example.com/jwks' }, 'must use https'],
    [{ ...VALID, TENANTRY_AUTH_JWKS_FILE: '/nonexistent/jwks.json' }, 'set exactly one of'],
    [{ ...VALID, REQUEST_DEADLINE_MS: '2500' }, 'REQUEST_DEADLINE_MS=2500 must exceed DATABASE_CONNECT_TIMEOUT_MS + DATABASE_STATEMENT_TIMEOUT_MS'],
    [{ ...VALID, REDIS_COMMAND_TIMEOUT_MS: '0' }, 'REDIS_COMMAND_TIMEOUT_MS="0" is not a whole number'],
  ])('%j is refused naming the variable', (env, message) => {
    expect(() => configFromEnv(env)).toThrow(message);
  });
});
