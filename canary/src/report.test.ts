import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { GateReport } from './gate.js';
import { canaryFirstSeenQuery, gateQueries } from './gate-queries.js';
import { expectGolden } from '../../testing/golden.js';
import { judge } from './judge.js';
import { renderReport } from './report.js';
import { lookAt } from './statistics/alpha-spending.js';
import { SimulatedWindow, syntheticFleet } from '../../testing/canary-simulation/fleet.js';
import { SeededRandom } from '../../testing/canary-simulation/random.js';
import { eq } from '@tenantry/conventions/promql';

/** Golden files: test data beside the package, outside its shipped sources. */
const GOLDEN = fileURLToPath(new URL('../testdata/golden/', import.meta.url));

/** A seeded 12-tenant window with a +60% latency regression on tenant-0003. */
function regressedReport(): GateReport {
  const fleet = syntheticFleet({ tenants: 12 });
  const window = new SimulatedWindow({
    fleet,
    fleetRps: 100,
    canaryWeight: 0.05,
    baseline: { latencyFactor: 1, errorRate: 0.001 },
    canary: (t) => ({ latencyFactor: t.id === 'tenant-0003' ? 1.6 : 1, errorRate: 0.001 }),
  });
  const random = new SeededRandom(42);
  for (let m = 0; m < 10; m++) window.addMinute(random);
  const budgets = new Map(fleet.map((t) => [t.id, t.budget]));
  const judgement = judge(window.observations(), { budgetOf: (id) => budgets.get(id)!, look: lookAt(590, 60, 600), minCanaryRequests: 120 });
  return {
    judgement,
    context: {
      prometheus: 'http://prometheus:9090',
      window: '10m',
      range: '590s',
      end: '2026-05-01T12:00:00.000Z',
      canaryStartedAt: '2026-05-01T11:50:10.000Z',
      queries: gateQueries([eq('role', 'canary')], [eq('role', 'stable')], '590s', canaryFirstSeenQuery([eq('role', 'canary')], '1200s', '10s')),
    },
  };
}

describe('renderReport', () => {
  const report = regressedReport();

  it('renders Markdown for a CI job summary: verdict, reasons, one row per tenant with the regression first (golden)', () => {
    const markdown = renderReport(report, 'markdown');
    expectGolden(GOLDEN, 'report-regression.md', markdown);
    const rows = markdown.split('\n').filter((l) => l.startsWith('| tenant-'));
    expect(rows[0]).toMatch(/^\| tenant-0003 \| .* \| \*\*regression: .*latency shifted upward/);
    expect(markdown).toMatch(/\| \(long tail: \d+ tenants pooled\) \|/);
  });

  it('renders the same rows as aligned text (golden)', () => {
    expectGolden(GOLDEN, 'report-regression.txt', renderReport(report, 'text'));
  });

  it('renders JSON with the judgement and the queries it came from', () => {
    const parsed = JSON.parse(renderReport(report, 'json')) as GateReport;
    expect(parsed.judgement.verdict).toBe('rollback');
    expect(parsed.context.queries.canary.buckets).toBe('sum by (tenant_id, le) (increase(http_server_request_duration_bucket{role="canary"}[590s]))');
    expect(parsed.judgement.groups.find((g) => g.id === 'tenant-0003')!.tests.find((t) => t.name === 'latency-shift')!.rejected).toBe(true);
  });
});
