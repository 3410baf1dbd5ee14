import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { afterEach, describe, expect, it } from 'vitest';
import { HTTP_SERVER_DURATION_INSTRUMENT } from '@tenantry/conventions';
import { droppedMetricViews } from './dropped-metrics.js';

let provider: MeterProvider | undefined;

afterEach(async () => {
  await provider?.shutdown();
  provider = undefined;
});

/** Records one value into each instrument through a provider with `views`, and returns the names of what is exported. */
async function exportedInstruments(views: ReturnType<typeof droppedMetricViews>): Promise<string[]> {
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 });
  provider = new MeterProvider({ readers: [reader], views });
  provider.getMeter('@tenantry/instrumentation-http-server').createHistogram(HTTP_SERVER_DURATION_INSTRUMENT).record(0.01, { 'http.request.method': 'GET' });
  provider.getMeter('@opentelemetry/instrumentation-http').createHistogram('http.client.request.duration').record(0.01);
  const redis = provider.getMeter('@opentelemetry/instrumentation-redis');
  redis.createHistogram('db.client.operation.duration').record(0.001, { 'db.system.name': 'redis' });
  redis.createUpDownCounter('db.client.connection.count').add(1);
  provider.getMeter('@opentelemetry/instrumentation-undici').createHistogram('http.client.request.duration').record(0.02);
  provider.getMeter('@opentelemetry/instrumentation-runtime-node').createHistogram('nodejs.eventloop.delay').record(0.001);
  await reader.forceFlush();
  return exporter
    .getMetrics()
    .flatMap((r) => r.scopeMetrics.flatMap((s) => s.metrics.filter((m) => m.dataPoints.length > 0).map((m) => `${s.scope.name} ${m.descriptor.name}`)))
    .sort();
}

describe('droppedMetricViews()', () => {
  it('keeps http.server.request.duration and drops the http client, undici and redis metrics', async () => {
    expect(await exportedInstruments(droppedMetricViews())).toEqual([
      // An instrumentation the service turned on itself keeps its metrics.
      '@opentelemetry/instrumentation-runtime-node nodejs.eventloop.delay',
      `@tenantry/instrumentation-http-server ${HTTP_SERVER_DURATION_INSTRUMENT}`,
    ]);
  });

  it('exports all of them without the views (keepInstrumentationMetrics)', async () => {
    expect(await exportedInstruments([])).toHaveLength(6);
  });
});
