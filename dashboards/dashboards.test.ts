import { loadCatalog } from '@tenantry/catalog';
import { LABEL_ROLE, LABEL_TENANT, ROLE_CANARY } from '@tenantry/conventions';
import { eq, formatMatcher } from '@tenantry/conventions/promql';
import { describe, expect, it } from 'vitest';
import { TENANT_VARIABLE } from './common.js';
import { generate, generateDashboards, generateFleet, generateTenantRuleFiles } from './generate.js';
import { dataPanels, panelQueries } from './panels.js';
import { ERROR_RATE_BUDGET_RATIO, LATENCY_BUDGET_SECONDS, OBJECTIVE_RATIO } from '@tenantry/conventions';
import { RULES_PER_TENANT } from './slo/objective-rules.js';
import type { RuleFile } from './slo/rule-types.js';
import { TENANT_OVERVIEW_UID } from './tenant-overview/index.js';

const dashboards = generateDashboards();
const byUid = (uid: string) => dashboards.find((d) => d.uid === uid)!.dashboard;
const tenantSelector = `${LABEL_TENANT}="$${TENANT_VARIABLE}"`;
const tenantsSelector = `${LABEL_TENANT}=~"$${TENANT_VARIABLE}"`;

describe('dashboards', () => {
  it('have stable, unique uids', () => {
    expect(dashboards.map((d) => d.uid)).toEqual(['tenantry-tenant-overview', 'tenantry-fleet-overview', 'tenantry-canary']);
    expect(generateDashboards().map((d) => d.uid)).toEqual(dashboards.map((d) => d.uid));
  });

  it('are identical from one build to the next (no random ids or timestamps)', () => {
    expect(JSON.stringify(generateDashboards())).toBe(JSON.stringify(dashboards));
  });

  it('give every panel a unit', () => {
    const withoutUnit = dashboards.flatMap((d) => dataPanels(d.dashboard).filter((p) => !p.fieldConfig?.defaults?.unit).map((p) => `${d.uid}: ${p.title}`));
    expect(withoutUnit).toEqual([]);
  });

  it('give every panel at least one query', () => {
    const empty = dashboards.flatMap((d) => dataPanels(d.dashboard).filter((p) => (p.targets ?? []).length === 0).map((p) => p.title));
    expect(empty).toEqual([]);
  });
});

describe('tenant overview', () => {
  const overview = byUid(TENANT_OVERVIEW_UID);

  it('has a tenant variable filled from the tenant_id label values', () => {
    const variable = overview.templating?.list?.find((v) => v.name === TENANT_VARIABLE);
    expect(variable?.type).toBe('query');
    expect(variable?.query).toBe(`label_values(http_server_request_duration_count, ${LABEL_TENANT})`);
  });

  it('selects the chosen tenant in every query', () => {
    const unscoped = panelQueries(overview).filter((q) => !q.expr.includes(tenantSelector));
    expect(unscoped).toEqual([]);
  });

  it("draws the tenant's latency budget from the catalog series as the p95 panel's threshold", () => {
    const panel = dataPanels(overview).find((p) => p.title === 'Latency p50 / p95 / p99 against budget')!;
    const budget = panelQueries(overview).find((q) => q.panelTitle === panel.title && q.refId === 'BUDGET');
    expect(budget?.expr).toBe(`${LATENCY_BUDGET_SECONDS}{${tenantSelector}}`);
    expect(panel.transformations).toEqual([expect.objectContaining({ id: 'configFromData', options: expect.objectContaining({ configRefId: 'BUDGET' }) })]);
  });

  it("draws the plan's error-rate budget and the availability objective from the catalog series", () => {
    const exprs = panelQueries(overview).map((q) => q.expr);
    expect(exprs).toContain(`${ERROR_RATE_BUDGET_RATIO}{${tenantSelector}}`);
    expect(exprs).toContain(`${OBJECTIVE_RATIO}{${tenantSelector},slo="availability"}`);
  });

  it('links panels to the tenant\'s traces and logs in the configured data sources', () => {
    const [custom] = generateDashboards({ links: { tracesDatasourceUid: 'my-tempo', logsDatasourceUid: 'my-loki' } });
    const urls = (custom!.dashboard.links ?? []).map((l) => decodeURIComponent(l.url ?? ''));
    expect(urls[0]).toContain('"uid":"my-tempo"');
    expect(urls[0]).toContain('span.tenant.id = \\"$tenant\\"');
    expect(urls[1]).toContain('"uid":"my-loki"');
    const p95 = dataPanels(custom!.dashboard).find((p) => p.title === 'Latency p50 / p95 / p99 against budget')!;
    expect(p95.links?.map((l) => l.title)).toEqual(['Traces of $tenant', 'Logs of $tenant']);
  });
});

