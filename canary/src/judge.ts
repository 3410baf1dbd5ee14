/**
 * The gate's decision. Per tenant, five one-sided tests of the canary against its
 * budgets and against the baseline; tenants with too little canary traffic pooled into
 * one long-tail group; one more family of pooled tests over the whole fleet for
 * regressions spread thinly over every tenant. Holm controls the family-wise error
 * across tenants and metrics, alpha spending across looks (docs/canary.md).
 */
import { budgetSeconds } from '@tenantry/conventions';
import { addHistograms, histogramQuantile, requestsAbove, type LatencyHistogram, type TrackCounts } from './histogram.js';
import type {
  Finding,
  GroupResult,
  Judgement,
  Suspect,
  TenantBudget,
  TenantObservation,
  TestName,
  TestResult,
  TrackSummary,
} from './judge-types.js';
import {
  lookLevel,
  obrienFlemingSpending,
  pocockSpending,
  sequentialPValue,
  type Look,
  type SpendingFunction,
} from './statistics/alpha-spending.js';
import { binomialUpperTail, fisherExactGreater } from './statistics/exact-tests.js';
import { rejections, type MultipleTestingProcedure } from './statistics/multiple-testing.js';
import { combineRankStatistics, probabilityOfSuperiority, rankShiftPValue, rankStatistic, type RankStatistic } from './statistics/rank-test.js';

/** "p95 within budget" means at most this share of requests above the budget. */
const ALLOWED_SLOW_SHARE = 0.05;

export interface JudgeOptions {
  /** Budgets of a tenant id (the catalog's `slo`; defaults for ids it does not know). */
  readonly budgetOf: (tenant: string) => TenantBudget;
  /** Which look of the analysis this is. */
  readonly look: Look;
  /**
   * Family-wise false-rollback rate of the whole analysis: all looks, tenants and metrics.
   * @default 0.01
   */
  readonly alpha?: number;
  /**
   * Canary requests a tenant needs in the window to be judged on its own; tenants with
   * fewer are pooled into the long-tail group.
   * @default 50
   */
  readonly minCanaryRequests?: number;
  /**
   * Share of alpha given to the fleet-wide family (Pocock spending, fast on regressions
   * spread over all tenants); the rest goes to tenants and the long tail (O'Brien–Fleming).
   * @default 0.2
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
   * @default 0.2
   */
  readonly canaryShareTolerance?: number;
  /**
   * How errors are controlled across tenants and metrics: `holm` bounds the chance of
   * any false rollback; `benjamini-hochberg` bounds the expected share of false findings
   * (more power with many tenants, weaker guarantee).
   * @default 'holm'
   */
  readonly procedure?: MultipleTestingProcedure;
  /**
   * Compute every test's sequential p-value for the report. The simulation benchmark
   * turns this off: the verdict only needs the tests Holm reaches.
   * @default true
   */
  readonly sequentialPValues?: boolean;
}

interface PendingTest {
  readonly name: TestName;
  readonly pValue: number;
  readonly excluded?: string;
}

/** A group before the family decides: its tests have p-values but no rejections yet. */
interface PendingGroup extends Omit<GroupResult, 'tests' | 'finding' | 'detail'> {
  readonly tests: readonly PendingTest[];
  readonly enoughData: boolean;
  readonly effects: Effects;
  /** Each member's own tests, computed only when a pooled group regressed. */
  readonly memberTests?: () => ReadonlyMap<string, readonly PendingTest[]>;
}

interface Effects {
  readonly superiority: number;
}

