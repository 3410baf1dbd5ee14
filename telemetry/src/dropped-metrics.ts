/**
 * Views that drop the metrics the default upstream instrumentations record besides the
 * contract's `http.server.request.duration`: undici's and the HTTP instrumentation's
 * client durations, redis's. Nothing reads them (docs/architecture.md, metric
 * contract). Tenantry's own pg and ioredis instrumentations record none.
 */
import { AggregationType, createAllowListAttributesProcessor, type ViewOptions } from '@opentelemetry/sdk-metrics';

/** Set to `true` to keep the instrumentations' own metrics. */
export const KEEP_INSTRUMENTATION_METRICS_VARIABLE = 'TENANTRY_OTEL_KEEP_METRICS';

/** What is dropped: every instrument of a meter, or the instruments of a meter whose names match a pattern. */
export const DROPPED_METRICS: readonly { readonly meterName: string; readonly instrumentName: string }[] = [
  { meterName: '@opentelemetry/instrumentation-undici', instrumentName: '*' },
  { meterName: '@opentelemetry/instrumentation-redis', instrumentName: '*' },
  { meterName: '@opentelemetry/instrumentation-http', instrumentName: 'http.client.*' },
];

/** One Drop view per entry of `DROPPED_METRICS`. */
export function droppedMetricViews(): ViewOptions[] {
  return DROPPED_METRICS.map(({ meterName, instrumentName }) => ({
    meterName,
    instrumentName,
    aggregation: { type: AggregationType.DROP },
    // A dropped instrument still passes its records through the SDK: with no attributes
    // left there is nothing to hash per record.
    attributesProcessors: [createAllowListAttributesProcessor([])],
  }));
}
