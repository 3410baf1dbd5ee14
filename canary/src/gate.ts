/**
 * One run of the gate: date the canary, read both tracks over the same range (from the
 * canary's start to this look), check the data is complete, pick the look, judge. Never
 * throws for Prometheus trouble: an unreachable server or a failed query becomes a
 * `continue` verdict whose `missing` says what could not be read, so it never promotes.
 */
import { durationSeconds, requestDuration, type LabelMatcher } from '@tenantry/conventions/promql';
import { GATE_DEFAULTS } from './defaults.js';
import { canaryFirstSeenQuery, gateQueries, type GateQueries, type TrackQueries } from './gate-queries.js';
import { judge } from './judge.js';
import type { Judgement, TenantBudget } from './judge-types.js';
import { observationsFrom, type TrackSamples } from './observations.js';
import { PrometheusClient, PrometheusError } from './prometheus-client.js';
import { lookAt } from './statistics/alpha-spending.js';
import type { MultipleTestingProcedure } from './statistics/multiple-testing.js';

export interface GateProps {
  readonly prometheusUrl: string;
  /** Selects the canary's series, e.g. role="canary" plus this rollout's pod-template hash. */
  readonly canary: readonly LabelMatcher[];
  /** Selects the baseline's series, e.g. role="stable". */
  readonly baseline: readonly LabelMatcher[];
  /** Planned length of the analysis, a PromQL duration. */
  readonly window: string;
  /** Evaluation time: the end of the judged range. */
  readonly end: Date;
  /**
   * Time between runs of the gate; window / lookInterval looks are planned.
   * @default GATE_DEFAULTS.lookInterval ('1m')
   */
  readonly lookInterval?: string;
  /**
   * When the canary started taking traffic, by the rollout's clock. Both tracks are read
   * from here to `end`.
   * @default - the canary selection's first data in Prometheus, searched over two windows
   */
  readonly since?: Date;
  /**
   * This run is the analysis' last look, by the rollout's clock (Argo's final metric):
   * it promotes or not now.
   * @default - final once `end` is a whole window (to the nearest look) after `since`
   */
  readonly final?: boolean;
  readonly budgetOf: (tenant: string) => TenantBudget;
  /** @default GATE_DEFAULTS.alpha */
  readonly alpha?: number;
  /** @default GATE_DEFAULTS.minCanaryRequests */
  readonly minCanaryRequests?: number;
  /** @default GATE_DEFAULTS.procedure */
  readonly procedure?: MultipleTestingProcedure;
  /** @default - not checked */
  readonly expectedCanaryShare?: number;
  /** @default 10000 (GATE_DEFAULTS.timeout) */
  readonly timeoutMs?: number;
  /**
   * Compute every test's sequential p-value for the report (the benchmark skips them).
   * @default true
   */
  readonly sequentialPValues?: boolean;
  /**
   * Answers the queries instead of Prometheus' HTTP API (the benchmark's simulated data).
   * @default - a PrometheusClient for `prometheusUrl`
   */
  readonly source?: Pick<PrometheusClient, 'url' | 'query'>;
}

/** What the gate read and how, next to the judgement: the report's provenance. */
export interface GateContext {
  readonly prometheus: string;
  readonly window: string;
  /** The range both tracks were read over (from the canary's start to `end`). */
  readonly range: string;
  readonly end: string;
  readonly canaryStartedAt: string | undefined;
  readonly queries: GateQueries;
}

export interface GateReport {
  readonly judgement: Judgement;
  readonly context: GateContext;
}

/** The whole seconds from `since` to `end`, at least one: the range both tracks are read over. */
export function rangeSince(since: Date, end: Date): string {
  return `${Math.max(1, Math.ceil((end.getTime() - since.getTime()) / 1000))}s`;
}

export async function runGate(props: GateProps): Promise<GateReport> {
  const windowSeconds = durationSeconds(props.window);
  const intervalSeconds = durationSeconds(props.lookInterval ?? GATE_DEFAULTS.lookInterval);
  const lookbackSeconds = 2 * windowSeconds;
  const firstSeen = canaryFirstSeenQuery(props.canary, `${lookbackSeconds}s`, `${Math.max(1, Math.floor(lookbackSeconds / 120))}s`);
  const client = props.source ?? new PrometheusClient({ url: props.prometheusUrl, timeoutMs: props.timeoutMs ?? durationSeconds(GATE_DEFAULTS.timeout) * 1000 });
  let since = props.since;
  let range = props.window;
  const lookNow = (): ReturnType<typeof lookAt> =>
    lookAt(since ? (props.end.getTime() - since.getTime()) / 1000 : 0, intervalSeconds, windowSeconds, props.final ?? false);
  const context = (): GateContext => ({
    prometheus: client.url,
    window: props.window,
    range,
    end: props.end.toISOString(),
    canaryStartedAt: since?.toISOString(),
    queries: gateQueries(props.canary, props.baseline, range, firstSeen),
  });

  try {
    if (since === undefined) {
      const seen = (await client.query(firstSeen, props.end))[0]?.value;
      if (seen !== undefined && Number.isFinite(seen)) since = new Date(seen * 1000);
    }
    if (since !== undefined) range = rangeSince(since, props.end);
    const queries = gateQueries(props.canary, props.baseline, range, firstSeen);
    const read = async (q: TrackQueries): Promise<TrackSamples> => {
      const [buckets, requests, errors, classified] = await Promise.all([q.buckets, q.requests, q.errors, q.classified].map((expr) => client.query(expr, props.end)));
      return { buckets: buckets!, requests: requests!, errors: errors!, classified: classified! };
    };
    const [canary, baseline] = await Promise.all([read(queries.canary), read(queries.baseline)]);
    const { observations, missing } = observationsFrom(canary, baseline);
    const judgement = judge(observations, {
      budgetOf: props.budgetOf,
      look: lookNow(),
      missing,
      ...(props.alpha !== undefined ? { alpha: props.alpha } : {}),
      ...(props.minCanaryRequests !== undefined ? { minCanaryRequests: props.minCanaryRequests } : {}),
      ...(props.procedure !== undefined ? { procedure: props.procedure } : {}),
      ...(props.expectedCanaryShare !== undefined ? { expectedCanaryShare: props.expectedCanaryShare } : {}),
      ...(props.sequentialPValues !== undefined ? { sequentialPValues: props.sequentialPValues } : {}),
    });
    if (judgement.missing.length > 0) {
      const where = `${requestDuration.count(props.canary)} and ${requestDuration.count(props.baseline)} over ${range} ending ${props.end.toISOString()}`;
      return { judgement: { ...judgement, reasons: [...judgement.reasons, `Looked for: ${where}.`] }, context: context() };
    }
    return { judgement, context: context() };
  } catch (error) {
    if (!(error instanceof PrometheusError)) throw error;
    return {
      judgement: {
        verdict: 'continue',
        reasons: [`cannot judge: ${error.message}. The gate never promotes without data.`],
        look: lookNow(),
        alpha: props.alpha ?? GATE_DEFAULTS.alpha,
        procedure: props.procedure ?? GATE_DEFAULTS.procedure,
        groups: [],
        missing: [error.message],
      },
      context: context(),
    };
  }
}
