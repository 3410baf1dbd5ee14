/** The gate's inputs and its judgement, shared by the judge, the report and the CLI. */
import type { SloBudget } from '@tenantry/catalog';
import type { Look } from './statistics/alpha-spending.js';
import type { MultipleTestingProcedure } from './statistics/multiple-testing.js';
import type { SeriesNeed } from './checks/check.js';
import type { TestName } from './checks/registry.js';
import type { TrackCounts } from './histogram.js';

/**
 * A tenant's absolute budgets, from the catalog's `slo`: at least 95% of requests finish
 * within `p95LatencyMs`, and at most `errorRate` of them are answered with 5xx.
 */
export type TenantBudget = Pick<SloBudget, 'p95LatencyMs' | 'errorRate'>;

/** Canary and baseline counts of one tenant over the judged window. */
export interface TenantObservation {
  readonly tenant: string;
  readonly canary: TrackCounts;
  readonly baseline: TrackCounts;
  /**
   * Series absent on either track: checks that need them are not run for this tenant
   * (and the gate never promotes; see observations.ts).
   * @default - every series present
   */
  readonly unavailable?: ReadonlySet<SeriesNeed>;
}

export type Verdict = 'promote' | 'rollback' | 'continue';

export type { TestName } from './checks/registry.js';

export interface TestResult {
  readonly name: TestName;
  /** Nominal one-sided p-value of this look. */
  readonly pValue: number;
  /** p-value accounting for repeated looks (see alpha-spending.ts); what Holm sees. */
  readonly sequentialPValue: number;
  /** Rejected by Holm across its family at this look. */
  readonly rejected: boolean;
  /** Why the test does not count towards the verdict, when it does not. */
  readonly excluded?: string;
}

/** Summary of one track of a group. */
export interface TrackSummary {
  readonly requests: number;
  readonly errors: number;
  readonly errorRate: number | undefined;
  /** Share of requests slower than the budget. */
  readonly slowShare: number | undefined;
  readonly p95Seconds: number | undefined;
}

export type GroupKind = 'tenant' | 'long-tail' | 'fleet';

export type Finding = 'ok' | 'regression' | 'insufficient-data';

export interface GroupResult {
  readonly kind: GroupKind;
  /** Tenant id; `long-tail` or `fleet` for the pooled groups. */
  readonly id: string;
  /** Tenants pooled into this group (one for a tenant row). */
  readonly tenants: readonly string[];
  readonly canary: TrackSummary;
  readonly baseline: TrackSummary;
  /** Undefined for groups that mix budgets (long tail, fleet). */
  readonly budget: TenantBudget | undefined;
  readonly tests: readonly TestResult[];
  readonly finding: Finding;
  /**
   * For a pooled group that regressed: its tenants whose own data points the same way
   * (nominal p < 0.05 on a rejected test), most significant first, at most five.
   */
  readonly suspects?: readonly Suspect[];
  /** One line for humans: what is wrong, or why all is well. */
  readonly detail: string;
}

/** A pooled tenant that likely drives its group's regression. */
export interface Suspect {
  readonly tenant: string;
  readonly test: TestName;
  /** The tenant's own nominal p-value on that test (not corrected: a pointer, not a verdict). */
  readonly pValue: number;
}

export interface Judgement {
  readonly verdict: Verdict;
  /** Why, in one or more sentences; names the tenants that failed or what data is missing. */
  readonly reasons: readonly string[];
  readonly look: Look;
  /** Family-wise level of the whole analysis (all looks, tenants and metrics). */
  readonly alpha: number;
  /** How errors were controlled across tenants and metrics. */
  readonly procedure: MultipleTestingProcedure;
  readonly groups: readonly GroupResult[];
  /** Data the gate needed and did not get; non-empty means never promote. */
  readonly missing: readonly string[];
}
