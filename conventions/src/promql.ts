/**
 * PromQL is built here and nowhere else. Dashboards, SLO rules and the canary gate
 * compose these functions; no call site concatenates query strings itself.
 */
import {
  LABEL_BUCKET_BOUND,
  LABEL_STATUS_CODE,
  SERVER_ERROR_STATUS_PATTERN,
  PROMETHEUS_DURATION_BUCKET,
  PROMETHEUS_DURATION_COUNT,
  PROMETHEUS_DURATION_SUM,
} from './metrics.js';

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

/** One matcher as PromQL writes it, e.g. `role="canary"`; the value is escaped, the label name checked. */
export function formatMatcher(m: LabelMatcher): string {
  if (!LABEL_NAME.test(m.label)) throw new Error(`invalid Prometheus label name "${m.label}"`);
  return `${m.label}${m.op}${quote(m.value)}`;
}

/** `metric{a="b",…}`; label values are escaped, label names checked. */
export function selector(metric: string, matchers: readonly LabelMatcher[] = []): string {
  const inner = matchers.map(formatMatcher).join(',');
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

/**
 * Grafana's interval variables, accepted where a range is expected so dashboards can
 * let Grafana pick a window that is at least four scrape intervals wide.
 */
export const GRAFANA_RATE_INTERVAL = '$__rate_interval';
export const GRAFANA_RANGE = '$__range';
const GRAFANA_INTERVALS: ReadonlySet<string> = new Set([GRAFANA_RATE_INTERVAL, GRAFANA_RANGE, '$__interval']);

/** A range duration such as `5m`; validated so a typo fails here, not in Prometheus. */
export function range(duration: string): string {
  if (GRAFANA_INTERVALS.has(duration)) return duration;
  if (!/^(\d+(ms|s|m|h|d|w|y))+$/.test(duration)) throw new Error(`invalid Prometheus duration "${duration}"`);
  return duration;
}

export const rate = (expr: string, window: string): string => `rate(${expr}[${range(window)}])`;
export const increase = (expr: string, window: string): string => `increase(${expr}[${range(window)}])`;

/** `sum by (a, b) (expr)`; with no labels, `sum(expr)`. */
export function sumBy(labels: readonly string[], expr: string): string {
  return labels.length ? `sum by ${labelList(labels)} (${expr})` : `sum(${expr})`;
}

export const histogramQuantile = (quantile: number, expr: string): string => `histogram_quantile(${quantile}, ${expr})`;

/** Selectors of the request-duration histogram's three series families. */
export const requestDuration = {
  bucket: (matchers: readonly LabelMatcher[] = []): string => selector(PROMETHEUS_DURATION_BUCKET, matchers),
  count: (matchers: readonly LabelMatcher[] = []): string => selector(PROMETHEUS_DURATION_COUNT, matchers),
  sum: (matchers: readonly LabelMatcher[] = []): string => selector(PROMETHEUS_DURATION_SUM, matchers),
  /** Matcher for one bucket boundary, formatted as the exporter writes `le`. */
  le: (seconds: number): LabelMatcher => eq(LABEL_BUCKET_BOUND, formatBound(seconds)),
  /** Matcher for requests answered with a server error (5xx). */
  serverError: (): LabelMatcher => re(LABEL_STATUS_CODE, SERVER_ERROR_STATUS_PATTERN),
  /** Matcher for requests not answered with a server error. */
  notServerError: (): LabelMatcher => nre(LABEL_STATUS_CODE, SERVER_ERROR_STATUS_PATTERN),
};

/** Formats a bucket boundary the way the OpenTelemetry Prometheus exporter writes `le` (0.2 → "0.2"). */
export function formatBound(seconds: number): string {
  return String(seconds);
}

/** Binary operators PromQL accepts between two expressions. */
export type BinaryOperator = '+' | '-' | '*' | '/' | '>' | '>=' | '<' | '<=' | '==' | '!=' | 'and' | 'or' | 'unless';

/** How the two sides of a binary operation are matched (PromQL vector matching). */
export interface VectorMatching {
  /** Match only on these labels: `on (a, b)`. */
  readonly on?: readonly string[];
  /** Match on every label except these: `ignoring (a, b)`. */
  readonly ignoring?: readonly string[];
  /** Many-to-one: `group_left (labels copied from the right)`. */
  readonly groupLeft?: readonly string[];
  /** One-to-many: `group_right (labels copied from the left)`. */
  readonly groupRight?: readonly string[];
  /** Comparison returns 0/1 instead of filtering: `> bool`. */
  readonly bool?: boolean;
}

const SIMPLE_OPERAND = /^(-?\d+(\.\d+)?(e-?\d+)?|[a-zA-Z_:][a-zA-Z0-9_:]*(\{[^{}]*\})?)$/;

/** Wraps an operand in parentheses unless it is a number or a bare selector. */
function operand(expr: string): string {
  return SIMPLE_OPERAND.test(expr) ? expr : `(${expr})`;
}

function labelList(labels: readonly string[]): string {
  for (const l of labels) if (!LABEL_NAME.test(l)) throw new Error(`invalid Prometheus label name "${l}"`);
  return `(${labels.join(', ')})`;
}

/**
 * `left op right` with optional vector matching, e.g.
 * `binary(a, '/', b, { on: ['tenant_id'], groupLeft: [] })` →
 * `(a) / on (tenant_id) group_left () (b)`. Operands are parenthesised so precedence
 * never depends on the caller.
 */
export function binary(left: string, op: BinaryOperator, right: string, matching: VectorMatching = {}): string {
  if (matching.on && matching.ignoring) throw new Error('vector matching takes either "on" or "ignoring", not both');
  if (matching.groupLeft && matching.groupRight) throw new Error('vector matching takes either "groupLeft" or "groupRight", not both');
  const parts: string[] = [operand(left), op];
  if (matching.bool) parts.push('bool');
  if (matching.on) parts.push(`on ${labelList(matching.on)}`);
  if (matching.ignoring) parts.push(`ignoring ${labelList(matching.ignoring)}`);
  if (matching.groupLeft) parts.push(`group_left ${labelList(matching.groupLeft)}`);
  if (matching.groupRight) parts.push(`group_right ${labelList(matching.groupRight)}`);
  parts.push(operand(right));
  return parts.join(' ');
}

/** A number as a PromQL literal; refuses NaN and infinities, which PromQL spells differently. */
export function literal(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`cannot write ${value} as a PromQL number literal`);
  return String(value);
}

