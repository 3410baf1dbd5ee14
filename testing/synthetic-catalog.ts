/**
 * Synthetic tenant catalogs of any size, for the synth, dashboards and load-test
 * benchmarks and the tests that need a large catalog: the example catalog's
 * environments plus N generated tenant files with a fixed, realistic mix of tiers,
 * namespaces and custom hostnames. Every catalog it writes passes the loader: the tier
 * mix is capped below the default quotas, and above the default Cloudflare DNS record
 * quota (3,500 per zone) the environments get a raised `cloudflare.dnsRecordLimit`, as
 * an Enterprise zone would have.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exampleCatalogDirectory } from '@tenantry/catalog';
import { parseDocument } from 'yaml';

export interface SyntheticCatalogOptions {
  /** Number of tenant files to write. */
  readonly tenants: number;
  /**
   * Most dedicated-tier tenants (each owns an Aurora cluster and its RDS Proxy; the region
   * allows 20 proxies, the shared cluster's included).
   * @default 19
   */
  readonly maxDedicated?: number;
  /**
   * Most schema-tier tenants (each registers a secret with the shared RDS Proxy, quota 200).
   * @default 190
   */
  readonly maxSchema?: number;
  /**
   * Give each tenant its own p95 budget (`syntheticBudgetMs(index)`), so tests can tell
   * tenants apart by their numbers; otherwise each takes its plan's budget.
   * @default false
   */
  readonly varyBudgets?: boolean;
}

/** Cloudflare's DNS record quota of a paid zone, the catalog's default. */
const DEFAULT_DNS_RECORD_LIMIT = 3500;
/** Records left for the platform's own hostnames when the quota is raised. */
const DNS_RECORD_HEADROOM = 100;
const PLANS = ['starter', 'business', 'enterprise'] as const;

/** The mix, per tenant index: what a catalog of a few thousand tenants tends to look like. */
function tenantShape(index: number): { tier: 'pooled' | 'schema' | 'dedicated'; namespace: boolean; customHostname: boolean } {
  const tier = index % 100 === 7 ? 'dedicated' : index % 10 === 3 ? 'schema' : 'pooled';
  return { tier, namespace: tier === 'dedicated' || index % 25 === 0, customHostname: index % 5 === 0 };
}

/** Id of the synthetic tenant at `index`; ids sort in index order. */
export function syntheticTenantId(index: number): string {
  return `tenant-${String(index).padStart(5, '0')}`;
}

/** The p95 budget of the synthetic tenant at `index` with `varyBudgets`: 100 to 390 ms in steps of 10. */
export function syntheticBudgetMs(index: number): number {
  return 100 + (index % 30) * 10;
}

/** YAML of one synthetic tenant file; `counts` tracks the capped tiers written so far. */
export function syntheticTenantYaml(index: number, counts: { dedicated: number; schema: number }, options: SyntheticCatalogOptions): string {
  const id = syntheticTenantId(index);
  const shape = tenantShape(index);
  let tier = shape.tier;
  if (tier === 'dedicated' && counts.dedicated >= (options.maxDedicated ?? 19)) tier = 'pooled';
  if (tier === 'schema' && counts.schema >= (options.maxSchema ?? 190)) tier = 'pooled';
  if (tier === 'dedicated') counts.dedicated += 1;
  if (tier === 'schema') counts.schema += 1;
  const lines = [`id: ${id}`, `name: Generated tenant ${index}`, `tier: ${tier}`, `plan: ${PLANS[index % PLANS.length]}`];
  if (shape.namespace && tier !== 'dedicated') lines.push('namespace: true');
  if (shape.customHostname) lines.push('domains:', '  custom:', `    prod: [app.${id}.example.com]`);
  if (options.varyBudgets) lines.push('slo:', `  p95LatencyMs: ${syntheticBudgetMs(index)}`);
  return `${lines.join('\n')}\n`;
}

/** Replaces `directory` with a catalog of `options.tenants` synthetic tenants. */
export function writeSyntheticCatalog(directory: string, options: SyntheticCatalogOptions): void {
  rmSync(directory, { recursive: true, force: true });
  const environments = join(directory, 'environments');
  const tenants = join(directory, 'tenants');
  mkdirSync(environments, { recursive: true });
  mkdirSync(tenants, { recursive: true });
  const source = join(exampleCatalogDirectory(), 'environments');
  for (const file of readdirSync(source)) {
    const document = parseDocument(readFileSync(join(source, file), 'utf8'));
    if (options.tenants > DEFAULT_DNS_RECORD_LIMIT) document.setIn(['cloudflare', 'dnsRecordLimit'], options.tenants + DNS_RECORD_HEADROOM);
    writeFileSync(join(environments, file), document.toString());
  }
  const counts = { dedicated: 0, schema: 0 };
  for (let index = 0; index < options.tenants; index++) {
    writeFileSync(join(tenants, `${syntheticTenantId(index)}.yaml`), syntheticTenantYaml(index, counts, options));
  }
}

/** Writes a synthetic catalog into a new temporary directory and returns it (the caller removes it). */
export function writeTemporarySyntheticCatalog(options: SyntheticCatalogOptions): string {
  const directory = mkdtempSync(join(tmpdir(), 'tenantry-catalog-'));
  writeSyntheticCatalog(directory, options);
  return directory;
}
