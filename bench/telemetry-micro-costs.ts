/**
 * The parts of the telemetry cost model that are too small to see as a difference
 * between two services on a shared machine: measured in this process, in a loop, as
 * CPU time (process.cpuUsage) per operation, median of several repetitions.
 *
 * The floor of any tracing set-up is one non-recording span plus one histogram record
 * per request: what a request costs when it is not sampled and nothing else runs. The
 * record is measured both ways: through an SDK Histogram and a View (which hashes the
 * attribute set per record), and through Tenantry's own aggregation, which
 * @tenantry/telemetry uses; the floor counts the latter.
 */
import { Writable } from 'node:stream';
import { ROOT_CONTEXT, SpanKind, context, trace, type Attributes, type Context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { AggregationTemporality, AggregationType, MeterProvider, MetricReader, createAllowListAttributesProcessor } from '@opentelemetry/sdk-metrics';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import { HTTP_SERVER_DURATION_INSTRUMENT, TENANT_ATTRIBUTE } from '@tenantry/conventions';
import { HTTP_SERVER_INSTRUMENTATION_SCOPE } from '../telemetry/src/http-server-instrumentation.js';
import { pino } from 'pino';
import { tenantLogMixin } from '../telemetry/src/pino.js';
import { tenantSlot, withTenantSlot } from '../telemetry/src/tenant-context.js';
import { TenantDurationHistogram } from '../telemetry/src/tenant-metrics.js';

export interface MicroCost {
  readonly part: string;
  /** CPU microseconds per operation. */
  readonly microseconds: number;
}

const REPETITIONS = 5;

/** CPU µs per call of `operation`, median of REPETITIONS loops of `iterations` calls. */
function cpuMicrosecondsPerOperation(iterations: number, operation: (i: number) => void): number {
  for (let i = 0; i < iterations / 10; i++) operation(i); // warm the JIT
  const samples: number[] = [];
  for (let r = 0; r < REPETITIONS; r++) {
    const before = process.cpuUsage();
    for (let i = 0; i < iterations; i++) operation(i);
    const used = process.cpuUsage(before);
    samples.push((used.user + used.system) / iterations);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)] ?? Number.NaN;
}

/** The attributes the HTTP instrumentation puts on a server span, for realistic spans. */
const SERVER_SPAN_ATTRIBUTES: Attributes = {
  'http.request.method': 'GET',
  'url.scheme': 'http',
  'url.path': '/api/projects',
  'server.address': 'harbor-law.tenantry.app',
  'server.port': 8080,
  'network.peer.address': '127.0.0.1',
  'network.peer.port': 51234,
  'network.protocol.version': '1.1',
  'user_agent.original': 'autocannon',
  'http.route': '/api/projects',
  'http.response.status_code': 200,
  [TENANT_ATTRIBUTE]: 'harbor-law',
};

class CollectingReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

