/**
 * `npm run posture [outdir] [--today YYYY-MM-DD]`: checks every stack synthesized into
 * cdktf.out/ (or the given directory) and exits 1 on any finding. Production-only rules
 * apply to the stacks of the catalog's production environments ($TENANTRY_CATALOG, as for
 * synth); environment rules see the stacks of one environment together. `--today` checks
 * the dated rules (the EKS support calendar) for another day than today.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadCatalog } from '@tenantry/catalog';
import { formatFinding } from './check-posture.js';
import { checkSynthOutput, productionStackPredicate, stackEnvironment } from './synth-output.js';

const USAGE = `usage: npm run posture -- [outdir] [--today YYYY-MM-DD]

Checks every stack under <outdir>/stacks (default: $CDKTF_OUTDIR or cdktf.out) against the
posture rules and prints each finding with its rule, stack, address and fix.
  --today YYYY-MM-DD   check dated rules (EKS standard support) for that day (default: today, UTC)
Exit status: 0 without findings, 1 with findings, 2 on bad input.
`;

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}`);
  process.exit(2);
}

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write(USAGE);
  process.exit(0);
}
let today: string | undefined;
const positional: string[] = [];
for (let index = 0; index < args.length; index++) {
  const arg = args[index] ?? '';
  if (arg === '--today') {
    today = args[++index];
    if (!today || !/^\d{4}-\d{2}-\d{2}$/.test(today) || Number.isNaN(Date.parse(today))) fail(`--today needs a date as YYYY-MM-DD, got ${JSON.stringify(today ?? null)}`);
  } else if (arg.startsWith('-')) fail(`unknown option ${arg}`);
  else positional.push(arg);
}
if (positional.length > 1) fail(`expected at most one output directory, got ${positional.join(', ')}`);

const outdir = resolve(positional[0] ?? process.env.CDKTF_OUTDIR ?? 'cdktf.out');
if (!existsSync(outdir)) fail(`${outdir} does not exist: run \`npm run synth\` first`);
process.stdout.write(`posture: checking ${outdir}${today ? ` for ${today}` : ''}\n`);
const catalog = loadCatalog();
const findings = checkSynthOutput(outdir, productionStackPredicate(catalog), stackEnvironment(catalog), today);
for (const finding of findings) process.stdout.write(`${formatFinding(finding)}\n`);
process.stdout.write(findings.length === 0 ? `posture: no findings in ${outdir}\n` : `posture: ${findings.length} finding(s)\n`);
process.exitCode = findings.length === 0 ? 0 : 1;
