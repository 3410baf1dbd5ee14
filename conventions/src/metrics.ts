/**
 * The metric and trace contract of Tenantry (see docs/architecture.md, "Contracts that cross
 * folders"). The telemetry package writes these names; dashboards, alert rules, load
 * tests and the canary gate read them from here and nowhere else, so the pipeline can
 * change in one place.
 */

/** Span, metric and log attribute carrying the tenant. */
export const TENANT_ATTRIBUTE = 'tenant.id';
/** W3C baggage key carrying the tenant to internal services. */
export const TENANT_BAGGAGE_KEY = 'tenant.id';
/** Metric label value for any tenant id that is not in the catalog. */
export const UNKNOWN_TENANT = 'unknown';
/**
 * Span event for a transaction's plumbing statement (BEGIN, set_config, COMMIT,
 * ROLLBACK), recorded on the enclosing span instead of a span of its own; its
 * `db.query.text` attribute holds the statement.
 */
export const DB_TRANSACTION_STATEMENT_EVENT = 'db.transaction.statement';

/** The OpenTelemetry histogram every service records (stable HTTP semantic conventions). */
export const HTTP_SERVER_DURATION_INSTRUMENT = 'http.server.request.duration';
export const HTTP_SERVER_DURATION_UNIT = 's';

/**
 * The same histogram as Prometheus sees it when scraped from
 * `@opentelemetry/exporter-prometheus` (no unit suffix). Through an OpenTelemetry
 * Collector it would be `http_server_request_duration_seconds`: change it here only.
 */
export const PROMETHEUS_DURATION_METRIC = 'http_server_request_duration';
export const PROMETHEUS_DURATION_BUCKET = `${PROMETHEUS_DURATION_METRIC}_bucket`;
export const PROMETHEUS_DURATION_COUNT = `${PROMETHEUS_DURATION_METRIC}_count`;
export const PROMETHEUS_DURATION_SUM = `${PROMETHEUS_DURATION_METRIC}_sum`;

/** Prometheus label names of the histogram's attributes. */
export const LABEL_TENANT = 'tenant_id';
export const LABEL_METHOD = 'http_request_method';
export const LABEL_ROUTE = 'http_route';
export const LABEL_STATUS_CODE = 'http_response_status_code';
export const LABEL_BUCKET_BOUND = 'le';
/** Status codes that count as errors in every SLI, dashboard and canary test: the server's fault (5xx), not the client's. */
export const SERVER_ERROR_STATUS_PATTERN = '5..';

/** Label the scrape adds to tell canary pods from stable ones (Argo Rollouts metadata). */
export const LABEL_ROLE = 'role';
export const ROLE_CANARY = 'canary';
export const ROLE_STABLE = 'stable';
/**
 * Pod label Argo Rollouts puts on every pod of a ReplicaSet, and the series label the
 * PodMonitor copies it to: it tells this rollout's canary from an earlier one.
 */
export const POD_LABEL_POD_TEMPLATE_HASH = 'rollouts-pod-template-hash';
export const LABEL_POD_TEMPLATE_HASH = 'rollouts_pod_template_hash';

/** Where services expose metrics for the PodMonitor to scrape. */
export const PROMETHEUS_PORT = 9464;
export const PROMETHEUS_PATH = '/metrics';

/** k6 tag carrying the tenant of a request (thresholds are written on it). */
export const LOADTEST_TENANT_TAG = 'tenant';

/**
 * Default latency bucket boundaries, in seconds: dense around the usual budgets so the
 * p95 estimate is close, with every catalog budget added by `latencyBucketBoundaries`.
 */
export const DEFAULT_LATENCY_BOUNDARIES_SECONDS: readonly number[] = [
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.125, 0.15, 0.175, 0.2, 0.25, 0.3, 0.4, 0.5, 0.75, 1, 2.5, 5, 10,
];

/** Bucket boundaries that include every given latency budget (seconds), ascending, distinct. */
export function latencyBucketBoundaries(budgetsSeconds: readonly number[]): number[] {
  const all = new Set<number>(DEFAULT_LATENCY_BOUNDARIES_SECONDS);
  for (const budget of budgetsSeconds) all.add(roundSeconds(budget));
  return [...all].sort((a, b) => a - b);
}

/** Rounds to the microsecond so that 150 ms is exactly 0.15 and matches `le="0.15"`. */
export function roundSeconds(seconds: number): number {
  return Math.round(seconds * 1e6) / 1e6;
}

/**
 * A latency budget (catalog milliseconds) in seconds, the unit of the histogram's `le`
 * labels: the one conversion every folder uses, so a budget and its bucket boundary are
 * the same number everywhere (150 ms is exactly 0.15).
 */
export function budgetSeconds(milliseconds: number): number {
  return roundSeconds(milliseconds / 1000);
}
