/**
 * The PromQL the dashboards share, composed from @tenantry/conventions/promql: quantiles,
 * rates, error ratios and budget shares at any grouping, and the join that adds the
 * catalog's tier and plan to per-tenant series.
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
}

/** Matching for a ratio of two aggregations with the same grouping. */
const sameGroups = (by: readonly string[]) => (by.length ? { on: by } : {});

export function latencyQuantile(quantile: number, g: Grouping): string {
  return histogramQuantile(quantile, sumBy([...g.by, LABEL_BUCKET_BOUND], rate(requestDuration.bucket(g.matchers), g.window)));
}

export function requestRate(g: Grouping): string {
  return sumBy(g.by, rate(requestDuration.count(g.matchers), g.window));
}

/**
 * Share of requests answered with 5xx. A group with traffic but no 5xx yet has no 5xx
 * series at all; `or 0 × traffic` shows it as 0 instead of leaving a gap.
 */
export function serverErrorRatio(g: Grouping): string {
  const errors = sumBy(g.by, rate(requestDuration.count([...g.matchers, requestDuration.serverError()]), g.window));
  const requests = requestRate(g);
  return binary(binary(errors, 'or', binary('0', '*', requests), sameGroups(g.by)), '/', requests, sameGroups(g.by));
}

/** Share of requests at or under their tenant's own budget (exact bucket, no interpolation). */
export function withinBudgetShare(g: Grouping): string {
  const budgetBucket = binary(rate(requestDuration.bucket(g.matchers), g.window), 'and', LATENCY_BUDGET_SECONDS, {
    on: [LABEL_TENANT, LABEL_BUCKET_BOUND],
  });
  return binary(sumBy(g.by, budgetBucket), '/', requestRate(g), sameGroups(g.by));
}

/** Copies catalog labels (tier, plan) onto per-tenant series. */
export function withTenantInfo(perTenant: string, labels: readonly string[]): string {
  return binary(perTenant, '*', TENANT_INFO, { on: [LABEL_TENANT], groupLeft: labels });
}

/** The raw histogram series of one family, labelled with a catalog label, for aggregating by it. */
function byCatalog(series: string, label: string): string {
  return binary(series, '*', TENANT_INFO, { on: [LABEL_TENANT], groupLeft: [label] });
}

export function latencyQuantileByCatalog(quantile: number, label: string, window: string): string {
  return histogramQuantile(quantile, sumBy([label, LABEL_BUCKET_BOUND], byCatalog(rate(requestDuration.bucket(), window), label)));
}

export function requestRateByCatalog(label: string, window: string): string {
  return sumBy([label], byCatalog(rate(requestDuration.count(), window), label));
}

export function serverErrorRatioByCatalog(label: string, window: string): string {
  const errors = sumBy([label], byCatalog(rate(requestDuration.count([requestDuration.serverError()]), window), label));
  const requests = requestRateByCatalog(label, window);
  return binary(binary(errors, 'or', binary('0', '*', requests), { on: [label] }), '/', requests, { on: [label] });
}
