/**
 * The cdktf app (cdktf.json runs it with tsx; `npm run synth` runs stacks/synth.ts,
 * which uses the same composition). The catalog is loaded and validated once, before any
 * construct exists: a broken catalog prints every issue and exits non-zero without
 * writing anything.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CatalogValidationError, loadCatalog, selectEnvironments, type Catalog, type Environment } from '@tenantry/catalog';
import { App } from 'cdktf';
import { addPlatformStacks } from './platform-stacks.js';
import { localStateWarnings } from './state-backend.js';
import { addTenantStacks } from './tenant-stacks.js';

/** Output directory of the app when cdktf does not set one. */
export const DEFAULT_OUTDIR = 'cdktf.out';

/** Every stack of `environments`: the platform first, then one stack per tenant. */
export function buildApp(catalog: Catalog, environments: readonly Environment[], outdir: string): App {
  const app = new App({ outdir });
  for (const env of environments) {
    addPlatformStacks(app, env);
    // Per-tenant stacks (issue 3) find the platform by name; they never reference platform stacks.
    addTenantStacks(app, catalog, env);
  }
  return app;
}

/** The catalog and environments to synthesize, or the issues that stop synthesis. */
export type LoadedCatalog = { readonly ok: true; readonly catalog: Catalog; readonly environments: readonly Environment[] } | { readonly ok: false; readonly message: string };

/** Loads `$TENANTRY_CATALOG` and selects `$TENANTRY_ENV`; catalog errors come back as a message, others are thrown. */
export function loadForSynth(): LoadedCatalog {
  try {
    const catalog = loadCatalog();
    return { ok: true, catalog, environments: selectEnvironments(catalog) };
  } catch (error) {
    if (error instanceof CatalogValidationError) return { ok: false, message: `${error.message}\nNothing was synthesized.` };
    throw error;
  }
}

function main(): void {
  const loaded = loadForSynth();
  if (!loaded.ok) {
    process.stderr.write(`${loaded.message}\n`);
    process.exitCode = 1;
    return;
  }
  for (const warning of localStateWarnings(loaded.environments)) process.stderr.write(`${warning}\n`);
  buildApp(loaded.catalog, loaded.environments, process.env.CDKTF_OUTDIR ?? DEFAULT_OUTDIR).synth();
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
