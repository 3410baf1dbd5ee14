/**
 * Every PromQL expression the dashboards and rules contain, made concrete (Grafana
 * variables replaced) so it can be run against a real Prometheus.
 */
import { GRAFANA_RANGE, GRAFANA_RATE_INTERVAL } from '@tenantry/conventions/promql';
import { TENANT_VARIABLE } from '../dashboards/common.js';
import type { Generated } from '../dashboards/generate.js';
import { panelQueries } from '../dashboards/panels.js';
import { isAlertingRule } from '../dashboards/slo/rule-types.js';

export interface ExpressionUnderTest {
  /** Where it comes from, for failure messages: `dashboard <uid> / <panel>` or `rule <file> / <name>`. */
  readonly source: string;
  readonly expr: string;
  /** The tenant it is scoped to (the `tenant` variable's value), if any. */
  readonly tenant?: string;
  readonly kind: 'panel' | 'recording' | 'alert';
  /** For recording rules: the series it records and the labels the rule adds. */
  readonly record?: { readonly name: string; readonly labels: Readonly<Record<string, string>> };
}

export interface ConcreteValues {
  /** Value of `$tenant` for each per-tenant query (every one is run once per tenant). */
  readonly tenants: readonly string[];
  /** Stands in for `$__rate_interval`: at least four scrape intervals. */
  readonly rateInterval: string;
  /** Stands in for `$__range`. */
  readonly range: string;
}

const TENANT_REF = `$${TENANT_VARIABLE}`;

function concrete(expr: string, values: ConcreteValues, tenant?: string): string {
  let result = expr.replaceAll(GRAFANA_RATE_INTERVAL, values.rateInterval).replaceAll(GRAFANA_RANGE, values.range);
  if (tenant !== undefined) result = result.replaceAll(TENANT_REF, tenant);
  return result;
}

export function expressionsUnderTest(generated: Generated, values: ConcreteValues): ExpressionUnderTest[] {
  const out: ExpressionUnderTest[] = [];
  for (const d of generated.dashboards) {
    for (const q of panelQueries(d.dashboard)) {
      const source = `dashboard ${q.dashboardUid} / ${q.panelTitle} ${q.refId ?? ''}`.trim();
      if (q.expr.includes(TENANT_REF)) {
        for (const tenant of values.tenants) out.push({ source, tenant, kind: 'panel', expr: concrete(q.expr, values, tenant) });
      } else {
        out.push({ source, kind: 'panel', expr: concrete(q.expr, values) });
      }
    }
  }
  for (const { file } of generated.ruleFiles) {
    for (const group of file.groups) {
      for (const rule of group.rules) {
        if (isAlertingRule(rule)) {
          out.push({ source: `rule ${file.name} / ${rule.alert} (${rule.labels['severity'] ?? ''})`, kind: 'alert', expr: rule.expr });
        } else {
          out.push({
            source: `rule ${file.name} / ${rule.record}`,
            kind: 'recording',
            expr: rule.expr,
            record: { name: rule.record, labels: rule.labels ?? {} },
          });
        }
      }
    }
  }
  return out;
}
