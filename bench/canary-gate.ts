/**
 * How the benchmark runs the gate at one look: `runGate`, as the CLI calls it with the
 * AnalysisTemplate's options (this rollout's pod-template hash, the expected canary
 * share, the final metric's --final), its queries answered by the simulated Prometheus.
 */
import { LABEL_POD_TEMPLATE_HASH, LABEL_ROLE, ROLE_CANARY, ROLE_STABLE } from '@tenantry/conventions';
import { eq } from '@tenantry/conventions/promql';
import { runGate } from '../canary/src/gate.js';
import type { TenantBudget, Verdict } from '../canary/src/judge-types.js';
import type { SeriesFaults } from '../testing/canary-simulation/prometheus-shaped.js';
import { SimulatedPrometheus } from '../testing/canary-simulation/simulated-prometheus.js';
import type { SimulatedTraffic } from '../testing/canary-simulation/traffic.js';

export const GATE_UNDER_TEST =
  "after issue 12: both tracks from the canary's start (its pod-template hash's first sample), completeness checks, exact group-sequential boundaries, exact permutation rank tails for tied tenants, saddlepoint tails elsewhere and for pooled groups";

export interface LookInput {
  readonly traffic: SimulatedTraffic;
  readonly faults: SeriesFaults;
  /** The look fires 5 s after this minute of the canary. */
  readonly minute: number;
  readonly windowMinutes: number;
  readonly canaryWeight: number;
  readonly budgetOf: (tenant: string) => TenantBudget;
}

const START = new Date('2026-05-01T12:00:00Z');
const JOB_DELAY_SECONDS = 5;
const sources = new WeakMap<SimulatedTraffic, SimulatedPrometheus>();

export async function judgeLook(input: LookInput): Promise<Verdict> {
  const { traffic, minute, windowMinutes } = input;
  let source = sources.get(traffic);
  if (!source) {
    source = new SimulatedPrometheus(traffic, input.faults, START);
    sources.set(traffic, source);
  }
  const report = await runGate({
    prometheusUrl: source.url,
    source,
    canary: [eq(LABEL_ROLE, ROLE_CANARY), eq(LABEL_POD_TEMPLATE_HASH, 'canary0hash')],
    baseline: [eq(LABEL_ROLE, ROLE_STABLE)],
    window: `${windowMinutes}m`,
    end: new Date(START.getTime() + (minute * 60 + JOB_DELAY_SECONDS) * 1000),
    final: minute === windowMinutes,
    budgetOf: input.budgetOf,
    expectedCanaryShare: input.canaryWeight,
    sequentialPValues: false,
  });
  return report.judgement.verdict;
}
