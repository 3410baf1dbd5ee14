import { describe, expect, it } from 'vitest';
import { avgOverTime, binary, clampMin, durationSeconds, eq, formatMatcher, literal, maxBy, minOverTimeSubquery, re, sumOverTime, timestamp, topk, vector } from './promql.js';

describe('binary()', () => {
  it('leaves bare selectors and numbers unwrapped and wraps anything else', () => {
    expect(binary('a{x="1"}', '/', 'sum(b)')).toBe('a{x="1"} / (sum(b))');
    expect(binary('14.4', '*', 'x')).toBe('14.4 * x');
  });

  it('writes on/group_left matching between the operands', () => {
    expect(binary('a', '/', 'b', { on: ['tenant_id'], groupLeft: ['tier'] })).toBe('a / on (tenant_id) group_left (tier) b');
  });

  it('writes ignoring and bool modifiers', () => {
    expect(binary('a', '>', 'b', { bool: true, ignoring: ['le'] })).toBe('a > bool ignoring (le) b');
  });

  it('fails if both on and ignoring are given', () => {
    expect(() => binary('a', '+', 'b', { on: ['x'], ignoring: ['y'] })).toThrow('either "on" or "ignoring"');
  });

  it('fails on an invalid label name in the matching', () => {
    expect(() => binary('a', '+', 'b', { on: ['tenant-id'] })).toThrow('invalid Prometheus label name "tenant-id"');
  });
});

describe('literal()', () => {
  it('fails on NaN and infinities', () => {
    expect(() => literal(Number.NaN)).toThrow('cannot write NaN');
    expect(() => literal(Number.POSITIVE_INFINITY)).toThrow('cannot write Infinity');
  });
});

describe('aggregations and functions', () => {
  it('builds avg_over_time, topk, max by and clamp_min', () => {
    expect(avgOverTime('x', '30d')).toBe('avg_over_time(x[30d])');
    expect(sumOverTime('x', '1h')).toBe('sum_over_time(x[1h])');
    expect(vector(0.95)).toBe('vector(0.95)');
    expect(topk(5, 'x')).toBe('topk(5, x)');
    expect(maxBy(['tenant_id'], 'x')).toBe('max by (tenant_id) (x)');
    expect(maxBy([], 'x')).toBe('max(x)');
    expect(clampMin('x', 0)).toBe('clamp_min(x, 0)');
  });

  it('fails on a topk that is not a positive whole number', () => {
    expect(() => topk(0, 'x')).toThrow('positive whole number, got 0');
  });

  it('fails on an invalid window', () => {
    expect(() => avgOverTime('x', '30 days')).toThrow('invalid Prometheus duration "30 days"');
  });
});

describe('range()', () => {
  it("accepts Grafana's interval variables and refuses other placeholders", () => {
    expect(avgOverTime('x', '$__rate_interval')).toBe('avg_over_time(x[$__rate_interval])');
    expect(() => avgOverTime('x', '$__whatever')).toThrow('invalid Prometheus duration');
  });
});

describe('durationSeconds()', () => {
  it('adds up compound durations', () => {
    expect(durationSeconds('5m')).toBe(300);
    expect(durationSeconds('1h30m')).toBe(5400);
    expect(durationSeconds('30d')).toBe(2592000);
  });
});

describe('timestamp() and minOverTimeSubquery()', () => {
  it('writes the first-seen subquery the canary gate uses to date the canary', () => {
    expect(minOverTimeSubquery(timestamp('sum(x)'), '10m', '15s')).toBe('min_over_time((timestamp(sum(x)))[10m:15s])');
  });

  it('fails on an invalid subquery resolution', () => {
    expect(() => minOverTimeSubquery('x', '10m', 'soon')).toThrow('invalid Prometheus duration "soon"');
  });
});

describe('formatMatcher', () => {
  it('writes one matcher as a selector does, escaping the value', () => {
    expect(formatMatcher(eq('role', 'canary'))).toBe('role="canary"');
    expect(formatMatcher(re('route', '/api/"x"'))).toBe('route=~"/api/\\"x\\""');
  });

  it('fails on a label name Prometheus would reject', () => {
    expect(() => formatMatcher(eq('bad-label', 'x'))).toThrow(/invalid Prometheus label name "bad-label"/);
  });
});
