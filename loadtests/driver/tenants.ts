/**
 * Where the driver's tenants come from: the `tenants.json` the k6 script reads, or the
 * catalog directly (for tests that drive a service started on a generated catalog).
 */
import { readFileSync } from 'node:fs';
import { loadCatalog } from '@tenantry/catalog';
import { buildTenantsFile, loadTestEnvironment } from '../generate/tenants-file.js';
import { parseTenantsFile, type TenantsFile } from '../src/tenants-file.js';

/** Reads and checks a `tenants.json` written by `npm run loadtests:build`. */
export function readTenantsFile(path: string): TenantsFile {
  return parseTenantsFile(readFileSync(path, 'utf8'));
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
