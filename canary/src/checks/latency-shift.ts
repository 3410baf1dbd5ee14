/** Is the canary's latency distribution shifted upward? Mann-Whitney U on the binned histograms (rank-test.ts). */
import { stratifiedRankShiftPValue, tenantRankShiftPValue } from '../statistics/rank-test.js';
import type { Check } from './check.js';
import { ms, percent } from './format.js';

export const latencyShift: Check = {
  needs: ['buckets'],
  perTenantBudget: false,
  // One tenant: the exact permutation tail where ties make approximations unsafe, else the
  // saddlepoint. Pooled groups: the saddlepoint of the sum over tenants, which stays skewed when every tenant is tied.
  compute: (input) => ({
    pValue: input.rank.strata > 1 ? stratifiedRankShiftPValue(input.rankStrata, input.rank) : tenantRankShiftPValue(input.canary.latency.bins, input.baseline.latency.bins),
  }),
  explain: (view, p) =>
    `latency shifted upward: p95 ${ms(view.baseline.p95Seconds)} → ${ms(view.canary.p95Seconds)}, a canary request is slower than a baseline one ${percent(view.superiority)} of the time (${p})`,
};
