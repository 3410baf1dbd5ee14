/**
 * `npm run bench:dashboards`: how generation scales with the catalog. For generated
 * catalogs of growing size, prints load and generation time, rules and bytes, and each
 * as a ratio to the 500-tenant run, so linear growth reads as ratio ≈ size ratio.
 */
import { loadCatalog } from '@tenantry/catalog';
import { rmSync } from 'node:fs';
import { generate } from '../dashboards/generate.js';
import { writeTemporarySyntheticCatalog } from '../testing/synthetic-catalog.js';

const SIZES = [500, 1000, 2000, 4000];

interface Row {
  tenants: number;
  loadMs: number;
  generateMs: number;
  rules: number;
  ruleKiB: number;
  files: number;
}

function run(tenants: number): Row {
  const directory = writeTemporarySyntheticCatalog({ tenants, varyBudgets: true });
  try {
    const t0 = performance.now();
    const catalog = loadCatalog({ directory });
    const t1 = performance.now();
    const generated = generate(catalog);
    const t2 = performance.now();
    return {
      tenants,
      loadMs: t1 - t0,
      generateMs: t2 - t1,
      rules: generated.ruleFiles.reduce((n, r) => n + r.file.groups.reduce((m, g) => m + g.rules.length, 0), 0),
      ruleKiB: generated.ruleFiles.reduce((n, r) => n + Buffer.byteLength(r.yaml), 0) / 1024,
      files: generated.ruleFiles.length,
    };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

run(100); // warm-up: module loading and JIT are not part of what is measured
const rows = SIZES.map(run);
const base = rows[0]!;
const header = ['tenants', 'load catalog ms', 'generate ms', 'rules', 'rules KiB', 'rule files', 'generate ×', 'rules ×', 'KiB ×'];
console.log(`| ${header.join(' | ')} |`);
console.log(`|${header.map(() => '---').join('|')}|`);
for (const r of rows) {
  const cells = [
    r.tenants,
    r.loadMs.toFixed(0),
    r.generateMs.toFixed(0),
    r.rules,
    r.ruleKiB.toFixed(0),
    r.files,
    (r.generateMs / base.generateMs).toFixed(2),
    (r.rules / base.rules).toFixed(2),
    (r.ruleKiB / base.ruleKiB).toFixed(2),
  ];
  console.log(`| ${cells.join(' | ')} |`);
}
