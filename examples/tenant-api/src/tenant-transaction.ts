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
    // One round trip for the start: BEGIN and both settings go as one simple-protocol
    // query. Parameters would need the extended protocol, one statement per round trip,
    // so the values are quoted by pg's escapeLiteral instead (the id is a catalog id anyway).
    // SET LOCAL ROLE drops any right of the login user (even a superuser's); the tenant is
    // what the policy compares tenant_id with.
    await client.query(
      `begin; select set_config('role', ${client.escapeLiteral(APP_ROLE)}, true), set_config('${TENANT_SETTING}', ${client.escapeLiteral(tenantId)}, true)`,
    );
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
