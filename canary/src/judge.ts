/**
 * The gate's decision. Per tenant, the registered checks of the canary against its
 * budgets and against the baseline; tenants with too little canary traffic pooled into
 * one long-tail group; one more family of pooled checks over the whole fleet for
 * regressions spread thinly over every tenant. Holm controls the family-wise error
 * across tenants and checks, group-sequential boundaries across looks (docs/canary.md).
 * Data the gate needed and did not get is listed in `missing`, which never promotes.
 */
import { GATE_DEFAULTS } from './defaults.js';
import { decideFamily } from './family.js';
import { pooledGroup, tenantGroup, type PendingGroup } from './groups.js';
import type { GroupResult, Judgement, TenantBudget, TenantObservation } from './judge-types.js';
import { obrienFlemingSpending, pocockSpending, type Look } from './statistics/alpha-spending.js';
import type { MultipleTestingProcedure } from './statistics/multiple-testing.js';

export interface JudgeOptions {
  /** Budgets of a tenant id (the catalog's `slo`; defaults for ids it does not know). */
  readonly budgetOf: (tenant: string) => TenantBudget;
  /** Which look of the analysis this is. */
  readonly look: Look;
  /**
   * Family-wise false-rollback rate of the whole analysis: all looks, tenants and metrics.
   * @default GATE_DEFAULTS.alpha (0.01)
   */
  readonly alpha?: number;
  /**
   * Canary requests a tenant needs in the window to be judged on its own; tenants with
   * fewer are pooled into the long-tail group.
   * @default GATE_DEFAULTS.minCanaryRequests (50)
   */
  readonly minCanaryRequests?: number;
  /**
   * Share of alpha given to the fleet-wide family (Pocock spending, fast on regressions
   * spread over all tenants); the rest goes to tenants and the long tail (O'Brien–Fleming).
   * @default GATE_DEFAULTS.fleetAlphaShare (0.2)
   */
  readonly fleetAlphaShare?: number;
  /**
   * Share of requests the canary should take (the rollout's weight, e.g. 0.05). When
   * the observed share is off by more than `canaryShareTolerance` (relative), the split
   * is not like for like: the gate can still roll back, but never promotes.
   * @default - not checked
   */
  readonly expectedCanaryShare?: number;
  /**
   * Relative tolerance of the canary's share: 0.2 accepts 4–6% for an expected 5%.
   * @default GATE_DEFAULTS.canaryShareTolerance (0.2)
   */
  readonly canaryShareTolerance?: number;
  /**
   * How errors are controlled across tenants and metrics: `holm` bounds the chance of
   * any false rollback; `benjamini-hochberg` bounds the expected share of false findings
   * (more power with many tenants, weaker guarantee).
   * @default GATE_DEFAULTS.procedure ('holm')
   */
  readonly procedure?: MultipleTestingProcedure;
  /**
   * Compute every test's sequential p-value for the report. The simulation benchmark
   * turns this off: the verdict only needs the tests Holm reaches.
   * @default true
   */
  readonly sequentialPValues?: boolean;
  /**
   * What the caller found missing or inconsistent before judging (per-tenant series,
   * bucket layouts): judged around where possible, but never promoted.
   * @default - nothing missing
   */
  readonly missing?: readonly string[];
}

function sum(values: readonly number[]): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}

