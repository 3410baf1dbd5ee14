import { createRequire } from 'node:module';
import { context, trace, TraceFlags } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { loadCatalog } from '@tenantry/catalog';
import { TENANT_ATTRIBUTE } from '@tenantry/conventions';
import type { Redis as RedisClient } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startRedis, type RedisServer } from '../../testing/redis.js';
import { redisQueryText } from './ioredis-instrumentation.js';
import { startTelemetry, type TelemetryHandle } from './sdk.js';
import { withTenant } from './tenant-context.js';

const exporter = new InMemorySpanExporter();
let telemetry: TelemetryHandle;
let server: RedisServer;
let redis: RedisClient;

beforeAll(async () => {
  telemetry = startTelemetry({ catalog: loadCatalog(), prometheus: false, spanProcessors: [new SimpleSpanProcessor(exporter)] });
  // Required after the SDK started, through require, so the instrumentation patches it.
  const { Redis } = createRequire(import.meta.url)('ioredis') as typeof import('ioredis');
  server = await startRedis();
  redis = new Redis(server.url);
}, 60_000);

afterAll(async () => {
  await redis?.quit();
  await server?.stop();
  await telemetry?.shutdown();
});

beforeEach(() => exporter.reset());

/** The spans of a trace once its root is exported (the first spans wait for the resource detectors). */
async function exported(traceId: string): Promise<ReadableSpan[]> {
  const ofTrace = (): ReadableSpan[] => exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
  for (let i = 0; i < 200 && !ofTrace().some((s) => s.parentSpanContext === undefined); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  return ofTrace();
}

describe('the ioredis instrumentation', () => {
  it('makes a span per command in a sampled request, with the tenant and the key but not the value', async () => {
    const traceId = await withTenant('harbor-law', () =>
      trace.getTracer('test').startActiveSpan('request', async (span) => {
        await redis.set('report:harbor-law', 'secret value');
        await redis.get('report:harbor-law');
        span.end();
        return span.spanContext().traceId;
      }),
    );
    const commands = (await exported(traceId)).filter((s) => s.name !== 'request');
    expect(commands.map((s) => s.name)).toEqual(['set', 'get']);
    for (const command of commands) {
      expect(command.attributes).toMatchObject({ [TENANT_ATTRIBUTE]: 'harbor-law', 'db.system.name': 'redis', 'server.port': server.port });
      expect(JSON.stringify(command.attributes)).not.toContain('secret value');
    }
    expect(commands[1]?.attributes['db.query.text']).toBe('get report:harbor-law');
  });

  it('makes no span for a request that is not sampled, nor outside a request', async () => {
    const unsampled = trace.wrapSpanContext({ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: TraceFlags.NONE });
    await context.with(trace.setSpan(context.active(), unsampled), () => redis.get('report:harbor-law'));
    await redis.get('report:harbor-law');
    // A sampled marker after them: once it is exported, nothing else is on its way.
    const marker = trace.getTracer('test').startSpan('marker');
    marker.end();
    await exported(marker.spanContext().traceId);
    expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual(['marker']);
  });
});

describe('redisQueryText()', () => {
  it('is the command and its key only', () => {
    expect(redisQueryText('set', ['k', 'value'])).toBe('set k');
    expect(redisQueryText('get', [Buffer.from('k')])).toBe('get k');
    expect(redisQueryText('ping', [])).toBe('ping');
  });
});
