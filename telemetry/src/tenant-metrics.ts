/**
 * `http.server.request.duration` as Tenantry's metric contract (docs/architecture.md):
 * `tenant.id` bounded to catalog ids (anything else is `unknown`), only the attributes
 * dashboards use, and bucket boundaries that include every latency budget of the catalog.
 *
 * The histogram is aggregated here and handed to every metric reader as a
 * MetricProducer, not recorded through an SDK Histogram and a View: the SDK sorts and
 * JSON-stringifies the attribute set of every record to find its series, which no
 * public API lets a View skip, and which cost more per request than everything else the
 * metric does. Here a record finds its series through nested maps keyed by the values
 * themselves (tenant, method, status code, route) and adds to preallocated counts: no
 * allocation, no hashing. The figures it hands over are what the SDK's explicit-bucket
 * histogram would hold (cumulative, upper bounds inclusive, min and max), under the
 * same instrumentation scope as the server span.
 */
import { ValueType, type Attributes, type HrTime } from '@opentelemetry/api';
import { hrTime } from '@opentelemetry/core';
import {
  AggregationTemporality,
  DataPointType,
  type CollectionResult,
  type DataPoint,
  type Histogram,
  type IMetricReader,
  type MetricProducer,
} from '@opentelemetry/sdk-metrics';
import { emptyResource } from '@opentelemetry/resources';
import {
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
} from '@opentelemetry/semantic-conventions';
import { HTTP_SERVER_DURATION_INSTRUMENT, HTTP_SERVER_DURATION_UNIT, TENANT_ATTRIBUTE, UNKNOWN_TENANT } from '@tenantry/conventions';

export interface TenantDurationHistogramProps {
  /** The tenant ids that may appear as label values. */
  readonly tenantIds: ReadonlySet<string>;
  /** Histogram bucket boundaries in seconds, e.g. `latencyBucketBoundaries(latencyBudgetsSeconds(catalog))`. */
  readonly boundaries: readonly number[];
  /** The instrumentation scope the metric is reported under. */
  readonly scope: { readonly name: string; readonly version: string };
}

/**
 * Series kept at most, as the SDK's default cardinality limit: past it (a flood of odd
 * routes from an application bug) records go to one series marked
 * `otel.metric.overflow=true`, as the SDK does.
 */
export const MAX_SERIES = 2000;
const OVERFLOW_ATTRIBUTES: Attributes = Object.freeze({ 'otel.metric.overflow': true });

interface Series {
  readonly attributes: Attributes;
  readonly counts: number[];
  sum: number;
  count: number;
  min: number;
  max: number;
}

type SeriesByRoute = Map<string, Series>;

/** The request-duration histogram of a service, per tenant, method, status code and route. */
export class TenantDurationHistogram implements MetricProducer {
  readonly #tenantIds: ReadonlySet<string>;
  readonly #boundaries: readonly number[];
  readonly #scope: TenantDurationHistogramProps['scope'];
  readonly #startTime: HrTime = hrTime();
  /** tenant → method → status code → route ('' for none) → series. */
  readonly #byTenant = new Map<string, Map<string, Map<number, SeriesByRoute>>>();
  readonly #series: Series[] = [];
  #overflow: Series | undefined;

  constructor(props: TenantDurationHistogramProps) {
    this.#tenantIds = props.tenantIds;
    this.#boundaries = [...props.boundaries];
    this.#scope = props.scope;
  }

  /**
   * Counts one request. A tenant id outside the catalog (or none) counts as `unknown`.
   * @param seconds how long the request took
   */
  record(seconds: number, tenantId: string | undefined, method: string, status: number, route: string | undefined): void {
    if (Number.isNaN(seconds)) return;
    const tenant = tenantId !== undefined && this.#tenantIds.has(tenantId) ? tenantId : UNKNOWN_TENANT;
    const series = this.#byTenant.get(tenant)?.get(method)?.get(status)?.get(route ?? '') ?? this.#newSeries(tenant, method, status, route);
    const boundaries = this.#boundaries;
    let bucket = 0;
    while (bucket < boundaries.length && (boundaries[bucket] as number) < seconds) bucket++;
    (series.counts[bucket] as number)++;
    series.sum += seconds;
    series.count++;
    if (seconds < series.min) series.min = seconds;
    if (seconds > series.max) series.max = seconds;
  }

