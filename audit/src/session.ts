/**
 * The audit's connection: one read-only, repeatable-read transaction with a statement
 * timeout, always rolled back. Every statement goes through {@link AuditSession.query},
 * which counts them (the benchmark shows the count does not grow with tenants).
 */
import pg from 'pg';

export interface SessionOptions {
  /** Longest any one statement may run before PostgreSQL cancels it. */
  readonly statementTimeoutMs: number;
}

export class AuditSession {
  private statements = 0;
  private savepoints = 0;

  private constructor(private readonly client: pg.Client) {}

  /** Connects and opens the read-only transaction; nothing this session sends can write. */
  static async open(connectionString: string, options: SessionOptions): Promise<AuditSession> {
    const client = new pg.Client({
      connectionString,
      application_name: 'tenantry-audit',
      // Also covers the time to connect and the very first statements.
      statement_timeout: options.statementTimeoutMs,
      connectionTimeoutMillis: 15_000,
    });
    await client.connect();
    const session = new AuditSession(client);
    try {
      await session.query('begin isolation level repeatable read read only');
      await session.query(`set local statement_timeout = ${Math.trunc(options.statementTimeoutMs)}`);
      // Catalog reads take no lock a writer waits on, but never wait on one either.
      await session.query(`set local lock_timeout = ${Math.min(5_000, Math.trunc(options.statementTimeoutMs))}`);
      await session.query('set local idle_in_transaction_session_timeout = 60000');
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    return session;
  }

  get queryCount(): number {
    return this.statements;
  }

  async query<Row extends object>(text: string, values: readonly unknown[] = []): Promise<Row[]> {
    this.statements += 1;
    const result = await this.client.query<Row>(text, values as unknown[]);
    return result.rows;
  }

  /**
   * Runs `work` so that whatever it changes in the session (role, settings) is undone:
   * inside a savepoint that is rolled back afterwards, also when `work` fails.
   */
  async isolated<T>(work: () => Promise<T>): Promise<T> {
    // A name per savepoint: rolling back to an outer one must not stop at an inner one.
    this.savepoints += 1;
    const name = `tenantry_audit_${this.savepoints}`;
    await this.query(`savepoint ${name}`);
    try {
      return await work();
    } finally {
      await this.query(`rollback to savepoint ${name}`);
    }
  }

  /** Rolls the transaction back and disconnects. */
  async close(): Promise<void> {
    try {
      await this.query('rollback');
    } finally {
      await this.client.end();
    }
  }
}

/**
 * Whether `error` is PostgreSQL's "data exception" class (22xxx), e.g. a policy casting ''
 * to uuid: the statement saw no row. Timeouts, lock waits and permission errors are not,
 * and must reach the caller as a check that could not run.
 */
export function isDataException(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' && error.code.startsWith('22');
}
