import { describe, expect, it } from 'vitest';
import { LatencyRecorder, measurementsOf, percentile } from './latency-recorder.js';

describe('percentile()', () => {
  it('interpolates between the nearest ranks as k6 does', () => {
    const values = Array.from({ length: 101 }, (_, i) => i);
    expect(percentile(values, 95)).toBe(95);
    expect(percentile([10, 20], 50)).toBe(15);
    expect(percentile([10, 20, 30, 40], 95)).toBeCloseTo(38.5, 10);
  });

  it('has no value for no samples', () => {
    expect(percentile([], 95)).toBeUndefined();
  });
});

describe('LatencyRecorder', () => {
  it('counts unanswered requests as requests and errors without a latency', () => {
    const recorder = new LatencyRecorder();
    recorder.recordResponse(30, true);
    recorder.recordResponse(10, false);
    recorder.recordNoAnswer();
    expect(recorder.measurements()).toEqual({ requests: 3, errors: 2, p50Ms: 20, p95Ms: 29, p99Ms: 29.8 });
  });

  it('also keeps each answer timed from its actual send, the send delay left out, for comparing with k6', () => {
    const recorder = new LatencyRecorder();
    recorder.recordResponse(30, true, 12);
    recorder.recordResponse(10, true);
    expect(recorder.samples()).toMatchObject({ latenciesMs: [30, 10], latenciesFromSendMs: [18, 10] });
  });
});

describe('measurementsOf()', () => {
  it('takes the percentiles of several runs pooled, not an average of each run’s percentiles', () => {
    const fast = { latenciesMs: Array.from({ length: 100 }, () => 1), errors: 0, unanswered: 0 };
    const slow = { latenciesMs: Array.from({ length: 100 }, () => 100), errors: 3, unanswered: 1 };
    expect(measurementsOf(fast, slow)).toEqual({ requests: 201, errors: 3, p50Ms: 50.5, p95Ms: 100, p99Ms: 100 });
  });
});
