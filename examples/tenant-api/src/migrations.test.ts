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

describe('a tampered app role', () => {
  it('migrating takes BYPASSRLS back from a pre-existing app role', async () => {
    await ownerPool.query(`alter role ${APP_ROLE} bypassrls`);
    await migrate(postgres.url, appUrl);
    expect((await ownerPool.query('select rolbypassrls from pg_roles where rolname = $1', [APP_ROLE])).rows[0]).toEqual({ rolbypassrls: false });
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

describe('"no tenant" when the setting reads an empty string', () => {
  it('no row can be stored with an empty tenant_id, not even by the owner', async () => {
    await expect(ownerPool.query(`insert into projects (tenant_id, name) values ('', 'orphan')`)).rejects.toThrow(/projects_tenant_id_not_empty/);
  });

  it("after a tenant transaction the setting reads '' and matches no row: the policy treats '' as no tenant", async () => {
    const single = new pg.Pool({ connectionString: appUrl, max: 1 });
    const client = await single.connect();
    try {
      await client.query(`begin; select set_config('app.current_tenant', 'northwind', true); commit`);
      await client.query('begin');
      await client.query(`set local role ${APP_ROLE}`);
      expect((await client.query(`select current_setting('app.current_tenant', true) as tenant`)).rows[0]).toEqual({ tenant: '' });
      expect((await client.query('select * from projects')).rows).toEqual([]);
      await expect(client.query(`insert into projects (tenant_id, name) values ('', 'orphan')`)).rejects.toThrow();
      await client.query('rollback');
    } finally {
      client.release();
      await single.end();
    }
    const policy = await ownerPool.query(`select qual, with_check from pg_policies where tablename = 'projects'`);
    expect(policy.rows[0].qual).toContain('NULLIF');
    expect(policy.rows[0].with_check).toContain('NULLIF');
  });
});

describe('one URL for everything', () => {
  it('an app connecting as the non-superuser schema owner still runs requests as the app role under RLS', async () => {
    const server = await startPostgres();
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    try {
      await admin.query(`create role schema_owner login createrole password 'owner-secret'`);
      await admin.query(`create database owned owner schema_owner`);
      const ownerUrl = server.urlFor('owned', 'schema_owner', 'owner-secret');
      await migrate(ownerUrl, ownerUrl);
      const pool = new pg.Pool({ connectionString: ownerUrl, max: 2 });
      try {
        await inTenantTransaction(pool, 'northwind', (c) => createProject(c, 'northwind', 'depot'));
        const asRole = await inTenantTransaction(pool, 'brightwave', async (c) => (await c.query('select current_user as role')).rows[0]);
        expect(asRole).toEqual({ role: APP_ROLE });
        expect(await inTenantTransaction(pool, 'brightwave', (c) => listProjects(c, 10))).toEqual([]);
      } finally {
        await pool.end();
      }
    } finally {
      await admin.end();
      await server.stop();
    }
  });
});
