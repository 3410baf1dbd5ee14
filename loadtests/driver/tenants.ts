/**
 * Where the driver's tenants come from: the `tenants.json` the k6 script reads, or the
 * catalog directly (for tests that drive a service started on a generated catalog).
 */
import { readFileSync } from 'node:fs';
import { loadCatalog } from '@tenantry/catalog';
import { buildTenantsFile, loadTestEnvironment } from '../generate/tenants-file.js';
import { parseTenantsFile, type LoadTenant, type TenantsFile } from '../src/tenants-file.js';
import { parseTokensFile, type TenantTokens } from '../src/tokens-file.js';

/** Reads and checks a `tenants.json` written by `npm run loadtests:build`. */
export function readTenantsFile(path: string): TenantsFile {
  return parseTenantsFile(readFileSync(path, 'utf8'));
}

/** Reads a tokens file (`{ "<tenant-id>": "<JWT>" }`) and checks it has a token for every tenant. */
export function readTokensFile(path: string, tenants: readonly LoadTenant[]): TenantTokens {
  return parseTokensFile(readFileSync(path, 'utf8'), tenants, path);
}

export interface TenantsFromCatalogProps {
  /** @default - `$TENANTRY_CATALOG`, or the example catalog */
  readonly catalogDirectory?: string;
  /** @default - `$TENANTRY_ENV`, or the catalog's first non-production environment */
  readonly environment?: string;
}

/** The same data as `tenants.json`, computed from the catalog in memory. */
export function tenantsFromCatalog(props: TenantsFromCatalogProps = {}): TenantsFile {
  const catalog = loadCatalog(props.catalogDirectory ? { directory: props.catalogDirectory } : {});
  return buildTenantsFile(catalog, loadTestEnvironment(catalog, props.environment));
}
