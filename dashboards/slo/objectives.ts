/**
 * Stage 1 of SLO rule generation: catalog tenants as objectives. Whether an objective is
 * feasible (its budget is a bucket boundary, its alerts can fire) is a catalog rule
 * (`sloIssues` in @tenantry/catalog, run by the loader); it is checked again here only
 * because the rule options may name other boundaries or windows than the loader's.
 */
import { CatalogValidationError, sloIssues, type Catalog, type SloRuleOptions } from '@tenantry/catalog';
import { LATENCY_OBJECTIVE, budgetSeconds } from '@tenantry/conventions';

export interface TenantObjectives {
  readonly tenantId: string;
  readonly tier: string;
  readonly plan: string;
  readonly latencyBudgetSeconds: number;
  readonly latencyObjective: number;
  readonly availabilityObjective: number;
  readonly errorRateBudget: number;
}

/** The objectives of every tenant, or a CatalogValidationError listing every infeasible one. */
export function tenantObjectives(catalog: Catalog, options: SloRuleOptions = {}): TenantObjectives[] {
  const issues = sloIssues(catalog.tenants, options);
  if (issues.length > 0) throw new CatalogValidationError(catalog.directory, issues);
  return catalog.tenants.map((tenant) => ({
    tenantId: tenant.id,
    tier: tenant.tier,
    plan: tenant.plan,
    latencyBudgetSeconds: budgetSeconds(tenant.slo.p95LatencyMs),
    latencyObjective: LATENCY_OBJECTIVE,
    availabilityObjective: tenant.slo.availability,
    errorRateBudget: tenant.slo.errorRate,
  }));
}
