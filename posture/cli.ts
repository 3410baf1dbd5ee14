/**
 * `npm run posture [-- [outdir] [--format text|sarif] [--output file] [--today YYYY-MM-DD]]`:
 * checks every stack synthesized into cdktf.out/ (or the given directory) and exits 1 on
 * any finding, 2 on bad input. Production-only rules apply to the stacks of the catalog's
 * production environments ($TENANTRY_CATALOG, as for synth); environment rules see the
 * stacks of one environment together. `--format sarif` writes SARIF 2.1.0 for GitHub code
 * scanning, each result located at the construct that made the resource. `--today` checks
 * the dated rules (the EKS support calendar) for another day than today.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { exitOnCatalogError, loadCatalog, type Catalog } from '@tenantry/catalog';
import { readStackFiles } from '../synth-model/stack-files.js';
import { formatFinding } from './check-posture.js';
import { ConstructSourceIndex } from './construct-source.js';
import { postureSarif } from './sarif.js';
import { checkSynthOutput, productionStackPredicate, stackEnvironment } from './synth-output.js';

const USAGE = `usage: npm run posture -- [outdir] [--format text|sarif] [--output <file>] [--today YYYY-MM-DD]

Checks every stack under <outdir>/stacks (default: $CDKTF_OUTDIR or cdktf.out) against the
posture rules and prints each finding with its rule, stack, address and fix.
  --format text|sarif  text (default) or SARIF 2.1.0 for code scanning
  --output <file>      write there instead of standard output
  --today YYYY-MM-DD   check dated rules (EKS standard support) for that day (default: today, UTC)
Exit status: 0 without findings, 1 with findings, 2 on bad input.
`;

function fail(message: string): never {
  process.stderr.write(`posture: ${message}\n\n${USAGE}`);
  process.exit(2);
}

function parseCommandLine() {
  try {
    return parseArgs({
      allowPositionals: true,
      options: { format: { type: 'string', default: 'text' }, output: { type: 'string' }, today: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error));
  }
}

const { values, positionals } = parseCommandLine();
if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
if (values.format !== 'text' && values.format !== 'sarif') fail(`--format must be text or sarif, got "${values.format}"`);
const today = values.today;
if (today !== undefined && (!/^\d{4}-\d{2}-\d{2}$/.test(today) || Number.isNaN(Date.parse(today)))) fail(`--today needs a date as YYYY-MM-DD, got ${JSON.stringify(today)}`);
if (positionals.length > 1) fail(`expected at most one output directory, got ${positionals.join(', ')}`);

const outdir = resolve(positionals[0] ?? process.env.CDKTF_OUTDIR ?? 'cdktf.out');
if (!existsSync(outdir)) fail(`${outdir} does not exist: run \`npm run synth\` first`);
if (!existsSync(join(outdir, 'stacks'))) fail(`${outdir} holds no stacks/ folder: give the output directory of \`npm run synth\` (cdktf.out)`);
let catalog: Catalog;
try {
  catalog = loadCatalog();
} catch (error) {
  exitOnCatalogError(error);
}
process.stderr.write(`posture: checking ${outdir}${today ? ` for ${today}` : ''}\n`);
const findings = checkSynthOutput(outdir, productionStackPredicate(catalog), stackEnvironment(catalog), today);

if (values.format === 'sarif') {
  const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const sarif = postureSarif({ findings, stackFiles: readStackFiles(outdir), outdir, repositoryRoot, sources: new ConstructSourceIndex(repositoryRoot) });
  const text = `${JSON.stringify(sarif, null, 2)}\n`;
  if (values.output) writeFileSync(values.output, text);
  else process.stdout.write(text);
  process.stderr.write(`posture: ${findings.length} finding(s)${values.output ? ` written to ${values.output}` : ''}\n`);
} else {
  const text = findings.map((finding) => `${formatFinding(finding)}\n`).join('') + (findings.length === 0 ? `posture: no findings in ${outdir}\n` : `posture: ${findings.length} finding(s)\n`);
  if (values.output) writeFileSync(values.output, text);
  else process.stdout.write(text);
}
process.exitCode = findings.length === 0 ? 0 : 1;
