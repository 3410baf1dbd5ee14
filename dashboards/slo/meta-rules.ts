/**
 * Stage 3b: derived SLO series for dashboards and humans, once for all tenants: the
 * current (1-hour) burn rate and the share of the 30-day error budget left.
 */
import { LABEL_TENANT } from '@tenantry/conventions';
import { binary } from '@tenantry/conventions/promql';
import { BURN_RATE_1H, ERROR_BUDGET_REMAINING, LABEL_SLO, OBJECTIVE_RATIO, SLO_PERIOD, errorRatio } from '@tenantry/conventions';
import type { RecordingRule } from './rule-types.js';

const errorBudget = binary('1', '-', OBJECTIVE_RATIO);
const perSlo = { on: [LABEL_TENANT, LABEL_SLO] };

export function metaRules(): RecordingRule[] {
  return [
    { record: BURN_RATE_1H, expr: binary(errorRatio('1h'), '/', errorBudget, perSlo) },
    { record: ERROR_BUDGET_REMAINING, expr: binary('1', '-', binary(errorRatio(SLO_PERIOD), '/', errorBudget, perSlo)) },
  ];
}
