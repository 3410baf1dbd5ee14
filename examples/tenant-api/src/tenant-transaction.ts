/**
 * Every database access of a request runs here: one transaction, as the app role, with
 * the tenant set for the RLS policy. Both settings are transaction-local (`true`), so a
 * pooled connection never carries one request's tenant into the next.
 */
import type pg from 'pg';
import { DeadlineExceeded, classifyDatabaseError } from './dependency-errors.js';
import { ClientError } from './http-json.js';
import { APP_ROLE, TENANT_SETTING } from './migrations.js';

/**
 * Time kept for COMMIT before the request's deadline: a transaction that reaches its
 * commit later rolls back instead, so a request answered 503 by its deadline has not
 * written. (Only a commit whose answer never comes, the server freezing in that
 * instant, remains in doubt.)
 */
export const COMMIT_RESERVE_MS = 500;

/** When a request must be answered by. */
export interface RequestDeadline {
  /** `performance.now()` of the deadline. */
  readonly at: number;
  /** The deadline's length, for messages. */
  readonly ms: number;
  /**
   * Set while COMMIT is on its way: the deadline then waits for its answer (bounded by
   * the query timeout) rather than answering 503 for a write that may have landed.
   */
  committing?: boolean;
}

/**
 * Runs `work` in a transaction scoped to `tenantId`; commits on success, rolls back on a
 * client error or when the request's deadline is too close to commit.
 *
 * @param deadline the request's: `at` is the `performance.now()` by which it is answered, `ms` its length
 * @throws DeadlineExceeded when the commit would come too late (rolled back)
 * @throws ClientError from `work` or for a value the database refused; DependencyError
 *   when PostgreSQL is down, slow or refusing (the caller answers 503)
 */
export async function inTenantTransaction<T>(
  pool: pg.Pool,
  tenantId: string,
  work: (client: pg.PoolClient) => Promise<T>,
  deadline: RequestDeadline = { at: Number.POSITIVE_INFINITY, ms: Number.POSITIVE_INFINITY },
): Promise<T> {
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (error) {
    throw classifyDatabaseError(error);
  }
  // A checked-out client whose connection dies (server stopped) emits 'error'; unheard,
  // that would crash the process. The failing query rejects on its own.
  let lost: Error | undefined;
  const onError = (error: Error): void => {
    lost = error;
  };
  client.on('error', onError);
  let release: Error | boolean = false;
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
    if (performance.now() > deadline.at - COMMIT_RESERVE_MS) throw new DeadlineExceeded(deadline.ms);
    deadline.committing = true;
    await client.query('commit');
    return result;
  } catch (error) {
    const classified = classifyDatabaseError(error);
    if ((classified instanceof ClientError || classified instanceof DeadlineExceeded) && lost === undefined) {
      await client.query('rollback').catch((rollbackError: Error) => {
        release = rollbackError;
      });
    } else {
      // The connection is lost, timed out or in an unknown state: waiting for a rollback
      // would only add the timeout again. Destroying it ends the transaction on the server.
      release = lost ?? (error instanceof Error ? error : true);
    }
    throw classified;
  } finally {
    client.off('error', onError);
    client.release(release);
  }
}
