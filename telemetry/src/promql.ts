/**
 * PromQL is built here and nowhere else. Dashboards, SLO rules and the canary gate
 * compose these functions; no call site concatenates query strings itself.
 */
import {
  LABEL_BUCKET_BOUND,
  PROMETHEUS_DURATION_BUCKET,
  PROMETHEUS_DURATION_COUNT,
  PROMETHEUS_DURATION_SUM,
} from './conventions.js';

export type MatchOperator = '=' | '!=' | '=~' | '!~';

export interface LabelMatcher {
  readonly label: string;
  readonly op: MatchOperator;
  readonly value: string;
}

export const eq = (label: string, value: string): LabelMatcher => ({ label, op: '=', value });
export const neq = (label: string, value: string): LabelMatcher => ({ label, op: '!=', value });
export const re = (label: string, value: string): LabelMatcher => ({ label, op: '=~', value });
export const nre = (label: string, value: string): LabelMatcher => ({ label, op: '!~', value });

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/** `metric{a="b",…}`; label values are escaped, label names checked. */
export function selector(metric: string, matchers: readonly LabelMatcher[] = []): string {
  for (const m of matchers) {
    if (!LABEL_NAME.test(m.label)) throw new Error(`invalid Prometheus label name "${m.label}"`);
  }
  const inner = matchers.map((m) => `${m.label}${m.op}${quote(m.value)}`).join(',');
  return inner ? `${metric}{${inner}}` : metric;
}

/**
 * Parses a matcher list such as `role="canary",namespace=~"shop-.*"` (the syntax of a
 * PromQL selector's braces). Throws with the offending text when it is not valid.
 */
export function parseMatchers(text: string): LabelMatcher[] {
  const matchers: LabelMatcher[] = [];
  const pattern = /\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"\s*(,|$)/y;
  const rest = text.trim().replace(/^\{/, '').replace(/\}$/, '');
  let index = 0;
  while (index < rest.length) {
    pattern.lastIndex = index;
    const match = pattern.exec(rest);
    if (!match) throw new Error(`cannot parse label matchers "${text}" at "${rest.slice(index)}": expected label="value" pairs separated by commas`);
    matchers.push({ label: match[1]!, op: match[2] as MatchOperator, value: match[3]!.replace(/\\(.)/g, '$1') });
    index = pattern.lastIndex;
  }
  if (matchers.length === 0) throw new Error(`no label matchers in "${text}": expected e.g. role="canary"`);
  return matchers;
}

/** A range duration such as `5m`; validated so a typo fails here, not in Prometheus. */
export function range(duration: string): string {
  if (!/^(\d+(ms|s|m|h|d|w|y))+$/.test(duration)) throw new Error(`invalid Prometheus duration "${duration}"`);
  return duration;
}

export const rate = (expr: string, window: string): string => `rate(${expr}[${range(window)}])`;
export const increase = (expr: string, window: string): string => `increase(${expr}[${range(window)}])`;

/** `sum by (a, b) (expr)`; with no labels, `sum(expr)`. */
export function sumBy(labels: readonly string[], expr: string): string {
  for (const l of labels) if (!LABEL_NAME.test(l)) throw new Error(`invalid Prometheus label name "${l}"`);
  return labels.length ? `sum by (${labels.join(', ')}) (${expr})` : `sum(${expr})`;
}

export const histogramQuantile = (quantile: number, expr: string): string => `histogram_quantile(${quantile}, ${expr})`;

/** Selectors of the request-duration histogram's three series families. */
export const requestDuration = {
  bucket: (matchers: readonly LabelMatcher[] = []): string => selector(PROMETHEUS_DURATION_BUCKET, matchers),
  count: (matchers: readonly LabelMatcher[] = []): string => selector(PROMETHEUS_DURATION_COUNT, matchers),
  sum: (matchers: readonly LabelMatcher[] = []): string => selector(PROMETHEUS_DURATION_SUM, matchers),
  /** Matcher for one bucket boundary, formatted as the exporter writes `le`. */
  le: (seconds: number): LabelMatcher => eq(LABEL_BUCKET_BOUND, formatBound(seconds)),
};

/** Formats a bucket boundary the way the OpenTelemetry Prometheus exporter writes `le` (0.2 → "0.2"). */
export function formatBound(seconds: number): string {
  return String(seconds);
}
