import { describe, expect, it } from 'vitest';
import { alertRules } from './alert-rules.js';
import { objectiveRules, RULES_PER_TENANT } from './objective-rules.js';
import { sliRules, sliWindows } from './sli-rules.js';

describe('sliRules()', () => {
  const rules = sliRules();
  const byRecord = (record: string) => rules.filter((r) => r.record === record);

  it('records every window an alert reads, plus the 30-day period, shortest first', () => {
    expect(sliWindows()).toEqual(['5m', '30m', '1h', '2h', '6h', '1d', '3d', '30d']);
  });

  it.each([
    ['the request rate from the histogram count', 'tenantry:slo_requests:rate5m', 'sum by (tenant_id) (rate(http_server_request_duration_count[5m]))'],
    [
      "the latency good rate from exactly the tenant's budget bucket",
      'tenantry:slo_good_requests:rate1h',
      'sum by (tenant_id) ((rate(http_server_request_duration_bucket[1h])) and on (tenant_id, le) tenantry:slo_latency_budget_seconds)',
    ],
    ['long windows as averages of the 5-minute rates', 'tenantry:slo_requests:rate3d', 'avg_over_time(tenantry:slo_requests:rate5m[3d])'],
    ['the error ratio per SLO', 'tenantry:slo_error_ratio:rate30d', '1 - (tenantry:slo_good_requests:rate30d / on (tenant_id) group_left () tenantry:slo_requests:rate30d)'],
  ])('records %s', (_name, record, expr) => {
    expect(byRecord(record).map((r) => r.expr)).toContain(expr);
  });

  it('counts a tenant with only 5xx as zero good requests instead of leaving its SLI absent', () => {
    const availability = byRecord('tenantry:slo_good_requests:rate5m').find((r) => r.labels?.['slo'] === 'availability');
    expect(availability?.expr).toBe(
      '(sum by (tenant_id) (rate(http_server_request_duration_count{http_response_status_code!~"5.."}[5m]))) or on (tenant_id) (0 * (sum by (tenant_id) (rate(http_server_request_duration_count[5m]))))',
    );
  });

  it('does not grow with the number of tenants', () => {
    expect(rules).toHaveLength(29);
  });
});

describe('objectiveRules()', () => {
  it('states a tenant\'s facts and objectives as RULES_PER_TENANT constant series', () => {
    const rules = objectiveRules({
      tenantId: 'acme',
      tier: 'pooled',
      plan: 'starter',
      latencyBudgetSeconds: 0.25,
      latencyObjective: 0.95,
      availabilityObjective: 0.999,
      errorRateBudget: 0.01,
    });
    expect(rules).toHaveLength(RULES_PER_TENANT);
    expect(rules[1]).toEqual({ record: 'tenantry:slo_latency_budget_seconds', expr: 'vector(0.25)', labels: { tenant_id: 'acme', le: '0.25' } });
  });
});

describe('alertRules()', () => {
  const rules = alertRules({ runbookUrl: 'https://runbooks/slo', dashboardUrl: '/d/x', minimumRequests: 100, sliEvaluationInterval: '1m' });

  it('has one page and one ticket rule per SLO', () => {
    expect(rules.map((r) => `${r.alert}/${r.labels['severity']}`)).toEqual([
      'TenantLatencySLOBurn/page',
      'TenantLatencySLOBurn/ticket',
      'TenantAvailabilitySLOBurn/page',
      'TenantAvailabilitySLOBurn/ticket',
    ]);
  });

  it('compares both windows of a pair with factor × (1 − the tenant\'s objective), guarded by the requests served', () => {
    const page = rules[0]!.expr;
    expect(page).toContain('tenantry:slo_error_ratio:rate1h{slo="latency"} > on (tenant_id, slo) (14.4 * (1 - tenantry:slo_objective_ratio{slo="latency"}))');
    expect(page).toContain('tenantry:slo_error_ratio:rate5m{slo="latency"} > on (tenant_id, slo) (14.4 * (1 - tenantry:slo_objective_ratio{slo="latency"}))');
    expect(page).toContain('and on (tenant_id) (((sum_over_time(tenantry:slo_requests:rate5m[1h])) * 60) >= 100)');
  });

  it('links each alert to its runbook section and to the tenant\'s dashboard', () => {
    expect(rules[2]!.annotations).toMatchObject({
      runbook_url: 'https://runbooks/slo#tenantavailabilitysloburn',
      dashboard_url: '/d/x?var-tenant={{ $labels.tenant_id }}',
    });
  });
});
