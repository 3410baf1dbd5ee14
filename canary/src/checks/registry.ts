/**
 * Every statistic the gate runs, by the name the report shows. To add one, write a
 * `Check` (check.ts) in its own module and list it here: a check without `needs`,
 * `compute` or `explain` does not compile, and its name joins `TestName` by itself.
 */
import type { Check } from './check.js';
import { errorBudget } from './error-budget.js';
import { errorsVsBaseline } from './errors-vs-baseline.js';
import { latencyBudget } from './latency-budget.js';
import { latencyShift } from './latency-shift.js';
import { slowShareVsBaseline } from './slow-share-vs-baseline.js';

export const CHECKS = {
  'latency-budget': latencyBudget,
  'error-budget': errorBudget,
  'errors-vs-baseline': errorsVsBaseline,
  'slow-share-vs-baseline': slowShareVsBaseline,
  'latency-shift': latencyShift,
} as const satisfies Readonly<Record<string, Check>>;

export type TestName = keyof typeof CHECKS;

export const CHECK_NAMES = Object.keys(CHECKS) as readonly TestName[];
