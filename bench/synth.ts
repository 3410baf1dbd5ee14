/**
 * `npm run bench:synth [-- --sizes 40,400,2000,10000] [--heap-mb 4096] [--keep]`
 *
 * Generates catalogs of each size (fixed mix of tiers, namespaces and custom hostnames,
 * see testing/synthetic-catalog.ts) in a temporary directory and synthesizes each through the
 * real app (stacks/main.ts, TENANTRY_ENV=prod) in a child process, then prints one
 * table: tenants, stacks, resources, wall and CPU time, peak memory, time per tenant,
 * and each size's per-tenant cost as a ratio of the 400-tenant run's. CPU time is the
 * figure to trust on a busy machine: wall time also counts other processes' turns.
 *
 * An empty catalog (0 tenants) runs first: its wall time is the fixed cost (Node.js,
 * provider bindings, platform stacks), reported separately so the per-tenant columns
 * show what one more tenant costs.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { readStackFiles } from '../synth-model/stack-files.js';
import { synthesizeApp } from '../stacks/synthesize-app.js';
import { writeSyntheticCatalog } from '../testing/synthetic-catalog.js';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '40,400,2000,10000' },
    'heap-mb': { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
});

const REFERENCE_SIZE = 400;
const sizes = values.sizes.split(',').map(Number);
if (sizes.some((n) => !Number.isInteger(n) || n <= 0)) throw new Error(`--sizes must list positive whole numbers, got ${values.sizes}`);

interface Run {
  readonly tenants: number;
  readonly stacks: number;
  readonly resources: number;
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly peakRssMb: number;
}

const work = mkdtempSync(join(tmpdir(), 'tenantry-bench-synth-'));

function run(tenants: number): Run {
  const catalogDirectory = join(work, `catalog-${tenants}`);
  const outdir = join(work, `out-${tenants}`);
  const report = join(work, `memory-${tenants}.json`);
  writeSyntheticCatalog(catalogDirectory, { tenants });
  const nodeFlags = ['--import', fileURLToPath(new URL('report-resource-usage.ts', import.meta.url))];
  if (values['heap-mb']) nodeFlags.push(`--max-old-space-size=${values['heap-mb']}`);
  const started = performance.now();
  synthesizeApp({ catalogDirectory, outdir, environment: 'prod', nodeFlags, env: { TENANTRY_BENCH_REPORT: report } });
  const wallMs = performance.now() - started;
  let resources = 0;
  const files = readStackFiles(outdir);
  for (const text of files.values()) {
    const json = JSON.parse(text) as { resource?: Record<string, Record<string, unknown>> };
    for (const ofType of Object.values(json.resource ?? {})) resources += Object.keys(ofType).length;
  }
  const usage = JSON.parse(readFileSync(report, 'utf8')) as { maxRssKilobytes: number; cpuMicroseconds: number };
  if (!values.keep) rmSync(outdir, { recursive: true, force: true });
  return { tenants, stacks: files.size, resources, wallMs, cpuMs: usage.cpuMicroseconds / 1000, peakRssMb: usage.maxRssKilobytes / 1024 };
}

try {
  process.stderr.write(`synthesizing into ${work}\n`);
  const baseline = run(0);
  process.stderr.write(`fixed cost (0 tenants): ${(baseline.wallMs / 1000).toFixed(1)} s, ${baseline.stacks} platform stacks\n`);
  const runs: Run[] = [];
  for (const tenants of sizes) {
    runs.push(run(tenants));
    process.stderr.write(`  ${tenants} tenants done\n`);
  }

  const reference = runs.find((r) => r.tenants === REFERENCE_SIZE);
  const ratio = (cost: (r: Run) => number, r: Run) => (reference ? `${(cost(r) / cost(reference)).toFixed(2)}×` : 'n/a');
  const wallPerTenant = (r: Run) => r.wallMs / r.tenants;
  const marginalWall = (r: Run) => (r.wallMs - baseline.wallMs) / r.tenants;
  const marginalCpu = (r: Run) => (r.cpuMs - baseline.cpuMs) / r.tenants;

  const header = ['tenants', 'stacks', 'resources', 'wall s', 'cpu s', 'peak MB', 'wall ms/tenant', `vs ${REFERENCE_SIZE}`, 'marginal wall ms/tenant', `vs ${REFERENCE_SIZE}`, 'marginal cpu ms/tenant', `vs ${REFERENCE_SIZE}`];
  const rows = runs.map((r) => [
    String(r.tenants),
    String(r.stacks),
    String(r.resources),
    (r.wallMs / 1000).toFixed(1),
    (r.cpuMs / 1000).toFixed(1),
    r.peakRssMb.toFixed(0),
    wallPerTenant(r).toFixed(2),
    ratio(wallPerTenant, r),
    marginalWall(r).toFixed(2),
    ratio(marginalWall, r),
    marginalCpu(r).toFixed(2),
    ratio(marginalCpu, r),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padStart(widths[i] ?? 0)).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of rows) console.log(line(row));
  console.log(
    `fixed cost (0 tenants, ${baseline.stacks} platform stacks): ${(baseline.wallMs / 1000).toFixed(1)} s wall, ${(baseline.cpuMs / 1000).toFixed(1)} s cpu, ${baseline.peakRssMb.toFixed(0)} MB; ` +
      `marginal = (run − fixed) / tenants. Node ${process.version}${values['heap-mb'] ? `, --max-old-space-size=${values['heap-mb']}` : ''}.`,
  );
} finally {
  if (!values.keep) rmSync(work, { recursive: true, force: true });
}
