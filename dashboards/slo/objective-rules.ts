/**
 * Stage 2: the catalog as series. Each tenant's facts (tier, plan) and objectives
 * become constant recording rules, so every other rule and panel is written once for
 * all tenants and joins them `on (tenant_id)`. These are the only rules whose number
 * grows with the catalog: RULES_PER_TENANT of them per tenant.
 */
import { LABEL_TENANT } from '@tenantry/conventions';
import { formatBound, vector } from '@tenantry/conventions/promql';
import { LABEL_BUCKET_BOUND } from '@tenantry/conventions';
import {
  ERROR_RATE_BUDGET_RATIO,
  LABEL_PLAN,
  LABEL_SLO,
  LABEL_TIER,
  LATENCY_BUDGET_SECONDS,
  OBJECTIVE_RATIO,
  SLO_AVAILABILITY,
  SLO_LATENCY,
  TENANT_INFO,
} from '@tenantry/conventions';
import type { RecordingRule } from './rule-types.js';
import type { TenantObjectives } from './objectives.js';

export const RULES_PER_TENANT = 5;

export function objectiveRules(tenant: TenantObjectives): RecordingRule[] {
  const id = { [LABEL_TENANT]: tenant.tenantId };
  return [
    { record: TENANT_INFO, expr: vector(1), labels: { ...id, [LABEL_TIER]: tenant.tier, [LABEL_PLAN]: tenant.plan } },
    {
      record: LATENCY_BUDGET_SECONDS,
      expr: vector(tenant.latencyBudgetSeconds),
      labels: { ...id, [LABEL_BUCKET_BOUND]: formatBound(tenant.latencyBudgetSeconds) },
    },
    { record: OBJECTIVE_RATIO, expr: vector(tenant.latencyObjective), labels: { ...id, [LABEL_SLO]: SLO_LATENCY } },
    { record: OBJECTIVE_RATIO, expr: vector(tenant.availabilityObjective), labels: { ...id, [LABEL_SLO]: SLO_AVAILABILITY } },
    { record: ERROR_RATE_BUDGET_RATIO, expr: vector(tenant.errorRateBudget), labels: id },
  ];
}
