import { describe, expect, it } from 'vitest';
import { buildOptions } from '../options.js';
import { resolveRunSettings } from '../profiles.js';
import { renderJUnit } from './junit.js';
import { EXAMPLE_TENANTS_FILE, SLOW_HARBOR_SUMMARY } from './example-summary.fixture.js';
import { aggregateOf, thresholdOutcomes, type SummaryData } from './summary-data.js';
import { loadTestVerdict, renderMarkdownReport, SUMMARY_JSON, SUMMARY_JUNIT, SUMMARY_MARKDOWN, SUMMARY_VERDICT, summaryFiles } from './summary-files.js';
import { passed, tenantRowsFromSummary } from './tenant-rows.js';
import { renderTenantTable } from './tenant-table.js';

const LOAD_PLAN = { plannedDurationSeconds: 60, thresholds: buildOptions(EXAMPLE_TENANTS_FILE, resolveRunSettings({ PROFILE: 'load', DURATION: '60s' })).thresholds ?? {} };
const rows = tenantRowsFromSummary(SLOW_HARBOR_SUMMARY, EXAMPLE_TENANTS_FILE.tenants, 'tenant');

describe('tenantRowsFromSummary()', () => {
  it('reads requests, p50/p95/p99 and errors from the tenant sub-metrics', () => {
    expect(rows.find((r) => r.tenant === 'ledgerline')).toMatchObject({ requests: 540, p50Ms: 4.3, p95Ms: 10.1, p99Ms: 15.0, errors: 1, p95BudgetMs: 200 });
  });

  it('fails exactly the tenant whose latency threshold was crossed, and says which', () => {
    expect(rows.filter((r) => !passed(r)).map((r) => r.tenant)).toEqual(['harbor-law']);
    expect(rows.find((r) => r.tenant === 'harbor-law')?.failures).toEqual(['latency p(95)<150']);
  });

  it('fails a tenant the summary has no result for', () => {
    const [row] = tenantRowsFromSummary(SLOW_HARBOR_SUMMARY, [{ id: 'ghost', hostname: 'ghost.example', weight: 1, p95BudgetMs: 200, errorRateBudget: 0.01 }], 'tenant');
    expect(row?.requests).toBe(0);
    expect(row?.failures).toContain('requests: no threshold result in the summary');
  });
});

describe('renderTenantTable()', () => {
  it('prints one Markdown row per tenant with p95 against budget and the verdict', () => {
    const lines = renderTenantTable(rows).split('\n');
    expect(lines[0]).toMatch(/^\| Tenant +\| Requests \| p50 ms \| p95 ms \| p99 ms \| p95 budget ms \| Errors \| Error rate \| Error budget \| Result/);
    expect(lines[1]).toMatch(/^\|-+\|-+:\|/);
    expect(lines).toHaveLength(2 + 4);
    const harbor = lines.find((l) => l.startsWith('| harbor-law'));
    expect(harbor?.split('|').map((c) => c.trim())).toEqual(['', 'harbor-law', '1740', '404.6', '412.4', '431.9', '150', '0', '0.00%', '0.50%', 'FAIL (latency p(95)<150)', '']);
    expect(lines.find((l) => l.startsWith('| northwind'))).toMatch(/\| pass +\|$/);
  });
});

describe('renderMarkdownReport()', () => {
  it('opens with the verdict naming the tenant over budget and lists the crossed thresholds', () => {
    const report = renderMarkdownReport(SLOW_HARBOR_SUMMARY, EXAMPLE_TENANTS_FILE, 'load');
    expect(report).toContain('## Load test (load, staging)');
    expect(report).toContain('**FAIL**: 2 threshold(s) crossed; tenants over budget: harbor-law.');
    expect(report).toContain('- `http_req_duration{tenant:harbor-law}` `p(95)<150`: observed 412.4');
    expect(report).toContain('- `http_req_duration` `p(95)<200`: observed 412.4');
  });

  it('says PASS when every threshold held', () => {
    const healthy = {
      ...SLOW_HARBOR_SUMMARY,
      metrics: Object.fromEntries(
        Object.entries(SLOW_HARBOR_SUMMARY.metrics).map(([name, m]) => [name, { ...m, thresholds: Object.fromEntries(Object.keys(m.thresholds ?? {}).map((k) => [k, { ok: true }])) }]),
      ),
    };
    expect(renderMarkdownReport(healthy, EXAMPLE_TENANTS_FILE, 'load')).toContain('**PASS**: every threshold held for 4 tenant(s).');
  });
});

