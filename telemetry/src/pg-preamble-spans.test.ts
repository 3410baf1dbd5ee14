import { createRequire } from 'node:module';
import { trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { loadCatalog } from '@tenantry/catalog';
import { TENANT_ATTRIBUTE } from '@tenantry/conventions';
import type pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startPostgres, type PostgresServer } from '../../testing/postgres.js';
import { startTelemetry, type TelemetryHandle } from './sdk.js';
import { withTenant } from './tenant-context.js';

const exporter = new InMemorySpanExporter();
let telemetry: TelemetryHandle;
let postgres: PostgresServer;
let pool: pg.Pool;

beforeAll(async () => {
  telemetry = startTelemetry({ catalog: loadCatalog(), prometheus: false, preambleSpans: true, spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const { Pool } = createRequire(import.meta.url)('pg') as typeof pg;
  postgres = await startPostgres();
  pool = new Pool({ connectionString: postgres.url, max: 1 });
}, 60_000);

afterAll(async () => {
  await pool?.end();
  await postgres?.stop();
  await telemetry?.shutdown();
});

it('gives BEGIN, set_config and COMMIT spans of their own again with preambleSpans: true, each with the tenant', async () => {
  const traceId = await withTenant('harbor-law', () =>
    trace.getTracer('test').startActiveSpan('request', async (span) => {
      const client = await pool.connect();
      try {
        await client.query("begin; select set_config('app.current_tenant', 'harbor-law', true)");
        await client.query('select 1');
        await client.query('commit');
      } finally {
        client.release();
        span.end();
      }
      return span.spanContext().traceId;
    }),
  );
  // The first spans are exported once the resource detectors are done: wait for the root.
  const done = (): boolean => exporter.getFinishedSpans().some((s) => s.spanContext().traceId === traceId && s.name === 'request');
  for (let i = 0; i < 200 && !done(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  const queries = exporter.getFinishedSpans().filter((s) => s.name.startsWith('pg.query:'));
  expect(queries.map((s) => s.name)).toEqual(['pg.query:BEGIN postgres', 'pg.query:SELECT postgres', 'pg.query:COMMIT postgres']);
  for (const query of queries) expect(query.attributes[TENANT_ATTRIBUTE]).toBe('harbor-law');
});
