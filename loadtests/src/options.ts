/**
 * k6 options for a run: the tenants file plus the run settings in, scenarios and
 * thresholds out. Pure (no k6 module), so vitest tests exactly what k6 will run.
 */
import type { Options } from 'k6/options';
import type { RunSettings } from './profiles.js';
import { tenantScenarios } from './scenarios.js';
import type { TenantsFile } from './tenants-file.js';
import { thresholds } from './thresholds.js';

/** Trend statistics in the summary: the per-tenant table shows p50, p95 and p99. */
export const SUMMARY_TREND_STATS = ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)'];

export function buildOptions(file: TenantsFile, settings: RunSettings): Options {
  const scenarios = tenantScenarios({
    tenants: file.tenants,
    ratePerSecond: settings.ratePerSecond,
    durationSeconds: settings.durationSeconds,
    tenantTag: file.tenantTag,
  });
  return {
    scenarios: Object.fromEntries(scenarios.map((s) => [s.name, s.scenario])),
    thresholds: thresholds({
      scenarios,
      tenantTag: file.tenantTag,
      overallP95BudgetMs: file.overallP95BudgetMs,
      abortOnFail: settings.abortOnFail,
    }),
    summaryTrendStats: SUMMARY_TREND_STATS,
    // Bodies are read only where needed (the id of a created project), to keep memory flat.
    discardResponseBodies: true,
  };
}
