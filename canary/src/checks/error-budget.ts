/** Is the canary's 5xx rate over the tenant's error budget? Exact binomial. */
import { binomialUpperTail } from '../statistics/exact-tests.js';
import type { Check } from './check.js';
import { percent } from './format.js';

export const errorBudget: Check = {
  needs: ['requests', 'errors'],
  perTenantBudget: true,
  compute: (input) => {
    const baselineErrorRate = input.baseline.requests > 0 ? input.baseline.errors / input.baseline.requests : 0;
    return {
      pValue: binomialUpperTail(input.canary.errors, input.canary.requests, input.errorBudget),
      ...(baselineErrorRate > input.errorBudget ? { excluded: 'the baseline is over the error budget too: not caused by this release' } : {}),
    };
  },
  explain: (view, p) => `canary error rate ${percent(view.canary.errorRate)} over the ${percent(view.budget?.errorRate)} budget (${p})`,
};
