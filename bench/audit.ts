/**
 * bench:audit — audits databases with growing numbers of schema-tier tenants and prints
 * seconds and SQL statements per run: the statements stay flat as tenants grow (the
 * checks are set-based; only --probe-tenants adds statements). Each size gets a fresh
 * PostgreSQL with the reference service migrated, one schema, login role and forced-RLS
 * table per tenant (as TenantSchemaDatabase makes them) and a catalog listing them, so
 * every run must also report zero findings.
 *
 *   npm run bench:audit                      # 10, 200 and 2,000 schemas
 *   npm run bench:audit -- --sizes 10,500
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadCatalog, exampleCatalogDirectory } from '@tenantry/catalog';
import pg from 'pg';
import { auditDatabase } from '../audit/src/audit-database.js';
import { createCleanDatabase, schemaTenantSql } from '../testing/audit-databases.js';
import { startPostgres } from '../testing/postgres.js';

const { values } = parseArgs({ options: { sizes: { type: 'string', default: '10,200,2000' }, 'probe-tenants': { type: 'string', default: '5' } } });
const SIZES = values.sizes.split(',').map(Number);
if (SIZES.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`--sizes takes whole numbers >= 1, got "${values.sizes}"`);
const PROBE_TENANTS = Number(values['probe-tenants']);

/** The example catalog (its schema tenant ledgerline is in the clean database) plus `count` schema-tier tenants. */
function catalogWith(count: number): string {
  const directory = mkdtempSync(join(tmpdir(), 'tenantry-bench-audit-'));
  cpSync(exampleCatalogDirectory(), directory, { recursive: true });
  for (let i = 1; i <= count; i += 1) writeFileSync(join(directory, 'tenants', `${tenantId(i)}.yaml`), `id: ${tenantId(i)}\nname: Tenant ${i}\ntier: schema\nplan: business\n`);
  return directory;
}

const tenantId = (i: number): string => `s${String(i).padStart(4, '0')}`;

interface Row {
  readonly schemas: number;
  readonly setupSeconds: number;
  readonly auditSeconds: number;
  readonly statements: number;
  readonly findings: number;
  readonly tenantTables: number;
}

const rows: Row[] = [];
for (const size of SIZES) {
  const server = await startPostgres();
  try {
    const setupStart = performance.now();
    const url = await createCleanDatabase(server.urlFor, 'app');
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    // The schema tenants in batches, so no single statement grows without bound.
    const BATCH = 100;
    for (let start = 1; start <= size; start += BATCH) {
      const ids = Array.from({ length: Math.min(BATCH, size - start + 1) }, (_, k) => tenantId(start + k));
      await client.query(ids.map((id) => schemaTenantSql(`tenant_${id}`, id, 'app')).join('\n'));
      process.stderr.write(`bench:audit: ${size} schemas: ${start + ids.length - 1} created\r`);
    }
    await client.end();
    process.stderr.write('\n');
    const setupSeconds = (performance.now() - setupStart) / 1000;

    const directory = catalogWith(size);
    const catalog = loadCatalog({ directory });

    const auditStart = performance.now();
    const report = await auditDatabase(url, { catalog, probeTenants: PROBE_TENANTS });
    const auditSeconds = (performance.now() - auditStart) / 1000;
    for (const finding of report.findings.slice(0, 5)) process.stderr.write(`  unexpected finding: ${finding.ruleId} ${finding.object.name}: ${finding.problem}\n`);
    rows.push({ schemas: size + 1, setupSeconds, auditSeconds, statements: report.queryCount, findings: report.findings.length, tenantTables: report.examined.tenantTables });
    rmSync(directory, { recursive: true, force: true });
  } finally {
    await server.stop();
  }
}

process.stdout.write('\n| tenant schemas | tenant tables | audit seconds | SQL statements | findings | setup seconds |\n|---:|---:|---:|---:|---:|---:|\n');
for (const r of rows) {
  process.stdout.write(`| ${r.schemas.toLocaleString('en')} | ${r.tenantTables.toLocaleString('en')} | ${r.auditSeconds.toFixed(2)} | ${r.statements} | ${r.findings} | ${r.setupSeconds.toFixed(0)} |\n`);
}
process.stdout.write(`\n--probe-tenants ${PROBE_TENANTS}; one PostgreSQL per size; a shared 2-core machine, so seconds are noisy.\n`);
