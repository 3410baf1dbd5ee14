/**
 * Turns the catalog into `tenants.json` for the k6 script and the local driver: one entry
 * per tenant with the Host header to send, its traffic weight and its budgets. Runs in
 * Node and reads the catalog only through `@tenantry/catalog`'s loader.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { DEFAULT_SLO, ENVIRONMENT_VARIABLE, loadCatalog, platformHostname, selectEnvironments, type Catalog, type Environment } from '@tenantry/catalog';
import { LOADTEST_TENANT_TAG } from '@tenantry/conventions';
import { TENANTS_FILE_VERSION, type TenantsFile } from '../src/tenants-file.js';

/** The tenants file for one environment of a loaded catalog. */
export function buildTenantsFile(catalog: Catalog, environment: Environment): TenantsFile {
  return {
    version: TENANTS_FILE_VERSION,
    environment: environment.name,
    tenantTag: LOADTEST_TENANT_TAG,
    overallP95BudgetMs: DEFAULT_SLO.p95LatencyMs,
    tenants: catalog.tenants.map((tenant) => ({
      id: tenant.id,
      hostname: platformHostname(tenant, environment),
      weight: tenant.trafficWeight,
      p95BudgetMs: tenant.slo.p95LatencyMs,
      errorRateBudget: tenant.slo.errorRate,
    })),
  };
}

/**
 * The environment a load test targets: `$TENANTRY_ENV` (or `name`) when set, otherwise
 * the first non-production environment (load tests are not pointed at production by default).
 */
export function loadTestEnvironment(catalog: Catalog, name: string | undefined = process.env[ENVIRONMENT_VARIABLE]): Environment {
  const [named] = name ? selectEnvironments(catalog, name) : [];
  const chosen = named ?? catalog.environments.find((e) => !e.production) ?? catalog.environments[0];
  if (!chosen) throw new Error(`the catalog at ${catalog.directory} has no environment to load-test`);
  return chosen;
}

export interface GenerateTenantsFileProps {
  /** Where to write the file. */
  readonly outputPath: string;
  /** @default - `$TENANTRY_CATALOG`, or the example catalog */
  readonly catalogDirectory?: string;
  /** @default - `$TENANTRY_ENV`, or the first non-production environment */
  readonly environment?: string;
}

/** Loads the catalog (failing on any catalog error) and writes the tenants file. */
export function generateTenantsFile(props: GenerateTenantsFileProps): TenantsFile {
  const catalog = loadCatalog(props.catalogDirectory ? { directory: props.catalogDirectory } : {});
  const file = buildTenantsFile(catalog, loadTestEnvironment(catalog, props.environment));
  mkdirSync(dirname(props.outputPath), { recursive: true });
  writeFileSync(props.outputPath, `${JSON.stringify(file, null, 2)}\n`);
  return file;
}
