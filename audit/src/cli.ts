#!/usr/bin/env node
/**
 * `tenantry-audit db`: audits tenant isolation in a live PostgreSQL, read-only.
 * Exit codes: 0 no findings, 1 findings, 2 could not check (bad input, no connection,
 * a statement failed or timed out).
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { auditSecretName, CATALOG_DIRECTORY_VARIABLE, CatalogValidationError, loadCatalog, type Catalog } from '@tenantry/catalog';
import { auditDatabase, DEFAULT_APP_ROLES } from './audit-database.js';
import { ConnectionSourceError, resolveConnection } from './connection.js';
import { FORMATS, formatReport, type Format } from './format.js';

const VERSION = '0.1.0';

const HELP = `Usage: tenantry-audit db [options]

Proves tenant isolation in a live PostgreSQL: row-level security enabled and forced on
every table holding tenant data, policies that test the tenant setting, service roles
that cannot bypass them, schema-per-tenant roles that reach only their own schema, and
an active probe as the application role. Read-only: one READ ONLY transaction with a
statement timeout, rolled back at the end.

Connection (first that is set):
  --database-url <url>       or DATABASE_URL
  --secret-id <name>         Secrets Manager secret {host,port,dbname,username,password},
                             read with the AWS CLI
  --env <name>               reads ${auditSecretName('<name>')}

Options:
  --catalog <dir>            tenant catalog (default $${CATALOG_DIRECTORY_VARIABLE}); enables the
                             missing and orphan schema/role checks; without it they are skipped
  --format <f>               ${FORMATS.join(' | ')} (default text)
  --output <file>            write the report there instead of stdout
  --app-role <name>          role requests run as; repeatable (default ${DEFAULT_APP_ROLES.join(', ')})
  --service-role <name>      another login role services use; repeatable
  --tenant-column <name>     tenant column of pooled tables (default tenant_id)
  --tenant-setting <name>    setting the policies compare with (default app.current_tenant)
  --probe-tenants <n>        tenants the active probe samples; 0 turns it off (default 5)
  --statement-timeout <ms>   longest one statement may run (default 30000)
  -h, --help                 this text

Exit codes: 0 no findings, 1 findings, 2 could not check.
`;

class UsageError extends Error {}

function positiveInteger(name: string, value: string | undefined, fallback: number, minimum: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < minimum) throw new UsageError(`--${name} must be a whole number >= ${minimum}, got "${value}"`);
  return number;
}

function catalogFrom(directory: string | undefined, environment: string | undefined): Catalog | undefined {
  if (directory === undefined) return undefined;
  const catalog = loadCatalog({ directory });
  if (environment !== undefined && !catalog.environments.some((e) => e.name === environment)) {
    throw new UsageError(`--env ${environment} is not an environment of the catalog in ${directory} (it has ${catalog.environments.map((e) => e.name).join(', ')})`);
  }
  return catalog;
}

async function main(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      'database-url': { type: 'string' },
      'secret-id': { type: 'string' },
      env: { type: 'string' },
      catalog: { type: 'string' },
      format: { type: 'string', default: 'text' },
      output: { type: 'string' },
      'app-role': { type: 'string', multiple: true },
      'service-role': { type: 'string', multiple: true },
      'tenant-column': { type: 'string' },
      'tenant-setting': { type: 'string' },
      'probe-tenants': { type: 'string' },
      'statement-timeout': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (positionals.length !== 1 || positionals[0] !== 'db') throw new UsageError(`expected the command "db", got ${positionals.length === 0 ? 'none' : `"${positionals.join(' ')}"`}; see tenantry-audit --help`);
  const format = values.format as Format;
  if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, got "${values.format}"`);

  const catalog = catalogFrom(values.catalog ?? process.env[CATALOG_DIRECTORY_VARIABLE], values.env);
  const connection = await resolveConnection({
    databaseUrl: values['database-url'] ?? process.env['DATABASE_URL'],
    ...(values['secret-id'] ? { secretId: values['secret-id'] } : {}),
    ...(values.env ? { environment: values.env } : {}),
  });
  const progress = (message: string): void => {
    process.stderr.write(`tenantry-audit: ${message}\n`);
  };
  progress(`connecting with ${connection.from}`);
  const report = await auditDatabase(connection.url, {
    ...(catalog ? { catalog } : {}),
    ...(values['app-role'] ? { appRoles: values['app-role'] } : {}),
    ...(values['service-role'] ? { serviceRoles: values['service-role'] } : {}),
    ...(values['tenant-column'] ? { tenantColumn: values['tenant-column'] } : {}),
    ...(values['tenant-setting'] ? { tenantSetting: values['tenant-setting'] } : {}),
    probeTenants: positiveInteger('probe-tenants', values['probe-tenants'], 5, 0),
    statementTimeoutMs: positiveInteger('statement-timeout', values['statement-timeout'], 30_000, 100),
    onProgress: progress,
  });
  const output = formatReport(report, format, { version: VERSION, ...(values.env ? { environment: values.env } : {}) });
  if (values.output) {
    writeFileSync(values.output, output);
    progress(`${report.findings.length} finding(s) written to ${values.output}`);
  } else {
    process.stdout.write(output);
  }
  return report.findings.length === 0 ? 0 : 1;
}

/** Errors the user can act on are one line; anything else is a failed check all the same (exit 2). */
function describe(error: unknown): string {
  if (error instanceof UsageError || error instanceof ConnectionSourceError || error instanceof CatalogValidationError) return error.message;
  if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) return `${error.message}; see tenantry-audit --help`;
  if (error instanceof Error) {
    const code = 'code' in error ? ` (${String(error.code)})` : '';
    return `could not check the database: ${error.message}${code}`;
  }
  return `could not check the database: ${String(error)}`;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`tenantry-audit: ${describe(error)}\n`);
    process.exitCode = 2;
  },
);
