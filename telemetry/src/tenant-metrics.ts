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

/** One tenant's attribute sets, by method, then status code, then route ('' for none). */
interface TenantSets {
  readonly byMethod: Map<unknown, Map<unknown, Map<unknown, Attributes>>>;
  size: number;
}

/**
 * Adds `tenant.id` from the request's tenant slot, read at record time, and keeps only
 * the contract's attributes, so the series count is bounded by
 * tenants × methods × routes × status codes. The attribute sets are built once per
 * tenant, method, status code and route and reused, found through nested maps keyed by
 * the values themselves: a record allocates nothing (the SDK still hashes the set it
 * is given, which no public API lets a processor skip).
 */
export function tenantAttributesProcessor(tenantIds: ReadonlySet<string>): IAttributesProcessor {
  const setsByTenant = new Map<string, TenantSets>([...tenantIds, UNKNOWN_TENANT].map((id) => [id, { byMethod: new Map(), size: 0 }]));
  return {
    process(incoming: Attributes, ctx?: Context): Attributes {
      const slotTenant = ctx === undefined ? undefined : tenantSlot(ctx)?.tenantId;
      const tenantId = slotTenant !== undefined && tenantIds.has(slotTenant) ? slotTenant : UNKNOWN_TENANT;
      const method = incoming[ATTR_HTTP_REQUEST_METHOD];
      const status = incoming[ATTR_HTTP_RESPONSE_STATUS_CODE];
      const route = incoming[ATTR_HTTP_ROUTE];
      const sets = setsByTenant.get(tenantId);
      const byRoute = sets?.byMethod.get(method)?.get(status);
      const cached = byRoute?.get(route ?? '');
      if (cached !== undefined) return cached;
      const attributes: Attributes = {
        [TENANT_ATTRIBUTE]: tenantId,
        [ATTR_HTTP_REQUEST_METHOD]: method,
        [ATTR_HTTP_RESPONSE_STATUS_CODE]: status,
      };
      if (route !== undefined) attributes[ATTR_HTTP_ROUTE] = route;
      if (sets !== undefined && sets.size < MAX_CACHED_SETS_PER_TENANT) remember(sets, method, status, route ?? '', Object.freeze(attributes));
      return attributes;
    },
  };
}

function remember(sets: TenantSets, method: unknown, status: unknown, route: unknown, attributes: Attributes): void {
  let byStatus = sets.byMethod.get(method);
  if (byStatus === undefined) sets.byMethod.set(method, (byStatus = new Map()));
  let byRoute = byStatus.get(status);
  if (byRoute === undefined) byStatus.set(status, (byRoute = new Map()));
  byRoute.set(route, attributes);
  sets.size++;
}

/** The View for `http.server.request.duration`. */
export function tenantMetricView(props: TenantMetricViewProps): ViewOptions {
  return {
    instrumentName: HTTP_SERVER_DURATION_INSTRUMENT,
    attributesProcessors: [tenantAttributesProcessor(props.tenantIds)],
    aggregation: { type: AggregationType.EXPLICIT_BUCKET_HISTOGRAM, options: { boundaries: [...props.boundaries] } },
  };
}
