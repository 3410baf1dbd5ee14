import { describe, expect, it } from 'vitest';
import { judge, type JudgeOptions } from './judge.js';
import type { TenantObservation } from './judge-types.js';
import { lookAt } from './statistics/alpha-spending.js';
import { SimulatedWindow, syntheticFleet, type SyntheticTenant, type TrackBehaviour } from '../../testing/canary-simulation/fleet.js';
import { SeededRandom } from '../../testing/canary-simulation/random.js';

const STABLE: TrackBehaviour = { latencyFactor: 1, errorRate: 0.001 };
const FINAL = lookAt(600, 60, 600);

function window(
  fleet: readonly SyntheticTenant[],
  canary: (t: SyntheticTenant) => TrackBehaviour,
  seed: number,
  minutes = 10,
  fleetRps = 200,
): TenantObservation[] {
  const w = new SimulatedWindow({ fleet, fleetRps, canaryWeight: 0.05, baseline: STABLE, canary });
  const random = new SeededRandom(seed);
  for (let m = 0; m < minutes; m++) w.addMinute(random);
  return w.observations();
}

function options(fleet: readonly SyntheticTenant[], overrides: Partial<JudgeOptions> = {}): JudgeOptions {
  const budgets = new Map(fleet.map((t) => [t.id, t.budget]));
  return { budgetOf: (id) => budgets.get(id)!, look: FINAL, ...overrides };
}

const fleet = syntheticFleet({ tenants: 40 });

