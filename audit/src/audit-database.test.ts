/** The audit against real PostgreSQL: the reference service's database is clean, each break is found once. */
import { exampleCatalogDirectory, loadCatalog } from '@tenantry/catalog';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_PASSWORD, AUDIT_ROLE, BREAKS, brokenCatalogDirectory, createBrokenDatabase, createCleanDatabase } from '../../testing/audit-databases.js';
import { startPostgres, type PostgresServer } from '../../testing/postgres.js';
import { sarifSchemaErrors } from '../../testing/sarif-schema.js';
import { auditDatabase } from './audit-database.js';
import { formatReport } from './format.js';
import type { AuditReport } from './model.js';
import { AUDIT_RULES } from './rules.js';

let clean: PostgresServer;
let broken: PostgresServer;
let cleanUrl: string;
let brokenUrl: string;

beforeAll(async () => {
  // Roles are cluster-wide: the broken roles get a server of their own.
  [clean, broken] = await Promise.all([startPostgres(), startPostgres()]);
  [cleanUrl, brokenUrl] = await Promise.all([createCleanDatabase(clean.urlFor, 'app'), createBrokenDatabase(broken.urlFor, 'app')]);
});
afterAll(async () => {
  await Promise.all([clean?.stop(), broken?.stop()]);
});

const summary = (report: AuditReport): string[] => report.findings.map((f) => `${f.ruleId} ${f.object.name}: ${f.problem}`);

describe('the reference service\'s migrated database', () => {
  it('has no finding when audited as a superuser with the example catalog', async () => {
    const report = await auditDatabase(cleanUrl, { catalog: loadCatalog({ directory: exampleCatalogDirectory() }) });
    expect(summary(report)).toEqual([]);
    expect(report.examined.tenantTables).toBe(2);
    expect(report.examined.probedTenants).toBeGreaterThan(1);
  });

  it('has no finding when audited with the read-only audit role, which may probe as the app role', async () => {
    const report = await auditDatabase(clean.urlFor('app', AUDIT_ROLE, AUDIT_PASSWORD), { catalog: loadCatalog({ directory: exampleCatalogDirectory() }) });
    expect(summary(report)).toEqual([]);
    expect(report.examined.probedTenants).toBeGreaterThan(1);
  });

  it('writes nothing: the transaction is read-only and the probe leaves no trace', async () => {
    const client = new pg.Client({ connectionString: cleanUrl });
    await client.connect();
    try {
      const before = await client.query(`select n_tup_ins + n_tup_upd + n_tup_del as writes from pg_stat_user_tables where relname = 'projects'`);
      await auditDatabase(cleanUrl, { catalog: loadCatalog({ directory: exampleCatalogDirectory() }) });
      const after = await client.query(`select n_tup_ins + n_tup_upd + n_tup_del as writes from pg_stat_user_tables where relname = 'projects'`);
      expect(after.rows).toEqual(before.rows);
    } finally {
      await client.end();
    }
  });
});

describe('a database broken on purpose', () => {
  let report: AuditReport;
  beforeAll(async () => {
    report = await auditDatabase(brokenUrl, { catalog: loadCatalog({ directory: brokenCatalogDirectory() }) });
  });

  it.each(BREAKS.map((b) => [b.rule, b.object] as const))('finds %s on %s', (rule, object) => {
    expect(report.findings.filter((f) => f.ruleId === rule && `${f.object.kind} ${f.object.name}` === object), summary(report).join('\n')).toHaveLength(1);
  });

  it('reports nothing but the breaks: every rule fires as often as it was broken, and the safe look-alikes pass', () => {
    const expected = BREAKS.map((b) => `${b.rule} ${b.object}`).sort();
    expect(report.findings.map((f) => `${f.ruleId} ${f.object.kind} ${f.object.name}`).sort(), summary(report).join('\n')).toEqual(expected);
  });

  it('writes SARIF 2.1.0 that the official schema accepts, one result per finding with its rule id and object', () => {
    const log = JSON.parse(formatReport(report, 'sarif', { version: '0.1.0', environment: 'staging' })) as {
      runs: [{ tool: { driver: { rules: { id: string; help: { text: string } }[] } }; results: { ruleId: string; locations: { logicalLocations: { name: string; kind: string }[]; physicalLocation: { artifactLocation: { uri: string } } }[] }[] }];
    };
    expect(sarifSchemaErrors(log)).toEqual([]);
    const [run] = log.runs;
    expect(run.results.map((r) => `${r.ruleId} ${r.locations[0]?.logicalLocations[0]?.kind} ${r.locations[0]?.logicalLocations[0]?.name}`).sort()).toEqual(BREAKS.map((b) => `${b.rule} ${b.object}`).sort());
    expect(run.tool.driver.rules.map((r) => r.id)).toEqual(AUDIT_RULES.map((r) => r.id));
    expect(run.tool.driver.rules.every((r) => r.help.text.startsWith('Fix: '))).toBe(true);
    expect(run.results.find((r) => r.ruleId === 'TENANTRY_DB_RLS_NOT_FORCED')?.locations[0]?.physicalLocation.artifactLocation.uri).toBe('postgresql/staging/table/public.invoices');
  });

  it('writes JUnit with one failing test case per broken rule', () => {
    const xml = formatReport(report, 'junit', { version: '0.1.0' });
    expect(xml.match(/<failure /g)).toHaveLength(new Set(BREAKS.map((b) => b.rule)).size);
    expect(xml.match(/<testcase /g)?.length).toBeGreaterThanOrEqual(AUDIT_RULES.length);
  });

  it('breaks every rule at least once', () => {
    const broken = new Set<string>(BREAKS.map((b) => b.rule));
    expect(AUDIT_RULES.map((r) => r.id).filter((id) => !broken.has(id))).toEqual([]);
  });
});
