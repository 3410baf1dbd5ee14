import { trace } from '@opentelemetry/api';
import { AggregationTemporality, InMemoryMetricExporter, PeriodicExportingMetricReader, type HistogramMetricData } from '@opentelemetry/sdk-metrics';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { loadCatalog } from '@tenantry/catalog';
import { HTTP_SERVER_DURATION_INSTRUMENT, TENANT_ATTRIBUTE } from '@tenantry/conventions';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { setHttpRoute } from './http-route.js';
import { tenantRequestHandler } from './middleware/node-http.js';
import { startTelemetry, type TelemetryHandle } from './sdk.js';
import { currentTenant } from './tenant-context.js';
import { closeClient, listen, sendFromOutside } from './testing/requests.js';

const spans = new InMemorySpanExporter();
const metrics = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
const reader = new PeriodicExportingMetricReader({ exporter: metrics, exportIntervalMillis: 3_600_000 });
let telemetry: TelemetryHandle;
let app: Awaited<ReturnType<typeof listen>>;
const host = { host: 'harbor-law.staging.tenantry.app' };
/** A traceparent whose caller decided not to sample: parent-based sampling follows it. */
const UNSAMPLED_PARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00';

beforeAll(async () => {
  telemetry = startTelemetry({ catalog: loadCatalog(), environment: 'staging', prometheus: false, metricReaders: [reader], spanProcessors: [new SimpleSpanProcessor(spans)] });
  app = await listen(
    tenantRequestHandler((request, response) => {
      setHttpRoute('/api/projects/:id');
      // A body listener runs in the request's context too.
      let tenantInBody: string | undefined;
      request.on('data', () => (tenantInBody = currentTenant()));
      request.on('end', () => {
        response.statusCode = request.url?.endsWith('/fail') ? 503 : 200;
        response.end(JSON.stringify({ trace: trace.getActiveSpan()?.spanContext().traceId, tenantInBody }));
      });
    }),
  );
});

afterAll(async () => {
  closeClient();
  await app.close();
  await telemetry.shutdown();
});

beforeEach(() => spans.reset());

async function serverSpan(traceId: string): Promise<ReadableSpan> {
  for (let i = 0; i < 200; i++) {
    const span = spans.getFinishedSpans().find((s) => s.spanContext().traceId === traceId && s.parentSpanContext === undefined);
    if (span !== undefined) return span;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`no server span for trace ${traceId}`);
}

/** Requests counted in http.server.request.duration, per `<tenant> <status code>`. */
async function durationCounts(): Promise<Map<string, number>> {
  await reader.forceFlush();
  const counts = new Map<string, number>();
  for (const resource of metrics.getMetrics().slice(-1))
    for (const scope of resource.scopeMetrics)
      for (const metric of scope.metrics)
        if (metric.descriptor.name === HTTP_SERVER_DURATION_INSTRUMENT)
          for (const point of (metric as HistogramMetricData).dataPoints) {
            const key = `${point.attributes[TENANT_ATTRIBUTE]} ${point.attributes['http.response.status_code']}`;
            counts.set(key, (counts.get(key) ?? 0) + point.value.count);
          }
  return counts;
}

describe('the HTTP server instrumentation', () => {
  it('names the server span by route and gives it the tenant and stable semantic-convention attributes', async () => {
    const response = await sendFromOutside(app.port, '/api/projects/42?x=1', host, 'POST', 'body');
    const body = JSON.parse(response.body) as { trace: string; tenantInBody: string };
    expect(body.tenantInBody).toBe('harbor-law');
    const span = await serverSpan(body.trace);
    expect(span.name).toBe('POST /api/projects/:id');
    expect(span.attributes).toMatchObject({
      [TENANT_ATTRIBUTE]: 'harbor-law',
      'http.request.method': 'POST',
      'http.route': '/api/projects/:id',
      'http.response.status_code': 200,
      'url.path': '/api/projects/42',
      'url.query': 'x=1',
      'url.scheme': 'http',
      'server.address': 'harbor-law.staging.tenantry.app',
    });
    expect(span.status.code).toBe(0);
  });

  it('marks a 5xx answer as an error', async () => {
    const response = await sendFromOutside(app.port, '/api/projects/fail', host);
    const span = await serverSpan((JSON.parse(response.body) as { trace: string }).trace);
    expect(span.status.code).toBe(2);
    expect(span.attributes['error.type']).toBe('503');
  });

  it('records no span for a request its caller did not sample, but still counts it in the metric with its tenant', async () => {
    const before = (await durationCounts()).get('harbor-law 200') ?? 0;
    const response = await sendFromOutside(app.port, '/api/projects/7', { ...host, traceparent: UNSAMPLED_PARENT });
    const { trace: traceId, tenantInBody } = JSON.parse(response.body) as { trace: string; tenantInBody?: string };
    expect(traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(tenantInBody).toBeUndefined(); // no body, no data event
    // A sampled request after it: once its span is exported, the unsampled one would have been too.
    const marker = await sendFromOutside(app.port, '/api/projects/8', host);
    await serverSpan((JSON.parse(marker.body) as { trace: string }).trace);
    expect(spans.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId)).toEqual([]);
    expect((await durationCounts()).get('harbor-law 200')).toBe(before + 2);
  });
});
