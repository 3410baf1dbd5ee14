/**
 * The part of k6's end-of-test summary object (`handleSummary(data)`) that the reports
 * read. Written from k6's documented shape: `metrics[name] = { type, contains, values,
 * thresholds: { '<expression>': { ok } } }`; sub-metrics with thresholds appear under
 * their full name, e.g. `http_req_duration{tenant:acme}`.
 */

export interface SummaryThresholdResult {
  readonly ok: boolean;
}

export interface SummaryMetric {
  readonly type: 'counter' | 'gauge' | 'rate' | 'trend';
  readonly contains?: string;
  /** Aggregates: `count`/`rate` (counter), `rate`/`passes`/`fails` (rate), `avg`/`med`/`p(95)`… (trend). */
  readonly values: Readonly<Record<string, number>>;
  readonly thresholds?: Readonly<Record<string, SummaryThresholdResult>>;
}

export interface SummaryData {
  readonly metrics: Readonly<Record<string, SummaryMetric>>;
  readonly state?: { readonly testRunDurationMs?: number; readonly [key: string]: unknown };
}

/** One threshold as evaluated: its metric, expression, verdict and the value it was judged on. */
export interface ThresholdOutcome {
  readonly metric: string;
  readonly expression: string;
  readonly ok: boolean;
  /** The aggregate the expression names (`p(95)`, `rate`, `count`…), when the summary has it. */
  readonly observed?: number;
}

/** Every threshold of the summary, in metric-name order. */
export function thresholdOutcomes(data: SummaryData): ThresholdOutcome[] {
  const outcomes: ThresholdOutcome[] = [];
  for (const metric of Object.keys(data.metrics).sort()) {
    const entry = data.metrics[metric];
    if (!entry?.thresholds) continue;
    for (const [expression, result] of Object.entries(entry.thresholds)) {
      const observed = entry.values[aggregateOf(expression)];
      outcomes.push({ metric, expression, ok: result.ok, ...(observed !== undefined ? { observed } : {}) });
    }
  }
  return outcomes;
}

/** `p(95)<200` → `p(95)`; `count>=10` → `count`. */
export function aggregateOf(expression: string): string {
  const match = /^\s*([a-z]+(?:\(\s*[\d.]+\s*\))?)/.exec(expression);
  return (match?.[1] ?? expression).replace(/\s+/g, '');
}