export function judge(observations: readonly TenantObservation[], options: JudgeOptions): Judgement {
  const alpha = options.alpha ?? 0.01;
  const minCanary = options.minCanaryRequests ?? 50;
  const fleetAlpha = alpha * (options.fleetAlphaShare ?? 0.2);
  const tenantAlpha = alpha - fleetAlpha;
  const look = options.look;
  const procedure = options.procedure ?? 'holm';

  const missing: string[] = [];
  const canaryTotal = sum(observations.map((o) => o.canary.requests));
  const baselineTotal = sum(observations.map((o) => o.baseline.requests));
  if (canaryTotal === 0) missing.push('no requests from the canary in the window');
  if (baselineTotal === 0) missing.push('no requests from the baseline in the window');
  if (missing.length > 0) {
    return { verdict: 'continue', reasons: [`cannot judge: ${missing.join('; ')}. The gate never promotes without data.`], look, alpha, procedure, groups: [], missing };
  }
  if (options.expectedCanaryShare !== undefined) {
    const share = canaryTotal / (canaryTotal + baselineTotal);
    const tolerance = options.canaryShareTolerance ?? 0.2;
    if (Math.abs(share - options.expectedCanaryShare) > tolerance * options.expectedCanaryShare) {
      missing.push(
        `the canary took ${(share * 100).toFixed(1)}% of the requests, outside the expected ${(options.expectedCanaryShare * 100).toFixed(1)}% ± ${tolerance * 100}%: the traffic split is off`,
      );
    }
  }

  const judged = observations.filter((o) => o.canary.requests >= minCanary).sort((a, b) => b.canary.requests - a.canary.requests);
  const tail = observations.filter((o) => o.canary.requests < minCanary).sort((a, b) => a.tenant.localeCompare(b.tenant));

  const tenantGroups: PendingGroup[] = judged.map((o) => tenantGroup(o, options.budgetOf(o.tenant)));
  if (tail.length > 0) tenantGroups.push(pooledGroup('long-tail', tail, options.budgetOf, minCanary, true));
  const fleetGroup = pooledGroup('fleet', observations, options.budgetOf, minCanary, false);

  const family = { look, procedure, withSequential: options.sequentialPValues ?? true } as const;
  const tenantResults = decideFamily(tenantGroups, { ...family, alpha: tenantAlpha, spending: obrienFlemingSpending });
  const fleetResults = decideFamily([fleetGroup], { ...family, alpha: fleetAlpha, spending: pocockSpending });
  const groups = [...fleetResults, ...tenantResults];

  const failing = groups.filter((g) => g.finding === 'regression');
  if (failing.length > 0) {
    return {
      verdict: 'rollback',
      reasons: failing.map((g) => `${describeGroup(g)}: ${g.detail}`),
      look,
      alpha,
      procedure,
      groups,
      missing,
    };
  }
  if (missing.length > 0) {
    return { verdict: 'continue', reasons: [`no regression found, but ${missing.join('; ')}. The gate never promotes then.`], look, alpha, procedure, groups, missing };
  }
  const tailGroup = groups.find((g) => g.kind === 'long-tail');
  const tailNote = tailGroup ? ` ${tailGroup.tenants.length} tenant(s) with fewer than ${minCanary} canary requests were judged together as the long tail.` : '';
  if (look.final) {
    return {
      verdict: 'promote',
      reasons: [`final look ${look.index}/${look.count}: no tenant, nor the fleet, is worse than the baseline or over budget (α = ${alpha}, ${procedure}).${tailNote}`],
      look,
      alpha,
      procedure,
      groups,
      missing,
    };
  }
  return {
    verdict: 'continue',
    reasons: [`look ${look.index}/${look.count}: no regression proven so far; promotion waits for the final look.${tailNote}`],
    look,
    alpha,
    procedure,
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

function sum(values: readonly number[]): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}

function summarize(track: TrackCounts, slow: number | undefined): TrackSummary {
  return {
    requests: track.requests,
    errors: track.errors,
    errorRate: track.requests > 0 ? track.errors / track.requests : undefined,
    slowShare: slow !== undefined && track.requests > 0 ? slow / totalOf(track.latency) : undefined,
    p95Seconds: histogramQuantile(track.latency, 0.95),
  };
}

function totalOf(h: LatencyHistogram): number {
  return sum(h.bins) || 1;
}

function tenantGroup(o: TenantObservation, budget: TenantBudget): PendingGroup {
  const budgetInSeconds = budgetSeconds(budget.p95LatencyMs);
  const canarySlow = requestsAbove(o.canary.latency, budgetInSeconds).slow;
  const baselineSlow = requestsAbove(o.baseline.latency, budgetInSeconds).slow;
  const canary = summarize(o.canary, canarySlow);
  const baseline = summarize(o.baseline, baselineSlow);
  const rank = rankStatistic(o.canary.latency.bins, o.baseline.latency.bins);
  return {
    kind: 'tenant',
    id: o.tenant,
    tenants: [o.tenant],
    canary,
    baseline,
    budget,
    enoughData: true,
    effects: { superiority: probabilityOfSuperiority(rank) },
    tests: countTests({
      canarySlow,
      canaryLatencyTotal: sum(o.canary.latency.bins),
      baselineSlow,
      baselineLatencyTotal: sum(o.baseline.latency.bins),
      canary: o.canary,
      baseline: o.baseline,
      errorBudget: budget.errorRate,
      rank,
      checkBudgets: true,
    }),
  };
}

interface CountTestInput {
  readonly canarySlow: number;
  readonly canaryLatencyTotal: number;
  readonly baselineSlow: number;
  readonly baselineLatencyTotal: number;
  readonly canary: TrackCounts;
  readonly baseline: TrackCounts;
  /** Expected share of errors allowed (a weighted mean for pooled groups). */
  readonly errorBudget: number;
  readonly rank: RankStatistic;
  /** Absolute budgets are a per-tenant promise; the fleet group only compares tracks. */
  readonly checkBudgets: boolean;
}

function countTests(input: CountTestInput): PendingTest[] {
  const tests: PendingTest[] = [];
  if (input.checkBudgets) {
    const baselineSlowShare = input.baselineLatencyTotal > 0 ? input.baselineSlow / input.baselineLatencyTotal : 0;
    tests.push({
      name: 'latency-budget',
      pValue: binomialUpperTail(input.canarySlow, input.canaryLatencyTotal, ALLOWED_SLOW_SHARE),
      ...(baselineSlowShare > ALLOWED_SLOW_SHARE ? { excluded: 'the baseline is over the latency budget too: not caused by this release' } : {}),
    });
    const baselineErrorRate = input.baseline.requests > 0 ? input.baseline.errors / input.baseline.requests : 0;
    tests.push({
      name: 'error-budget',
      pValue: binomialUpperTail(input.canary.errors, input.canary.requests, input.errorBudget),
      ...(baselineErrorRate > input.errorBudget ? { excluded: 'the baseline is over the error budget too: not caused by this release' } : {}),
    });
  }
  tests.push({
    name: 'errors-vs-baseline',
    pValue: fisherExactGreater({
      events: input.canary.errors,
      total: input.canary.requests,
      referenceEvents: input.baseline.errors,
      referenceTotal: input.baseline.requests,
    }),
  });
  tests.push({
    name: 'slow-share-vs-baseline',
    pValue: fisherExactGreater({
      events: input.canarySlow,
      total: input.canaryLatencyTotal,
      referenceEvents: input.baselineSlow,
      referenceTotal: input.baselineLatencyTotal,
    }),
  });
  tests.push({ name: 'latency-shift', pValue: rankShiftPValue(input.rank) });
  return tests;
}

function pooledGroup(
  kind: 'long-tail' | 'fleet',
  members: readonly TenantObservation[],
  budgetOf: (tenant: string) => TenantBudget,
  minCanary: number,
  checkBudgets: boolean,
): PendingGroup {
  const boundaries = members[0]!.canary.latency.boundaries;
  let canarySlow = 0;
  let baselineSlow = 0;
  let allowedErrors = 0;
  const ranks: RankStatistic[] = [];
  for (const o of members) {
    const budget = budgetOf(o.tenant);
    canarySlow += requestsAbove(o.canary.latency, budgetSeconds(budget.p95LatencyMs)).slow;
    baselineSlow += requestsAbove(o.baseline.latency, budgetSeconds(budget.p95LatencyMs)).slow;
    allowedErrors += budget.errorRate * o.canary.requests;
    // Stratified by tenant: the comparison is within each tenant, never between tenants of different speeds.
    ranks.push(rankStatistic(o.canary.latency.bins, o.baseline.latency.bins));
  }
  const canary: TrackCounts = {
    latency: addHistograms(boundaries, members.map((o) => o.canary.latency)),
    requests: sum(members.map((o) => o.canary.requests)),
    errors: sum(members.map((o) => o.canary.errors)),
  };
  const baseline: TrackCounts = {
    latency: addHistograms(boundaries, members.map((o) => o.baseline.latency)),
    requests: sum(members.map((o) => o.baseline.requests)),
    errors: sum(members.map((o) => o.baseline.errors)),
  };
  const rank = combineRankStatistics(ranks);
  const canaryLatencyTotal = sum(canary.latency.bins);
  return {
    kind,
    id: kind,
    tenants: members.map((o) => o.tenant),
    canary: summarize(canary, canarySlow),
    baseline: summarize(baseline, baselineSlow),
    budget: undefined,
    enoughData: canary.requests >= minCanary,
    effects: { superiority: probabilityOfSuperiority(rank) },
    memberTests: () => new Map(members.filter((o) => o.canary.requests > 0).map((o) => [o.tenant, tenantGroup(o, budgetOf(o.tenant)).tests])),
    tests:
      canary.requests === 0
        ? []
        : countTests({
            canarySlow,
            canaryLatencyTotal,
            baselineSlow,
            baselineLatencyTotal: sum(baseline.latency.bins),
            canary,
            baseline,
            errorBudget: canary.requests > 0 ? allowedErrors / canary.requests : 0,
            rank,
            checkBudgets,
          }),
  };
}

interface FamilyOptions {
  readonly alpha: number;
  readonly spending: SpendingFunction;
  readonly look: Look;
  readonly procedure: MultipleTestingProcedure;
  readonly withSequential: boolean;
}

/**
 * Holm (or BH) across every counted test of a family, at this look's spending level: a
 * test granted level a rejects when p ≤ lookLevel(a), which is the same as its
 * sequential p-value being ≤ a, so only the levels the procedure reaches are computed.
 */
function decideFamily(groups: readonly PendingGroup[], family: FamilyOptions): GroupResult[] {
  const { alpha, spending, look } = family;
  const counted: { group: number; test: number }[] = [];
  const pValues: number[] = [];
  groups.forEach((g, gi) =>
    g.tests.forEach((t, ti) => {
      if (t.excluded !== undefined) return;
      counted.push({ group: gi, test: ti });
      pValues.push(t.pValue);
    }),
  );
  const rejectedIndexes = rejections(family.procedure, pValues, alpha, (a) => lookLevel(spending, a, look));
  const rejected = new Set([...rejectedIndexes].map((i) => `${counted[i]!.group}/${counted[i]!.test}`));
  return groups.map((g, gi) => {
    const tests: TestResult[] = g.tests.map((t, ti) => ({
      name: t.name,
      pValue: t.pValue,
      sequentialPValue: family.withSequential ? sequentialPValue(t.pValue, spending, look) : Number.NaN,
      rejected: rejected.has(`${gi}/${ti}`),
      ...(t.excluded !== undefined ? { excluded: t.excluded } : {}),
    }));
    const failed = tests.filter((t) => t.rejected);
    const finding: Finding = failed.length > 0 ? 'regression' : g.enoughData ? 'ok' : 'insufficient-data';
    const suspects = failed.length > 0 && g.memberTests ? suspectsOf(g.memberTests(), new Set(failed.map((t) => t.name))) : [];
    return {
      kind: g.kind,
      id: g.id,
      tenants: g.tenants,
      canary: g.canary,
      baseline: g.baseline,
      budget: g.budget,
      tests,
      finding,
      ...(suspects.length > 0 ? { suspects } : {}),
      detail: explain(g, failed, finding) + (suspects.length > 0 ? `; most affected: ${suspects.map((x) => `${x.tenant} (${x.test}, p=${x.pValue.toExponential(1)})`).join(', ')}` : ''),
    };
  });
}

/** Pooled tenants whose own nominal p on a rejected test is below 0.05, most significant first. */
function suspectsOf(members: ReadonlyMap<string, readonly PendingTest[]>, failed: ReadonlySet<TestName>): Suspect[] {
  const best = new Map<string, Suspect>();
  for (const [tenant, tests] of members) {
    for (const t of tests) {
      if (!failed.has(t.name) || t.excluded !== undefined || t.pValue >= 0.05) continue;
      const current = best.get(tenant);
      if (!current || t.pValue < current.pValue) best.set(tenant, { tenant, test: t.name, pValue: t.pValue });
    }
  }
  return [...best.values()].sort((a, b) => a.pValue - b.pValue).slice(0, 5);
}

function percent(share: number | undefined): string {
  return share === undefined ? 'n/a' : `${(share * 100).toFixed(share < 0.01 ? 2 : 1)}%`;
}

function ms(seconds: number | undefined): string {
  return seconds === undefined ? 'n/a' : `${Math.round(seconds * 1000)} ms`;
}

function explain(g: PendingGroup, failed: readonly TestResult[], finding: Finding): string {
  if (finding === 'insufficient-data') {
    return `${g.canary.requests} canary requests in the window across ${g.tenants.length} tenant(s): too few to judge; no regression seen`;
  }
  if (failed.length === 0) {
    const excluded = g.tests.filter((t) => t.excluded).map((t) => t.excluded);
    return excluded.length > 0 ? `no regression against the baseline; ${excluded.join('; ')}` : 'no regression';
  }
  const budgetMs = g.budget?.p95LatencyMs;
  return failed
    .map((t) => {
      const p = `p=${t.pValue.toExponential(1)}`;
      switch (t.name) {
        case 'latency-budget':
          return `${percent(g.canary.slowShare)} of canary requests over the ${budgetMs} ms budget (at most 5% allowed; ${p})`;
        case 'error-budget':
          return `canary error rate ${percent(g.canary.errorRate)} over the ${percent(g.budget?.errorRate)} budget (${p})`;
        case 'errors-vs-baseline':
          return `more errors than the baseline: ${percent(g.canary.errorRate)} vs ${percent(g.baseline.errorRate)} (${p})`;
        case 'slow-share-vs-baseline':
          return `more requests over budget than the baseline: ${percent(g.canary.slowShare)} vs ${percent(g.baseline.slowShare)} (${p})`;
        case 'latency-shift':
          return `latency shifted upward: p95 ${ms(g.baseline.p95Seconds)} → ${ms(g.canary.p95Seconds)}, a canary request is slower than a baseline one ${percent(g.effects.superiority)} of the time (${p})`;
      }
    })
    .join('; ');
}