describe('renderJUnit()', () => {
  const xml = renderJUnit(thresholdOutcomes(SLOW_HARBOR_SUMMARY), 60.4125, 'tenant');

  it('has one test case per threshold and counts the failures', () => {
    expect(xml.match(/<testcase /g)).toHaveLength(18);
    expect(xml).toContain('<testsuite name="k6 thresholds" tests="18" failures="2" errors="0" time="60.413">');
  });

  it('files tenant thresholds under the tenant and explains a failure with the observed value', () => {
    expect(xml).toContain(
      '<testcase classname="tenant.harbor-law" name="http_req_duration p(95)&lt;150" time="0"><failure message="http_req_duration{tenant:harbor-law} p(95)&lt;150: observed 412.4" type="threshold"/></testcase>',
    );
    expect(xml).toContain('<testcase classname="tenant.brightwave" name="dropped_iterations count==0" time="0"><system-out>observed 0</system-out></testcase>');
    expect(xml).toContain('<testcase classname="overall" name="checks rate&gt;0.99" time="0"><system-out>observed 1</system-out></testcase>');
  });
});

describe('dropped iterations', () => {
  // harbor-law's slow answers kept every VU of its scenario busy; k6 dropped 3 of its iterations.
  const dropped: SummaryData = {
    ...SLOW_HARBOR_SUMMARY,
    metrics: {
      ...SLOW_HARBOR_SUMMARY.metrics,
      'dropped_iterations{scenario:tenant_harbor-law}': { type: 'counter', contains: 'default', values: { count: 3, rate: 0.05 }, thresholds: { 'count==0': { ok: false } } },
    },
  };

  it('are charged to the tenant whose scenario dropped them, not to the run as a whole', () => {
    const harbor = tenantRowsFromSummary(dropped, EXAMPLE_TENANTS_FILE.tenants, 'tenant').find((r) => r.tenant === 'harbor-law');
    expect(harbor?.failures).toEqual(['latency p(95)<150', 'dropped iterations count==0']);
    expect(loadTestVerdict(dropped, EXAMPLE_TENANTS_FILE, 'load').failingTenants).toEqual(['harbor-law']);
    expect(renderJUnit(thresholdOutcomes(dropped), 60, 'tenant')).toContain(
      '<testcase classname="tenant.harbor-law" name="dropped_iterations count==0" time="0"><failure message="dropped_iterations{scenario:tenant_harbor-law} count==0: observed 3" type="threshold"/></testcase>',
    );
  });
});

describe('summaryFiles()', () => {
  it('writes the raw JSON, the Markdown and the JUnit into the directory, and the Markdown to stdout', () => {
    const files = summaryFiles({ data: SLOW_HARBOR_SUMMARY, file: EXAMPLE_TENANTS_FILE, profile: 'load', directory: 'results/', plan: LOAD_PLAN });
    expect(Object.keys(files).sort()).toEqual([`results/${SUMMARY_JSON}`, `results/${SUMMARY_JUNIT}`, `results/${SUMMARY_MARKDOWN}`, `results/${SUMMARY_VERDICT}`, 'stdout'].sort());
    expect(JSON.parse(files[`results/${SUMMARY_JSON}`] ?? '')).toEqual(SLOW_HARBOR_SUMMARY);
    expect(files['stdout']).toContain('| harbor-law');
  });
});

describe('loadTestVerdict()', () => {
  it('fails the run and names the tenant over budget, with the crossed thresholds', () => {
    const verdict = loadTestVerdict(SLOW_HARBOR_SUMMARY, EXAMPLE_TENANTS_FILE, 'load');
    expect(verdict).toMatchObject({ profile: 'load', environment: 'staging', passed: false, failingTenants: ['harbor-law'] });
    expect(verdict.crossedThresholds.map((t) => `${t.metric} ${t.expression}`)).toEqual(['http_req_duration p(95)<200', 'http_req_duration{tenant:harbor-law} p(95)<150']);
    expect(verdict.tenants).toHaveLength(4);
    expect(verdict.aborted).toBeNull();
  });
});

