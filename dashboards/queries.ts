/**
 * The PromQL the dashboards share, composed from @tenantry/conventions/promql: quantiles,
 * rates, error ratios and budget shares at any grouping, including by the catalog's
 * tier and plan (joined onto per-tenant series, as they are not metric labels).
 */
import { LABEL_BUCKET_BOUND, LABEL_TENANT } from '@tenantry/conventions';
import { binary, histogramQuantile, rate, requestDuration, sumBy, type LabelMatcher } from '@tenantry/conventions/promql';
import { LATENCY_BUDGET_SECONDS, TENANT_INFO } from '@tenantry/conventions';

export interface Grouping {
  /** Labels to keep, e.g. ['tenant_id'] or ['http_route']. */
  readonly by: readonly string[];
  readonly matchers: readonly LabelMatcher[];
  /** A PromQL range or a Grafana interval variable. */
  readonly window: string;
  /**
   * Catalog labels (tier, plan) to copy onto the per-tenant series before aggregating,
   * so that `by` may name them: they are not metric labels.
   * @default - none
   */
  readonly catalogLabels?: readonly string[];
}

/** One grouping per value of a catalog label (tier or plan), over every tenant. */
export function byCatalogLabel(label: string, window: string): Grouping {
  return { by: [label], matchers: [], window, catalogLabels: [label] };
}

/** Matching for a ratio of two aggregations with the same grouping. */
const sameGroups = (by: readonly string[]) => (by.length ? { on: by } : {});

/** Copies catalog labels (tier, plan) onto per-tenant series. */
export function withTenantInfo(perTenant: string, labels: readonly string[]): string {
  return binary(perTenant, '*', TENANT_INFO, { on: [LABEL_TENANT], groupLeft: labels });
}

/** Per-tenant series ready to aggregate by `g`: with its catalog labels joined on, when it names any. */
const groupable = (series: string, g: Grouping): string => (g.catalogLabels?.length ? withTenantInfo(series, g.catalogLabels) : series);

export function latencyQuantile(quantile: number, g: Grouping): string {
  return histogramQuantile(quantile, sumBy([...g.by, LABEL_BUCKET_BOUND], groupable(rate(requestDuration.bucket(g.matchers), g.window), g)));
}

export function requestRate(g: Grouping): string {
  return sumBy(g.by, groupable(rate(requestDuration.count(g.matchers), g.window), g));
}

/**
 * Share of requests answered with 5xx. A group with traffic but no 5xx yet has no 5xx
 * series at all; `or 0 × traffic` shows it as 0 instead of leaving a gap.
 */
export function serverErrorRatio(g: Grouping): string {
  const errors = sumBy(g.by, groupable(rate(requestDuration.count([...g.matchers, requestDuration.serverError()]), g.window), g));
  const requests = requestRate(g);
  return binary(binary(errors, 'or', binary('0', '*', requests), sameGroups(g.by)), '/', requests, sameGroups(g.by));
}

/** Share of requests at or under their tenant's own budget (exact bucket, no interpolation). */
export function withinBudgetShare(g: Grouping): string {
  const budgetBucket = binary(rate(requestDuration.bucket(g.matchers), g.window), 'and', LATENCY_BUDGET_SECONDS, {
    on: [LABEL_TENANT, LABEL_BUCKET_BOUND],
  });
  return binary(sumBy(g.by, groupable(budgetBucket, g)), '/', requestRate(g), sameGroups(g.by));
}
