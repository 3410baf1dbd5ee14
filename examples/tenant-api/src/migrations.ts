/**
 * The schema and its row-level security. Migrations run as the schema owner
 * (`MIGRATION_DATABASE_URL`); requests run as {@link APP_ROLE}, a role without
 * BYPASSRLS that owns nothing, so the owner's rights never reach a request and RLS,
 * forced on the table, applies to every query the service makes.
 */
import pg from 'pg';

/** The role every request runs as (`set_config('role', …)` in each transaction). */
export const APP_ROLE = 'tenant_api';

/** The setting the RLS policy reads; set per transaction with `set_config(…, true)`. */
export const TENANT_SETTING = 'app.current_tenant';

/** Ordered, append-only: a change to the schema is a new entry, never an edit. */
const MIGRATIONS: readonly { readonly version: number; readonly sql: string }[] = [
  {
    version: 1,
    sql: `
      create table projects (
        id uuid primary key default gen_random_uuid(),
        tenant_id text not null,
        name text not null check (length(name) between 1 and 200),
        created_at timestamptz not null default now()
      );
      create index projects_tenant_created on projects (tenant_id, created_at desc);
      alter table projects enable row level security;
      -- FORCE: the policy applies to the table owner too, so no connection is exempt by accident.
      alter table projects force row level security;
      -- current_setting(…, true) is NULL when unset, and NULL matches no row: no tenant, no rows
      -- (version 2 makes '' mean the same).
      create policy tenant_isolation on projects
        using (tenant_id = current_setting('${TENANT_SETTING}', true))
        with check (tenant_id = current_setting('${TENANT_SETTING}', true));
      grant select, insert, update, delete on projects to ${APP_ROLE};
    `,
  },
  {
    // After a transaction-local set_config the setting reads '' (not NULL) on that
    // connection once the transaction ends, so '' must match nothing, and no row may ever
    // carry ''. Only the role requests run as gets rows; every other role (owner included)
    // gets none.
    version: 2,
    sql: `
      alter table projects add constraint projects_tenant_id_not_empty check (tenant_id <> '');
      alter policy tenant_isolation on projects to ${APP_ROLE}
        using (tenant_id = nullif(current_setting('${TENANT_SETTING}', true), ''))
        with check (tenant_id = nullif(current_setting('${TENANT_SETTING}', true), ''));
    `,
  },
];

/** What a migration run did, for the start-up log line. */
export interface MigrationResult {
  readonly applied: readonly number[];
  readonly current: number;
}

/**
 * Brings the database to the latest schema; safe to run on every start and from
 * several replicas at once (an advisory lock serialises them, applied versions are
 * recorded in `tenant_api_migrations`). Also makes the user of `appDatabaseUrl` a
 * member of {@link APP_ROLE}, creating it with the URL's password when it does not
 * exist yet (convenient locally; in production the platform creates it).
 *
 * @param ownerUrl a connection that may create tables and roles
 * @param appDatabaseUrl the URL the service will connect with
 */
export async function migrate(ownerUrl: string, appDatabaseUrl: string): Promise<MigrationResult> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    await client.query('begin');
    // Any fixed key works; it only has to be the same in every replica of this service.
    await client.query(`select pg_advisory_xact_lock(hashtext('tenant_api_migrations'))`);
    await ensureAppRole(client, appDatabaseUrl);
    await client.query('create table if not exists tenant_api_migrations (version integer primary key, applied_at timestamptz not null default now())');
    const done = new Set((await client.query<{ version: number }>('select version from tenant_api_migrations')).rows.map((r) => r.version));
    const applied: number[] = [];
    for (const migration of MIGRATIONS) {
      if (done.has(migration.version)) continue;
      await client.query(migration.sql);
      await client.query('insert into tenant_api_migrations (version) values ($1)', [migration.version]);
      applied.push(migration.version);
    }
    await client.query('commit');
    return { applied, current: MIGRATIONS.at(-1)?.version ?? 0 };
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}

async function ensureAppRole(client: pg.Client, appDatabaseUrl: string): Promise<void> {
  const owner = (await client.query<{ user: string }>('select current_user as user')).rows[0]?.user;
  if (owner === APP_ROLE) {
    throw new Error(`migrations run as "${APP_ROLE}", the application role; run them as the schema owner (MIGRATION_DATABASE_URL) so the app role owns nothing`);
  }
  // Roles are cluster-wide and CREATE ROLE has no IF NOT EXISTS.
  await client.query(`
    do $$ begin
      if not exists (select from pg_roles where rolname = '${APP_ROLE}') then
        create role ${APP_ROLE} nologin nosuperuser nobypassrls nocreatedb nocreaterole noinherit;
      end if;
    end $$`);
  // A pre-existing role may have been given rights that would defeat RLS: take them back
  // (only a superuser may, so only when needed).
  const rights = await client.query<{ rolsuper: boolean; rolbypassrls: boolean }>('select rolsuper, rolbypassrls from pg_roles where rolname = $1', [APP_ROLE]);
  const row = rights.rows[0];
  if (row?.rolsuper === true || row?.rolbypassrls === true) await client.query(`alter role ${APP_ROLE} nobypassrls nosuperuser`);
  await client.query(`grant usage on schema public to ${APP_ROLE}`);

  const url = new URL(appDatabaseUrl);
  const loginUser = decodeURIComponent(url.username);
  // Also when the app connects as the owner: SET ROLE needs membership unless it is a superuser.
  if (loginUser === '' || loginUser === APP_ROLE) return;
  const exists = (await client.query('select 1 from pg_roles where rolname = $1', [loginUser])).rowCount === 1;
  if (!exists) {
    const password = decodeURIComponent(url.password);
    const withPassword = password === '' ? '' : ` password ${await quote(client, 'literal', password)}`;
    await client.query(`create role ${await quote(client, 'ident', loginUser)} login nobypassrls${withPassword}`);
  }
  await client.query(`grant ${APP_ROLE} to ${await quote(client, 'ident', loginUser)}`);
}

/** DDL takes no parameters: quote names and passwords with PostgreSQL's own functions. */
async function quote(client: pg.Client, kind: 'ident' | 'literal', value: string): Promise<string> {
  const result = await client.query<{ quoted: string }>(`select quote_${kind}($1) as quoted`, [value]);
  const quoted = result.rows[0]?.quoted;
  if (quoted === undefined) throw new Error(`quote_${kind} returned no row`);
  return quoted;
}
