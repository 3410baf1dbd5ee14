/** Tenant overview: one tenant at a time, picked in the `tenant` variable. */
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { datasourceVariable, tenantVariable } from '../common.js';
import { logsLink, tracesLink, type TelemetryLinkOptions } from '../links.js';
import { latencyQuantilesTimeseries, p95ByRouteTimeseries, withinBudgetTimeseries } from './latency-panels.js';
import { errorRatioByRouteTimeseries, errorRatioVsBudgetTimeseries, requestRateByRouteTimeseries, statusCodesTimeseries } from './red-panels.js';
import { sloPanels } from './slo-panels.js';

export const TENANT_OVERVIEW_UID = 'tenantry-tenant-overview';

export type TenantOverviewOptions = TelemetryLinkOptions;

export function tenantOverview(options: TenantOverviewOptions = {}): dashboard.DashboardBuilder {
  const telemetryLinks = [tracesLink(options), logsLink(options)];
  let builder = new dashboard.DashboardBuilder('Tenantry / Tenant overview')
    .uid(TENANT_OVERVIEW_UID)
    .tags(['tenantry', 'tenant', 'slo'])
    .description('One tenant: SLO attainment and error budget, latency against its budget, traffic and errors per route.')
    .refresh('30s')
    .time({ from: 'now-6h', to: 'now' })
    .timezone('browser')
    .withVariable(datasourceVariable())
    .withVariable(tenantVariable({ multi: false }))
    .link(tracesLink(options))
    .link(logsLink(options))
    .withRow(new dashboard.RowBuilder('Service level ($tenant)'));
  for (const panel of sloPanels()) builder = builder.withPanel(panel);
  return builder
    .withRow(new dashboard.RowBuilder('Latency'))
    .withPanel(latencyQuantilesTimeseries().links(telemetryLinks))
    .withPanel(withinBudgetTimeseries())
    .withPanel(p95ByRouteTimeseries().links(telemetryLinks))
    .withRow(new dashboard.RowBuilder('Traffic and errors'))
    .withPanel(requestRateByRouteTimeseries())
    .withPanel(errorRatioByRouteTimeseries().links(telemetryLinks))
    .withPanel(errorRatioVsBudgetTimeseries())
    .withPanel(statusCodesTimeseries());
}
