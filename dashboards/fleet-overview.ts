/**
 * Fleet overview: every tenant at once. Which tenants are out of budget now, the top
 * tenants by p95, error ratio and traffic, and the same aggregated by the catalog's
 * tier and plan (joined from `tenantry:tenant_info`, since they are not metric labels).
 */
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import type * as table from '@grafana/grafana-foundation-sdk/table';
import type * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import * as units from '@grafana/grafana-foundation-sdk/units';
import { LABEL_TENANT } from '@tenantry/conventions';
import { GRAFANA_RATE_INTERVAL, binary, sumBy, topk } from '@tenantry/conventions/promql';
import { datasourceVariable, defaultTable, defaultTimeseries, promQuery, thresholdSteps } from './common.js';
import { byCatalogLabel, latencyQuantile, requestRate, serverErrorRatio, withTenantInfo } from './queries.js';
import { ERROR_BUDGET_REMAINING, ERROR_RATE_BUDGET_RATIO, LABEL_PLAN, LABEL_TIER, LATENCY_BUDGET_SECONDS } from '@tenantry/conventions';

export const FLEET_OVERVIEW_UID = 'tenantry-fleet-overview';

const TOP = 10;
/** Tables show "now": the last five minutes, evaluated once. */
const NOW = '5m';
const perTenant = (window: string) => ({ by: [LABEL_TENANT], matchers: [], window });
const catalogLabels = [LABEL_TIER, LABEL_PLAN];

function budgetUseTable(title: string, description: string, expr: string): table.PanelBuilder {
  return defaultTable()
    .title(title)
    .description(description)
    .unit(units.PercentUnit)
    .withTarget(promQuery(withTenantInfo(expr, catalogLabels), { instant: true }))
    .sortBy([new common.TableSortByFieldStateBuilder().displayName('Value').desc(true)])
    .thresholds(thresholdSteps('green', [0.8, 'orange'], [1, 'red']))
    .cellOptions({ type: common.TableCellDisplayMode.ColorBackground });
}

/** p95 ÷ the tenant's budget: above 100% the tenant is out of its latency budget now. */
export function latencyBudgetUseTable(): table.PanelBuilder {
  const p95OverBudget = binary(latencyQuantile(0.95, perTenant(NOW)), '/', sumBy([LABEL_TENANT], LATENCY_BUDGET_SECONDS), { on: [LABEL_TENANT] });
  return budgetUseTable('Latency budget used now (p95 ÷ budget)', 'Above 100%: the tenant is out of its p95 budget over the last 5 minutes.', p95OverBudget);
}

/** 5xx ratio ÷ the plan's error-rate budget. */
export function errorBudgetUseTable(): table.PanelBuilder {
  const errorsOverBudget = binary(serverErrorRatio(perTenant(NOW)), '/', ERROR_RATE_BUDGET_RATIO, { on: [LABEL_TENANT] });
  return budgetUseTable('Error-rate budget used now (5xx ratio ÷ budget)', 'Above 100%: the tenant is over its error-rate budget over the last 5 minutes.', errorsOverBudget);
}

export function errorBudgetLeftTable(): table.PanelBuilder {
  return defaultTable()
    .title('Error budget left (30d)')
    .description('Share of each SLO\'s 30-day error budget not yet spent; negative means broken for the period.')
    .unit(units.PercentUnit)
    .withTarget(promQuery(withTenantInfo(ERROR_BUDGET_REMAINING, catalogLabels), { instant: true }))
    .sortBy([new common.TableSortByFieldStateBuilder().displayName('Value').desc(false)])
    .thresholds(thresholdSteps('red', [0, 'orange'], [0.25, 'green']))
    .cellOptions({ type: common.TableCellDisplayMode.ColorBackground });
}

function topTenants(title: string, unit: string, perTenantExpr: string): timeseries.PanelBuilder {
  return defaultTimeseries()
    .title(title)
    .unit(unit)
    .span(8)
    .withTarget(promQuery(topk(TOP, perTenantExpr), { legend: `{{${LABEL_TENANT}}}` }));
}

export const topByP95 = () => topTenants(`Top ${TOP} tenants by p95`, units.Seconds, latencyQuantile(0.95, perTenant(GRAFANA_RATE_INTERVAL)));
export const topByErrorRatio = () => topTenants(`Top ${TOP} tenants by 5xx ratio`, units.PercentUnit, serverErrorRatio(perTenant(GRAFANA_RATE_INTERVAL)));
export const topByTraffic = () => topTenants(`Top ${TOP} tenants by traffic`, units.RequestsPerSecond, requestRate(perTenant(GRAFANA_RATE_INTERVAL)));

/** p95, 5xx ratio and traffic aggregated by one catalog label (tier or plan). */
export function catalogLabelPanels(label: string): timeseries.PanelBuilder[] {
  const legend = `{{${label}}}`;
  const grouping = byCatalogLabel(label, GRAFANA_RATE_INTERVAL);
  const panel = (title: string, unit: string, expr: string) =>
    defaultTimeseries().title(title).unit(unit).span(8).withTarget(promQuery(expr, { legend }));
  return [
    panel(`p95 by ${label}`, units.Seconds, latencyQuantile(0.95, grouping)),
    panel(`5xx ratio by ${label}`, units.PercentUnit, serverErrorRatio(grouping)),
    panel(`Traffic by ${label}`, units.RequestsPerSecond, requestRate(grouping)),
  ];
}

export function fleetOverview(): dashboard.DashboardBuilder {
  let builder = new dashboard.DashboardBuilder('Tenantry / Fleet overview')
    .uid(FLEET_OVERVIEW_UID)
    .tags(['tenantry', 'fleet', 'slo'])
    .description('All tenants: who is out of budget now, the top tenants, and the fleet by tier and plan.')
    .refresh('1m')
    .time({ from: 'now-6h', to: 'now' })
    .timezone('browser')
    .withVariable(datasourceVariable())
    .withRow(new dashboard.RowBuilder('Out of budget now'))
    .withPanel(latencyBudgetUseTable())
    .withPanel(errorBudgetUseTable())
    .withPanel(errorBudgetLeftTable().span(24))
    .withRow(new dashboard.RowBuilder('Top tenants'))
    .withPanel(topByP95())
    .withPanel(topByErrorRatio())
    .withPanel(topByTraffic());
  for (const label of catalogLabels) {
    builder = builder.withRow(new dashboard.RowBuilder(`By ${label}`));
    for (const panel of catalogLabelPanels(label)) builder = builder.withPanel(panel);
  }
  return builder;
}
