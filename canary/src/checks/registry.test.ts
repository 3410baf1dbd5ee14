import { describe, expect, it } from 'vitest';
import type { Check } from './check.js';
import { CHECKS, CHECK_NAMES } from './registry.js';

describe('the check registry', () => {
  it('lists every check once, each reading only series the gate queries', () => {
    expect(new Set(CHECK_NAMES).size).toBe(CHECK_NAMES.length);
    for (const name of CHECK_NAMES) for (const need of CHECKS[name].needs) expect(['buckets', 'requests', 'errors']).toContain(need);
  });

  it('does not compile a check without an explanation (checked by npm run typecheck)', () => {
    // @ts-expect-error -- `explain` is required: a check that cannot say why it failed does not compile.
    const incomplete: Check = { needs: ['buckets'], perTenantBudget: false, compute: () => ({ pValue: 1 }) };
    expect(incomplete.needs).toEqual(['buckets']);
  });

  it('explains a rejection with the numbers it rests on', () => {
    const view = {
      canary: { requests: 100, errors: 5, errorRate: 0.05, slowShare: 0.02, p95Seconds: 0.18 },
      baseline: { requests: 1900, errors: 2, errorRate: 0.001, slowShare: 0.01, p95Seconds: 0.12 },
      budget: { p95LatencyMs: 200, errorRate: 0.01 },
      superiority: 0.7,
    };
    expect(CHECKS['errors-vs-baseline'].explain(view, 'p=1.0e-6')).toBe('more errors than the baseline: 5.0% vs 0.10% (p=1.0e-6)');
    expect(CHECKS['latency-shift'].explain(view, 'p=1.0e-6')).toMatch(/p95 120 ms → 180 ms, a canary request is slower than a baseline one 70.0% of the time/);
  });
});
