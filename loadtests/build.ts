/**
 * `npm run loadtests:build`: writes loadtests/dist/tenants.json from the catalog and
 * bundles the k6 script into loadtests/dist/script.js, one ES2017 module that k6 v0.48.0
 * and v1.3.0 were seen to run (docs/loadtests.md). k6's own modules stay imports; nothing
 * from Node.js is bundled.
 */
import { exitOnCatalogError } from '@tenantry/catalog';
import { build, type BuildOptions } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateTenantsFile } from './generate/tenants-file.js';
import { DIST_DIRECTORY, SCRIPT_FILE_NAME, TENANTS_FILE_NAME } from './paths.js';

const here = dirname(fileURLToPath(import.meta.url));

/** esbuild settings of the k6 bundle (shared with the test that inspects its imports). */
export const K6_BUNDLE_OPTIONS: BuildOptions = {
  entryPoints: [join(here, 'src', 'script.ts')],
  bundle: true,
  format: 'esm',
  // k6 before v0.52 passes ES modules through Babel 6, whose parser rejects `??`, `?.`
  // (ES2020) and object spread (ES2018): k6 v0.48.0 fails on an es2020 or es2018 bundle
  // with "SyntaxError … Unexpected token" and runs an es2017 one.
  target: 'es2017',
  platform: 'neutral',
  external: ['k6', 'k6/*'],
  legalComments: 'none',
};

export interface BuildLoadTestsProps {
  /** @default - loadtests/dist */
  readonly outputDirectory?: string;
  /** @default - `$TENANTRY_ENV`, or the catalog's first non-production environment */
  readonly environment?: string;
  /** @default - `$TENANTRY_CATALOG`, or the example catalog */
  readonly catalogDirectory?: string;
}

/** Writes `tenants.json` and `script.js` into the output directory; returns their paths. */
export async function buildLoadTests(props: BuildLoadTestsProps = {}): Promise<{ tenantsFile: string; script: string }> {
  const directory = props.outputDirectory ?? DIST_DIRECTORY;
  const tenantsFile = join(directory, TENANTS_FILE_NAME);
  const script = join(directory, SCRIPT_FILE_NAME);
  const file = generateTenantsFile({
    outputPath: tenantsFile,
    ...(props.environment ? { environment: props.environment } : {}),
    ...(props.catalogDirectory ? { catalogDirectory: props.catalogDirectory } : {}),
  });
  await build({ ...K6_BUNDLE_OPTIONS, outfile: script });
  console.log(`wrote ${tenantsFile} (${file.tenants.length} tenants, environment ${file.environment}) and ${script}`);
  return { tenantsFile, script };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildLoadTests().catch(exitOnCatalogError);
}
