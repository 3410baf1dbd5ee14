/**
 * Every rule of `tenantry-audit db`. Checks report findings by rule id; text, JSON, SARIF
 * and JUnit output take the title, the reason and the fix from here. To add a rule, add
 * it here, report it from a module under `checks/`, and break a table in
 * testing/audit-databases.ts so that the broken-database test sees it fire.
 */
import type { AuditRule } from './model.js';

const rule = (r: AuditRule): AuditRule => r;

export const AUDIT_RULES = [
  rule({
    id: 'TENANTRY_DB_RLS_DISABLED',
    title: 'Tables holding tenant data have row-level security enabled',
    why: 'Without RLS every role with SELECT on the table reads every tenant\'s rows; one missing WHERE clause in the application is a cross-tenant leak.',
    fix: 'ALTER TABLE <table> ENABLE ROW LEVEL SECURITY; ALTER TABLE <table> FORCE ROW LEVEL SECURITY; and create a policy that compares the tenant column with current_setting(\'app.current_tenant\', true).',
    level: 'error',
  }),
  rule({
    id: 'TENANTRY_DB_RLS_NOT_FORCED',
    title: 'Row-level security is forced on tables holding tenant data',
    why: 'The table owner (and any role acting as it) bypasses policies unless RLS is forced: a migration role, a job or a service that connects as the owner reads every tenant.',
    fix: 'ALTER TABLE <table> FORCE ROW LEVEL SECURITY;',
    level: 'error',
  }),
  rule({
    id: 'TENANTRY_DB_POLICY_NOT_TENANT_SCOPED',
    title: 'Every permissive policy restricts rows by the tenant setting',
    why: 'Permissive policies are OR-ed: one policy whose USING is true, or has an OR branch that does not test the tenant, makes every row visible to the roles it applies to.',
    fix: 'Rewrite the policy as USING (<tenant column> = current_setting(\'app.current_tenant\', true)), or add a RESTRICTIVE policy with that test for the same roles and commands; drop policies that are not needed.',
    level: 'error',
  }),
  rule({
    id: 'TENANTRY_DB_POLICY_WRITE_UNCHECKED',
    title: 'Policies that allow writes check the written row\'s tenant',
    why: 'An INSERT policy without WITH CHECK (or a WITH CHECK that does not test the tenant) lets a session write rows into another tenant.',
    fix: 'ALTER POLICY <policy> ON <table> WITH CHECK (<tenant column> = current_setting(\'app.current_tenant\', true));',
    level: 'error',
  }),
  rule({
    id: 'TENANTRY_DB_POLICY_TO_PUBLIC',
    title: 'Policies on tenant tables apply to the application role, not to PUBLIC',
    why: 'A policy TO PUBLIC applies to every present and future role, including roles that were never meant to read tenant data; scoping it to the application role makes every other role fall back to deny.',
    fix: 'ALTER POLICY <policy> ON <table> TO <app role>;',
    level: 'warning',
  }),
  rule({
    id: 'TENANTRY_DB_TENANT_COLUMN_NULLABLE',
    title: 'The tenant column is NOT NULL',
    why: 'A row with a NULL tenant belongs to nobody: comparisons such as IS NOT DISTINCT FROM or a NULL setting can make it visible, and no tenant can export or delete it.',
    fix: 'ALTER TABLE <table> ALTER COLUMN <tenant column> SET NOT NULL;',
    level: 'error',
  }),
  rule({
    id: 'TENANTRY_DB_TENANT_COLUMN_CAN_BE_EMPTY',
    title: 'The tenant column cannot hold an empty string',
    why: 'Once a session has set the tenant setting, current_setting(\'app.current_tenant\', true) returns \'\' (not NULL) after the transaction: a pooled connection with no tenant then sees every row whose tenant is \'\'.',
    fix: 'ALTER TABLE <table> ADD CONSTRAINT <table>_tenant_not_empty CHECK (<tenant column> <> \'\');',
    level: 'error',
  }),
  rule({
    id: 'TENANTRY_DB_EMPTY_TENANT_ROWS',
    title: 'No row has a NULL or empty tenant',
    why: 'Rows with an empty tenant are visible to every session whose tenant setting is empty, and belong to no tenant\'s export or deletion.',
    fix: 'Assign the rows to their tenant or delete them, then add CHECK (<tenant column> <> \'\') so no new ones appear.',
    level: 'error',
  }),
  rule({
    id: 'TENANTRY_DB_SERVICE_ROLE_SUPERUSER',
    title: 'No role services use is a superuser',
    why: 'A superuser bypasses row-level security and every privilege check.',
    fix: 'ALTER ROLE <role> NOSUPERUSER;',
    level: 'error',
    alsoKnownAs: ['CIS PostgreSQL 4.3'],
  }),
  rule({
    id: 'TENANTRY_DB_SERVICE_ROLE_BYPASSRLS',
    title: 'No role has BYPASSRLS (superusers aside), and no role services use',
    why: 'BYPASSRLS ignores every policy, forced or not: the role, and every role that may SET ROLE to it, reads every tenant.',
    fix: 'ALTER ROLE <role> NOBYPASSRLS;',
    level: 'error',
  }),
  rule({
    id: 'TENANTRY_DB_SERVICE_ROLE_CREATEROLE',
    title: 'No role services use has CREATEROLE',
    why: 'CREATEROLE can grant membership in other non-superuser roles (another tenant\'s role, the table owner) and so reach their data.',
    fix: 'ALTER ROLE <role> NOCREATEROLE;',
    level: 'error',
  }),
  rule({
    id: 'TENANTRY_DB_SERVICE_ROLE_OWNS_TENANT_TABLE',
    title: 'No role services use owns a shared tenant table',
    why: 'The owner bypasses RLS unless it is forced, and can always ALTER TABLE … NO FORCE / DISABLE ROW LEVEL SECURITY or drop the policies.',
    fix: 'ALTER TABLE <table> OWNER TO <migration role>; the service keeps only SELECT, INSERT, UPDATE, DELETE.',
    level: 'error',
  }),
  rule({
    id: 'TENANTRY_DB_SERVICE_ROLE_CAN_ASSUME_PRIVILEGED',
    title: 'No role services use is a member of a privileged role',
    why: 'A member can SET ROLE to (or inherits) a role that is superuser, has BYPASSRLS or CREATEROLE, or owns tenant tables, and gets its powers.',
    fix: 'REVOKE <privileged role> FROM <role>;',
    level: 'error',
  }),
  rule({
    id: 'TENANTRY_DB_RLS_BYPASSING_PRIVILEGE',
    title: 'Roles services use hold no TRUNCATE or TRIGGER on shared tenant tables',
    why: 'TRUNCATE ignores row-level security (one tenant empties every tenant\'s rows); TRIGGER lets a role attach code that runs on other tenants\' writes.',
    fix: 'REVOKE TRUNCATE, TRIGGER ON <table> FROM <role>;',
    level: 'error',
  }),
  rule({
    id: 'TENANTRY_DB_TENANT_TABLE_GRANTED_TO_PUBLIC',
    title: 'Tenant tables grant nothing to PUBLIC',
    why: 'A grant to PUBLIC reaches every role, including other tenants\' schema roles and roles created later.',
    fix: 'REVOKE ALL ON <table> FROM PUBLIC; GRANT the needed privileges to the application role only.',
    level: 'error',
  }),
  rule({
    id: 'TENANTRY_DB_DEFAULT_PRIVILEGES_PUBLIC',
    title: 'Default privileges grant nothing to PUBLIC',
    why: 'ALTER DEFAULT PRIVILEGES … TO PUBLIC makes every table created later (a new tenant table, a tenant schema\'s table) readable by every role.',
    fix: 'ALTER DEFAULT PRIVILEGES FOR ROLE <owner> [IN SCHEMA <schema>] REVOKE ALL ON TABLES FROM PUBLIC;',
    level: 'error',
  }),
  rule({
    id: 'TENANTRY_DB_TENANT_SCHEMA_MISSING',
    title: 'Every schema-tier tenant of the catalog has its schema tenant_<id>',
    why: 'The tenant\'s services would fail, or write into another schema found on their search_path.',
    fix: 'Deploy the tenant\'s stack (tenant-<id>-<env>), which creates the schema and its role.',
    level: 'error',
  }),
  rule({
    id: 'TENANTRY_DB_TENANT_ROLE_MISSING',
    title: 'Every schema-tier tenant of the catalog has its login role tenant_<id>',
    why: 'Without its own role the tenant\'s services connect as some other role, which reaches more than one schema.',
    fix: 'Deploy the tenant\'s stack (tenant-<id>-<env>), which creates the role.',
    level: 'error',
  }),
  rule({
    id: 'TENANTRY_DB_TENANT_SCHEMA_OWNER',
    title: 'Each tenant schema is owned by its tenant\'s role',
    why: 'A schema owned by another role is reachable by that role; the tenant may not be able to use it at all.',
    fix: 'ALTER SCHEMA tenant_<id> OWNER TO tenant_<id>;',
    level: 'error',
  }),
  rule({
    id: 'TENANTRY_DB_TENANT_ROLE_OWNS_OTHER',
    title: 'A tenant role owns only its own schema and what is in it',
    why: 'Objects a tenant role owns elsewhere (another schema, a table in public, a function) are channels into shared or other tenants\' data.',
    fix: 'ALTER … OWNER TO <platform role> for each object listed, or drop it.',
    level: 'error',
  }),
  rule({
    id: 'TENANTRY_DB_CROSS_TENANT_PRIVILEGE',
    title: 'No tenant role holds a privilege on another tenant\'s schema or objects',
    why: 'USAGE on another tenant\'s schema plus any table privilege there (granted directly, through a shared group role, through membership in the other tenant\'s role, or to PUBLIC) reads that tenant\'s data.',
    fix: 'REVOKE the privilege (or the role membership) named in the finding; grant tenant roles nothing outside their schema.',
    level: 'error',
  }),
  rule({
    id: 'TENANTRY_DB_TENANT_ROLE_PUBLIC_SCHEMA',
    title: 'Tenant roles hold no privilege on schema public',
    why: 'CREATE on public lets a tenant plant functions or tables that shadow names other roles resolve through search_path; USAGE exposes every object that is granted to PUBLIC there.',
    fix: 'REVOKE ALL ON SCHEMA public FROM PUBLIC, tenant_<id>; GRANT USAGE ON SCHEMA public TO <app role>;',
    level: 'error',
  }),
  rule({
    id: 'TENANTRY_DB_TENANT_ROLE_SEARCH_PATH',
    title: 'Each tenant role\'s search_path is pinned to its own schema',
    why: 'An unpinned search_path resolves unqualified names in public or "$user" first: queries may read or write shared tables instead of the tenant\'s.',
    fix: 'ALTER ROLE tenant_<id> SET search_path = tenant_<id>;',
    level: 'warning',
  }),
  rule({
    id: 'TENANTRY_DB_TENANT_ROLE_CONNECTION_LIMIT',
    title: 'Each tenant role has a connection limit',
    why: 'Without a limit one tenant can take every connection of the shared cluster and lock every other tenant out.',
    fix: 'ALTER ROLE tenant_<id> CONNECTION LIMIT <plan limit>;',
    level: 'warning',
  }),
  rule({
    id: 'TENANTRY_DB_ORPHAN_SCHEMA',
    title: 'Every tenant schema belongs to a tenant of the catalog',
    why: 'A schema left behind by offboarding still holds a former customer\'s data with no owner in the catalog, no backup policy and no deletion date.',
    fix: 'Export what must be kept, then DROP SCHEMA tenant_<id> CASCADE (or restore the tenant in the catalog).',
    level: 'error',
  }),
  rule({
    id: 'TENANTRY_DB_ORPHAN_ROLE',
    title: 'Every tenant role belongs to a tenant of the catalog',
    why: 'A login role left behind by offboarding keeps working credentials and whatever it was granted.',
    fix: 'REASSIGN OWNED BY tenant_<id> TO <platform role>; DROP OWNED BY tenant_<id>; DROP ROLE tenant_<id>;',
    level: 'error',
  }),
  rule({
    id: 'TENANTRY_DB_SECURITY_DEFINER_REACHABLE',
    title: 'No SECURITY DEFINER function of a privileged owner is executable by service roles',
    why: 'A SECURITY DEFINER function runs with its owner\'s rights: owned by a superuser, a BYPASSRLS role or a tenant table\'s owner, it reads past row-level security for whoever may call it (EXECUTE is granted to PUBLIC by default).',
    fix: 'REVOKE EXECUTE ON FUNCTION <function> FROM PUBLIC, <role>; or make it SECURITY INVOKER, or own it by a role without those rights; pin its search_path.',
    level: 'error',
  }),
  rule({
    id: 'TENANTRY_DB_VIEW_BYPASSES_RLS',
    title: 'Views over tenant tables run as the caller (security_invoker) and no materialized view copies tenant rows',
    why: 'A view checks policies as its owner, not as the caller, and a materialized view stores rows with no RLS at all: the service role reads other tenants through them.',
    fix: 'ALTER VIEW <view> SET (security_invoker = true); drop materialized views over tenant tables or revoke them from service roles.',
    level: 'error',
  }),
  rule({
    id: 'TENANTRY_DB_PROBE_LEAK',
    title: 'As the application role, a session sees only its own tenant\'s rows, and none without a tenant',
    why: 'This is isolation measured rather than inferred: whatever the policies say, rows of another tenant came back.',
    fix: 'Read the other findings on the same table; the probe names the tenant setting and the table that leaked.',
    level: 'error',
  }),
] as const satisfies readonly AuditRule[];

export type AuditRuleId = (typeof AUDIT_RULES)[number]['id'];

const BY_ID = new Map<string, AuditRule>(AUDIT_RULES.map((r) => [r.id, r]));

/** The rule with `id`; throws for an id no rule has (a programming error). */
export function auditRule(id: string): AuditRule {
  const found = BY_ID.get(id);
  if (!found) throw new Error(`no audit rule has id ${id}`);
  return found;
}
