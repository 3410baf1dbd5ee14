/** GET /readyz: PostgreSQL and Redis each answer within a short timeout. */
import type { Redis } from 'ioredis';
import type pg from 'pg';

export interface Readiness {
  readonly ready: boolean;
  /** 'ok' or why not, per dependency. */
  readonly checks: Readonly<Record<string, string>>;
}

/** Resolves within `timeoutMs` (plus a tick), whatever the dependencies do. */
export async function checkReadiness(pool: pg.Pool, redis: Redis, timeoutMs: number): Promise<Readiness> {
  const [postgresql, redisCheck] = await Promise.all([
    within(timeoutMs, pool.query('select 1').then(() => 'ok')),
    within(timeoutMs, redis.ping().then(() => 'ok')),
  ]);
  return { ready: postgresql === 'ok' && redisCheck === 'ok', checks: { postgresql, redis: redisCheck } };
}

function within(timeoutMs: number, check: Promise<string>): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`no answer within ${timeoutMs} ms`), timeoutMs);
  });
  return Promise.race([check.catch((error: unknown) => (error instanceof Error ? error.message : String(error))), timeout]).finally(() => clearTimeout(timer));
}
