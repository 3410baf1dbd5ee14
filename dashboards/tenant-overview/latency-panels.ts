/** Tenant overview, "Latency" row: quantiles against the tenant's budget, share within budget, p95 per route. */
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as units from '@grafana/grafana-foundation-sdk/units';
import type * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { LABEL_ROUTE, LABEL_TENANT, LATENCY_BUDGET_SECONDS, LATENCY_OBJECTIVE } from '@tenantry/conventions';
import { GRAFANA_RATE_INTERVAL, selector } from '@tenantry/conventions/promql';
import { asLimitLine, defaultTimeseries, promQuery, selectedTenant, thresholdFromQuery, thresholdSteps } from '../common.js';
import { latencyQuantile, withinBudgetShare } from '../queries.js';

// Grouping keeps tenant_id (one value here) so every series says whose it is.
const tenantOnly = { by: [LABEL_TENANT], matchers: [selectedTenant], window: GRAFANA_RATE_INTERVAL };
const BUDGET_LEGEND = 'budget';

/**
 * p50/p95/p99 with the tenant's own budget. The budget comes from the catalog through
 * the `tenantry:slo_latency_budget_seconds` series: drawn as a dashed line, and made
 * the panel's threshold by "Config from query results", so it follows the tenant picked.
 */
export function latencyQuantilesTimeseries(): timeseries.PanelBuilder {
  return defaultTimeseries()
    .title('Latency p50 / p95 / p99 against budget')
    .description("Request duration quantiles (interpolated inside buckets) and the tenant's p95 budget from the catalog.")
    .unit(units.Seconds)
    .withTarget(promQuery(latencyQuantile(0.5, tenantOnly), { legend: 'p50', refId: 'P50' }))
    .withTarget(promQuery(latencyQuantile(0.95, tenantOnly), { legend: 'p95', refId: 'P95' }))
    .withTarget(promQuery(latencyQuantile(0.99, tenantOnly), { legend: 'p99', refId: 'P99' }))
    .withTarget(promQuery(selector(LATENCY_BUDGET_SECONDS, [selectedTenant]), { legend: BUDGET_LEGEND, refId: 'BUDGET' }))
    .overrideByName(BUDGET_LEGEND, asLimitLine('p95 budget'))
    .withTransformation(thresholdFromQuery('BUDGET', BUDGET_LEGEND))
    .thresholdsStyle(new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Dashed));
}

export function withinBudgetTimeseries(): timeseries.PanelBuilder {
  return defaultTimeseries()
    .title('Share of requests within budget')
    .description(`Requests at or under the tenant's budget (its exact bucket boundary). The p95 promise holds while this stays at or above ${LATENCY_OBJECTIVE * 100}%.`)
    .unit(units.PercentUnit)
    .max(1)
    .withTarget(promQuery(withinBudgetShare(tenantOnly), { legend: 'within budget' }))
    .thresholds(thresholdSteps('red', [LATENCY_OBJECTIVE, 'green']))
    .thresholdsStyle(new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.LineAndArea));
}

export function p95ByRouteTimeseries(): timeseries.PanelBuilder {
  return defaultTimeseries()
    .title('p95 latency by route')
    .unit(units.Seconds)
    .withTarget(promQuery(latencyQuantile(0.95, { ...tenantOnly, by: [LABEL_TENANT, LABEL_ROUTE] }), { legend: `{{${LABEL_ROUTE}}}` }));
}
