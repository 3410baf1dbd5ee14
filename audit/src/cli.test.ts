/** `tenantry-audit db` as a user runs it: exit codes, formats, clear errors. */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exampleCatalogDirectory } from '@tenantry/catalog';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokenCatalogDirectory, createCleanDatabase } from '../../testing/audit-databases.js';
import { freePort } from '../../testing/free-port.js';
import { startPostgres, type PostgresServer } from '../../testing/postgres.js';
import { sarifSchemaErrors } from '../../testing/sarif-schema.js';

const REPOSITORY = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = join(REPOSITORY, 'audit', 'src', 'cli.ts');

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI without blocking the event loop (the test's own PostgreSQL keeps answering). */
function audit(args: readonly string[], env: Record<string, string | undefined> = {}): Promise<Run> {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
      cwd: REPOSITORY,
      env: { ...process.env, DATABASE_URL: undefined, TENANTRY_CATALOG: undefined, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => resolvePromise({ status, stdout, stderr }));
  });
}

let server: PostgresServer;
let url: string;
beforeAll(async () => {
  server = await startPostgres();
  url = await createCleanDatabase(server.urlFor, 'app');
});
afterAll(async () => {
  await server?.stop();
});

describe('tenantry-audit db', () => {
  it('prints help and exits 0', async () => {
    const run = await audit(['--help']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Usage: tenantry-audit db');
    expect(run.stdout).toContain('Exit codes: 0 no findings, 1 findings, 2 could not check');
  });

  it('exits 0 and says so on a clean database', async () => {
    const run = await audit(['db', '--catalog', exampleCatalogDirectory()], { DATABASE_URL: url });
    expect(run.stderr).toContain('tenantry-audit: reading the system catalogs');
    expect(run.stdout).toContain('tenantry-audit: no findings in database app');
    expect(run.status, run.stdout + run.stderr).toBe(0);
  });

  it('exits 1 with each finding\'s rule, object, why and fix when the catalog expects a schema the database lacks', async () => {
    const run = await audit(['db', '--catalog', brokenCatalogDirectory(), '--database-url', url]);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('ERROR TENANTRY_DB_TENANT_SCHEMA_MISSING  schema tenant_beta');
    expect(run.stdout).toContain('    fix: Deploy the tenant\'s stack');
    expect(run.stdout).toContain('    why: ');
  });

  it('writes valid SARIF to --output', async () => {
    const output = join(mkdtempSync(join(tmpdir(), 'tenantry-audit-cli-')), 'audit.sarif');
    const run = await audit(['db', '--catalog', brokenCatalogDirectory(), '--format', 'sarif', '--output', output, '--env', 'staging'], { DATABASE_URL: url });
    expect(run.status, run.stderr).toBe(1);
    const log = JSON.parse(readFileSync(output, 'utf8')) as unknown;
    expect(sarifSchemaErrors(log)).toEqual([]);
    expect(JSON.stringify(log)).toContain('"ruleId":"TENANTRY_DB_TENANT_ROLE_MISSING"');
  });

  it('exits 2 with a one-line reason when it cannot connect', async () => {
    const run = await audit(['db'], { DATABASE_URL: `postgres://postgres@127.0.0.1:${await freePort()}/app` });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^tenantry-audit: connecting with DATABASE_URL\ntenantry-audit: could not check the database: .*ECONNREFUSED/);
    expect(run.stderr).not.toContain('    at ');
  });

  it('exits 2 when no database is named', async () => {
    const run = await audit(['db']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('no database to audit: set DATABASE_URL');
  });

  it.each([
    [['db', '--format', 'xml'], '--format must be one of text, json, sarif, junit, got "xml"'],
    [['db', '--probe-tenants=-1'], '--probe-tenants must be a whole number >= 0, got "-1"'],
    [['db', '--statement-timeout', 'soon'], '--statement-timeout must be a whole number >= 100, got "soon"'],
    [['scan'], 'expected the command "db", got "scan"'],
    [['db', '--env', 'moon', '--catalog', exampleCatalogDirectory()], '--env moon is not an environment of the catalog'],
    [['db', '--frobnicate'], "Unknown option '--frobnicate'"],
  ])('exits 2 on bad input %j', async (args, message) => {
    const run = await audit(args, { DATABASE_URL: url });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(message);
  });

  it('gives up on a table another session holds locked, instead of waiting, and exits 2', async () => {
    const locker = new pg.Client({ connectionString: url });
    await locker.connect();
    try {
      await locker.query('begin');
      await locker.query('lock table projects in access exclusive mode');
      const run = await audit(['db', '--statement-timeout', '300'], { DATABASE_URL: url });
      expect(run.status).toBe(2);
      // Reading a locked table's policy expressions waits on its lock: the lock or statement timeout ends the wait.
      expect(run.stderr).toMatch(/could not check the database: canceling statement due to (lock|statement) timeout/);
    } finally {
      await locker.query('rollback');
      await locker.end();
    }
  });
});
