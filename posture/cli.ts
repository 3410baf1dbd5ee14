/**
 * `npm run posture [outdir]`: checks every stack synthesized into cdktf.out/ (or the
 * given directory) and exits 1 on any finding. Production-only rules apply to the stacks
 * of the catalog's production environments ($TENANTRY_CATALOG, as for synth).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { exitOnCatalogError, loadCatalog, type Catalog } from '@tenantry/catalog';
import { formatFinding } from './check-posture.js';
import { checkSynthOutput, productionStackPredicate, stackEnvironment } from './synth-output.js';

let catalog: Catalog;
try {
  catalog = loadCatalog();
} catch (error) {
  exitOnCatalogError(error);
}
const outdir = resolve(process.argv[2] ?? process.env.CDKTF_OUTDIR ?? 'cdktf.out');
if (!existsSync(outdir)) {
  process.stderr.write(`${outdir} does not exist: run \`npm run synth\` first\n`);
  process.exit(2);
}
const findings = checkSynthOutput(outdir, productionStackPredicate(catalog), stackEnvironment(catalog));
for (const finding of findings) process.stdout.write(`${formatFinding(finding)}\n`);
process.stdout.write(findings.length === 0 ? `posture: no findings in ${outdir}\n` : `posture: ${findings.length} finding(s)\n`);
process.exitCode = findings.length === 0 ? 0 : 1;