describe('judge', () => {
  it('promotes identical versions (A/A) at the final look, over several seeds', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const judgement = judge(window(fleet, () => STABLE, seed), options(fleet));
      expect(judgement.verdict, judgement.reasons.join('\n')).toBe('promote');
    }
  });

  it('rolls back a +50% latency regression on one tenant with about 2% of traffic, and names only that tenant', () => {
    const victim = fleet.reduce((best, t) => (Math.abs(t.share - 0.02) < Math.abs(best.share - 0.02) ? t : best));
    const judgement = judge(
      window(fleet, (t) => (t.id === victim.id ? { latencyFactor: 1.5, errorRate: 0.001 } : STABLE), 11),
      options(fleet),
    );
    expect(judgement.verdict).toBe('rollback');
    const regressed = judgement.groups.filter((g) => g.finding === 'regression' && g.kind === 'tenant');
    expect(regressed.map((g) => g.id)).toEqual([victim.id]);
    expect(judgement.reasons.join('\n')).toContain(`tenant ${victim.id}`);
    expect(regressed[0]!.tests.find((t) => t.name === 'latency-shift')!.rejected).toBe(true);
  });

  it('rolls back a tenant whose canary returns 5% errors, on the error tests', () => {
    const victim = fleet[10]!;
    const judgement = judge(window(fleet, (t) => (t.id === victim.id ? { latencyFactor: 1, errorRate: 0.05 } : STABLE), 12), options(fleet));
    expect(judgement.verdict).toBe('rollback');
    const group = judgement.groups.find((g) => g.id === victim.id)!;
    expect(group.finding).toBe('regression');
    expect(group.tests.find((t) => t.name === 'errors-vs-baseline')!.rejected).toBe(true);
    expect(group.detail).toMatch(/more errors than the baseline/);
  });

  it('pools tenants with too little canary traffic into one long-tail group and reports them', () => {
    const judgement = judge(window(fleet, () => STABLE, 3), options(fleet, { minCanaryRequests: 200 }));
    const tail = judgement.groups.find((g) => g.kind === 'long-tail')!;
    expect(tail.tenants.length).toBeGreaterThan(10);
    expect(judgement.groups.filter((g) => g.kind === 'tenant').every((g) => g.canary.requests >= 200)).toBe(true);
    expect(tail.tenants.every((id) => judgement.groups.find((g) => g.kind === 'tenant' && g.id === id) === undefined)).toBe(true);
    expect(judgement.reasons.join(' ')).toMatch(/long tail/);
  });

  it('rolls back a regression hidden in the long tail and says which tenants were pooled', () => {
    const small = new Set(fleet.slice(25).map((t) => t.id));
    const judgement = judge(
      window(fleet, (t) => (small.has(t.id) ? { latencyFactor: 1, errorRate: 0.08 } : STABLE), 4),
      options(fleet, { minCanaryRequests: 200 }),
    );
    expect(judgement.verdict).toBe('rollback');
    expect(judgement.reasons.join('\n')).toMatch(/long tail \(\d+ tenants pooled: tenant-/);
  });

  it('points at the pooled tenant that drives a long-tail regression', () => {
    const victim = fleet[30]!;
    const judgement = judge(
      window(fleet, (t) => (t.id === victim.id ? { latencyFactor: 1, errorRate: 0.3 } : STABLE), 14),
      options(fleet, { minCanaryRequests: 200 }),
    );
    const tail = judgement.groups.find((g) => g.kind === 'long-tail')!;
    expect(tail.finding).toBe('regression');
    expect(tail.suspects![0]!.tenant).toBe(victim.id);
    expect(judgement.reasons.join('\n')).toMatch(new RegExp(`most affected: ${victim.id} \\(errors-vs-baseline`));
  });

  it('never promotes without canary data and says what is missing', () => {
    const observations = window(fleet, () => STABLE, 5).map((o) => ({ ...o, canary: { ...o.canary, requests: 0, errors: 0, latency: { ...o.canary.latency, bins: o.canary.latency.bins.map(() => 0) } } }));
    const judgement = judge(observations, options(fleet));
    expect(judgement.verdict).toBe('continue');
    expect(judgement.missing).toEqual(['no requests from the canary in the window']);
    expect(judgement.reasons[0]).toMatch(/never promotes without data/);
  });

  it('never promotes when the canary takes another share of traffic than expected, but still rolls back', () => {
    const aa = judge(window(fleet, () => STABLE, 15), options(fleet, { expectedCanaryShare: 0.2 }));
    expect(aa.verdict).toBe('continue');
    expect(aa.missing[0]).toMatch(/the canary took 5\.\d% of the requests, outside the expected 20\.0% ± 20%/);
    expect(judge(window(fleet, () => STABLE, 15), options(fleet, { expectedCanaryShare: 0.05 })).verdict).toBe('promote');
    const broken = judge(window(fleet, () => ({ latencyFactor: 1, errorRate: 0.2 }), 15), options(fleet, { expectedCanaryShare: 0.2 }));
    expect(broken.verdict).toBe('rollback');
  });

  it('waits for the final look before promoting', () => {
    const judgement = judge(window(fleet, () => STABLE, 6, 3), options(fleet, { look: lookAt(170, 60, 600) }));
    expect(judgement.verdict).toBe('continue');
    expect(judgement.reasons[0]).toMatch(/look 3\/10/);
  });

  it('does not blame the release for a budget the baseline breaks too', () => {
    const slowFleet = fleet.map((t) => ({ ...t, medianSeconds: t.medianSeconds * 3 }));
    const judgement = judge(window(slowFleet, () => STABLE, 8), options(slowFleet));
    expect(judgement.verdict).toBe('promote');
    const top = judgement.groups.find((g) => g.kind === 'tenant')!;
    expect(top.tests.find((t) => t.name === 'latency-budget')!.excluded).toMatch(/baseline is over the latency budget/);
  });

  it('with Benjamini–Hochberg rejects everything Holm rejects, and says which procedure it used', () => {
    const victims = new Set(fleet.slice(3, 6).map((t) => t.id));
    const observations = window(fleet, (t) => (victims.has(t.id) ? { latencyFactor: 1.25, errorRate: 0.001 } : STABLE), 13);
    const holm = judge(observations, options(fleet));
    const bh = judge(observations, options(fleet, { procedure: 'benjamini-hochberg' }));
    const regressed = (j: typeof holm): string[] => j.groups.filter((g) => g.kind === 'tenant' && g.finding === 'regression').map((g) => g.id);
    expect(regressed(bh)).toEqual(expect.arrayContaining(regressed(holm)));
    expect(regressed(bh).length).toBeGreaterThan(0);
    expect([holm.procedure, bh.procedure]).toEqual(['holm', 'benjamini-hochberg']);
  });

  it('catches a fleet-wide +20% latency regression through the pooled fleet test', () => {
    const judgement = judge(window(fleet, () => ({ latencyFactor: 1.2, errorRate: 0.001 }), 9, 3), options(fleet, { look: lookAt(170, 60, 600) }));
    expect(judgement.verdict).toBe('rollback');
    expect(judgement.groups.find((g) => g.kind === 'fleet')!.finding).toBe('regression');
  });
});
