/**
 * Defaults shared by every Tenantry dashboard: the Prometheus data source variable,
 * the tenant variable, panel builders with the house style, and query targets.
 * Panels are functions returning builders (see the foundation SDK's red-method example).
 */
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as table from '@grafana/grafana-foundation-sdk/table';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { LABEL_TENANT, PROMETHEUS_DURATION_COUNT } from '@tenantry/conventions';
import { eq, re, type LabelMatcher } from '@tenantry/conventions/promql';

export const DATASOURCE_VARIABLE = 'datasource';
export const TENANT_VARIABLE = 'tenant';

/** The Prometheus data source picked in the dashboard's `datasource` variable. */
export const prometheusDatasource: common.DataSourceRef = { type: 'prometheus', uid: `\${${DATASOURCE_VARIABLE}}` };

/** Matches the tenant chosen in the `tenant` variable (one tenant). */
export const selectedTenant: LabelMatcher = eq(LABEL_TENANT, `$${TENANT_VARIABLE}`);
/** Matches the tenants chosen in a multi-value `tenant` variable. */
export const selectedTenants: LabelMatcher = re(LABEL_TENANT, `$${TENANT_VARIABLE}`);

/** Custom unit for burn rates ("3x"). */
export const BURN_RATE_UNIT = 'suffix:x';

export function datasourceVariable(): dashboard.DatasourceVariableBuilder {
  return new dashboard.DatasourceVariableBuilder(DATASOURCE_VARIABLE).label('Prometheus').type('prometheus');
}

/** `tenant` variable: every tenant_id the request histogram carries. */
export function tenantVariable(options: { multi: boolean }): dashboard.QueryVariableBuilder {
  const query = `label_values(${PROMETHEUS_DURATION_COUNT}, ${LABEL_TENANT})`;
  const variable = new dashboard.QueryVariableBuilder(TENANT_VARIABLE)
    .label('Tenant')
    .query(query)
    .definition(query)
    .datasource(prometheusDatasource)
    .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
    .sort(dashboard.VariableSort.AlphabeticalAsc)
    .multi(options.multi);
  return options.multi ? variable.includeAll(true).allValue('.+') : variable;
}

export interface QueryOptions {
  /** @default - the series' labels */
  readonly legend?: string;
  /** @default - assigned by Grafana (A, B, …) */
  readonly refId?: string;
  /** Evaluate once at the end of the range (tables, stats). @default false */
  readonly instant?: boolean;
}

export function promQuery(expr: string, options: QueryOptions = {}): prometheus.DataqueryBuilder {
  let query = new prometheus.DataqueryBuilder().datasource(prometheusDatasource).expr(expr);
  if (options.legend) query = query.legendFormat(options.legend);
  if (options.refId) query = query.refId(options.refId);
  if (options.instant) query = query.instant().format(prometheus.PromQueryFormat.Table);
  return query;
}

/** Threshold steps from a base colour: `steps('green', [1, 'yellow'], [6, 'red'])`. */
export function thresholdSteps(base: string, ...steps: [number, string][]): dashboard.ThresholdsConfigBuilder {
  return new dashboard.ThresholdsConfigBuilder()
    .mode(dashboard.ThresholdsMode.Absolute)
    .steps([{ value: null, color: base }, ...steps.map(([value, color]) => ({ value, color }))]);
}

export function defaultTimeseries(): timeseries.PanelBuilder {
  return new timeseries.PanelBuilder()
    .datasource(prometheusDatasource)
    .height(8)
    .span(12)
    .lineWidth(1)
    .fillOpacity(10)
    .legend(new common.VizLegendOptionsBuilder().displayMode(common.LegendDisplayMode.Table).placement(common.LegendPlacement.Bottom).showLegend(true));
}

export function defaultStat(): stat.PanelBuilder {
  return new stat.PanelBuilder()
    .datasource(prometheusDatasource)
    .height(5)
    .span(6)
    .graphMode(common.BigValueGraphMode.Area)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']));
}

export function defaultTable(): table.PanelBuilder {
  return new table.PanelBuilder().datasource(prometheusDatasource).height(9).span(12);
}

/** Draws a series (e.g. a budget) as a dashed red line rather than as data. */
export function asLimitLine(name: string): dashboard.DynamicConfigValue[] {
  return [
    { id: 'custom.lineStyle', value: { fill: 'dash', dash: [10, 10] } },
    { id: 'custom.fillOpacity', value: 0 },
    { id: 'color', value: { mode: 'fixed', fixedColor: 'red' } },
    { id: 'displayName', value: name },
  ];
}

/**
 * Makes the value of query `refId` the panel's first threshold ("Config from query
 * results"), so a per-tenant budget is drawn as the threshold line of whichever tenant
 * is selected.
 */
export function thresholdFromQuery(refId: string, fieldName: string): dashboard.DataTransformerConfig {
  return {
    id: 'configFromData',
    options: { configRefId: refId, mappings: [{ fieldName, handlerKey: 'threshold1', reducerId: 'lastNotNull' }] },
  };
}
