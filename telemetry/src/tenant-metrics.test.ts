import { randomBytes } from 'node:crypto';
import type { Attributes } from '@opentelemetry/api';
import { AggregationTemporality, AggregationType, MeterProvider, MetricReader, type DataPoint, type Histogram } from '@opentelemetry/sdk-metrics';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { latencyBudgetsSeconds, loadCatalog } from '@tenantry/catalog';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../testing/free-port.js';
import {
  HTTP_SERVER_DURATION_INSTRUMENT,
  latencyBucketBoundaries,
  LABEL_BUCKET_BOUND,
  LABEL_ROUTE,
  LABEL_TENANT,
  PROMETHEUS_DURATION_BUCKET,
  PROMETHEUS_DURATION_COUNT,
  TENANT_ATTRIBUTE,
  UNKNOWN_TENANT,
} from '@tenantry/conventions';
import { setHttpRoute } from './http-route.js';
import { tenantRequestHandler } from './middleware/node-http.js';
import { formatBound } from '@tenantry/conventions/promql';
import { startTelemetry, type TelemetryHandle } from './sdk.js';
import { MAX_SERIES, ReaderWithProducer, TenantDurationHistogram } from './tenant-metrics.js';
import { TenantResolver } from './tenant-resolver.js';
import { closeClient, listen, send, sendFromOutside } from './testing/requests.js';

const catalog = loadCatalog();
const catalogIds = catalog.tenants.map((t) => t.id);
let telemetry: TelemetryHandle;
let metricsPort: number;
let app: Awaited<ReturnType<typeof listen>>;

interface Sample {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly value: number;
}

