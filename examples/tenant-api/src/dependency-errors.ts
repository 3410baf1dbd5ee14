/**
 * Failures that are not the client's: a dependency that is down, slow or refusing, or a
 * request past its deadline. Both answer 503 with `Retry-After`, never 500, and are not
 * counted against the client (see docs/tenant-api.md, "Statuses").
 */
import pg from 'pg';
import { ClientError } from './http-json.js';

/** A dependency failed or timed out; the message names it. */
export class DependencyError extends Error {
  constructor(
    readonly dependency: string,
    cause: unknown,
  ) {
    super(`${dependency} is unavailable: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'DependencyError';
  }
}

/** The request's deadline passed while it waited for a dependency. */
export class DeadlineExceeded extends Error {
  constructor(readonly deadlineMs: number) {
    super(`the request could not finish within its deadline of ${deadlineMs} ms`);
    this.name = 'DeadlineExceeded';
  }
}

/**
 * What an error of PostgreSQL means for the answer. SQLSTATE classes 22 (data
 * exception) and 23 (integrity) come from a value the client sent: 400. Connection,
 * resource, operator-intervention (statement_timeout, shutdown), transaction-rollback and
 * system errors, and every error of the driver itself (timeouts, refused or lost
 * connections): the database is unavailable. Anything else (42xxx, a bug in a query)
 * is left as it is, so it shows up as the bug it is.
 */
export function classifyDatabaseError(error: unknown): Error {
  if (error instanceof ClientError || error instanceof DependencyError || error instanceof DeadlineExceeded) return error;
  if (error instanceof pg.DatabaseError) {
    const sqlClass = (error.code ?? '').slice(0, 2);
    if (sqlClass === '22' || sqlClass === '23') return new ClientError(400, `a value was refused by the database: ${error.message}`);
    if (['08', '25', '40', '53', '54', '55', '57', '58', 'XX'].includes(sqlClass)) return new DependencyError('PostgreSQL', error);
    return error;
  }
  return new DependencyError('PostgreSQL', error);
}
