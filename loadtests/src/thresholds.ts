/**
 * Thresholds generated from the catalog. A global p95 can hide one tenant at twice its
 * budget, so every tenant gets its own latency, error and request-count thresholds on
 * sub-metrics of the tenant tag. k6 exits 99 when any is crossed.
 */
import type { Threshold } from 'k6/options';
import { minimumRequestRate, type TenantScenario } from './scenarios.js';

/** Share of checks that must pass (the checks compare status codes). */
export const CHECKS_PASS_RATE = 0.99;

/** How long an abort-on-fail threshold waits, so a cold start cannot abort a smoke run. */
export const ABORT_EVALUATION_DELAY = '10s';

export interface ThresholdsProps {
  readonly scenarios: readonly TenantScenario[];
  readonly tenantTag: string;
  readonly overallP95BudgetMs: number;
  /** Abort the run when a latency, error or check threshold is crossed. */
  readonly abortOnFail: boolean;
}

/** `metric{tag:value}`: the sub-metric k6 evaluates a tagged threshold on. */
export function subMetric(metric: string, tag: string, value: string): string {
  return `${metric}{${tag}:${value}}`;
}

export function thresholds(props: ThresholdsProps): Record<string, Threshold[]> {
  const gate = (expression: string): Threshold =>
    props.abortOnFail ? { threshold: expression, abortOnFail: true, delayAbortEval: ABORT_EVALUATION_DELAY } : expression;
  const result: Record<string, Threshold[]> = {
    http_req_duration: [gate(`p(95)<${props.overallP95BudgetMs}`)],
    checks: [gate(`rate>${CHECKS_PASS_RATE}`)],
    // An overloaded load generator drops iterations and records no latency for them.
    dropped_iterations: ['count==0'],
  };
  for (const { tenant, ratePerSecond } of props.scenarios) {
    result[subMetric('http_req_duration', props.tenantTag, tenant.id)] = [gate(`p(95)<${tenant.p95BudgetMs}`)];
    result[subMetric('http_req_failed', props.tenantTag, tenant.id)] = [gate(`rate<${tenant.errorRateBudget}`)];
    // k6 divides a counter's count by the time the run has lasted, so an abort by another
    // tenant's threshold leaves this one intact; never abort on it (it starts low while
    // requests are in flight). A tenant without traffic fails here instead of passing on no samples.
    result[subMetric('http_reqs', props.tenantTag, tenant.id)] = [`rate>=${minimumRequestRate(ratePerSecond)}`];
  }
  return result;
}
