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

/** Attribute sets kept per tenant; beyond it (a flood of odd routes or methods) sets are built per record. */
const MAX_CACHED_SETS_PER_TENANT = 512;

/**
 * Adds `tenant.id` from the request's tenant slot, read at record time, and keeps only
 * the contract's attributes, so the series count is bounded by
 * tenants × methods × routes × status codes. The attribute sets are built once per
 * tenant, method, status code and route and reused: a record allocates nothing (the
 * SDK still hashes the set it is given, which no public API lets a processor skip).
 */
export function tenantAttributesProcessor(tenantIds: ReadonlySet<string>): IAttributesProcessor {
  const setsByTenant = new Map<string, Map<string, Attributes>>([...tenantIds, UNKNOWN_TENANT].map((id) => [id, new Map()]));
  return {
    process(incoming: Attributes, ctx?: Context): Attributes {
      const slotTenant = ctx === undefined ? undefined : tenantSlot(ctx)?.tenantId;
      const tenantId = slotTenant !== undefined && tenantIds.has(slotTenant) ? slotTenant : UNKNOWN_TENANT;
      const method = incoming[ATTR_HTTP_REQUEST_METHOD];
      const status = incoming[ATTR_HTTP_RESPONSE_STATUS_CODE];
      const route = incoming[ATTR_HTTP_ROUTE];
      const key = `${String(method)} ${String(status)} ${route === undefined ? '' : String(route)}`;
      const sets = setsByTenant.get(tenantId);
      const cached = sets?.get(key);
      if (cached !== undefined) return cached;
      const attributes: Attributes = {
        [TENANT_ATTRIBUTE]: tenantId,
        [ATTR_HTTP_REQUEST_METHOD]: method,
        [ATTR_HTTP_RESPONSE_STATUS_CODE]: status,
      };
      if (route !== undefined) attributes[ATTR_HTTP_ROUTE] = route;
      if (sets !== undefined && sets.size < MAX_CACHED_SETS_PER_TENANT) sets.set(key, Object.freeze(attributes));
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
