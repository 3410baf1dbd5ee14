/**
 * How the benchmark runs the gate at one look: the queries the CLI sends, answered from
 * the simulated Prometheus. This is the gate as it was before issue 12 (both tracks over
 * the last `window` ending at the look; look number from the canary's first sample).
 */
import { judge } from '../canary/src/judge.js';
import type { TenantBudget, Verdict } from '../canary/src/judge-types.js';
import { observationsFrom } from '../canary/src/observations.js';
import { lookAt } from '../canary/src/statistics/alpha-spending.js';
import { shapedTrack, type SeriesFaults } from '../testing/canary-simulation/prometheus-shaped.js';
import type { SimulatedTraffic } from '../testing/canary-simulation/traffic.js';

export const GATE_UNDER_TEST = 'before issue 12: increase(...[10m]) ending at each look on both tracks';

export interface LookInput {
  readonly traffic: SimulatedTraffic;
  readonly faults: SeriesFaults;
  /** The look fires 5 s after this minute of the canary. */
  readonly minute: number;
  readonly windowMinutes: number;
  readonly canaryWeight: number;
  readonly budgetOf: (tenant: string) => TenantBudget;
}

/** First scrape of the canary: 15 s into its first minute with data. */
const FIRST_SCRAPE_SECONDS = 15;
const JOB_DELAY_SECONDS = 5;

export function judgeLook(input: LookInput): Verdict {
  const { traffic, faults, minute, windowMinutes } = input;
  const canary = shapedTrack(traffic, 'canary', minute - windowMinutes, minute, faults);
  const baseline = shapedTrack(traffic, 'baseline', minute - windowMinutes, minute, faults);
  // The first-seen subquery looks back one window from the look.
  const first = traffic.firstCanaryMinute();
  const firstSeen = first === undefined || first < minute - windowMinutes ? minute - windowMinutes : first;
  const elapsed = minute * 60 + JOB_DELAY_SECONDS - (firstSeen * 60 + FIRST_SCRAPE_SECONDS);
  const look = lookAt(elapsed, 60, windowMinutes * 60);
  return judge(observationsFrom(canary, baseline), { budgetOf: input.budgetOf, look, expectedCanaryShare: input.canaryWeight, sequentialPValues: false }).verdict;
}
