/**
 * Stage 3: SLI recording rules, written once for all tenants (`sum by (tenant_id)`), so
 * their number does not grow with the catalog. For every window they record requests
 * per second, good requests per second per SLO, and the error ratio per SLO:
 * - availability: good = not 5xx;
 * - latency: good = in the bucket whose `le` is the tenant's own budget, selected by
 *   `and on (tenant_id, le)` against the budget series (exact, never interpolated).
 * Rule order matters inside the group: the 5-minute rates come before the averages
 * built from them, and the rates before the ratios.
 */
import { LABEL_BUCKET_BOUND, LABEL_TENANT } from '@tenantry/conventions';
import { avgOverTime, binary, durationSeconds, rate, requestDuration, sumBy } from '@tenantry/conventions/promql';
import { LABEL_SLO, LATENCY_BUDGET_SECONDS, SLO_AVAILABILITY, SLO_LATENCY, errorRatio, goodRate, requestsRate } from '@tenantry/conventions';
import type { RecordingRule } from './rule-types.js';
import { BURN_RATE_WINDOWS, SLO_PERIOD, type BurnRateWindow } from '@tenantry/conventions';
import { BASE_WINDOW, LONGEST_RAW_WINDOW } from './windows.js';

/** Every window an alert or a dashboard reads, shortest first. */
export function sliWindows(windows: readonly BurnRateWindow[] = BURN_RATE_WINDOWS): string[] {
  const all = new Set([BASE_WINDOW, SLO_PERIOD, ...windows.flatMap((w) => [w.shortWindow, w.longWindow])]);
  return [...all].sort((a, b) => durationSeconds(a) - durationSeconds(b));
}

/** Non-5xx responses: a 4xx is the client's doing and does not spend the budget. */
const notServerError = requestDuration.notServerError();

function rawRules(window: string): RecordingRule[] {
  const byTenant = [LABEL_TENANT];
  const requests = sumBy(byTenant, rate(requestDuration.count(), window));
  // A tenant whose every request failed has no non-5xx series at all: count it as 0
  // good requests rather than leaving its SLI (and its alerts) absent.
  const noGood = binary('0', '*', requests);
  return [
    { record: requestsRate(window), expr: requests },
    {
      record: goodRate(window),
      expr: binary(sumBy(byTenant, rate(requestDuration.count([notServerError]), window)), 'or', noGood, { on: [LABEL_TENANT] }),
      labels: { [LABEL_SLO]: SLO_AVAILABILITY },
    },
    {
      record: goodRate(window),
      expr: sumBy(byTenant, binary(rate(requestDuration.bucket(), window), 'and', LATENCY_BUDGET_SECONDS, { on: [LABEL_TENANT, LABEL_BUCKET_BOUND] })),
      labels: { [LABEL_SLO]: SLO_LATENCY },
    },
  ];
}

function averagedRules(window: string): RecordingRule[] {
  return [
    { record: requestsRate(window), expr: avgOverTime(requestsRate(BASE_WINDOW), window) },
    { record: goodRate(window), expr: avgOverTime(goodRate(BASE_WINDOW), window) },
  ];
}

function ratioRule(window: string): RecordingRule {
  const goodShare = binary(goodRate(window), '/', requestsRate(window), { on: [LABEL_TENANT], groupLeft: [] });
  return { record: errorRatio(window), expr: binary('1', '-', goodShare) };
}

export function sliRules(windows: readonly BurnRateWindow[] = BURN_RATE_WINDOWS): RecordingRule[] {
  const all = sliWindows(windows);
  const longestRaw = durationSeconds(LONGEST_RAW_WINDOW);
  const raw = all.filter((w) => durationSeconds(w) <= longestRaw);
  const averaged = all.filter((w) => durationSeconds(w) > longestRaw);
  return [...raw.flatMap(rawRules), ...averaged.flatMap(averagedRules), ...all.map(ratioRule)];
}
