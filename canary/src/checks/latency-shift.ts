/** Is the canary's latency distribution shifted upward? Mann-Whitney U on the binned histograms. */
import { rankShiftPValue } from '../statistics/rank-test.js';
import type { Check } from './check.js';
import { ms, percent } from './format.js';

export const latencyShift: Check = {
  needs: ['buckets'],
  perTenantBudget: false,
  compute: (input) => ({ pValue: rankShiftPValue(input.rank) }),
  explain: (view, p) =>
    `latency shifted upward: p95 ${ms(view.baseline.p95Seconds)} → ${ms(view.canary.p95Seconds)}, a canary request is slower than a baseline one ${percent(view.superiority)} of the time (${p})`,
};
