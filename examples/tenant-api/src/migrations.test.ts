/** Row-level security and the app role, checked in PostgreSQL's own catalogs and by queries. */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PostgresServer } from '../../../testing/postgres.js';
import { APP_ROLE, migrate } from './migrations.js';
import { createProject, listProjects } from './projects.js';
import { inTenantTransaction } from './tenant-transaction.js';

let postgres: PostgresServer;
let appUrl: string;
let appPool: pg.Pool;
let ownerPool: pg.Pool;

beforeAll(async () => {
  postgres = await startPostgres();
  appUrl = postgres.urlFor('postgres', 'app_login', 's3cret');
  await migrate(postgres.url, appUrl);
  appPool = new pg.Pool({ connectionString: appUrl, max: 4 });
  ownerPool = new pg.Pool({ connectionString: postgres.url, max: 4 });
  await inTenantTransaction(appPool, 'brightwave', (c) => createProject(c, 'brightwave', 'Brightwave roof'));
  await inTenantTransaction(appPool, 'northwind', (c) => createProject(c, 'northwind', 'Northwind depot'));
});

afterAll(async () => {
  await Promise.all([appPool?.end(), ownerPool?.end()]);
  await postgres?.stop();
});

describe('schema and roles', () => {
  it('migrating again applies nothing and keeps the data', async () => {
    const again = await migrate(postgres.url, appUrl);
    expect(again.applied).toEqual([]);
    expect((await ownerPool.query('select count(*)::int as n from projects')).rows[0]).toEqual({ n: 2 });
  });

  it('projects has row-level security enabled and forced, with the tenant policy', async () => {
    const table = await ownerPool.query(`select relrowsecurity, relforcerowsecurity from pg_class where oid = 'public.projects'::regclass`);
    expect(table.rows[0]).toEqual({ relrowsecurity: true, relforcerowsecurity: true });
    const policy = await ownerPool.query(`select qual, with_check from pg_policies where tablename = 'projects'`);
    expect(policy.rows).toHaveLength(1);
    expect(policy.rows[0].qual).toContain("current_setting('app.current_tenant'::text, true)");
    expect(policy.rows[0].with_check).toContain("current_setting('app.current_tenant'::text, true)");
  });

  it('the app role and its login user have no BYPASSRLS, are not superusers and own no table', async () => {
    const roles = await ownerPool.query(
      `select rolname, rolbypassrls, rolsuper from pg_roles where rolname = any($1) order by rolname`,
      [[APP_ROLE, 'app_login']],
    );
    expect(roles.rows).toEqual([
      { rolname: 'app_login', rolbypassrls: false, rolsuper: false },
      { rolname: APP_ROLE, rolbypassrls: false, rolsuper: false },
    ]);
    const owned = await ownerPool.query(
      `select c.relname from pg_class c join pg_roles r on r.oid = c.relowner where r.rolname = any($1)`,
      [[APP_ROLE, 'app_login']],
    );
    expect(owned.rows).toEqual([]);
  });
});

describe('tenant scoping', () => {
  it('a query with no tenant set returns no rows, though rows exist', async () => {
    const client = await appPool.connect();
    try {
      await client.query('begin');
      await client.query(`set local role ${APP_ROLE}`);
      expect((await client.query('select * from projects')).rows).toEqual([]);
      await client.query('rollback');
    } finally {
      client.release();
    }
  });

  it('a tenant transaction sees only its tenant rows, even on a superuser connection', async () => {
    const seen = await inTenantTransaction(ownerPool, 'brightwave', (c) => listProjects(c, 100));
    expect(seen.map((p) => [p.tenantId, p.name])).toEqual([['brightwave', 'Brightwave roof']]);
  });

  it('a tenant transaction cannot insert a row for another tenant', async () => {
    await expect(inTenantTransaction(appPool, 'northwind', (c) => createProject(c, 'brightwave', 'planted'))).rejects.toThrow(/row-level security/);
  });

  it('a tenant id with quotes is a value, never SQL', async () => {
    const hostile = "x', true); drop table projects; --";
    expect(await inTenantTransaction(appPool, hostile, (c) => listProjects(c, 100))).toEqual([]);
    expect((await ownerPool.query(`select to_regclass('public.projects') is not null as present`)).rows[0]).toEqual({ present: true });
  });

  it('the tenant does not outlive its transaction on a pooled connection', async () => {
    const single = new pg.Pool({ connectionString: appUrl, max: 1 });
    try {
      await inTenantTransaction(single, 'northwind', (c) => listProjects(c, 100));
      const after = await single.query(`select current_setting('app.current_tenant', true) as tenant, current_user as role`);
      expect(after.rows[0]).toEqual({ tenant: '', role: 'app_login' });
    } finally {
      await single.end();
    }
  });
});
