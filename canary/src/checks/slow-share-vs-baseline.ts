/** Does the canary have a larger share of requests over budget? One-sided Fisher exact test. */
import { fisherExactGreater } from '../statistics/exact-tests.js';
import type { Check } from './check.js';
import { percent } from './format.js';

export const slowShareVsBaseline: Check = {
  needs: ['buckets'],
  perTenantBudget: false,
  compute: (input) => ({
    pValue: fisherExactGreater({ events: input.canarySlow, total: input.canaryLatencyTotal, referenceEvents: input.baselineSlow, referenceTotal: input.baselineLatencyTotal }),
  }),
  explain: (view, p) => `more requests over budget than the baseline: ${percent(view.canary.slowShare)} vs ${percent(view.baseline.slowShare)} (${p})`,
};
