/**
 * One family of groups decided together: Holm (or Benjamini–Hochberg) across every
 * counted check of every group, each test at this look's group-sequential level. Turns
 * pending groups into results with findings, the tests rejected and a line for humans.
 */
import { CHECKS, type TestName } from './checks/registry.js';
import type { PendingGroup, PendingTest } from './groups.js';
import type { Finding, GroupResult, Suspect, TestResult } from './judge-types.js';
import { lookLevel, sequentialPValue, type Look, type SpendingFunction } from './statistics/alpha-spending.js';
import { rejections, type MultipleTestingProcedure } from './statistics/multiple-testing.js';

export interface FamilyOptions {
  readonly alpha: number;
  readonly spending: SpendingFunction;
  readonly look: Look;
  readonly procedure: MultipleTestingProcedure;
  /** Compute every test's sequential p-value for the report (the benchmark skips it). */
  readonly withSequential: boolean;
}

/**
 * A test granted level a rejects when p ≤ lookLevel(a), which is the same as its
 * sequential p-value being ≤ a, so only the levels the procedure reaches are computed.
 */
export function decideFamily(groups: readonly PendingGroup[], family: FamilyOptions): GroupResult[] {
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
      detail: detailOf(g, failed, finding) + (suspects.length > 0 ? `; most affected: ${suspects.map((x) => `${x.tenant} (${x.test}, p=${x.pValue.toExponential(1)})`).join(', ')}` : ''),
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

function detailOf(g: PendingGroup, failed: readonly TestResult[], finding: Finding): string {
  if (finding === 'insufficient-data') {
    return `${g.canary.requests} canary requests in the window across ${g.tenants.length} tenant(s): too few to judge; no regression seen`;
  }
  if (failed.length === 0) {
    const excluded = g.tests.filter((t) => t.excluded).map((t) => t.excluded);
    return excluded.length > 0 ? `no regression against the baseline; ${excluded.join('; ')}` : 'no regression';
  }
  const view = { canary: g.canary, baseline: g.baseline, budget: g.budget, superiority: g.superiority };
  return failed.map((t) => CHECKS[t.name].explain(view, `p=${t.pValue.toExponential(1)}`)).join('; ');
}