export function judge(observations: readonly TenantObservation[], options: JudgeOptions): Judgement {
  const alpha = options.alpha ?? GATE_DEFAULTS.alpha;
  const minCanary = options.minCanaryRequests ?? GATE_DEFAULTS.minCanaryRequests;
  const fleetAlpha = alpha * (options.fleetAlphaShare ?? GATE_DEFAULTS.fleetAlphaShare);
  const look = options.look;
  const procedure = options.procedure ?? GATE_DEFAULTS.procedure;
  const base = { look, alpha, procedure } as const;

  const missing: string[] = [];
  const canaryTotal = sum(observations.map((o) => o.canary.requests));
  const baselineTotal = sum(observations.map((o) => o.baseline.requests));
  if (canaryTotal === 0) missing.push('no requests from the canary in the window');
  if (baselineTotal === 0) missing.push('no requests from the baseline in the window');
  if (missing.length > 0) {
    return { ...base, verdict: 'continue', reasons: [`cannot judge: ${missing.join('; ')}. The gate never promotes without data.`], groups: [], missing };
  }
  missing.push(...(options.missing ?? []));
  if (options.expectedCanaryShare !== undefined) {
    const share = canaryTotal / (canaryTotal + baselineTotal);
    const tolerance = options.canaryShareTolerance ?? GATE_DEFAULTS.canaryShareTolerance;
    if (Math.abs(share - options.expectedCanaryShare) > tolerance * options.expectedCanaryShare) {
      missing.push(
        `the canary took ${(share * 100).toFixed(1)}% of the requests, outside the expected ${(options.expectedCanaryShare * 100).toFixed(1)}% ± ${tolerance * 100}%: the traffic split is off`,
      );
    }
  }

  const judged = observations.filter((o) => o.canary.requests >= minCanary).sort((a, b) => b.canary.requests - a.canary.requests);
  const tail = observations.filter((o) => o.canary.requests < minCanary).sort((a, b) => a.tenant.localeCompare(b.tenant));
  const tenantGroups: PendingGroup[] = judged.map((o) => tenantGroup(o, options.budgetOf(o.tenant)));
  if (tail.length > 0) tenantGroups.push(pooledGroup('long-tail', tail, options.budgetOf, minCanary));
  const fleetGroup = pooledGroup('fleet', observations, options.budgetOf, minCanary);

  const family = { look, procedure, withSequential: options.sequentialPValues ?? true } as const;
  const tenantResults = decideFamily(tenantGroups, { ...family, alpha: alpha - fleetAlpha, spending: obrienFlemingSpending });
  const fleetResults = decideFamily([fleetGroup], { ...family, alpha: fleetAlpha, spending: pocockSpending });
  const groups = [...fleetResults, ...tenantResults];

  const failing = groups.filter((g) => g.finding === 'regression');
  if (failing.length > 0) {
    return { ...base, verdict: 'rollback', reasons: failing.map((g) => `${describeGroup(g)}: ${g.detail}`), groups, missing };
  }
  if (missing.length > 0) {
    return { ...base, verdict: 'continue', reasons: [`no regression found, but ${missing.join('; ')}. The gate never promotes then.`], groups, missing };
  }
  const tailGroup = groups.find((g) => g.kind === 'long-tail');
  const tailNote = tailGroup ? ` ${tailGroup.tenants.length} tenant(s) with fewer than ${minCanary} canary requests were judged together as the long tail.` : '';
  if (look.final) {
    return {
      ...base,
      verdict: 'promote',
      reasons: [`final look ${look.index}/${look.count}: no tenant, nor the fleet, is worse than the baseline or over budget (α = ${alpha}, ${procedure}).${tailNote}`],
      groups,
      missing,
    };
  }
  return {
    ...base,
    verdict: 'continue',
    reasons: [`look ${look.index}/${look.count}: no regression proven so far; promotion waits for the final look.${tailNote}`],
    groups,
    missing,
  };
}

function describeGroup(group: GroupResult): string {
  if (group.kind === 'tenant') return `tenant ${group.id}`;
  if (group.kind === 'fleet') return `fleet (all ${group.tenants.length} tenants pooled)`;
  return `long tail (${group.tenants.length} tenants pooled: ${abbreviate(group.tenants)})`;
}

function abbreviate(ids: readonly string[]): string {
  return ids.length <= 5 ? ids.join(', ') : `${ids.slice(0, 5).join(', ')}, … ${ids.length - 5} more`;
}
