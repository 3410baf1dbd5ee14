/**
 * `npm run dashboards:build`: reads the catalog (through @tenantry/catalog) and writes
 * dashboards/out/<uid>.json and dashboards/out/rules/*.yaml. A catalog the loader
 * refuses writes nothing and exits 1 with every problem listed.
 *
 * Options (environment): TENANTRY_CATALOG (catalog directory), TENANTRY_TRACES_DATASOURCE
 * and TENANTRY_LOGS_DATASOURCE (data source uids for the trace and log links),
 * TENANTRY_RUNBOOK_URL (page the alerts link to).
 */
import { exitOnCatalogError, loadCatalog } from '@tenantry/catalog';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from './generate.js';

const outDirectory = resolve(dirname(fileURLToPath(import.meta.url)), 'out');

function main(): void {
  const started = performance.now();
  const catalog = loadCatalog();
  console.log(`catalog: ${catalog.tenants.length} tenants from ${catalog.directory}`);
  const env = process.env;
  const generated = generate(catalog, {
    links: { tracesDatasourceUid: env['TENANTRY_TRACES_DATASOURCE'], logsDatasourceUid: env['TENANTRY_LOGS_DATASOURCE'] },
    slo: { runbookUrl: env['TENANTRY_RUNBOOK_URL'] },
  });

  rmSync(outDirectory, { recursive: true, force: true });
  mkdirSync(join(outDirectory, 'rules'), { recursive: true });
  for (const d of generated.dashboards) {
    const path = join(outDirectory, d.fileName);
    writeFileSync(path, `${JSON.stringify(d.dashboard, null, 2)}\n`);
    console.log(`dashboard: ${relative(process.cwd(), path)} (${d.dashboard.panels?.length ?? 0} panels)`);
  }
  for (const r of generated.ruleFiles) {
    const path = join(outDirectory, 'rules', r.file.name);
    writeFileSync(path, r.yaml);
    const rules = r.file.groups.reduce((n, g) => n + g.rules.length, 0);
    console.log(`rules:     ${relative(process.cwd(), path)} (${rules} rules, ${(r.yaml.length / 1024).toFixed(1)} KiB)`);
  }
  console.log(`done in ${Math.round(performance.now() - started)} ms`);
}

try {
  main();
} catch (error) {
  exitOnCatalogError(error);
}
