import { describe, expect, it } from 'vitest';
import { EXAMPLE_TENANTS_FILE } from '../src/report/example-summary.fixture.js';
import { buildOptions } from '../src/options.js';
import { resolveRunSettings } from '../src/profiles.js';
import { arrivalSchedule } from './arrival-schedule.js';

const tenants = EXAMPLE_TENANTS_FILE.tenants;

describe('arrivalSchedule()', () => {
  const { arrivals, tenants: plans } = arrivalSchedule(tenants, 50, 10);

  it('sends each tenant the rate k6 gives its scenario, spaced evenly from 0', () => {
    const scenarios = buildOptions(EXAMPLE_TENANTS_FILE, resolveRunSettings({ RATE: '50', DURATION: '10s' })).scenarios ?? {};
    tenants.forEach((tenant, index) => {
      const own = arrivals.filter((a) => a.tenant === index);
      const scenario = scenarios[`tenant_${tenant.id}`];
      expect(scenario?.executor).toBe('constant-arrival-rate');
      const perSecond = scenario && 'rate' in scenario ? scenario.rate / parseFloat(scenario.timeUnit ?? '1s') : 0;
      expect(own).toHaveLength(perSecond * 10);
      expect(own[0]?.atMs).toBe(0);
      const gaps = own.slice(1).map((a, i) => a.atMs - (own[i]?.atMs ?? 0));
      for (const gap of gaps) expect(gap).toBeCloseTo(1000 / perSecond, 6);
      expect(own.map((a) => a.iteration)).toEqual(own.map((_, i) => i));
      expect(plans[index]?.maxInFlight).toBe(scenario && 'maxVUs' in scenario ? scenario.maxVUs : undefined);
    });
  });

  it('never bunches a second’s requests together: at most one more per 100 ms per tenant than the rate allows', () => {
    // 50/s split 3/29/9/9 (+ brightwave's) is ≤ 3 per tenant per 100 ms; a burst would put a second's worth in one window.
    const sorted = [...arrivals].sort((a, b) => a.atMs - b.atMs);
    for (let first = 0, last = 0; last < sorted.length; last++) {
      while ((sorted[last]?.atMs ?? 0) - (sorted[first]?.atMs ?? 0) >= 100) first++;
      expect(last - first + 1).toBeLessThanOrEqual(5 + tenants.length);
    }
    expect(sorted.at(-1)?.atMs).toBeGreaterThan(9800);
  });

  it('cuts a run shorter than k6’s time unit at its duration instead of refusing it', () => {
    // 5/s over these weights needs a 10 s time unit in k6.
    const short = arrivalSchedule(tenants, 5, 2);
    expect(short.arrivals.every((a) => a.atMs < 2000)).toBe(true);
    expect(new Set(short.arrivals.map((a) => a.tenant)).size).toBe(tenants.length);
  });
});
