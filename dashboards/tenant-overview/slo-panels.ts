/** Tenant overview, "Service level" row: SLO attainment, error budget left and burn rate. */
import * as units from '@grafana/grafana-foundation-sdk/units';
import type * as stat from '@grafana/grafana-foundation-sdk/stat';
import { binary, eq, selector } from '@tenantry/conventions/promql';
import { BURN_RATE_UNIT, defaultStat, promQuery, selectedTenant, thresholdSteps } from '../common.js';
import {
  BURN_RATE_1H,
  BURN_RATE_WINDOWS,
  ERROR_BUDGET_REMAINING,
  LABEL_SLO,
  LATENCY_OBJECTIVE,
  OBJECTIVE_RATIO,
  SLO_AVAILABILITY,
  SLO_LATENCY,
  SLO_PERIOD,
  errorRatio,
  type SloName,
} from '@tenantry/conventions';

const ofSlo = (slo: SloName) => [selectedTenant, eq(LABEL_SLO, slo)];

/** Share of good requests over the 30-day window, next to the objective it is held to. */
export function attainmentStat(slo: SloName): stat.PanelBuilder {
  const attainment = binary('1', '-', selector(errorRatio(SLO_PERIOD), ofSlo(slo)));
  const panel = defaultStat()
    .title(slo === SLO_LATENCY ? 'Requests within latency budget (30d)' : 'Availability, non-5xx (30d)')
    .description(`SLO attainment over ${SLO_PERIOD} next to the objective from the catalog.`)
    .unit(units.PercentUnit)
    .decimals(3)
    .withTarget(promQuery(attainment, { legend: 'attained', refId: 'A' }))
    .withTarget(promQuery(selector(OBJECTIVE_RATIO, ofSlo(slo)), { legend: 'objective', refId: 'B' }));
  // Every tenant's latency objective is the same p95 promise, so its threshold is static;
  // availability objectives differ per tenant and are shown as the second value.
  return slo === SLO_LATENCY ? panel.thresholds(thresholdSteps('red', [LATENCY_OBJECTIVE, 'green'])) : panel.thresholds(thresholdSteps('blue'));
}

export function errorBudgetLeftStat(): stat.PanelBuilder {
  return defaultStat()
    .title(`Error budget left (${SLO_PERIOD})`)
    .description('Share of the 30-day error budget not yet spent, per SLO. Below 0 the SLO is broken for the period.')
    .unit(units.PercentUnit)
    .withTarget(promQuery(selector(ERROR_BUDGET_REMAINING, [selectedTenant]), { legend: `{{${LABEL_SLO}}}` }))
    .thresholds(thresholdSteps('red', [0, 'orange'], [0.25, 'green']));
}

/** Burn rate now (1 = on budget), coloured at the factors the alerts use. */
export function burnRateStat(): stat.PanelBuilder {
  const factors = [...new Set(BURN_RATE_WINDOWS.map((w) => w.factor))].sort((a, b) => a - b);
  const colours = ['yellow', 'orange', 'red', 'dark-red'];
  return defaultStat()
    .title('Burn rate (1h)')
    .description('How fast each error budget burns over the last hour: 1 spends it exactly in 30 days; the alerts fire at ' + factors.join(', ') + '.')
    .unit(BURN_RATE_UNIT)
    .withTarget(promQuery(selector(BURN_RATE_1H, [selectedTenant]), { legend: `{{${LABEL_SLO}}}` }))
    .thresholds(thresholdSteps('green', ...factors.map((f, i): [number, string] => [f, colours[Math.min(i, colours.length - 1)]!])));
}

export const sloPanels = (): stat.PanelBuilder[] => [
  attainmentStat(SLO_LATENCY),
  attainmentStat(SLO_AVAILABILITY),
  errorBudgetLeftStat(),
  burnRateStat(),
];
