/**
 * Databases for the audit's tests and benchmark: the reference service's migrated
 * database with the platform's setup around it (a schema-tier tenant made as
 * TenantSchemaDatabase makes it, the read-only audit role as AuditRole makes it), and a
 * copy broken on purpose, one break per rule.
 */
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exampleCatalogDirectory } from '@tenantry/catalog';
import { APP_ROLE, migrate } from '@tenantry/example-tenant-api';
import pg from 'pg';

export const AUDIT_ROLE = 'tenantry_audit';
export const AUDIT_PASSWORD = 'audit-secret';

async function run(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** What TenantSchemaDatabase creates for one schema-tier tenant, plus one table of its own under forced RLS. */
export function schemaTenantSql(schema: string, tenantId: string, database: string): string {
  return `
    create role ${schema} login connection limit 20 nocreatedb nocreaterole nosuperuser nobypassrls;
    alter role ${schema} set search_path = ${schema};
    create schema ${schema} authorization ${schema};
    grant connect on database ${database} to ${schema};
    revoke all on schema public from ${schema};
    set role ${schema};
    create table ${schema}.documents (id bigint generated always as identity primary key, body text not null);
    alter table ${schema}.documents enable row level security;
    alter table ${schema}.documents force row level security;
    create policy tenant_only on ${schema}.documents to ${schema}
      using (current_setting('app.current_tenant', true) = '${tenantId}')
      with check (current_setting('app.current_tenant', true) = '${tenantId}');
    reset role;`;
}

/**
 * The platform's side of a clean database: PUBLIC loses its default USAGE on schema
 * public (the app role keeps it through the migration's grant), and the audit role as
 * DatabaseAuditRole makes it (no grant beyond CONNECT, which PUBLIC has here). Run before
 * the migrations.
 */
export function platformSql(): string {
  return `
    revoke all on schema public from public;
    create role ${AUDIT_ROLE} login noinherit password '${AUDIT_PASSWORD}' connection limit 2;
    alter role ${AUDIT_ROLE} set statement_timeout = 60000;`;
}

/** Rows of two pooled tenants, written as the table owner. */
const TENANT_ROWS = `insert into projects (tenant_id, name) values ('brightwave', 'launch'), ('northwind', 'audit'), ('northwind', 'close');`;

/**
 * A database named `database` on the server of `superuserUrl`, migrated by the reference
 * service, with the example catalog's schema tenant (ledgerline) and rows of two pooled
 * tenants. Returns its superuser URL.
 */
export async function createCleanDatabase(serverUrlFor: (database: string, user?: string, password?: string) => string, database: string): Promise<string> {
  await run(serverUrlFor('postgres'), `create database ${database}`);
  const url = serverUrlFor(database);
  await run(url, platformSql());
  await migrate(url, serverUrlFor(database, 'tenant_api_login', 'app-secret'));
  // The audit role may SET ROLE to the app role for the probe; NOINHERIT keeps its privileges off.
  await run(url, `grant ${APP_ROLE} to ${AUDIT_ROLE}; ${schemaTenantSql('tenant_ledgerline', 'ledgerline', database)} ${TENANT_ROWS}`);
  return url;
}

/** The example catalog plus schema-tier tenants `acme` (present, broken) and `beta` (never deployed). */
export function brokenCatalogDirectory(): string {
  const directory = mkdtempSync(join(tmpdir(), 'tenantry-audit-catalog-'));
  cpSync(exampleCatalogDirectory(), directory, { recursive: true });
  writeFileSync(join(directory, 'tenants', 'acme.yaml'), 'id: acme\nname: Acme Corp\ntier: schema\nplan: business\n');
  writeFileSync(join(directory, 'tenants', 'beta.yaml'), 'id: beta\nname: Beta Ltd\ntier: schema\nplan: business\n');
  return directory;
}

/** Each break, the rule it must trigger and the object (`<kind> <name>`) it names. */
export const BREAKS = [
  // The list.
  { rule: 'TENANTRY_DB_RLS_NOT_FORCED', object: 'table public.invoices', sql: `
      create table invoices (id bigint primary key, tenant_id text not null check (tenant_id <> ''));
      alter table invoices enable row level security;
      create policy tenant_isolation on invoices to tenant_api using (tenant_id = current_setting('app.current_tenant', true)) with check (tenant_id = current_setting('app.current_tenant', true));` },
  { rule: 'TENANTRY_DB_POLICY_NOT_TENANT_SCOPED', object: 'policy public.notes/notes_read', sql: `
      create table notes (id bigint primary key, tenant_id text not null check (tenant_id <> ''));
      alter table notes enable row level security; alter table notes force row level security;
      create policy notes_read on notes for select to tenant_api using (true);
      grant select on notes to tenant_api;
      insert into notes values (1, 'northwind');` },
  { rule: 'TENANTRY_DB_POLICY_WRITE_UNCHECKED', object: 'policy public.comments/comments_insert', sql: `
      create table comments (id bigint primary key, tenant_id text not null check (tenant_id <> ''));
      alter table comments enable row level security; alter table comments force row level security;
      create policy comments_read on comments for select to tenant_api using (tenant_id = current_setting('app.current_tenant', true));
      create policy comments_insert on comments for insert to tenant_api;` },
  { rule: 'TENANTRY_DB_SERVICE_ROLE_BYPASSRLS', object: 'role reporting', sql: `create role reporting nologin bypassrls;` },
  { rule: 'TENANTRY_DB_SERVICE_ROLE_OWNS_TENANT_TABLE', object: 'table public.audit_log', sql: `
      create table audit_log (id bigint primary key, tenant_id text not null check (tenant_id <> ''));
      alter table audit_log enable row level security; alter table audit_log force row level security;
      create policy tenant_isolation on audit_log to tenant_api using (tenant_id = current_setting('app.current_tenant', true)) with check (tenant_id = current_setting('app.current_tenant', true));
      alter table audit_log owner to tenant_api;` },
  { rule: 'TENANTRY_DB_CROSS_TENANT_PRIVILEGE', object: 'schema tenant_acme', sql: `grant usage on schema tenant_acme to tenant_ledgerline;` },
  { rule: 'TENANTRY_DB_ORPHAN_SCHEMA', object: 'schema tenant_gone', sql: `create schema tenant_gone;` },
  { rule: 'TENANTRY_DB_EMPTY_TENANT_ROWS', object: 'table public.files', sql: `
      create table files (id bigint primary key, tenant_id text not null);
      alter table files enable row level security; alter table files force row level security;
      create policy tenant_isolation on files to tenant_api using (tenant_id = current_setting('app.current_tenant', true)) with check (tenant_id = current_setting('app.current_tenant', true));
      insert into files values (1, '');` },
  // The same table has no CHECK: that is how the empty row got in.
  { rule: 'TENANTRY_DB_TENANT_COLUMN_CAN_BE_EMPTY', object: 'column public.files.tenant_id', sql: '' },
  // Beyond the list.
  { rule: 'TENANTRY_DB_RLS_DISABLED', object: 'table tenant_acme.secrets', sql: `create table tenant_acme.secrets (id bigint primary key, value text); alter table tenant_acme.secrets owner to tenant_acme;` },
  { rule: 'TENANTRY_DB_CROSS_TENANT_PRIVILEGE', object: 'relation tenant_acme.secrets', sql: `
      create role analysts nologin;
      grant select on tenant_acme.secrets to analysts;
      grant analysts to tenant_ledgerline;` },
  { rule: 'TENANTRY_DB_POLICY_TO_PUBLIC', object: 'policy public.messages/tenant_isolation', sql: `
      create table messages (id bigint primary key, tenant_id text not null check (tenant_id <> ''));
      alter table messages enable row level security; alter table messages force row level security;
      create policy tenant_isolation on messages using (tenant_id = current_setting('app.current_tenant', true));` },
  { rule: 'TENANTRY_DB_TENANT_COLUMN_NULLABLE', object: 'column public.tags.tenant_id', sql: `
      create table tags (id bigint primary key, tenant_id text check (tenant_id <> ''));
      alter table tags enable row level security; alter table tags force row level security;` },
  { rule: 'TENANTRY_DB_RLS_BYPASSING_PRIVILEGE', object: 'table public.projects', sql: `grant truncate on projects to tenant_api;` },
  { rule: 'TENANTRY_DB_TENANT_TABLE_GRANTED_TO_PUBLIC', object: 'table public.invoices', sql: `grant select on invoices to public;` },
  { rule: 'TENANTRY_DB_SERVICE_ROLE_SUPERUSER', object: 'role batch', sql: `create role batch login superuser; grant tenant_api to batch;` },
  { rule: 'TENANTRY_DB_SERVICE_ROLE_CAN_ASSUME_PRIVILEGED', object: 'role worker', sql: `create role worker login; grant tenant_api to worker; grant reporting to worker;` },
  { rule: 'TENANTRY_DB_SERVICE_ROLE_CREATEROLE', object: 'role tenant_acme', sql: `alter role tenant_acme createrole;` },
  { rule: 'TENANTRY_DB_TENANT_SCHEMA_OWNER', object: 'schema tenant_acme', sql: `alter schema tenant_acme owner to postgres;` },
  { rule: 'TENANTRY_DB_TENANT_ROLE_OWNS_OTHER', object: 'role tenant_acme', sql: `create table public.acme_scratch (x int); alter table public.acme_scratch owner to tenant_acme;` },
  { rule: 'TENANTRY_DB_TENANT_ROLE_PUBLIC_SCHEMA', object: 'role tenant_acme', sql: `grant create on schema public to tenant_acme;` },
  { rule: 'TENANTRY_DB_TENANT_ROLE_SEARCH_PATH', object: 'role tenant_acme', sql: `alter role tenant_acme reset search_path;` },
  { rule: 'TENANTRY_DB_TENANT_ROLE_CONNECTION_LIMIT', object: 'role tenant_acme', sql: `alter role tenant_acme connection limit -1;` },
  { rule: 'TENANTRY_DB_TENANT_SCHEMA_MISSING', object: 'schema tenant_beta', sql: '' },
  { rule: 'TENANTRY_DB_TENANT_ROLE_MISSING', object: 'role tenant_beta', sql: '' },
  { rule: 'TENANTRY_DB_ORPHAN_ROLE', object: 'role tenant_former', sql: `create role tenant_former login;` },
  { rule: 'TENANTRY_DB_SECURITY_DEFINER_REACHABLE', object: 'function public.all_projects()', sql: `
      create function public.all_projects() returns setof projects language sql security definer as 'select * from projects';` },
  { rule: 'TENANTRY_DB_VIEW_BYPASSES_RLS', object: 'view public.project_names', sql: `
      create view project_names as select id, tenant_id, name from projects;
      grant select on project_names to tenant_api;` },
  // USING (true) lets the probe see other tenants' rows in notes.
  { rule: 'TENANTRY_DB_PROBE_LEAK', object: 'table public.notes', sql: '' },
  { rule: 'TENANTRY_DB_CROSS_TENANT_PRIVILEGE', object: 'role tenant_acme', sql: `grant tenant_api to tenant_acme;` },
  // A partition the service may query directly skips the parent's policies.
  { rule: 'TENANTRY_DB_RLS_DISABLED', object: 'table public.visits_2025', sql: `
      create table visits_2025 partition of visits for values from ('2025-01-01') to ('2026-01-01');
      grant select on visits_2025 to tenant_api;` },
  // Last: it changes what every later CREATE TABLE in public grants.
  { rule: 'TENANTRY_DB_DEFAULT_PRIVILEGES_PUBLIC', object: 'default-privileges postgres in public on TABLES', sql: `alter default privileges in schema public grant select on tables to public;` },
] as const;

/**
 * Combinations that look alarming and are safe: they must produce no finding.
 * A permissive USING (true) narrowed by a restrictive tenant policy for the same roles,
 * a restrictive USING (true) beside a tenant-scoped permissive policy, a uuid tenant
 * column (cannot be ''), a policy through a function that returns the setting, the
 * initplan form (SELECT current_setting(…)), a partition without RLS that is reached only
 * through its RLS-forced parent, and a SECURITY DEFINER function of a superuser that
 * only returns the setting.
 */
export const SAFE_LOOKALIKES = `
  create table events (id bigint primary key, tenant_id text not null check (length(tenant_id) > 0));
  alter table events enable row level security; alter table events force row level security;
  create policy everything on events to tenant_api using (true) with check (true);
  create policy only_tenant on events as restrictive to tenant_api
    using (tenant_id = current_setting('app.current_tenant', true)) with check (tenant_id = current_setting('app.current_tenant', true));
  create table labels (id bigint primary key, tenant_id uuid not null);
  alter table labels enable row level security; alter table labels force row level security;
  create policy tenant_isolation on labels to tenant_api
    using (tenant_id = (select nullif(current_setting('app.current_tenant', true), '')::uuid))
    with check (tenant_id = (select nullif(current_setting('app.current_tenant', true), '')::uuid));
  create policy harmless on labels as restrictive to tenant_api using (true);
  create function public.current_tenant() returns text language sql stable as $$ select current_setting('app.current_tenant', true) $$;
  create table memos (id bigint primary key, tenant_id varchar(64) not null constraint memos_tenant check (tenant_id ~ '^[a-z][a-z0-9-]+$'));
  alter table memos enable row level security; alter table memos force row level security;
  create policy tenant_isolation on memos to tenant_api using (tenant_id = public.current_tenant()) with check (tenant_id = public.current_tenant());
  create table visits (tenant_id text not null check (tenant_id <> ''), at date not null) partition by range (at);
  alter table visits enable row level security; alter table visits force row level security;
  create policy tenant_isolation on visits to tenant_api using (tenant_id = current_setting('app.current_tenant', true)) with check (tenant_id = current_setting('app.current_tenant', true));
  create table visits_2026 partition of visits for values from ('2026-01-01') to ('2027-01-01');
  create function public.tenant_of_session() returns text language sql stable security definer set search_path = pg_catalog as $$ select current_setting('app.current_tenant', true) $$;
  grant select on events, labels, memos, visits to tenant_api;
  insert into visits values ('northwind', '2026-03-01');
  insert into events values (1, 'northwind'), (2, 'brightwave');
  insert into labels values (1, gen_random_uuid());
  insert into memos values (1, 'northwind');`;

/** A clean database (as createCleanDatabase) with SAFE_LOOKALIKES and every BREAKS entry applied. */
export async function createBrokenDatabase(serverUrlFor: (database: string, user?: string, password?: string) => string, database: string): Promise<string> {
  const url = await createCleanDatabase(serverUrlFor, database);
  await run(url, `${schemaTenantSql('tenant_acme', 'acme', database)} ${SAFE_LOOKALIKES}`);
  for (const entry of BREAKS) if (entry.sql !== '') await run(url, entry.sql);
  return url;
}
