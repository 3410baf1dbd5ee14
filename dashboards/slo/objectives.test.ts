import { CatalogValidationError, loadCatalog, type Catalog, type Tenant } from '@tenantry/catalog';
import { describe, expect, it } from 'vitest';
import { tenantObjectives } from './objectives.js';

const example = loadCatalog();
const base = example.tenants.find((t) => t.id === 'brightwave')!;
const catalogOf = (slo: Partial<Tenant['slo']>): Catalog => ({ ...example, tenants: [{ ...base, id: 'acme', file: 'tenants/acme.yaml', slo: { ...base.slo, ...slo } }] });

describe('tenantObjectives()', () => {
  it('turns each tenant into its budget in seconds and its objectives', () => {
    const [objectives] = tenantObjectives(catalogOf({ p95LatencyMs: 150, availability: 0.9995, errorRate: 0.005 }));
    expect(objectives).toEqual({
      tenantId: 'acme',
      tier: base.tier,
      plan: base.plan,
      latencyBudgetSeconds: 0.15,
      latencyObjective: 0.95,
      availabilityObjective: 0.9995,
      errorRateBudget: 0.005,
    });
  });

  it('fails with the catalog error when the rules are asked for boundaries that miss a budget', () => {
    const semconv = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
    const attempt = () => tenantObjectives(catalogOf({ p95LatencyMs: 200 }), { bucketBoundariesSeconds: semconv });
    expect(attempt).toThrow(CatalogValidationError);
    expect(attempt).toThrow('tenants/acme.yaml: slo.p95LatencyMs: budget 200 ms (0.2 s) is not a bucket boundary');
  });
});
