import { createRequire } from 'node:module';
import { context, trace, TraceFlags, type Span } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { loadCatalog } from '@tenantry/catalog';
import { DB_TRANSACTION_STATEMENT_EVENT, TENANT_ATTRIBUTE } from '@tenantry/conventions';
import type pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startPostgres, type PostgresServer } from '../../testing/postgres.js';
import { isTransactionPlumbing, querySpanName } from './pg-instrumentation.js';
import { startTelemetry, type TelemetryHandle } from './sdk.js';
import { withTenant } from './tenant-context.js';

const exporter = new InMemorySpanExporter();
let telemetry: TelemetryHandle;
let postgres: PostgresServer;
let pool: pg.Pool;

beforeAll(async () => {
  telemetry = startTelemetry({ catalog: loadCatalog(), environment: 'staging', prometheus: false, spanProcessors: [new SimpleSpanProcessor(exporter)] });
  // Required after the SDK started, through require, so the instrumentation patches it.
  const { Pool } = createRequire(import.meta.url)('pg') as typeof pg;
  postgres = await startPostgres();
  pool = new Pool({ connectionString: postgres.url, max: 2 });
}, 60_000);

afterAll(async () => {
  await pool?.end();
  await postgres?.stop();
  await telemetry?.shutdown();
});

beforeEach(() => exporter.reset());

/** Runs `work` inside a recording request span of `tenantId`, the way a request handler runs. */
async function inRequest<T>(tenantId: string, work: () => Promise<T>): Promise<{ result: T; request: ReadableSpan; children: ReadableSpan[] }> {
  const tracer = trace.getTracer('test');
  let traceId = '';
  const result = await withTenant(tenantId, () =>
    tracer.startActiveSpan('request', async (span: Span) => {
      traceId = span.spanContext().traceId;
      try {
        return await work();
      } finally {
        span.end();
      }
    }),
  );
  const spans = await exported(traceId);
  const request = spans.find((s) => s.name === 'request');
  if (request === undefined) throw new Error('the request span was not exported');
  return { result, request, children: spans.filter((s) => s !== request) };
}

/**
 * The finished spans of a trace once its root has been exported: the first spans wait
 * for the resource detectors, so a span can be exported a moment after it ends.
 */
