/**
 * Every PromQL expression of every dashboard panel and every rule, run against a real
 * Prometheus that scrapes the reference service while load for every tenant runs. One
 * tenant is slowed down and failing (fault injection), so the alert expressions have a
 * tenant to fire for. Each expression must parse, return series, and label them with
 * the tenants under load (or with the tier/plan it aggregates by).
 */
import { LABEL_TENANT } from '@tenantry/conventions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLoad, tenantsFromCatalog } from '../loadtests/driver/index.js';
import { ALERT_AVAILABILITY, ALERT_LATENCY, LABEL_PLAN, LABEL_SEVERITY, LABEL_TIER, SLO_PERIOD, errorRatio } from '@tenantry/conventions';
import { expressionsUnderTest, type ExpressionUnderTest } from '../testing/dashboard-expressions.js';
import { LOCAL_ENVIRONMENT, startLocalStack, type LocalStack } from '../testing/local-stack.js';
import { instantQuery, waitForSeries, type PromSeries } from '../testing/prometheus-api.js';

const BURNING = 'northwind';
const FAULTS = `${BURNING}:latency=400,errors=0.5`;

let stack: LocalStack;
let tenants: string[];
const results = new Map<ExpressionUnderTest, PromSeries[]>();

beforeAll(async () => {
  // A 25-second run integrates to a fraction of its requests in the low-traffic guard
  // (5-minute rates); the guard itself is proven by the promtool tests.
  stack = await startLocalStack({ faults: FAULTS, minimumRequests: 5 });
  const load = tenantsFromCatalog({ environment: LOCAL_ENVIRONMENT });
  tenants = load.tenants.map((t) => t.id);
  await runLoad({ baseUrl: stack.apiUrl, rate: 30, durationSeconds: 25, tenants: load.tenants, tokens: stack.tokens });
  // The 30-day SLI is the last rule of its chain; once it exists for every tenant, all rules have run.
  await waitForSeries(stack.prometheusUrl, errorRatio(SLO_PERIOD), LABEL_TENANT, tenants, 30_000);
  await waitForSeries(stack.prometheusUrl, 'ALERTS{alertstate="firing"}', LABEL_TENANT, [BURNING], 30_000);
  const expressions = expressionsUnderTest(stack.generated, { tenants, rateInterval: '30s', range: '1m' });
  for (const e of expressions) results.set(e, await instantQuery(stack.prometheusUrl, e.expr));
}, 170_000);

afterAll(async () => {
  await stack?.stop();
});

const entries = () => [...results.entries()];
const describeSeries = (series: PromSeries[]) => series.map((s) => JSON.stringify(s.metric)).join('\n    ');

describe('against a live Prometheus scraping the reference service', () => {
  it('runs every dashboard and rule expression (all of them parse and evaluate)', () => {
    const kinds = new Set(entries().map(([e]) => e.kind));
    expect([...kinds].sort()).toEqual(['alert', 'panel', 'recording']);
  });

  it('returns series for the selected tenant from every per-tenant panel query', () => {
    const failures: string[] = [];
    for (const [e, series] of entries()) {
      if (e.kind !== 'panel' || e.tenant === undefined) continue;
      if (series.length === 0) failures.push(`${e.source} [${e.tenant}]: no series\n  ${e.expr}`);
      const others = series.filter((s) => s.metric[LABEL_TENANT] !== e.tenant);
      if (others.length > 0) failures.push(`${e.source} [${e.tenant}]: series of another tenant\n    ${describeSeries(others)}`);
    }
    expect(failures).toEqual([]);
  });

  it('returns series labelled with the tenants under load, or with tier or plan, from every fleet-wide panel query', () => {
    const failures: string[] = [];
    for (const [e, series] of entries()) {
      if (e.kind !== 'panel' || e.tenant !== undefined) continue;
      if (series.length === 0) failures.push(`${e.source}: no series\n  ${e.expr}`);
      const unlabelled = series.filter((s) => !(tenants.includes(s.metric[LABEL_TENANT] ?? '') || s.metric[LABEL_TIER] || s.metric[LABEL_PLAN]));
      if (unlabelled.length > 0) failures.push(`${e.source}: series without a known tenant, tier or plan\n    ${describeSeries(unlabelled)}`);
    }
    expect(failures).toEqual([]);
  });

  it('records every rule for every tenant under load', () => {
    const failures: string[] = [];
    for (const [e, series] of entries()) {
      if (e.kind !== 'recording') continue;
      // A catalog fact (`vector(…)`) has no labels of its own: the rule gives it its tenant.
      const seen = new Set(series.map((s) => s.metric[LABEL_TENANT] ?? e.record?.labels[LABEL_TENANT]));
      const expected = e.record?.labels[LABEL_TENANT] ? [e.record.labels[LABEL_TENANT]] : tenants;
      const missing = expected.filter((t) => !seen.has(t));
      if (missing.length > 0) failures.push(`${e.source}: no series for ${missing.join(', ')}\n  ${e.expr}`);
    }
    expect(failures).toEqual([]);
  });

  // Which healthy tenants also burn depends on how slow this shared machine is; that one
  // tenant's burn never alerts another is proven by the promtool tests.
  it('fires every alert expression for the burning tenant, labelled with tenants under load', () => {
    const failures: string[] = [];
    for (const [e, series] of entries()) {
      if (e.kind !== 'alert') continue;
      const firing = series.map((s) => s.metric[LABEL_TENANT] ?? '');
      if (!firing.includes(BURNING) || firing.some((t) => !tenants.includes(t))) failures.push(`${e.source}: fires for [${firing.join(', ')}]\n  ${e.expr}`);
    }
    expect(failures).toEqual([]);
  });

  it('has Prometheus itself page for the burning tenant on both SLOs', async () => {
    const alerts = await instantQuery(stack.prometheusUrl, `ALERTS{alertstate="firing",${LABEL_SEVERITY}="page"}`);
    const pages = alerts.map((a) => `${a.metric['alertname']} ${a.metric[LABEL_TENANT]}`);
    expect(pages).toContain(`${ALERT_AVAILABILITY} ${BURNING}`);
    expect(pages).toContain(`${ALERT_LATENCY} ${BURNING}`);
  });
});
