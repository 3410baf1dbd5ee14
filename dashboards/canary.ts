/**
 * Canary: canary pods against stable pods for each tenant (latency, errors, traffic
 * share), split by the `role` label the scrape adds. Read by the canary gate's users
 * to see what the gate saw.
 */
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import type * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import * as units from '@grafana/grafana-foundation-sdk/units';
import { LABEL_ROLE, LABEL_TENANT, ROLE_CANARY } from '@tenantry/conventions';
import { GRAFANA_RATE_INTERVAL, binary, eq } from '@tenantry/conventions/promql';
import { datasourceVariable, defaultTimeseries, promQuery, selectedTenants, tenantVariable } from './common.js';
import { latencyQuantile, requestRate, serverErrorRatio, withinBudgetShare } from './queries.js';

export const CANARY_UID = 'tenantry-canary';

const byRole = { by: [LABEL_TENANT, LABEL_ROLE], matchers: [selectedTenants], window: GRAFANA_RATE_INTERVAL };
const legend = `{{${LABEL_TENANT}}} {{${LABEL_ROLE}}}`;

const panel = (title: string, unit: string, expr: string, description: string): timeseries.PanelBuilder =>
  defaultTimeseries().title(title).description(description).unit(unit).withTarget(promQuery(expr, { legend }));

export const p95ByRole = () => panel('p95 latency: canary vs stable', units.Seconds, latencyQuantile(0.95, byRole), 'Per tenant and role.');
export const withinBudgetByRole = () =>
  panel('Share within budget: canary vs stable', units.PercentUnit, withinBudgetShare(byRole), "Requests at or under the tenant's budget, per role.");
export const errorRatioByRole = () => panel('5xx ratio: canary vs stable', units.PercentUnit, serverErrorRatio(byRole), 'Per tenant and role.');
export const requestsByRole = () => panel('Requests: canary vs stable', units.RequestsPerSecond, requestRate(byRole), 'Per tenant and role.');

/** Share of each tenant's requests served by canary pods. */
export function canaryTrafficShare(): timeseries.PanelBuilder {
  const perTenant = { by: [LABEL_TENANT], matchers: [selectedTenants], window: GRAFANA_RATE_INTERVAL };
  const canary = requestRate({ ...perTenant, matchers: [selectedTenants, eq(LABEL_ROLE, ROLE_CANARY)] });
  return defaultTimeseries()
    .title('Canary traffic share')
    .description("Share of each tenant's requests served by canary pods.")
    .unit(units.PercentUnit)
    .max(1)
    .withTarget(promQuery(binary(canary, '/', requestRate(perTenant), { on: [LABEL_TENANT] }), { legend: `{{${LABEL_TENANT}}}` }));
}

export function canaryDashboard(): dashboard.DashboardBuilder {
  return new dashboard.DashboardBuilder('Tenantry / Canary vs stable')
    .uid(CANARY_UID)
    .tags(['tenantry', 'canary'])
    .description('Canary against stable pods, per tenant: latency, errors and traffic share.')
    .refresh('30s')
    .time({ from: 'now-1h', to: 'now' })
    .timezone('browser')
    .withVariable(datasourceVariable())
    .withVariable(tenantVariable({ multi: true }))
    .withRow(new dashboard.RowBuilder('Latency'))
    .withPanel(p95ByRole())
    .withPanel(withinBudgetByRole())
    .withRow(new dashboard.RowBuilder('Errors and traffic'))
    .withPanel(errorRatioByRole())
    .withPanel(canaryTrafficShare())
    .withPanel(requestsByRole());
}
