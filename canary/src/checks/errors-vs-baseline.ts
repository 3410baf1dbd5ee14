/** Does the canary have a higher 5xx rate than the baseline? One-sided Fisher exact test. */
import { fisherExactGreater } from '../statistics/exact-tests.js';
import type { Check } from './check.js';
import { percent } from './format.js';

export const errorsVsBaseline: Check = {
  needs: ['requests', 'errors'],
  perTenantBudget: false,
  compute: (input) => ({
    pValue: fisherExactGreater({ events: input.canary.errors, total: input.canary.requests, referenceEvents: input.baseline.errors, referenceTotal: input.baseline.requests }),
  }),
  explain: (view, p) => `more errors than the baseline: ${percent(view.canary.errorRate)} vs ${percent(view.baseline.errorRate)} (${p})`,
};
