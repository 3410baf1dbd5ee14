/**
 * The generated burn-rate alerts, run by `promtool test rules` on synthetic traffic of
 * the example catalog's tenants. promtool compares the exact set of firing alerts, so
 * every case also proves that no other tenant or severity fires.
 */
import { loadCatalog, type Catalog } from '@tenantry/catalog';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { promtool } from '../../testing/prometheus.js';
import { ALERT_AVAILABILITY, ALERT_LATENCY } from '@tenantry/conventions';
import { renderRuleFile, sloRuleFiles } from './index.js';
import { isAlertingRule, type AlertingRule } from './rule-types.js';
import { tenantTraffic, type InputSeries, type TrafficPhase } from '../../testing/traffic-fixtures.js';

let catalog: Catalog;
let dir: string;
let ruleFileNames: string[];
let alerts: AlertingRule[];

beforeAll(() => {
  catalog = loadCatalog();
  dir = mkdtempSync(join(tmpdir(), 'tenantry-slo-promtool-'));
  const files = sloRuleFiles(catalog, 'tenantry-tenant-overview');
  for (const file of files) writeFileSync(join(dir, file.name), renderRuleFile(file));
  ruleFileNames = files.map((f) => f.name);
  alerts = files.flatMap((f) => f.groups.flatMap((g) => g.rules)).filter(isAlertingRule);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function budgetOf(tenantId: string): number {
  const tenant = catalog.tenants.find((t) => t.id === tenantId);
  if (!tenant) throw new Error(`fixture tenant ${tenantId} is not in the example catalog`);
  return tenant.slo.p95LatencyMs / 1000;
}

function traffic(tenantId: string, phases: readonly TrafficPhase[]): InputSeries[] {
  return tenantTraffic(tenantId, budgetOf(tenantId), phases);
}

interface Expectation {
  readonly at: string;
  readonly alert: string;
  readonly firing: readonly { tenant: string; slo: string; severity: 'page' | 'ticket' }[];
}

/** The rule's annotations as Prometheus renders them for one tenant. */
function annotationsFor(alert: string, severity: string, tenant: string): Record<string, string> {
  const rule = alerts.find((r) => r.alert === alert && r.labels['severity'] === severity);
  if (!rule) throw new Error(`no ${severity} rule for ${alert}`);
  return Object.fromEntries(Object.entries(rule.annotations).map(([k, v]) => [k, v.replaceAll('{{ $labels.tenant_id }}', tenant)]));
}

/** Writes one promtool test case and runs it; fails with promtool's own report. */
function runPromtool(name: string, series: readonly InputSeries[], expectations: readonly Expectation[]): void {
  const testFile = join(dir, `${name}.test.yaml`);
  writeFileSync(
    testFile,
    stringify(
      {
        rule_files: ruleFileNames,
        evaluation_interval: '1m',
        tests: [
          {
            name,
            interval: '1m',
            input_series: series,
            alert_rule_test: expectations.map((e) => ({
              eval_time: e.at,
              alertname: e.alert,
              exp_alerts: e.firing.map((f) => ({
                exp_labels: { tenant_id: f.tenant, slo: f.slo, severity: f.severity },
                exp_annotations: annotationsFor(e.alert, f.severity, f.tenant),
              })),
            })),
          },
        ],
      },
      { lineWidth: 0 },
    ),
  );
  const result = promtool(['test', 'rules', testFile]);
  expect(result.stdout + result.stderr, `promtool test rules ${name}`).toContain('SUCCESS');
  expect(result.status).toBe(0);
}

const healthy = (minutes: number): TrafficPhase => ({ minutes, requestsPerMinute: 100, slowPerMinute: 1 });

describe('burn-rate alerts under promtool', () => {
  it('pages on a fast latency burn once the 1h window crosses 14.4x, and alerts no other tenant', () => {
    // 80% slow on a 95% objective burns at 16x. From a healthy start the 1h ratio
    // passes 0.72 after about 54 minutes; the ticket (2h/1d at 3x) opens first.
    runPromtool(
      'fast-latency-burn',
      [
        ...traffic('brightwave', [healthy(120), { minutes: 120, requestsPerMinute: 100, slowPerMinute: 80 }]),
        ...traffic('harbor-law', [{ minutes: 240, requestsPerMinute: 100, slowPerMinute: 2 }]),
      ],
      [
        { at: '110m', alert: ALERT_LATENCY, firing: [] },
        { at: '170m', alert: ALERT_LATENCY, firing: [{ tenant: 'brightwave', slo: 'latency', severity: 'ticket' }] },
        {
          at: '180m',
          alert: ALERT_LATENCY,
          firing: [
            { tenant: 'brightwave', slo: 'latency', severity: 'page' },
            { tenant: 'brightwave', slo: 'latency', severity: 'ticket' },
          ],
        },
        { at: '180m', alert: ALERT_AVAILABILITY, firing: [] },
      ],
    );
  });

  it('pages on a fast availability burn (5% of requests failing on a 99.9% objective)', () => {
    runPromtool(
      'fast-availability-burn',
      [
        ...traffic('northwind', [{ minutes: 60, requestsPerMinute: 100, errorsPerMinute: 5 }]),
        ...traffic('ledgerline', [healthy(60)]),
      ],
      [
        {
          at: '30m',
          alert: ALERT_AVAILABILITY,
          firing: [
            { tenant: 'northwind', slo: 'availability', severity: 'page' },
            { tenant: 'northwind', slo: 'availability', severity: 'ticket' },
          ],
        },
        { at: '30m', alert: ALERT_LATENCY, firing: [] },
      ],
    );
  });

  it('opens a ticket, never a page, on a slow burn (8% slow on a 95% objective, 1.6x)', () => {
    runPromtool(
      'slow-latency-burn',
      traffic('brightwave', [{ minutes: 300, requestsPerMinute: 100, slowPerMinute: 8 }]),
      [
        { at: '60m', alert: ALERT_LATENCY, firing: [{ tenant: 'brightwave', slo: 'latency', severity: 'ticket' }] },
        { at: '290m', alert: ALERT_LATENCY, firing: [{ tenant: 'brightwave', slo: 'latency', severity: 'ticket' }] },
      ],
    );
  });

  it('never alerts on a healthy tenant (2% slow, 0.02% errors)', () => {
    const steady: TrafficPhase = { minutes: 300, requestsPerMinute: 5000, slowPerMinute: 100, errorsPerMinute: 1 };
    const checks = ['10m', '70m', '250m', '290m'].flatMap((at) => [
      { at, alert: ALERT_LATENCY, firing: [] },
      { at, alert: ALERT_AVAILABILITY, firing: [] },
    ]);
    runPromtool('healthy-tenant', traffic('harbor-law', [steady]), checks);
  });

  it('does not page a tenant with a handful of requests, even when every one is slow and failing', () => {
    // Two requests an hour, both slow 5xx: error ratios of 100%, but fewer than the
    // minimum number of requests in every long window.
    const handful: TrafficPhase[] = Array.from({ length: 8 }, () => [
      { minutes: 29, requestsPerMinute: 0 },
      { minutes: 1, requestsPerMinute: 1, slowPerMinute: 1, errorsPerMinute: 1 },
    ]).flat();
    const checks = ['31m', '61m', '121m', '239m'].flatMap((at) => [
      { at, alert: ALERT_LATENCY, firing: [] },
      { at, alert: ALERT_AVAILABILITY, firing: [] },
    ]);
    runPromtool('handful-of-requests', traffic('ledgerline', handful), checks);
  });
});
