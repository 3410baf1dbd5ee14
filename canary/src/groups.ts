/**
 * The groups the gate judges and their checks' p-values: one group per tenant with
 * enough canary traffic, the long tail (tenants with too little, pooled), and the fleet
 * (every tenant pooled). Pooled groups compare each tenant with its own baseline and its
 * own budget, never tenants of different speeds with each other.
 */
import { budgetSeconds } from '@tenantry/conventions';
import { CHECKS, CHECK_NAMES, type TestName } from './checks/registry.js';
import type { CheckInput, SeriesNeed } from './checks/check.js';
import { addHistograms, histogramQuantile, requestsAbove, totalRequests, type TrackCounts } from './histogram.js';
import type { GroupResult, TenantBudget, TenantObservation, TrackSummary } from './judge-types.js';
import { combineRankStatistics, probabilityOfSuperiority, rankStatistic, type RankStatistic, type RankStratum } from './statistics/rank-test.js';

export interface PendingTest {
  readonly name: TestName;
  readonly pValue: number;
  readonly excluded?: string;
}

/** A group before its family decides: its checks have p-values but no rejections yet. */
export interface PendingGroup extends Omit<GroupResult, 'tests' | 'finding' | 'detail'> {
  readonly tests: readonly PendingTest[];
  readonly enoughData: boolean;
  /** P(a canary request is slower than a baseline one), ties half. */
  readonly superiority: number;
  /** Each member's own checks, computed only when a pooled group regressed. */
  readonly memberTests?: () => ReadonlyMap<string, readonly PendingTest[]>;
}

function sum(values: readonly number[]): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}

function summarize(track: TrackCounts, slow: number): TrackSummary {
  const binned = totalRequests(track.latency);
  return {
    requests: track.requests,
    errors: track.errors,
    errorRate: track.requests > 0 ? track.errors / track.requests : undefined,
    slowShare: track.requests > 0 ? slow / (binned || 1) : undefined,
    p95Seconds: histogramQuantile(track.latency, 0.95),
  };
}

/** Runs every registered check that applies to the group; one whose series are absent is reported, not run. */
function runChecks(input: CheckInput, withBudgets: boolean, unavailable: ReadonlySet<SeriesNeed> = new Set()): PendingTest[] {
  return CHECK_NAMES.filter((name) => withBudgets || !CHECKS[name].perTenantBudget).map((name) => {
    const absent = CHECKS[name].needs.filter((need) => unavailable.has(need));
    if (absent.length > 0) return { name, pValue: 1, excluded: `not run: no ${absent.join(' or ')} series for this tenant` };
    return { name, ...CHECKS[name].compute(input) };
  });
}

export function tenantGroup(o: TenantObservation, budget: TenantBudget): PendingGroup {
  const budgetInSeconds = budgetSeconds(budget.p95LatencyMs);
  const canaryAbove = requestsAbove(o.canary.latency, budgetInSeconds);
  const baselineAbove = requestsAbove(o.baseline.latency, budgetInSeconds);
  const canarySlow = canaryAbove.slow;
  const baselineSlow = baselineAbove.slow;
  const rank = rankStatistic(o.canary.latency.bins, o.baseline.latency.bins);
  return {
    kind: 'tenant',
    id: o.tenant,
    tenants: [o.tenant],
    canary: summarize(o.canary, canarySlow),
    baseline: summarize(o.baseline, baselineSlow),
    budget,
    enoughData: true,
    superiority: probabilityOfSuperiority(rank),
    tests: runChecks(
      {
        canary: o.canary,
        baseline: o.baseline,
        canarySlow,
        baselineSlow,
        canaryLatencyTotal: totalRequests(o.canary.latency),
        baselineLatencyTotal: totalRequests(o.baseline.latency),
        budgetOnBucketBound: canaryAbove.exact && baselineAbove.exact,
        errorBudget: budget.errorRate,
        rank,
        rankStrata: [{ canaryBins: o.canary.latency.bins, baselineBins: o.baseline.latency.bins }],
      },
      true,
      o.unavailable,
    ),
  };
}

export function pooledGroup(
  kind: 'long-tail' | 'fleet',
  members: readonly TenantObservation[],
  budgetOf: (tenant: string) => TenantBudget,
  minCanary: number,
): PendingGroup {
  const boundaries = members[0]!.canary.latency.boundaries;
  let canarySlow = 0;
  let baselineSlow = 0;
  let allowedErrors = 0;
  let exact = true;
  const ranks: RankStatistic[] = [];
  const rankStrata: RankStratum[] = [];
  for (const o of members) {
    const budget = budgetOf(o.tenant);
    const canaryAbove = requestsAbove(o.canary.latency, budget.p95LatencyMs / 1000);
    const baselineAbove = requestsAbove(o.baseline.latency, budget.p95LatencyMs / 1000);
    canarySlow += canaryAbove.slow;
    baselineSlow += baselineAbove.slow;
    exact &&= canaryAbove.exact && baselineAbove.exact;
    allowedErrors += budget.errorRate * o.canary.requests;
    // Stratified by tenant: the comparison is within each tenant, never between tenants of different speeds.
    ranks.push(rankStatistic(o.canary.latency.bins, o.baseline.latency.bins));
    rankStrata.push({ canaryBins: o.canary.latency.bins, baselineBins: o.baseline.latency.bins });
  }
  const pooled = (track: 'canary' | 'baseline'): TrackCounts => ({
    latency: addHistograms(boundaries, members.map((o) => o[track].latency)),
    requests: sum(members.map((o) => o[track].requests)),
    errors: sum(members.map((o) => o[track].errors)),
  });
  const canary = pooled('canary');
  const baseline = pooled('baseline');
  const rank = combineRankStatistics(ranks);
  return {
    kind,
    id: kind,
    tenants: members.map((o) => o.tenant),
    canary: summarize(canary, canarySlow),
    baseline: summarize(baseline, baselineSlow),
    budget: undefined,
    enoughData: canary.requests >= minCanary,
    superiority: probabilityOfSuperiority(rank),
    memberTests: () => new Map(members.filter((o) => o.canary.requests > 0).map((o) => [o.tenant, tenantGroup(o, budgetOf(o.tenant)).tests])),
    tests:
      canary.requests === 0
        ? []
        : runChecks(
            {
              canary,
              baseline,
              canarySlow,
              baselineSlow,
              canaryLatencyTotal: totalRequests(canary.latency),
              baselineLatencyTotal: totalRequests(baseline.latency),
              budgetOnBucketBound: exact,
              errorBudget: canary.requests > 0 ? allowedErrors / canary.requests : 0,
              rank,
              rankStrata,
            },
            kind === 'long-tail',
          ),
  };
}
