/**
 * Every database access of a request runs here: one transaction, as the app role, with
 * the tenant set for the RLS policy. Both settings are transaction-local (`true`), so a
 * pooled connection never carries one request's tenant into the next.
 */
import type pg from 'pg';
import { APP_ROLE, TENANT_SETTING } from './migrations.js';

/** Runs `work` in a transaction scoped to `tenantId`; commits on success, rolls back on error. */
export async function inTenantTransaction<T>(pool: pg.Pool, tenantId: string, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query('begin');
    // One round trip for both: SET LOCAL ROLE drops any rights of the login user
    // (even a superuser's), and the tenant is what the policy compares tenant_id to.
    await client.query(`select set_config('role', $1, true), set_config('${TENANT_SETTING}', $2, true)`, [APP_ROLE, tenantId]);
    const result = await work(client);
    await client.query('commit');
    return result;
  } catch (error) {
    await client.query('rollback').catch(() => {
      broken = true;
    });
    throw error;
  } finally {
    // A connection whose rollback failed is in an unknown state: drop it from the pool.
    client.release(broken);
  }
}
