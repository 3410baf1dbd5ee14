export { GATE_DEFAULTS } from './defaults.js';
export { rangeSince, runGate, type GateContext, type GateProps, type GateReport } from './gate.js';
export { canaryFirstSeenQuery, gateQueries, trackQueries, type GateQueries, type TrackQueries } from './gate-queries.js';
export { CHECKS, CHECK_NAMES } from './checks/registry.js';
export type { Check, CheckInput, CheckOutcome, CheckView, SeriesNeed } from './checks/check.js';
export { judge, type JudgeOptions } from './judge.js';
export type {
  Finding,
  GroupKind,
  GroupResult,
  Judgement,
  TenantBudget,
  TenantObservation,
  TestName,
  TestResult,
  TrackSummary,
  Verdict,
} from './judge-types.js';
export { binsFromCumulative, histogramQuantile, requestsAbove, type LatencyHistogram, type TrackCounts } from './histogram.js';
export { observationsFrom, type ObservationOptions, type ObservationSet, type TrackSamples } from './observations.js';
export { PrometheusClient, PrometheusError, type PrometheusClientProps, type PrometheusFailure, type Sample } from './prometheus-client.js';
export { REPORT_FORMATS, renderReport, type ReportFormat } from './report.js';
export { EXIT_CODES, run } from './cli.js';
export { lookAt, lookLevel, obrienFlemingSpending, pocockSpending, sequentialPValue, type Look, type SpendingFunction } from './statistics/alpha-spending.js';
export { binomialUpperTail, fisherExactGreater } from './statistics/exact-tests.js';
export { benjaminiHochbergRejections, holmAdjusted, holmRejections, type MultipleTestingProcedure } from './statistics/multiple-testing.js';
export { groupSequentialLevels } from './statistics/group-sequential.js';
export { combineRankStatistics, rankShiftPValue, rankShiftPValueSaddlepoint, rankStatistic, stratifiedRankShiftPValue, tenantRankShiftPValue, type RankStatistic, type RankStratum } from './statistics/rank-test.js';
export { exactRankShiftPValue } from './statistics/permutation-rank-test.js';
