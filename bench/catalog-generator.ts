/**
 * Writes synthetic tenant catalogs of any size for the synth benchmark and the
 * onboarding tests: the example catalog's environments plus N generated tenant files
 * with a fixed, realistic mix of tiers, namespaces and custom hostnames. Above the
 * default Cloudflare DNS record quota (3,500 per zone) the environments get a raised
 * `cloudflare.dnsRecordLimit`, as an Enterprise zone would have.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exampleCatalogDirectory } from '@tenantry/catalog';
import { parseDocument } from 'yaml';

export interface GeneratedCatalogOptions {
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
}

/** Cloudflare's DNS record quota of a paid zone, the catalog's default. */
const DEFAULT_DNS_RECORD_LIMIT = 3500;
/** Records left for the platform's own hostnames when the quota is raised. */
const DNS_RECORD_HEADROOM = 100;

/** The mix, per tenant index: what a catalog of a few thousand tenants tends to look like. */
function tenantShape(index: number): { tier: 'pooled' | 'schema' | 'dedicated'; namespace: boolean; customHostname: boolean } {
  const tier = index % 100 === 7 ? 'dedicated' : index % 10 === 3 ? 'schema' : 'pooled';
  return { tier, namespace: tier === 'dedicated' || index % 25 === 0, customHostname: index % 5 === 0 };
}

/** Id of the generated tenant at `index`; ids sort in index order. */
export function generatedTenantId(index: number): string {
  return `tenant-${String(index).padStart(5, '0')}`;
}

/** YAML of one generated tenant file. */
export function generatedTenantYaml(index: number, counts: { dedicated: number; schema: number }, options: GeneratedCatalogOptions): string {
  const id = generatedTenantId(index);
  const shape = tenantShape(index);
  let tier = shape.tier;
  if (tier === 'dedicated' && counts.dedicated >= (options.maxDedicated ?? 19)) tier = 'pooled';
  if (tier === 'schema' && counts.schema >= (options.maxSchema ?? 190)) tier = 'pooled';
  if (tier === 'dedicated') counts.dedicated += 1;
  if (tier === 'schema') counts.schema += 1;
  const plan = ['starter', 'business', 'enterprise'][index % 3];
  const lines = [`id: ${id}`, `name: Generated tenant ${index}`, `tier: ${tier}`, `plan: ${plan}`];
  if (shape.namespace && tier !== 'dedicated') lines.push('namespace: true');
  if (shape.customHostname) lines.push('domains:', '  custom:', `    prod: [app.${id}.example.com]`);
  return `${lines.join('\n')}\n`;
}

/** Replaces `directory` with a catalog of `options.tenants` generated tenants. */
export function writeGeneratedCatalog(directory: string, options: GeneratedCatalogOptions): void {
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
    writeFileSync(join(tenants, `${generatedTenantId(index)}.yaml`), generatedTenantYaml(index, counts, options));
  }
}
