/**
 * The View that turns the HTTP instrumentation's `http.server.request.duration` into
 * Tenantry's metric contract (docs/architecture.md): `tenant.id` bounded to catalog ids
 * (anything else is `unknown`), only the attributes dashboards use, and bucket
 * boundaries that include every latency budget of the catalog.
 */
import type { Attributes, Context } from '@opentelemetry/api';
import { AggregationType, type IAttributesProcessor, type ViewOptions } from '@opentelemetry/sdk-metrics';
import {
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
} from '@opentelemetry/semantic-conventions';
import { HTTP_SERVER_DURATION_INSTRUMENT, TENANT_ATTRIBUTE, UNKNOWN_TENANT } from '@tenantry/conventions';
import { tenantSlot } from './tenant-context.js';

export interface TenantMetricViewProps {
  /** The tenant ids that may appear as label values. */
  readonly tenantIds: ReadonlySet<string>;
  /** Histogram bucket boundaries in seconds, e.g. `latencyBucketBoundaries(latencyBudgetsSeconds(catalog))`. */
  readonly boundaries: readonly number[];
}

/**
 * Adds `tenant.id` from the request's tenant slot, read at record time, and keeps only
 * the contract's attributes, so the series count is bounded by
 * tenants × methods × routes × status codes.
 */
export function tenantAttributesProcessor(tenantIds: ReadonlySet<string>): IAttributesProcessor {
  return {
    process(incoming: Attributes, ctx?: Context): Attributes {
      const tenantId = ctx === undefined ? undefined : tenantSlot(ctx)?.tenantId;
      const attributes: Attributes = {
        [TENANT_ATTRIBUTE]: tenantId !== undefined && tenantIds.has(tenantId) ? tenantId : UNKNOWN_TENANT,
        [ATTR_HTTP_REQUEST_METHOD]: incoming[ATTR_HTTP_REQUEST_METHOD],
        [ATTR_HTTP_RESPONSE_STATUS_CODE]: incoming[ATTR_HTTP_RESPONSE_STATUS_CODE],
      };
      const route = incoming[ATTR_HTTP_ROUTE];
      if (route !== undefined) attributes[ATTR_HTTP_ROUTE] = route;
      return attributes;
    },
  };
}

/** The View for `http.server.request.duration`. */
export function tenantMetricView(props: TenantMetricViewProps): ViewOptions {
  return {
    instrumentName: HTTP_SERVER_DURATION_INSTRUMENT,
    attributesProcessors: [tenantAttributesProcessor(props.tenantIds)],
    aggregation: { type: AggregationType.EXPLICIT_BUCKET_HISTOGRAM, options: { boundaries: [...props.boundaries] } },
  };
}
