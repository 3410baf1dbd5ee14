/**
 * Thresholds generated from the catalog. A global p95 can hide one tenant at twice its
 * budget, so every tenant gets its own latency, error, request-rate and dropped-iteration
 * thresholds on sub-metrics of its tag (of its scenario for dropped iterations, which k6
 * tags with the scenario only). k6 exits 99 when any is crossed.
 */
import type { Threshold } from 'k6/options';
import { minimumRequestRate, scenarioName, tenantOfScenario, type TenantScenario } from './scenarios.js';

/** Share of checks that must pass (the checks compare status codes). */
export const CHECKS_PASS_RATE = 0.99;

/** How long an abort-on-fail threshold waits at least, so a cold start cannot abort a smoke run. */
export const ABORT_EVALUATION_DELAY_SECONDS = 10;

/**
 * Answers a tenant must have had before its own thresholds may abort the run: its p95 is
 * then its second-slowest answer or better, so one slow answer cannot stop the run. A
 * tenant too small to reach it within the run is judged at the end only.
 */
export const MIN_ANSWERS_BEFORE_ABORT = 20;

/** The tag k6 puts on `dropped_iterations`: the scenario's name (not the scenario's own tags). */
export const SCENARIO_TAG = 'scenario';

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

const TAGGED = /^([^{]+)\{([^:}]+):([^}]+)\}$/;

/**
 * `http_req_duration{tenant:acme}` or `dropped_iterations{scenario:tenant_acme}` → `acme`;
 * undefined for a metric of the whole run.
 */
export function tenantOfMetric(metric: string, tenantTag: string): string | undefined {
  const [, , tag, value] = TAGGED.exec(metric) ?? [];
  if (value === undefined) return undefined;
  if (tag === tenantTag) return value;
  return tag === SCENARIO_TAG ? tenantOfScenario(value) : undefined;
}

/**
 * The seconds after which a tenant's thresholds may abort the run: when it has had
 * `MIN_ANSWERS_BEFORE_ABORT` answers, and not before `ABORT_EVALUATION_DELAY_SECONDS`;
 * undefined when that comes too late for the run (the tenant is judged at the end only).
 */
export function abortDelaySeconds(scenario: Pick<TenantScenario, 'ratePerSecond' | 'expectedRequests'>): number | undefined {
  if (scenario.expectedRequests <= MIN_ANSWERS_BEFORE_ABORT) return undefined;
  return Math.max(ABORT_EVALUATION_DELAY_SECONDS, Math.ceil(MIN_ANSWERS_BEFORE_ABORT / scenario.ratePerSecond));
}

export function thresholds(props: ThresholdsProps): Record<string, Threshold[]> {
  const gate = (expression: string, delaySeconds: number | undefined): Threshold =>
    props.abortOnFail && delaySeconds !== undefined ? { threshold: expression, abortOnFail: true, delayAbortEval: `${delaySeconds}s` } : expression;
  const result: Record<string, Threshold[]> = {
    http_req_duration: [gate(`p(95)<${props.overallP95BudgetMs}`, ABORT_EVALUATION_DELAY_SECONDS)],
    checks: [gate(`rate>${CHECKS_PASS_RATE}`, ABORT_EVALUATION_DELAY_SECONDS)],
  };
  for (const scenario of props.scenarios) {
    const { tenant, ratePerSecond } = scenario;
    const delaySeconds = abortDelaySeconds(scenario);
    result[subMetric('http_req_duration', props.tenantTag, tenant.id)] = [gate(`p(95)<${tenant.p95BudgetMs}`, delaySeconds)];
    result[subMetric('http_req_failed', props.tenantTag, tenant.id)] = [gate(`rate<${tenant.errorRateBudget}`, delaySeconds)];
    // An overloaded generator, or a tenant slower than its VU pool absorbs, drops
    // iterations and records no latency for them; per scenario, so the report names the tenant.
    result[subMetric('dropped_iterations', SCENARIO_TAG, scenarioName(tenant.id))] = ['count==0'];
    // k6 divides a counter's count by the time the run has lasted, so an abort by another
    // tenant's threshold leaves this one intact; never abort on it (it starts low while
    // requests are in flight). A tenant without traffic fails here instead of passing on no samples.
    result[subMetric('http_reqs', props.tenantTag, tenant.id)] = [`rate>=${minimumRequestRate(ratePerSecond)}`];
  }
  return result;
}