describe('an aborted run', () => {
  // The smoke profile's thresholds; harbor-law's latency threshold stopped the run after 12 s
  // of 30 s. The other tenants' request thresholds are marked crossed, as a count-based
  // threshold would have been, to prove the verdict does not blame them for the cut.
  const plan = { plannedDurationSeconds: 30, thresholds: buildOptions(EXAMPLE_TENANTS_FILE, resolveRunSettings({ PROFILE: 'smoke' })).thresholds ?? {} };
  const requestThresholdsCrossed = Object.fromEntries(
    Object.entries(SLOW_HARBOR_SUMMARY.metrics).map(([name, metric]) => [
      name,
      name.startsWith('http_reqs{') && !name.includes('harbor-law') ? { ...metric, thresholds: Object.fromEntries(Object.keys(metric.thresholds ?? {}).map((k) => [k, { ok: false }])) } : metric,
    ]),
  );
  const aborted = { ...SLOW_HARBOR_SUMMARY, state: { testRunDurationMs: 12_040 }, metrics: requestThresholdsCrossed };

  it('says it was aborted, when, and by which tenant’s threshold', () => {
    const verdict = loadTestVerdict(aborted, EXAMPLE_TENANTS_FILE, 'smoke', plan);
    expect(verdict.aborted).toMatchObject({ afterSeconds: 12.04, plannedSeconds: 30, tenants: ['harbor-law'] });
    expect(verdict.aborted?.by.map((o) => `${o.metric} ${o.expression}`)).toEqual(['http_req_duration p(95)<200', 'http_req_duration{tenant:harbor-law} p(95)<150']);
    expect(renderMarkdownReport(aborted, EXAMPLE_TENANTS_FILE, 'smoke', plan)).toContain(
      '**ABORTED** after 12.0 s of 30 s by tenant harbor-law: `http_req_duration` `p(95)<200`, `http_req_duration{tenant:harbor-law}` `p(95)<150`.',
    );
  });

  it('does not count a request shortfall of the tenants within budget as a budget failure', () => {
    const verdict = loadTestVerdict(aborted, EXAMPLE_TENANTS_FILE, 'smoke', plan);
    expect(verdict.failingTenants).toEqual(['harbor-law']);
    expect(verdict.passed).toBe(false);
    expect(renderMarkdownReport(aborted, EXAMPLE_TENANTS_FILE, 'smoke', plan)).toContain('tenants over budget: harbor-law.');
  });

  it('counts the same shortfall in a run that ran its full duration', () => {
    const full = { ...aborted, state: { testRunDurationMs: 30_200 } };
    const verdict = loadTestVerdict(full, EXAMPLE_TENANTS_FILE, 'smoke', plan);
    expect(verdict.aborted).toBeNull();
    expect(verdict.failingTenants).toEqual(['brightwave', 'harbor-law', 'ledgerline', 'northwind']);
  });

  it('says "interrupted" when it stopped early without an aborting threshold', () => {
    const healthy = { ...SLOW_HARBOR_SUMMARY, state: { testRunDurationMs: 5000 }, metrics: {} };
    const verdict = loadTestVerdict(healthy, EXAMPLE_TENANTS_FILE, 'smoke', plan);
    expect(verdict.aborted).toMatchObject({ by: [], tenants: [] });
    expect(renderMarkdownReport(healthy, EXAMPLE_TENANTS_FILE, 'smoke', plan)).toContain('**ABORTED** after 5.0 s of 30 s, without a crossed threshold (interrupted).');
  });
});

describe('aggregateOf()', () => {
  it.each([
    ['p(95)<150', 'p(95)'],
    ['p( 99.9 ) < 300', 'p(99.9)'],
    ['count>=10', 'count'],
    ['rate<0.01', 'rate'],
  ])('reads the aggregate of %s', (expression, aggregate) => {
    expect(aggregateOf(expression)).toBe(aggregate);
  });
});