/** Each part's CPU µs per operation; `tenantIds` are the catalog's ids (metric label values). */
export async function measureMicroCosts(tenantIds: readonly string[]): Promise<MicroCost[]> {
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  try {
    const tenantId = tenantIds[0] ?? 'tenant';
    const requestContext: Context = withTenantSlot(ROOT_CONTEXT, { tenantId });

    const unsampled = new BasicTracerProvider({ sampler: new AlwaysOffSampler() }).getTracer('bench');
    const nonRecordingSpan = cpuMicrosecondsPerOperation(200_000, () => {
      unsampled.startSpan('GET /api/projects', { kind: SpanKind.SERVER }, requestContext).end();
    });

    const sampledNoExport = new BasicTracerProvider({ sampler: new AlwaysOnSampler() }).getTracer('bench');
    const recordingSpan = cpuMicrosecondsPerOperation(50_000, () => {
      sampledNoExport.startSpan('GET /api/projects', { kind: SpanKind.SERVER, attributes: SERVER_SPAN_ATTRIBUTES }, requestContext).end();
    });

    const boundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2.5, 5];
    const reader = new CollectingReader();
    // The SDK way: a View keeping the contract's attributes (the tenant added by an attributes processor).
    const meterProvider = new MeterProvider({
      readers: [reader],
      views: [
        {
          instrumentName: HTTP_SERVER_DURATION_INSTRUMENT,
          attributesProcessors: [
            createAllowListAttributesProcessor(['http.request.method', 'http.response.status_code', 'http.route']),
            { process: (incoming, ctx) => ({ ...incoming, [TENANT_ATTRIBUTE]: (ctx && tenantSlot(ctx)?.tenantId) ?? 'unknown' }) },
          ],
          aggregation: { type: AggregationType.EXPLICIT_BUCKET_HISTOGRAM, options: { boundaries } },
        },
      ],
    });
    const histogram = meterProvider.getMeter('bench').createHistogram(HTTP_SERVER_DURATION_INSTRUMENT);
    const metricAttributes: Attributes = {
      'http.request.method': 'GET',
      'url.scheme': 'http',
      'http.response.status_code': 200,
      'network.protocol.version': '1.1',
      'http.route': '/api/projects',
    };
    const contexts = tenantIds.map((id) => withTenantSlot(ROOT_CONTEXT, { tenantId: id }));
    const sdkHistogramRecord = cpuMicrosecondsPerOperation(200_000, (i) => {
      histogram.record(0.004, metricAttributes, contexts[i % contexts.length]);
    });
    await meterProvider.shutdown();
    const own = new TenantDurationHistogram({ tenantIds: new Set(tenantIds), boundaries, scope: HTTP_SERVER_INSTRUMENTATION_SCOPE });
    const histogramRecord = cpuMicrosecondsPerOperation(200_000, (i) => {
      own.record(0.004, tenantSlot(contexts[i % contexts.length] ?? ROOT_CONTEXT)?.tenantId, 'GET', 200, '/api/projects');
    });

    const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
    const plain = pino({ name: 'bench' }, sink);
    const mixed = pino({ name: 'bench', mixin: tenantLogMixin() }, sink);
    const spanContext = trace.setSpan(requestContext, sampledNoExport.startSpan('request', {}, requestContext));
    const lineWithout = cpuMicrosecondsPerOperation(50_000, () => context.with(spanContext, () => plain.info('listing projects')));
    const lineWith = cpuMicrosecondsPerOperation(50_000, () => context.with(spanContext, () => mixed.info('listing projects')));

    const exporter = new InMemorySpanExporter();
    const recorder = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }).getTracer('bench');
    for (let i = 0; i < 512; i++) recorder.startSpan('GET /api/projects', { kind: SpanKind.SERVER, attributes: SERVER_SPAN_ATTRIBUTES }, requestContext).end();
    const batch: ReadableSpan[] = exporter.getFinishedSpans();
    const json = cpuMicrosecondsPerOperation(20, () => JsonTraceSerializer.serializeRequest(batch)) / batch.length;
    const protobuf = cpuMicrosecondsPerOperation(20, () => ProtobufTraceSerializer.serializeRequest(batch)) / batch.length;

    return [
      { part: 'non-recording span (start + end)', microseconds: nonRecordingSpan },
      { part: 'recording span, 12 attributes, no processor', microseconds: recordingSpan },
      { part: 'histogram record, SDK Histogram + View (as before)', microseconds: sdkHistogramRecord },
      { part: "histogram record, Tenantry's own aggregation", microseconds: histogramRecord },
      { part: 'floor: non-recording span + histogram record', microseconds: nonRecordingSpan + histogramRecord },
      { part: 'log mixin, per pino line', microseconds: lineWith - lineWithout },
      { part: 'OTLP serialization http/json, per span', microseconds: json },
      { part: 'OTLP serialization http/protobuf, per span', microseconds: protobuf },
    ];
  } finally {
    context.disable();
    contextManager.disable();
  }
}
