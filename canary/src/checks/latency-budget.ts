/** Are more than 5% of the canary's requests over the tenant's p95 budget? Exact binomial. */
import { binomialUpperTail } from '../statistics/exact-tests.js';
import type { Check } from './check.js';
import { percent } from './format.js';

/** "p95 within budget" means at most this share of requests above the budget. */
export const ALLOWED_SLOW_SHARE = 0.05;

export const latencyBudget: Check = {
  needs: ['buckets'],
  perTenantBudget: true,
  compute: (input) => {
    // On a lower bound the slow count is too high, which would blame the release for the histogram's layout.
    if (!input.budgetOnBucketBound) return { pValue: 1, excluded: 'the budget is not a bucket bound of both tracks: the share over budget is not exact' };
    const baselineSlowShare = input.baselineLatencyTotal > 0 ? input.baselineSlow / input.baselineLatencyTotal : 0;
    return {
      pValue: binomialUpperTail(input.canarySlow, input.canaryLatencyTotal, ALLOWED_SLOW_SHARE),
      ...(baselineSlowShare > ALLOWED_SLOW_SHARE ? { excluded: 'the baseline is over the latency budget too: not caused by this release' } : {}),
    };
  },
  explain: (view, p) => `${percent(view.canary.slowShare)} of canary requests over the ${view.budget?.p95LatencyMs} ms budget (at most 5% allowed; ${p})`,
};