  #newSeries(tenant: string, method: string, status: number, route: string | undefined): Series {
    if (this.#series.length >= MAX_SERIES) {
      this.#overflow ??= this.#emptySeries(OVERFLOW_ATTRIBUTES);
      return this.#overflow;
    }
    const attributes: Attributes = { [TENANT_ATTRIBUTE]: tenant, [ATTR_HTTP_REQUEST_METHOD]: method, [ATTR_HTTP_RESPONSE_STATUS_CODE]: status };
    if (route !== undefined) attributes[ATTR_HTTP_ROUTE] = route;
    const series = this.#emptySeries(Object.freeze(attributes));
    this.#series.push(series);
    let byMethod = this.#byTenant.get(tenant);
    if (byMethod === undefined) this.#byTenant.set(tenant, (byMethod = new Map()));
    let byStatus = byMethod.get(method);
    if (byStatus === undefined) byMethod.set(method, (byStatus = new Map()));
    let byRoute = byStatus.get(status);
    if (byRoute === undefined) byStatus.set(status, (byRoute = new Map()));
    byRoute.set(route ?? '', series);
    return series;
  }

  #emptySeries(attributes: Attributes): Series {
    return { attributes, counts: new Array<number>(this.#boundaries.length + 1).fill(0), sum: 0, count: 0, min: Number.POSITIVE_INFINITY, max: Number.NEGATIVE_INFINITY };
  }

  /** The histogram as it stands (cumulative since start), for a metric reader. */
  async collect(): Promise<CollectionResult> {
    const endTime = hrTime();
    const all = this.#overflow === undefined ? this.#series : [...this.#series, this.#overflow];
    const dataPoints = all.map(
      (series): DataPoint<Histogram> => ({
        startTime: this.#startTime,
        endTime,
        attributes: series.attributes,
        value: {
          buckets: { boundaries: [...this.#boundaries], counts: [...series.counts] },
          sum: series.sum,
          count: series.count,
          min: series.min,
          max: series.max,
        },
      }),
    );
    return {
      resourceMetrics: {
        // The reader reports its SDK's resource; this one is not read.
        resource: emptyResource(),
        scopeMetrics:
          dataPoints.length === 0
            ? []
            : [
                {
                  scope: this.#scope,
                  metrics: [
                    {
                      descriptor: {
                        name: HTTP_SERVER_DURATION_INSTRUMENT,
                        description: 'Duration of HTTP server requests.',
                        unit: HTTP_SERVER_DURATION_UNIT,
                        valueType: ValueType.DOUBLE,
                      },
                      aggregationTemporality: AggregationTemporality.CUMULATIVE,
                      dataPointType: DataPointType.HISTOGRAM,
                      dataPoints,
                    },
                  ],
                },
              ],
      },
      errors: [],
    };
  }
}

/**
 * `reader` as the SDK sees it, except that whatever it collects includes `producer`'s
 * metrics. Works for any reader (the Prometheus endpoint, an OTLP reader, one the
 * application passes in), where a reader's own `metricProducers` can only be set when
 * it is constructed.
 */
export class ReaderWithProducer implements IMetricReader {
  readonly #reader: IMetricReader;
  readonly #producer: MetricProducer;

  constructor(reader: IMetricReader, producer: MetricProducer) {
    this.#reader = reader;
    this.#producer = producer;
  }

  setMetricProducer(sdkProducer: MetricProducer): void {
    const extra = this.#producer;
    this.#reader.setMetricProducer({
      async collect(options): Promise<CollectionResult> {
        const [sdk, own] = await Promise.all([sdkProducer.collect(options), extra.collect(options)]);
        return {
          resourceMetrics: { resource: sdk.resourceMetrics.resource, scopeMetrics: [...sdk.resourceMetrics.scopeMetrics, ...own.resourceMetrics.scopeMetrics] },
          errors: [...sdk.errors, ...own.errors],
        };
      },
    });
  }

  selectAggregation(...args: Parameters<IMetricReader['selectAggregation']>): ReturnType<IMetricReader['selectAggregation']> {
    return this.#reader.selectAggregation(...args);
  }

  selectAggregationTemporality(...args: Parameters<IMetricReader['selectAggregationTemporality']>): ReturnType<IMetricReader['selectAggregationTemporality']> {
    return this.#reader.selectAggregationTemporality(...args);
  }

  selectCardinalityLimit(...args: Parameters<IMetricReader['selectCardinalityLimit']>): ReturnType<IMetricReader['selectCardinalityLimit']> {
    return this.#reader.selectCardinalityLimit(...args);
  }

  collect(...args: Parameters<IMetricReader['collect']>): ReturnType<IMetricReader['collect']> {
    return this.#reader.collect(...args);
  }

  shutdown(...args: Parameters<IMetricReader['shutdown']>): ReturnType<IMetricReader['shutdown']> {
    return this.#reader.shutdown(...args);
  }

  forceFlush(...args: Parameters<IMetricReader['forceFlush']>): ReturnType<IMetricReader['forceFlush']> {
    return this.#reader.forceFlush(...args);
  }
}
