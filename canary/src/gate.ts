/**
 * One run of the gate: read Prometheus, date the canary, pick the look, judge. Never
 * throws for Prometheus trouble: an unreachable server or a failed query becomes a
 * `continue` verdict whose `missing` says what could not be read, so it never promotes.
 */
import { durationSeconds, requestDuration, type LabelMatcher } from '@tenantry/conventions/promql';
import { gateQueries, type GateQueries } from './gate-queries.js';
import { judge } from './judge.js';
import type { Judgement, TenantBudget } from './judge-types.js';
import { observationsFrom, type TrackSamples } from './observations.js';
import { PrometheusClient, PrometheusError } from './prometheus-client.js';
import { lookAt } from './statistics/alpha-spending.js';
import type { MultipleTestingProcedure } from './statistics/multiple-testing.js';

export interface GateProps {
  readonly prometheusUrl: string;
  /** Selects the canary's series, e.g. role="canary". */
  readonly canary: readonly LabelMatcher[];
  /** Selects the baseline's series, e.g. role="stable". */
  readonly baseline: readonly LabelMatcher[];
  /** Judged window, a PromQL duration; also the planned length of the analysis. */
  readonly window: string;
  /** Evaluation time: the end of the window. */
  readonly end: Date;
  /**
   * Time between runs of the gate; window / lookInterval looks are planned.
   * @default '1m'
   */
  readonly lookInterval?: string;
  /**
   * When the canary started taking traffic.
   * @default - the first time in the window at which Prometheus has canary data
   */
  readonly started?: Date;
  readonly budgetOf: (tenant: string) => TenantBudget;
  /** @default 0.01 */
  readonly alpha?: number;
  /** @default 50 */
  readonly minCanaryRequests?: number;
  /** @default 'holm' */
  readonly procedure?: MultipleTestingProcedure;
  /** @default - not checked */
  readonly expectedCanaryShare?: number;
  /** @default 10000 */
  readonly timeoutMs?: number;
}

/** What the gate read and how, next to the judgement: the report's provenance. */
export interface GateContext {
  readonly prometheus: string;
  readonly window: string;
  readonly end: string;
  readonly canaryStartedAt: string | undefined;
  readonly queries: GateQueries;
}

export interface GateReport {
  readonly judgement: Judgement;
  readonly context: GateContext;
}

/** Subquery resolution for dating the canary: 1/60 of the window, at least a second. */
function resolutionFor(windowSeconds: number): string {
  return `${Math.max(1, Math.floor(windowSeconds / 60))}s`;
}

export async function runGate(props: GateProps): Promise<GateReport> {
  const windowSeconds = durationSeconds(props.window);
  const intervalSeconds = durationSeconds(props.lookInterval ?? '1m');
  const queries = gateQueries(props.canary, props.baseline, props.window, resolutionFor(windowSeconds));
  const client = new PrometheusClient({ url: props.prometheusUrl, ...(props.timeoutMs !== undefined ? { timeoutMs: props.timeoutMs } : {}) });
  const context = (started: Date | undefined): GateContext => ({
    prometheus: client.url,
    window: props.window,
    end: props.end.toISOString(),
    canaryStartedAt: started?.toISOString(),
    queries,
  });

  let started = props.started;
  try {
    const read = async (q: GateQueries['canary']): Promise<TrackSamples> => {
      const [buckets, requests, errors] = await Promise.all([client.query(q.buckets, props.end), client.query(q.requests, props.end), client.query(q.errors, props.end)]);
      return { buckets, requests, errors };
    };
    const [canary, baseline, firstSeen] = await Promise.all([read(queries.canary), read(queries.baseline), client.query(queries.canaryFirstSeen, props.end)]);
    const firstSeenSeconds = firstSeen[0]?.value;
    if (started === undefined && firstSeenSeconds !== undefined && Number.isFinite(firstSeenSeconds)) started = new Date(firstSeenSeconds * 1000);
    const elapsed = started === undefined ? 0 : (props.end.getTime() - started.getTime()) / 1000;
    const look = lookAt(elapsed, intervalSeconds, windowSeconds);
    const judgement = judge(observationsFrom(canary, baseline), {
      budgetOf: props.budgetOf,
      look,
      ...(props.alpha !== undefined ? { alpha: props.alpha } : {}),
      ...(props.minCanaryRequests !== undefined ? { minCanaryRequests: props.minCanaryRequests } : {}),
      ...(props.procedure !== undefined ? { procedure: props.procedure } : {}),
      ...(props.expectedCanaryShare !== undefined ? { expectedCanaryShare: props.expectedCanaryShare } : {}),
    });
    if (judgement.missing.length > 0) {
      const where = `${requestDuration.count(props.canary)} and ${requestDuration.count(props.baseline)} over ${props.window} ending ${props.end.toISOString()}`;
      return { judgement: { ...judgement, reasons: [...judgement.reasons, `Looked for: ${where}.`] }, context: context(started) };
    }
    return { judgement, context: context(started) };
  } catch (error) {
    if (!(error instanceof PrometheusError)) throw error;
    const look = lookAt(started ? (props.end.getTime() - started.getTime()) / 1000 : 0, intervalSeconds, windowSeconds);
    return {
      judgement: {
        verdict: 'continue',
        reasons: [`cannot judge: ${error.message}. The gate never promotes without data.`],
        look,
        alpha: props.alpha ?? 0.01,
        procedure: props.procedure ?? 'holm',
        groups: [],
        missing: [error.message],
      },
      context: context(started),
    };
  }
}
