/**
 * Stage 4: multi-window, multi-burn-rate alerts (SRE workbook), one rule per SLO and
 * severity for all tenants. A window pair fires when the error ratio over both its long
 * and its short window exceeds factor × (1 − objective), the objective being joined
 * per tenant `on (tenant_id, slo)`. Pairs of the same severity are OR-ed.
 *
 * Low traffic: a pair only counts when the tenant served at least
 * `minimumRequests` requests in its long window, so a tenant with a handful of requests
 * is not paged because one of them was slow (workbook, "Low-traffic services").
 */
import { LABEL_TENANT } from '@tenantry/conventions';
import { binary, durationSeconds, eq, literal, maxBy, selector, sumOverTime } from '@tenantry/conventions/promql';
import {
  LABEL_SEVERITY,
  LABEL_SLO,
  OBJECTIVE_RATIO,
  SLO_LATENCY,
  SLO_NAMES,
  alertName,
  errorRatio,
  requestsRate,
  type SloName,
} from '@tenantry/conventions';
import type { AlertingRule } from './rule-types.js';
import { BURN_RATE_WINDOWS, type BurnRateWindow, type Severity } from '@tenantry/conventions';
import { BASE_WINDOW } from './windows.js';

export interface AlertRuleOptions {
  /** Page where the runbook of these alerts lives; each alert links to its own anchor. */
  readonly runbookUrl: string;
  /** Path (or URL) of the tenant overview dashboard; the alert links to it with the tenant selected. */
  readonly dashboardUrl: string;
  /** Requests a tenant must have served in a pair's long window for that pair to alert. */
  readonly minimumRequests: number;
  /** Evaluation interval of the SLI rule group, which the request count is integrated over. */
  readonly sliEvaluationInterval: string;
  /** @default - BURN_RATE_WINDOWS */
  readonly windows?: readonly BurnRateWindow[];
}

/** factor × (1 − objective) for one SLO, per tenant. */
function threshold(slo: SloName, factor: number): string {
  return binary(literal(factor), '*', binary('1', '-', selector(OBJECTIVE_RATIO, [eq(LABEL_SLO, slo)])));
}

function burning(slo: SloName, window: string, factor: number): string {
  return binary(selector(errorRatio(window), [eq(LABEL_SLO, slo)]), '>', threshold(slo, factor), { on: [LABEL_TENANT, LABEL_SLO] });
}

/**
 * Requests actually served in the window: the 5-minute request rate integrated over the
 * samples the SLI group recorded. Unlike rate × window length, it does not extrapolate a
 * young tenant's first hours to a full day.
 */
function requestsServed(window: string, sliEvaluationInterval: string): string {
  return binary(sumOverTime(requestsRate(BASE_WINDOW), window), '*', literal(durationSeconds(sliEvaluationInterval)));
}

function windowPair(slo: SloName, w: BurnRateWindow, options: AlertRuleOptions): string {
  const both = binary(burning(slo, w.longWindow, w.factor), 'and', burning(slo, w.shortWindow, w.factor), { on: [LABEL_TENANT, LABEL_SLO] });
  const enoughTraffic = binary(requestsServed(w.longWindow, options.sliEvaluationInterval), '>=', literal(options.minimumRequests));
  return binary(both, 'and', enoughTraffic, { on: [LABEL_TENANT] });
}

/** Alertmanager template of the alert's tenant label. */
const TENANT_TEMPLATE = `{{ $labels.${LABEL_TENANT} }}`;

const SUMMARY: Record<SloName, string> = {
  latency: `Tenant ${TENANT_TEMPLATE} is burning its latency error budget`,
  availability: `Tenant ${TENANT_TEMPLATE} is burning its availability error budget`,
};

function describe(slo: SloName, severity: Severity, windows: readonly BurnRateWindow[]): string {
  const what = slo === SLO_LATENCY ? 'requests slower than its p95 budget' : 'requests answered with 5xx';
  const pairs = windows.map((w) => `${w.factor}x over ${w.longWindow} and ${w.shortWindow}`).join(', or ');
  const pace = severity === 'page' ? 'the 30-day error budget will be gone within days' : 'the 30-day error budget is being spent faster than it refills';
  return `The share of ${what} burns the error budget at ${pairs}: ${pace}.`;
}

export function alertRules(options: AlertRuleOptions): AlertingRule[] {
  const windows = options.windows ?? BURN_RATE_WINDOWS;
  const severities: Severity[] = ['page', 'ticket'];
  const rules: AlertingRule[] = [];
  for (const slo of SLO_NAMES) {
    for (const severity of severities) {
      const pairs = windows.filter((w) => w.severity === severity);
      if (pairs.length === 0) continue;
      const anyPair = pairs.map((w) => windowPair(slo, w, options)).reduce((a, b) => binary(a, 'or', b));
      const name = alertName(slo);
      rules.push({
        alert: name,
        expr: maxBy([LABEL_TENANT, LABEL_SLO], anyPair),
        labels: { [LABEL_SEVERITY]: severity },
        annotations: {
          summary: `${SUMMARY[slo]} (${severity})`,
          description: describe(slo, severity, pairs),
          runbook_url: `${options.runbookUrl}#${name.toLowerCase()}`,
          dashboard_url: `${options.dashboardUrl}?var-tenant=${TENANT_TEMPLATE}`,
        },
      });
    }
  }
  return rules;
}