/** Scrapes the exporter over HTTP and parses the exposition format (no label values with commas here). */
async function scrape(): Promise<Sample[]> {
  const response = await send(metricsPort, '/metrics');
  expect(response.status).toBe(200);
  const samples: Sample[] = [];
  for (const line of response.body.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)/.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[pair[1]!] = pair[2]!;
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

beforeAll(async () => {
  metricsPort = await freePort();
  telemetry = startTelemetry({
    catalog,
    environment: 'staging',
    prometheus: { port: metricsPort, host: '127.0.0.1' },
    spanProcessors: [new SimpleSpanProcessor(new InMemorySpanExporter())],
  });
  // The proxy in front of this service is trusted, so forged ids can reach the resolver through the header.
  const resolver = new TenantResolver({ catalog, environment: 'staging', trustedProxies: ['127.0.0.1'] });
  app = await listen(
    tenantRequestHandler(
      (_req, res, tenant) => {
        setHttpRoute('/api/projects');
        res.statusCode = tenant.known ? 200 : 404;
        res.end();
      },
      { resolver },
    ),
  );
});

afterAll(async () => {
  closeClient();
  await app.close();
  await telemetry.shutdown();
});

describe('http.server.request.duration on the Prometheus endpoint', () => {
  it('is http_server_request_duration_bucket with tenant_id, http_route and an exact le bucket for every budget', async () => {
    await sendFromOutside(app.port, '/api/projects', { host: 'brightwave.staging.tenantry.app' });
    const buckets = (await scrape()).filter((s) => s.name === PROMETHEUS_DURATION_BUCKET && s.labels[LABEL_TENANT] === 'brightwave');
    expect(buckets.length).toBeGreaterThan(0);
    expect(buckets[0]!.labels[LABEL_ROUTE]).toBe('/api/projects');
    const bounds = new Set(buckets.map((s) => s.labels[LABEL_BUCKET_BOUND]));
    expect(bounds).toContain('0.2');
    for (const budget of latencyBudgetsSeconds(catalog)) expect(bounds).toContain(formatBound(budget));
    // formatBound writes every boundary exactly as the exporter does, so PromQL le matchers hit.
    expect(bounds).toEqual(new Set([...latencyBucketBoundaries(latencyBudgetsSeconds(catalog)).map(formatBound), '+Inf']));
    expect(bounds).toContain('+Inf');
  });

  it('keeps tenant_id inside the catalog ids and unknown under 10,000 random tenant ids', async () => {
    const forged = Array.from({ length: 10_000 }, () => randomBytes(6).toString('hex'));
    for (let i = 0; i < forged.length; i += 200) {
      await Promise.all(
        forged.slice(i, i + 200).map((id, j) =>
          // Half claim the tenant through a trusted header, half through an unknown Host.
          sendFromOutside(app.port, '/api/projects', (i + j) % 2 === 0 ? { 'x-tenant-id': id } : { host: `${id}.staging.tenantry.app` }),
        ),
      );
    }
    const samples = (await scrape()).filter((s) => s.name === PROMETHEUS_DURATION_COUNT);
    const values = new Set(samples.map((s) => s.labels[LABEL_TENANT]));
    for (const value of values) expect([...catalogIds, UNKNOWN_TENANT]).toContain(value);
    const unknownCount = samples.filter((s) => s.labels[LABEL_TENANT] === UNKNOWN_TENANT).reduce((sum, s) => sum + s.value, 0);
    expect(unknownCount).toBe(10_000);
  });

  it('does not count scrapes of its own endpoint as requests', async () => {
    const before = (await scrape()).filter((s) => s.name === PROMETHEUS_DURATION_COUNT).reduce((sum, s) => sum + s.value, 0);
    await scrape();
    const after = (await scrape()).filter((s) => s.name === PROMETHEUS_DURATION_COUNT).reduce((sum, s) => sum + s.value, 0);
    expect(after).toBe(before);
  });
});

/** A reader to collect from by hand. */
class HandReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

type HistogramPoint = { attributes: Attributes; value: Histogram };

/** The histogram data points a reader collects for `http.server.request.duration`, in a stable order. */
async function durationPoints(reader: HandReader): Promise<HistogramPoint[]> {
  const { resourceMetrics } = await reader.collect();
  const metric = resourceMetrics.scopeMetrics.flatMap((s) => s.metrics).find((m) => m.descriptor.name === HTTP_SERVER_DURATION_INSTRUMENT);
  const points = (metric?.dataPoints ?? []) as DataPoint<Histogram>[];
  return points.map((p) => ({ attributes: p.attributes, value: p.value })).sort((a, b) => JSON.stringify(a.attributes).localeCompare(JSON.stringify(b.attributes)));
}

describe('TenantDurationHistogram', () => {
  const boundaries = latencyBucketBoundaries(latencyBudgetsSeconds(catalog));
  const scope = { name: 'test', version: '1' };
  const newHistogram = (): TenantDurationHistogram => new TenantDurationHistogram({ tenantIds: new Set(catalogIds), boundaries, scope });

  it("hands a reader what the SDK's explicit-bucket histogram holds for the same records, boundary values included", async () => {
    const records: [number, string, string, number, string | undefined][] = [
      [0.2, 'brightwave', 'GET', 200, '/api/projects'],
      [0.2000001, 'brightwave', 'GET', 200, '/api/projects'],
      [0.004, 'brightwave', 'GET', 200, '/api/projects'],
      [Number.NaN, 'brightwave', 'GET', 200, '/api/projects'],
      [12, 'harbor-law', 'POST', 503, '/api/projects'],
      [0, 'harbor-law', 'GET', 404, undefined],
    ];
    const ours = newHistogram();
    const ourReader = new HandReader();
    const ourProvider = new MeterProvider({ readers: [new ReaderWithProducer(ourReader, ours)] });
    const sdkReader = new HandReader();
    const sdkProvider = new MeterProvider({
      readers: [sdkReader],
      views: [{ instrumentName: HTTP_SERVER_DURATION_INSTRUMENT, aggregation: { type: AggregationType.EXPLICIT_BUCKET_HISTOGRAM, options: { boundaries } } }],
    });
    const sdkHistogram = sdkProvider.getMeter('test').createHistogram(HTTP_SERVER_DURATION_INSTRUMENT);
    for (const [seconds, tenant, method, status, route] of records) {
      ours.record(seconds, tenant, method, status, route);
      sdkHistogram.record(seconds, { [TENANT_ATTRIBUTE]: tenant, 'http.request.method': method, 'http.response.status_code': status, ...(route === undefined ? {} : { 'http.route': route }) });
    }
    const expected = await durationPoints(sdkReader);
    expect(expected).toHaveLength(3);
    expect(await durationPoints(ourReader)).toEqual(expected);
    await Promise.all([ourProvider.shutdown(), sdkProvider.shutdown()]);
  });

  it('counts a tenant outside the catalog, and a request with none, as unknown', async () => {
    const histogram = newHistogram();
    histogram.record(0.01, 'forged-tenant', 'GET', 200, '/api/projects');
    histogram.record(0.01, undefined, 'GET', 200, '/api/projects');
    const { resourceMetrics } = await histogram.collect();
    const points = resourceMetrics.scopeMetrics[0]?.metrics[0]?.dataPoints as DataPoint<Histogram>[];
    expect(points.map((p) => [p.attributes[TENANT_ATTRIBUTE], p.value.count])).toEqual([[UNKNOWN_TENANT, 2]]);
  });

  it(`puts records past ${MAX_SERIES} series into one otel.metric.overflow series, as the SDK does`, async () => {
    const histogram = newHistogram();
    for (let i = 0; i < MAX_SERIES + 10; i++) histogram.record(0.01, 'brightwave', 'GET', 200, `/route/${i}`);
    const { resourceMetrics } = await histogram.collect();
    const points = resourceMetrics.scopeMetrics[0]?.metrics[0]?.dataPoints as DataPoint<Histogram>[];
    expect(points).toHaveLength(MAX_SERIES + 1);
    expect(points.at(-1)?.attributes).toEqual({ 'otel.metric.overflow': true });
    expect(points.at(-1)?.value.count).toBe(10);
  });
});
