/** Tenant overview, "Traffic and errors" row: rate and errors per route, error rate against the plan's budget, status codes. */
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as units from '@grafana/grafana-foundation-sdk/units';
import type * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { LABEL_METHOD, LABEL_ROUTE, LABEL_STATUS_CODE, LABEL_TENANT } from '@tenantry/conventions';
import { GRAFANA_RATE_INTERVAL, selector } from '@tenantry/conventions/promql';
import { asLimitLine, defaultTimeseries, promQuery, selectedTenant, thresholdFromQuery } from '../common.js';
import { requestRate, serverErrorRatio } from '../queries.js';
import { ERROR_RATE_BUDGET_RATIO } from '@tenantry/conventions';

// Grouping keeps tenant_id (one value here) so every series says whose it is.
const perTenant = (by: string[]) => ({ by: [LABEL_TENANT, ...by], matchers: [selectedTenant], window: GRAFANA_RATE_INTERVAL });
const BUDGET_LEGEND = 'budget';

export function requestRateByRouteTimeseries(): timeseries.PanelBuilder {
  return defaultTimeseries()
    .title('Request rate by route')
    .unit(units.RequestsPerSecond)
    .withTarget(promQuery(requestRate(perTenant([LABEL_METHOD, LABEL_ROUTE])), { legend: `{{${LABEL_METHOD}}} {{${LABEL_ROUTE}}}` }));
}

export function errorRatioByRouteTimeseries(): timeseries.PanelBuilder {
  return defaultTimeseries()
    .title('5xx ratio by route')
    .unit(units.PercentUnit)
    .withTarget(promQuery(serverErrorRatio(perTenant([LABEL_ROUTE])), { legend: `{{${LABEL_ROUTE}}}` }));
}

/** The tenant's 5xx ratio with its plan's error-rate budget (from the catalog) as threshold. */
export function errorRatioVsBudgetTimeseries(): timeseries.PanelBuilder {
  return defaultTimeseries()
    .title('5xx ratio against budget')
    .description("Share of requests answered with 5xx, and the error-rate budget of the tenant's plan.")
    .unit(units.PercentUnit)
    .withTarget(promQuery(serverErrorRatio(perTenant([])), { legend: '5xx ratio', refId: 'ERRORS' }))
    .withTarget(promQuery(selector(ERROR_RATE_BUDGET_RATIO, [selectedTenant]), { legend: BUDGET_LEGEND, refId: 'BUDGET' }))
    .overrideByName(BUDGET_LEGEND, asLimitLine('error-rate budget'))
    .withTransformation(thresholdFromQuery('BUDGET', BUDGET_LEGEND))
    .thresholdsStyle(new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Dashed));
}

export function statusCodesTimeseries(): timeseries.PanelBuilder {
  return defaultTimeseries()
    .title('Responses by status code')
    .unit(units.RequestsPerSecond)
    .withTarget(promQuery(requestRate(perTenant([LABEL_STATUS_CODE])), { legend: `{{${LABEL_STATUS_CODE}}}` }));
}
