/**
 * Whether a k6 run was cut short, and by which thresholds. k6's summary has no "aborted"
 * flag, so it is read from what is there: the run lasted less than its scenarios' duration
 * and thresholds marked `abortOnFail` were crossed. Pure, like the rest of the report.
 */
import type { Threshold } from 'k6/options';
import { tenantOfMetric } from '../thresholds.js';
import type { SummaryData, ThresholdOutcome } from './summary-data.js';

/** How much shorter than planned a run must be to count as cut short (k6 ends a full run at or after its duration). */
const ABORT_TOLERANCE_MS = 500;

/** What the run was meant to be: its length and the thresholds it was given (`options.thresholds`). */
export interface RunPlan {
  readonly plannedDurationSeconds: number;
  readonly thresholds: Readonly<Record<string, readonly Threshold[]>>;
}

export interface RunAbort {
  readonly afterSeconds: number;
  readonly plannedSeconds: number;
  /** Crossed thresholds that abort the run; empty when it was interrupted (e.g. Ctrl-C) without one. */
  readonly by: readonly ThresholdOutcome[];
  /** Tenants whose own thresholds are among `by`. */
  readonly tenants: readonly string[];
}

/** The abort of a run, or undefined when it ran its full duration. */
export function runAbort(data: SummaryData, plan: RunPlan, crossed: readonly ThresholdOutcome[], tenantTag: string): RunAbort | undefined {
  const afterMs = data.state?.testRunDurationMs;
  if (afterMs === undefined || afterMs >= plan.plannedDurationSeconds * 1000 - ABORT_TOLERANCE_MS) return undefined;
  const aborts = (o: ThresholdOutcome): boolean => {
    const planned = plan.thresholds[o.metric];
    return Array.isArray(planned) && planned.some((t) => typeof t === 'object' && t.abortOnFail === true && t.threshold === o.expression);
  };
  const by = crossed.filter(aborts);
  const tenants = [...new Set(by.map((o) => tenantOfMetric(o.metric, tenantTag)).filter((t): t is string => t !== undefined))];
  return { afterSeconds: afterMs / 1000, plannedSeconds: plan.plannedDurationSeconds, by, tenants };
}

/** One sentence for the report: "aborted after 12.1 s of 30 s by harbor-law (…)". */
export function describeAbort(abort: RunAbort): string {
  const when = `after ${abort.afterSeconds.toFixed(1)} s of ${abort.plannedSeconds} s`;
  if (abort.by.length === 0) return `**ABORTED** ${when}, without a crossed threshold (interrupted).`;
  const who = abort.tenants.length > 0 ? `tenant ${abort.tenants.join(', ')}` : 'an overall threshold';
  return `**ABORTED** ${when} by ${who}: ${abort.by.map((o) => `\`${o.metric}\` \`${o.expression}\``).join(', ')}.`;
}