async function exported(traceId: string): Promise<ReadableSpan[]> {
  const ofTrace = (): ReadableSpan[] => exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
  for (let i = 0; i < 200 && !ofTrace().some((s) => s.parentSpanContext === undefined); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  return ofTrace();
}

/** Every span exported so far, after a marker span has come through (so none is still on its way). */
async function allExported(): Promise<ReadableSpan[]> {
  const marker = trace.getTracer('test').startSpan('marker');
  marker.end();
  await exported(marker.spanContext().traceId);
  return exporter.getFinishedSpans().filter((s) => s.name !== 'marker');
}

/** A tenant transaction as the reference service runs it: preamble, work, COMMIT. */
async function tenantTransaction(tenantId: string, sql: string): Promise<unknown[]> {
  const client = await pool.connect();
  try {
    await client.query(`begin; select set_config('app.current_tenant', ${client.escapeLiteral(tenantId)}, true)`);
    const result = await client.query(sql);
    await client.query('commit');
    return result.rows;
  } catch (error) {
    await client.query('rollback');
    throw error;
  } finally {
    client.release();
  }
}

describe('the pg instrumentation in a sampled request', () => {
  it('makes one span for the query that does the work, with the tenant, and records BEGIN, set_config and COMMIT as events', async () => {
    const { request, children } = await inRequest('harbor-law', () => tenantTransaction('harbor-law', "select current_setting('app.current_tenant') as tenant"));
    expect(children.map((s) => s.name)).toEqual(['pg.query:SELECT postgres']);
    const [query] = children;
    expect(query?.attributes).toMatchObject({
      [TENANT_ATTRIBUTE]: 'harbor-law',
      'db.system.name': 'postgresql',
      'db.namespace': 'postgres',
      'db.query.text': "select current_setting('app.current_tenant') as tenant",
      'server.port': postgres.port,
    });
    const events = request.events.filter((e) => e.name === DB_TRANSACTION_STATEMENT_EVENT).map((e) => e.attributes?.['db.query.text']);
    expect(events).toEqual(["begin; select set_config('app.current_tenant', 'harbor-law', true)", 'commit']);
  });

  it('marks a failed query as an error with its SQLSTATE and no message that could hold data', async () => {
    const { children } = await inRequest('harbor-law', () => tenantTransaction('harbor-law', 'select * from no_such_table').catch(() => []));
    const failed = children.find((s) => s.name === 'pg.query:SELECT postgres');
    expect(failed?.status).toEqual({ code: 2 });
    expect(failed?.attributes['error.type']).toBe('42P01');
    expect(failed?.attributes[TENANT_ATTRIBUTE]).toBe('harbor-law');
  });

  it('ends the span of a callback-style query and runs the callback in the caller\'s context', async () => {
    const { result, children } = await inRequest('harbor-law', async () => {
      const client = await pool.connect();
      try {
        return await new Promise<string | undefined>((resolve, reject) => {
          client.query('select 1 as one', (error: Error | null) => (error ? reject(error) : resolve(trace.getActiveSpan()?.spanContext().spanId)));
        });
      } finally {
        client.release();
      }
    });
    expect(children.map((s) => s.name)).toEqual(['pg.query:SELECT postgres']);
    expect(result).toBeDefined();
    expect(children[0]?.parentSpanContext?.spanId).toBe(result);
  });

  it("ends the span of a query config's own callback when the answer arrives, runs it in the caller's context, and leaves the config alone", async () => {
    let config: pg.QueryConfig & { callback?: (error: Error | null) => void } = { text: 'select pg_sleep(0.05) as slept' };
    let callback: ((error: Error | null) => void) | undefined;
    const { result, children } = await inRequest('harbor-law', async () => {
      const client = await pool.connect();
      try {
        return await new Promise<string | undefined>((resolve, reject) => {
          callback = (error) => (error ? reject(error) : resolve(trace.getActiveSpan()?.spanContext().spanId));
          config = { ...config, callback };
          void client.query(config);
        });
      } finally {
        client.release();
      }
    });
    const [query] = children;
    expect(query?.name).toBe('pg.query:SELECT postgres');
    // Ended by the answer, 50 ms after the query left, not when it left.
    expect(query?.duration[0] === 0 ? query.duration[1] : Number.POSITIVE_INFINITY).toBeGreaterThanOrEqual(40_000_000);
    expect(query?.parentSpanContext?.spanId).toBe(result);
    expect(config.callback).toBe(callback);
  });

  it("parents a pool.query that waited for a busy pool's client to its own request, not to the request that released the client", async () => {
    // Both clients of the pool are held by a first request, so the second request's
    // pool.query waits in the pool's queue and is handed a client when the first releases it.
    const held = await Promise.all([pool.connect(), pool.connect()]);
    const waiting = inRequest('ledgerline', () => pool.query('select 2 as two'));
    const releasing = inRequest('harbor-law', async () => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      for (const client of held) client.release();
    });
    const [second, first] = await Promise.all([waiting, releasing]);
    expect(first.children).toEqual([]);
    expect(second.children.map((s) => s.name)).toEqual(['pg.query:SELECT postgres']);
    expect(second.children[0]?.parentSpanContext?.spanId).toBe(second.request.spanContext().spanId);
    expect(second.children[0]?.attributes[TENANT_ATTRIBUTE]).toBe('ledgerline');
  });
});

describe('the pg instrumentation outside a sampled request', () => {
  it('makes no span and no event for a request that is not sampled', async () => {
    const unsampled = trace.wrapSpanContext({ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: TraceFlags.NONE });
    await context.with(trace.setSpan(context.active(), unsampled), () => tenantTransaction('harbor-law', 'select 1'));
    expect(await allExported()).toEqual([]);
  });

  it('makes no span for a query outside any request', async () => {
    await tenantTransaction('harbor-law', 'select 1');
    expect(await allExported()).toEqual([]);
  });
});

describe('isTransactionPlumbing()', () => {
  it.each([
    ['begin', true],
    ['BEGIN; select set_config(\'role\', \'tenant_api\', true), set_config(\'app.current_tenant\', \'a\', true)', true],
    ['start transaction isolation level serializable', true],
    ['commit', true],
    ['COMMIT;', true],
    ['rollback', true],
    ['set local statement_timeout = 1000', true],
    ['select set_config(\'a\', \'b\', true) from projects', false],
    ['select * from projects', false],
    ['begin; select * from projects', false],
    ['settle_accounts()', false],
    ['', false],
  ])('%j is plumbing: %s', (text, expected) => {
    expect(isTransactionPlumbing(text)).toBe(expected);
  });
});

describe('querySpanName()', () => {
  it('is pg.query:<COMMAND> <database>, as upstream names it', () => {
    expect(querySpanName('  select 1', 'tenant_api')).toBe('pg.query:SELECT tenant_api');
    expect(querySpanName('COMMIT;', undefined)).toBe('pg.query:COMMIT');
  });
});