describe('canary dashboard', () => {
  it('splits every query by role and scopes it to the selected tenants', () => {
    const queries = panelQueries(byUid('tenantry-canary'));
    expect(queries.filter((q) => !q.expr.includes(tenantsSelector))).toEqual([]);
    const groupsByRole = new RegExp(`by \\([^)]*\\b${LABEL_ROLE}\\b[^)]*\\)`);
    expect(queries.length).toBeGreaterThan(0);
    const selectsCanary = formatMatcher(eq(LABEL_ROLE, ROLE_CANARY));
    expect(queries.filter((q) => !groupsByRole.test(q.expr) && !q.expr.includes(selectsCanary))).toEqual([]);
  });
});

describe('fleet overview', () => {
  it('labels per-tenant tables with tier and plan from the catalog info series', () => {
    const queries = panelQueries(byUid('tenantry-fleet-overview'));
    const tables = queries.filter((q) => q.panelTitle.includes('now') || q.panelTitle.includes('left'));
    expect(tables).toHaveLength(3);
    for (const q of tables) expect(q.expr).toContain('group_left (tier, plan) tenantry:tenant_info');
  });
});

describe('generate()', () => {
  it('puts each catalog budget into the rules the dashboards read', () => {
    const catalog = loadCatalog();
    const rules = generate(catalog).ruleFiles.map((r) => r.yaml).join('\n');
    for (const tenant of catalog.tenants) {
      expect(rules).toContain(`expr: vector(${tenant.slo.p95LatencyMs / 1000})\n        labels:\n          ${LABEL_TENANT}: ${tenant.id}`);
    }
  });
});

describe('generateFleet() and generateTenantRuleFiles(), the split the cluster installs', () => {
  const catalog = loadCatalog();
  const rulesOf = (files: readonly { file: RuleFile }[]) => files.flatMap((f) => f.file.groups.flatMap((g) => g.rules));

  it('together hold exactly the rules generate() writes', () => {
    const split = [...rulesOf(generateFleet().ruleFiles), ...rulesOf([...generateTenantRuleFiles(catalog).values()])];
    const whole = rulesOf(generate(catalog).ruleFiles);
    const key = (rule: unknown) => JSON.stringify(rule);
    expect(split.map(key).sort()).toEqual(whole.map(key).sort());
  });

  it('keep every tenant out of the fleet rules and dashboards', () => {
    const fleet = generateFleet();
    const text = [...fleet.ruleFiles.map((r) => r.yaml), ...fleet.dashboards.map((d) => JSON.stringify(d.dashboard))].join('\n');
    for (const tenant of catalog.tenants) expect(text, tenant.id).not.toContain(tenant.id);
  });

  it("give each tenant a file with only its own objective series", () => {
    const files = generateTenantRuleFiles(catalog);
    expect([...files.keys()].sort()).toEqual(catalog.tenants.map((t) => t.id).sort());
    for (const [id, file] of files) {
      const rules = rulesOf([file]);
      expect(rules).toHaveLength(RULES_PER_TENANT);
      for (const rule of rules) expect(rule.labels?.[LABEL_TENANT]).toBe(id);
    }
  });
});

