/**
 * Synthetic per-tenant traffic as `promtool test rules` input series: the counters a
 * service would export, minute by minute, for phases of given volume, slow share and
 * 5xx share. Test-only; kept apart from the tests so each test reads as a scenario.
 */
import { LABEL_STATUS_CODE, LABEL_TENANT, PROMETHEUS_DURATION_BUCKET, PROMETHEUS_DURATION_COUNT } from '@tenantry/conventions';
import { eq, requestDuration, selector } from '@tenantry/conventions/promql';

export interface TrafficPhase {
  readonly minutes: number;
  readonly requestsPerMinute: number;
  /** Requests per minute slower than the budget. */
  readonly slowPerMinute?: number;
  /** Requests per minute answered with 500. */
  readonly errorsPerMinute?: number;
}

export interface InputSeries {
  readonly series: string;
  readonly values: string;
}

/** promtool's expanding notation for a counter that grows by the given step each minute. */
function counterValues(stepsPerMinute: readonly number[]): string {
  const segments: string[] = [];
  let value = 0;
  let i = 0;
  // First sample is 0 at t=0; each following sample adds that minute's step.
  segments.push('0');
  while (i < stepsPerMinute.length) {
    const step = stepsPerMinute[i]!;
    let run = 1;
    while (i + run < stepsPerMinute.length && stepsPerMinute[i + run] === step) run++;
    segments.push(`${value + step}+${step}x${run - 1}`);
    value += step * run;
    i += run;
  }
  return segments.join(' ');
}

function perMinute(phases: readonly TrafficPhase[], pick: (p: TrafficPhase) => number): number[] {
  return phases.flatMap((p) => Array.from({ length: p.minutes }, () => pick(p)));
}

/**
 * Count and budget-bucket series of one tenant, split by status 200/500 as the
 * exporter would. Fast 500s fall into the budget bucket like fast 200s.
 */
export function tenantTraffic(tenantId: string, budgetSeconds: number, phases: readonly TrafficPhase[]): InputSeries[] {
  const ok = (p: TrafficPhase): number => p.requestsPerMinute - (p.errorsPerMinute ?? 0);
  const errors = (p: TrafficPhase): number => p.errorsPerMinute ?? 0;
  // Slow requests are taken from the successful ones first.
  const okFast = (p: TrafficPhase): number => Math.max(0, ok(p) - (p.slowPerMinute ?? 0));
  const errorsFast = (p: TrafficPhase): number => errors(p) - Math.max(0, (p.slowPerMinute ?? 0) - ok(p));
  const labels = (status: string) => [eq(LABEL_TENANT, tenantId), eq(LABEL_STATUS_CODE, status)];
  const le = requestDuration.le(budgetSeconds);
  return [
    { series: selector(PROMETHEUS_DURATION_COUNT, labels('200')), values: counterValues(perMinute(phases, ok)) },
    { series: selector(PROMETHEUS_DURATION_COUNT, labels('500')), values: counterValues(perMinute(phases, errors)) },
    { series: selector(PROMETHEUS_DURATION_BUCKET, [...labels('200'), le]), values: counterValues(perMinute(phases, okFast)) },
    { series: selector(PROMETHEUS_DURATION_BUCKET, [...labels('500'), le]), values: counterValues(perMinute(phases, errorsFast)) },
  ];
}
