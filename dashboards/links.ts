/**
 * Links from a tenant's panels to its traces (Tempo, TraceQL on the span attribute
 * `tenant.id`) and logs (Loki, tenant in structured metadata), through Grafana Explore.
 * Data source uids are configurable because every Grafana names them differently.
 */
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { LABEL_TENANT, TENANT_ATTRIBUTE } from '@tenantry/conventions';
import { TENANT_VARIABLE } from './common.js';

export interface TelemetryLinkOptions {
  /** @default 'tempo' */
  readonly tracesDatasourceUid?: string;
  /** @default 'loki' */
  readonly logsDatasourceUid?: string;
}

/** Grafana variables stay readable in the URL: Grafana interpolates them before following the link. */
function exploreUrl(datasourceUid: string, datasourceType: string, query: Record<string, string>): string {
  const state = {
    datasource: datasourceUid,
    queries: [{ refId: 'A', datasource: { type: datasourceType, uid: datasourceUid }, ...query }],
    range: { from: '${__from}', to: '${__to}' },
  };
  return `/explore?left=${encodeURIComponent(JSON.stringify(state))}`
    .replaceAll('%24%7B__from%7D', '${__from}')
    .replaceAll('%24%7B__to%7D', '${__to}')
    .replaceAll(`%24${TENANT_VARIABLE}`, `$${TENANT_VARIABLE}`);
}

export function tracesLink(options: TelemetryLinkOptions = {}): dashboard.DashboardLinkBuilder {
  const uid = options.tracesDatasourceUid ?? 'tempo';
  const traceql = `{ span.${TENANT_ATTRIBUTE} = "$${TENANT_VARIABLE}" }`;
  return new dashboard.DashboardLinkBuilder(`Traces of $${TENANT_VARIABLE}`)
    .type(dashboard.DashboardLinkType.Link)
    .url(exploreUrl(uid, 'tempo', { queryType: 'traceql', query: traceql }))
    .targetBlank(true);
}

export function logsLink(options: TelemetryLinkOptions = {}): dashboard.DashboardLinkBuilder {
  const uid = options.logsDatasourceUid ?? 'loki';
  const logql = `{service_name=~".+"} | ${LABEL_TENANT}="$${TENANT_VARIABLE}"`;
  return new dashboard.DashboardLinkBuilder(`Logs of $${TENANT_VARIABLE}`)
    .type(dashboard.DashboardLinkType.Link)
    .url(exploreUrl(uid, 'loki', { expr: logql }))
    .targetBlank(true);
}
