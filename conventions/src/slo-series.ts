/**
 * Names of the series, labels and rule groups the SLO rules write. Dashboards and the
 * runbook read them from here, so a rename happens in one place (Sloth keeps the same
 * kind of list in pkg/common/conventions).
 */

/** Label telling the latency SLO from the availability SLO on every SLO series. */
export const LABEL_SLO = 'slo';
/** Label telling a page from a ticket on alerts. */
export const LABEL_SEVERITY = 'severity';
/** Labels of the catalog's tenant info series. */
export const LABEL_TIER = 'tier';
export const LABEL_PLAN = 'plan';

export const SLO_LATENCY = 'latency';
export const SLO_AVAILABILITY = 'availability';
export type SloName = typeof SLO_LATENCY | typeof SLO_AVAILABILITY;
export const SLO_NAMES: readonly SloName[] = [SLO_LATENCY, SLO_AVAILABILITY];

/** `tenantry:tenant_info{tenant_id, tier, plan} 1`: catalog facts that are not metric labels. */
export const TENANT_INFO = 'tenantry:tenant_info';
/**
 * `tenantry:slo_latency_budget_seconds{tenant_id, le} <budget>`: the tenant's p95 budget.
 * It carries the `le` of the budget's bucket so the latency SLI selects exactly that
 * bucket with `and on (tenant_id, le)`.
 */
export const LATENCY_BUDGET_SECONDS = 'tenantry:slo_latency_budget_seconds';
/** `tenantry:slo_objective_ratio{tenant_id, slo}`: share of good requests promised over 30 days. */
export const OBJECTIVE_RATIO = 'tenantry:slo_objective_ratio';
/** `tenantry:slo_error_rate_budget_ratio{tenant_id}`: the 5xx share the tenant's plan tolerates. */
export const ERROR_RATE_BUDGET_RATIO = 'tenantry:slo_error_rate_budget_ratio';

/** Requests per second of a tenant averaged over a window. */
export const requestsRate = (window: string): string => `tenantry:slo_requests:rate${window}`;
/** Good requests per second of a tenant and SLO averaged over a window. */
export const goodRate = (window: string): string => `tenantry:slo_good_requests:rate${window}`;
/** Share of bad requests of a tenant and SLO over a window (the SLI's complement). */
export const errorRatio = (window: string): string => `tenantry:slo_error_ratio:rate${window}`;
/** How fast the error budget burns over the last hour (1 = exactly on budget). */
export const BURN_RATE_1H = 'tenantry:slo_burn_rate:rate1h';
/** Share of the 30-day error budget still left (negative once overspent). */
export const ERROR_BUDGET_REMAINING = 'tenantry:slo_error_budget_remaining:ratio30d';

export const ALERT_LATENCY = 'TenantLatencySLOBurn';
export const ALERT_AVAILABILITY = 'TenantAvailabilitySLOBurn';
export const alertName = (slo: SloName): string => (slo === SLO_LATENCY ? ALERT_LATENCY : ALERT_AVAILABILITY);

export const GROUP_OBJECTIVES = 'tenantry-slo-objectives';
export const GROUP_SLI = 'tenantry-slo-sli';
export const GROUP_SLO_META = 'tenantry-slo-meta';
export const GROUP_ALERTS = 'tenantry-slo-alerts';
