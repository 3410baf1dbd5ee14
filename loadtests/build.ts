/**
 * `npm run loadtests:build`: writes loadtests/dist/tenants.json from the catalog and
 * bundles the k6 script into loadtests/dist/script.js, plain ES2020 modules that k6 0.46
 * and later run as they are. k6's own modules stay imports; nothing from Node.js is bundled.
 */
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
  // k6 0.46 runs ES2020 without its Babel step; k6 ≥ 0.52 dropped Babel altogether.
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
  await buildLoadTests();
}
