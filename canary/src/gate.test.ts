import { describe, expect, it } from 'vitest';
import { eq } from '@tenantry/conventions/promql';
import { runGate, type GateProps } from './gate.js';
import type { Sample } from './prometheus-client.js';

/** A source that records every query and answers with nothing but a first-seen time. */
function recordingSource(firstSeenSeconds: number | undefined) {
  const queries: string[] = [];
  return {
    queries,
    source: {
      url: 'recorded://prometheus',
      query: async (expr: string): Promise<Sample[]> => {
        queries.push(expr);
        return expr.startsWith('min_over_time') && firstSeenSeconds !== undefined ? [{ labels: {}, value: firstSeenSeconds }] : [];
      },
    },
  };
}

const END = new Date('2026-05-01T12:05:05Z');
const props = (overrides: Partial<GateProps>): GateProps => ({
  prometheusUrl: 'unused',
  canary: [eq('role', 'canary')],
  baseline: [eq('role', 'stable')],
  window: '10m',
  end: END,
  budgetOf: () => ({ p95LatencyMs: 200, errorRate: 0.01 }),
  ...overrides,
});

describe('runGate', () => {
  it('reads canary and baseline over the same range, from the canary start given by --since to the look', async () => {
    const { queries, source } = recordingSource(undefined);
    const report = await runGate(props({ source, since: new Date('2026-05-01T12:00:00Z') }));
    const increases = queries.filter((q) => q.includes('increase('));
    expect(increases).toHaveLength(8);
    expect(increases.every((q) => q.includes('[305s]'))).toBe(true);
    expect(queries.some((q) => q.startsWith('min_over_time'))).toBe(false);
    expect(report.context.range).toBe('305s');
    expect(report.judgement.look).toEqual({ index: 5, count: 10, final: false });
  });

  it('dates the canary from its first sample when no --since is given, and reads both tracks from there', async () => {
    const { queries, source } = recordingSource(Date.parse('2026-05-01T12:00:15Z') / 1000);
    const report = await runGate(props({ source }));
    expect(queries.filter((q) => q.includes('increase(')).every((q) => q.includes('[290s]'))).toBe(true);
    expect(report.context.canaryStartedAt).toBe('2026-05-01T12:00:15.000Z');
  });

  it('takes the final look from the rollout clock (--final) and still never promotes without data', async () => {
    const { source } = recordingSource(undefined);
    const report = await runGate(props({ source, since: new Date('2026-05-01T11:56:00Z'), final: true }));
    expect(report.judgement.look.final).toBe(true);
    expect(report.judgement.verdict).toBe('continue');
    expect(report.judgement.missing).toContain('no requests from the canary in the window');
  });
});