export const avgOverTime = (expr: string, window: string): string => `avg_over_time(${expr}[${range(window)}])`;

/** `topk(k, expr)`: the k largest series. */
export function topk(k: number, expr: string): string {
  if (!Number.isInteger(k) || k < 1) throw new Error(`topk needs a positive whole number, got ${k}`);
  return `topk(${k}, ${expr})`;
}

/** `max by (a) (expr)`; with no labels, `max(expr)`. */
export function maxBy(labels: readonly string[], expr: string): string {
  return labels.length ? `max by ${labelList(labels)} (${expr})` : `max(${expr})`;
}

/** `clamp_min(expr, min)`: keeps a denominator away from zero or a budget from going negative. */
export const clampMin = (expr: string, min: number): string => `clamp_min(${expr}, ${literal(min)})`;

/** Seconds in a PromQL duration such as `1h30m`, for turning a rate into a count. */
export function durationSeconds(duration: string): number {
  const unitSeconds: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 };
  let total = 0;
  if (GRAFANA_INTERVALS.has(duration)) throw new Error(`${duration} is only known to Grafana at query time`);
  for (const [, amount, unit] of range(duration).matchAll(/(\d+)(ms|s|m|h|d|w|y)/g)) {
    total += Number(amount) * unitSeconds[unit!]!;
  }
  return total;
}

/** `vector(n)`: a constant series with no labels, e.g. for a recording rule that states a fact. */
export const vector = (value: number): string => `vector(${literal(value)})`;

export const sumOverTime = (expr: string, window: string): string => `sum_over_time(${expr}[${range(window)}])`;

/** `timestamp(expr)`: the evaluation time of each series of `expr`, in unix seconds. */
export const timestamp = (expr: string): string => `timestamp(${expr})`;

/**
 * `min_over_time((expr)[window:resolution])`: a subquery evaluating `expr` every
 * `resolution` over `window`. With `timestamp(…)` inside, it gives the first time in the
 * window at which `expr` had data (the canary gate finds when the canary started).
 */
export function minOverTimeSubquery(expr: string, window: string, resolution: string): string {
  return `min_over_time((${expr})[${range(window)}:${range(resolution)}])`;
}
