/**
 * Reads what the checks need from the system catalogs, in a fixed number of set-based
 * statements: the number of statements does not depend on the number of tenants,
 * schemas or tables (the benchmark, bench/audit.ts, measures it).
 */
import type { AuditSession } from './session.js';

/** System schemas never hold tenant data. */
const USER_SCHEMA = `n.nspname not in ('pg_catalog', 'information_schema') and n.nspname !~ '^pg_(toast|temp_|toast_temp_)'`;
/** A `tenant_<id>` schema; $1 is the array of application role names, never tenant names. */
const TENANT_SCHEMA = `(n.nspname ~ '^tenant_' and n.nspname <> all($1::text[]))`;

export interface TenantTable {
  readonly oid: number;
  readonly schema: string;
  readonly name: string;
  readonly ownerOid: number;
  readonly owner: string;
  readonly rlsEnabled: boolean;
  readonly rlsForced: boolean;
  /** In a `tenant_<id>` schema (schema tier) rather than a shared one (pooled tier). */
  readonly inTenantSchema: boolean;
  /** A partition: queries through its parent apply the parent's policies, not its own. */
  readonly isPartition: boolean;
  /** The tenant column, when the table has one. */
  readonly column?: { readonly notNull: boolean; readonly isString: boolean; readonly type: string; readonly domainOid?: number };
}

export interface Policy {
  readonly tableOid: number;
  readonly name: string;
  /** `r` SELECT, `a` INSERT, `w` UPDATE, `d` DELETE, `*` ALL. */
  readonly cmd: 'r' | 'a' | 'w' | 'd' | '*';
  readonly permissive: boolean;
  /** Role names; `public` for PUBLIC. */
  readonly roles: readonly string[];
  readonly qual: string | null;
  readonly withCheck: string | null;
}

export interface CheckConstraint {
  /** Table oid for a table constraint, domain oid for a domain constraint. */
  readonly ownerOid: number;
  readonly onDomain: boolean;
  readonly definition: string;
  readonly validated: boolean;
}

export interface RoleInfo {
  readonly oid: number;
  readonly name: string;
  readonly superuser: boolean;
  readonly bypassRls: boolean;
  readonly createRole: boolean;
  readonly canLogin: boolean;
  readonly connectionLimit: number;
  /** `name=value` settings of the role in this database or all databases. */
  readonly config: readonly string[];
}

/** One privilege from an ACL; grantee 0 is PUBLIC. */
export interface AclEntry {
  readonly grantee: number;
  readonly privilege: string;
}

export interface SchemaInfo {
  readonly oid: number;
  readonly name: string;
  readonly ownerOid: number;
  readonly owner: string;
  /** Grants to roles other than the owner. */
  readonly grants: readonly AclEntry[];
}

export interface RelationGrant extends AclEntry {
  readonly oid: number;
  readonly schema: string;
  readonly name: string;
  readonly relkind: string;
  readonly ownerOid: number;
}

export interface PublicSchemaAccess {
  readonly role: string;
  readonly usage: boolean;
  readonly create: boolean;
}

export interface DefaultPrivilegeToPublic {
  readonly owner: string;
  readonly schema: string | null;
  readonly objectType: string;
  readonly privileges: readonly string[];
}

export interface OwnedObject {
  readonly role: string;
  readonly kind: string;
  readonly name: string;
}

export interface SecurityDefinerFunction {
  readonly name: string;
  readonly language: string;
  /** Body text (for C functions, the symbol). */
  readonly source: string;
  readonly ownerOid: number;
  readonly owner: string;
  readonly config: readonly string[];
  readonly executeGrantees: readonly number[];
}

export interface ViewOverTenantTable {
  readonly name: string;
  readonly schema: string;
  readonly relkind: 'v' | 'm';
  readonly ownerOid: number;
  readonly owner: string;
  readonly options: readonly string[];
  readonly selectGrantees: readonly number[];
  readonly tables: readonly string[];
}

export interface SettingFunction {
  readonly name: string;
  readonly language: string;
  readonly source: string;
}

export interface DatabaseSnapshot {
  readonly database: string;
  readonly tables: readonly TenantTable[];
  readonly policies: readonly Policy[];
  readonly checkConstraints: readonly CheckConstraint[];
  readonly roles: readonly RoleInfo[];
  /** `[member, role]`: `member` is a direct member of `role`. */
  readonly memberships: readonly (readonly [number, number])[];
  readonly schemas: readonly SchemaInfo[];
  readonly relationGrants: readonly RelationGrant[];
  readonly publicSchemaAccess: readonly PublicSchemaAccess[];
  readonly defaultPrivilegesToPublic: readonly DefaultPrivilegeToPublic[];
  readonly ownedOutsideOwnSchema: readonly OwnedObject[];
  readonly securityDefinerFunctions: readonly SecurityDefinerFunction[];
  readonly views: readonly ViewOverTenantTable[];
  readonly settingFunctions: readonly SettingFunction[];
}

export interface SnapshotOptions {
  readonly tenantColumn: string;
  readonly tenantSetting: string;
  readonly appRoles: readonly string[];
}

export async function readSnapshot(session: AuditSession, options: SnapshotOptions): Promise<DatabaseSnapshot> {
  const apps = [...options.appRoles];
  const [{ database } = { database: '' }] = await session.query<{ database: string }>('select current_database() as database');

  const tables = (
    await session.query<{
      oid: number; schema: string; name: string; owner_oid: number; owner: string; rls_enabled: boolean; rls_forced: boolean;
      in_tenant_schema: boolean; is_partition: boolean; attnum: number | null; not_null: boolean | null; category: string | null; type: string | null; domain_oid: number | null;
    }>(
      `select c.oid::int as oid, n.nspname as schema, c.relname as name, c.relowner::int as owner_oid, pg_get_userbyid(c.relowner) as owner,
              c.relrowsecurity as rls_enabled, c.relforcerowsecurity as rls_forced, ${TENANT_SCHEMA} as in_tenant_schema, c.relispartition as is_partition,
              a.attnum, a.attnotnull as not_null, t.typcategory as category, format_type(a.atttypid, a.atttypmod) as type,
              case when t.typtype = 'd' then t.oid::int end as domain_oid
         from pg_class c
         join pg_namespace n on n.oid = c.relnamespace
         left join pg_attribute a on a.attrelid = c.oid and a.attname = $2 and a.attnum > 0 and not a.attisdropped
         left join pg_type t on t.oid = a.atttypid
        where c.relkind in ('r', 'p') and ${USER_SCHEMA} and (a.attnum is not null or ${TENANT_SCHEMA})
        order by n.nspname, c.relname`,
      [apps, options.tenantColumn],
    )
  ).map((r): TenantTable => ({
    oid: r.oid,
    schema: r.schema,
    name: r.name,
    ownerOid: r.owner_oid,
    owner: r.owner,
    rlsEnabled: r.rls_enabled,
    rlsForced: r.rls_forced,
    inTenantSchema: r.in_tenant_schema,
    isPartition: r.is_partition,
    ...(r.attnum === null
      ? {}
      : { column: { notNull: r.not_null === true, isString: r.category === 'S', type: r.type ?? '', ...(r.domain_oid === null ? {} : { domainOid: r.domain_oid }) } }),
  }));
  const tableOids = tables.map((t) => t.oid);
  const domainOids = [...new Set(tables.flatMap((t) => (t.column?.domainOid === undefined ? [] : [t.column.domainOid])))];

  const policies = (
    await session.query<{ table_oid: number; name: string; cmd: Policy['cmd']; permissive: boolean; roles: string[]; qual: string | null; with_check: string | null }>(
      `select p.polrelid::int as table_oid, p.polname as name, p.polcmd as cmd, p.polpermissive as permissive,
              array(select case when r = 0 then 'public' else pg_get_userbyid(r)::text end from unnest(p.polroles) r order by 1) as roles,
              pg_get_expr(p.polqual, p.polrelid) as qual, pg_get_expr(p.polwithcheck, p.polrelid) as with_check
         from pg_policy p join unnest($1::oid[]) t(oid) on t.oid = p.polrelid order by p.polrelid, p.polname`,
      [tableOids],
    )
  ).map((r): Policy => ({ tableOid: r.table_oid, name: r.name, cmd: r.cmd, permissive: r.permissive, roles: r.roles, qual: r.qual, withCheck: r.with_check }));

  const checkConstraints = (
    await session.query<{ owner_oid: number; on_domain: boolean; definition: string; validated: boolean }>(
      `select con.conrelid::int as owner_oid, false as on_domain, pg_get_constraintdef(con.oid) as definition, con.convalidated as validated
         from pg_constraint con
         join pg_attribute a on a.attrelid = con.conrelid and a.attname = $2
        where con.contype = 'c' and con.conrelid = any($1::oid[]) and con.conkey = array[a.attnum]
       union all
       select con.contypid::int, true, pg_get_constraintdef(con.oid), con.convalidated
         from pg_constraint con where con.contype = 'c' and con.contypid = any($3::oid[])`,
      [tableOids, options.tenantColumn, domainOids],
    )
  ).map((r): CheckConstraint => ({ ownerOid: r.owner_oid, onDomain: r.on_domain, definition: r.definition, validated: r.validated }));

  const roles = (
    await session.query<{ oid: number; name: string; superuser: boolean; bypass_rls: boolean; create_role: boolean; can_login: boolean; connection_limit: number; config: string[] | null }>(
      `with setting as (
         select s.setrole, array_agg(cfg) as config
           from pg_db_role_setting s cross join lateral unnest(s.setconfig) cfg
          where s.setdatabase in (0, (select oid from pg_database where datname = current_database()))
          group by s.setrole)
       select r.oid::int as oid, r.rolname as name, r.rolsuper as superuser, r.rolbypassrls as bypass_rls, r.rolcreaterole as create_role,
              r.rolcanlogin as can_login, r.rolconnlimit as connection_limit, setting.config
         from pg_roles r left join setting on setting.setrole = r.oid order by r.rolname`,
    )
  ).map((r): RoleInfo => ({
    oid: r.oid,
    name: r.name,
    superuser: r.superuser,
    bypassRls: r.bypass_rls,
    createRole: r.create_role,
    canLogin: r.can_login,
    connectionLimit: r.connection_limit,
    config: r.config ?? [],
  }));

  const memberships = (await session.query<{ member: number; role: number }>('select member::int as member, roleid::int as role from pg_auth_members')).map(
    (r) => [r.member, r.role] as const,
  );

  const schemas = (
    await session.query<{ oid: number; name: string; owner_oid: number; owner: string; grants: AclEntry[] }>(
      `select n.oid::int as oid, n.nspname as name, n.nspowner::int as owner_oid, pg_get_userbyid(n.nspowner) as owner,
              coalesce((select json_agg(json_build_object('grantee', a.grantee::int, 'privilege', a.privilege_type))
                          from aclexplode(coalesce(n.nspacl, acldefault('n', n.nspowner))) a where a.grantee <> n.nspowner), '[]'::json) as grants
         from pg_namespace n where n.nspname = 'public' or ${TENANT_SCHEMA} order by n.nspname`,
      [apps],
    )
  ).map((r): SchemaInfo => ({ oid: r.oid, name: r.name, ownerOid: r.owner_oid, owner: r.owner, grants: r.grants }));

  const relationGrants = (
    await session.query<{ oid: number; schema: string; name: string; relkind: string; owner_oid: number; grantee: number; privilege: string }>(
      `with relation as (
         select c.oid, n.nspname, c.relname, c.relkind, c.relowner, c.relacl
           from pg_class c join pg_namespace n on n.oid = c.relnamespace
          where ${TENANT_SCHEMA} and c.relkind in ('r', 'p', 'v', 'm', 'S', 'f')
         union
         select c.oid, n.nspname, c.relname, c.relkind, c.relowner, c.relacl
           from unnest($2::oid[]) t(oid) join pg_class c on c.oid = t.oid join pg_namespace n on n.oid = c.relnamespace)
       select r.oid::int as oid, r.nspname as schema, r.relname as name, r.relkind::text as relkind, r.relowner::int as owner_oid,
              a.grantee::int as grantee, a.privilege_type as privilege
         from relation r
         cross join lateral aclexplode(coalesce(r.relacl, acldefault((case when r.relkind = 'S' then 's' else 'r' end)::"char", r.relowner))) a
        where a.grantee <> r.relowner`,
      [apps, tableOids],
    )
  ).map((r): RelationGrant => ({ oid: r.oid, schema: r.schema, name: r.name, relkind: r.relkind, ownerOid: r.owner_oid, grantee: r.grantee, privilege: r.privilege }));

  // The tenant-role × public matrix through has_schema_privilege, so PUBLIC's grants count.
  const publicSchemaAccess = await session.query<PublicSchemaAccess>(
    `select r.rolname as role, has_schema_privilege(r.oid, n.oid, 'USAGE') as usage, has_schema_privilege(r.oid, n.oid, 'CREATE') as create
       from pg_roles r cross join pg_namespace n
      where n.nspname = 'public' and r.rolname ~ '^tenant_' and r.rolname <> all($1::text[]) and not r.rolsuper`,
    [apps],
  );

  const defaultPrivilegesToPublic = (
    await session.query<{ owner: string; schema: string | null; object_type: string; privileges: string[] }>(
      `select pg_get_userbyid(d.defaclrole) as owner, n.nspname as schema, d.defaclobjtype::text as object_type,
              array_agg(a.privilege_type order by a.privilege_type) as privileges
         from pg_default_acl d
         left join pg_namespace n on n.oid = d.defaclnamespace
         cross join lateral aclexplode(d.defaclacl) a
        where a.grantee = 0 and d.defaclobjtype in ('r', 'S', 'n')
        group by d.oid, d.defaclrole, n.nspname, d.defaclobjtype`,
    )
  ).map((r): DefaultPrivilegeToPublic => ({ owner: r.owner, schema: r.schema, objectType: r.object_type, privileges: r.privileges }));

  // Catalog statistics are often stale (roles and schemas created since the last ANALYZE,
  // which a read-only audit may not run): the tenant roles estimated at one row, this join
  // with pg_class became a nested loop over 20 million rows at 2,000 tenants. Hash joins here.
  await session.query('set local enable_nestloop = off');
  const ownedOutsideOwnSchema = await session.query<OwnedObject>(
    `with tenant_role as materialized (select oid, rolname from pg_roles where rolname ~ '^tenant_' and rolname <> all($1::text[]))
     select tr.rolname as role, 'schema' as kind, n.nspname::text as name
       from pg_namespace n join tenant_role tr on tr.oid = n.nspowner where n.nspname <> tr.rolname
     union all
     select tr.rolname, 'relation', n.nspname || '.' || c.relname
       from pg_class c join pg_namespace n on n.oid = c.relnamespace join tenant_role tr on tr.oid = c.relowner
      where n.nspname <> tr.rolname and n.nspname !~ '^pg_toast'
     union all
     select tr.rolname, 'function', n.nspname || '.' || p.proname
       from pg_proc p join pg_namespace n on n.oid = p.pronamespace join tenant_role tr on tr.oid = p.proowner where n.nspname <> tr.rolname
     union all
     select tr.rolname, 'database', d.datname::text from pg_database d join tenant_role tr on tr.oid = d.datdba`,
    [apps],
  );

  await session.query('set local enable_nestloop = on');

  const securityDefinerFunctions = (
    await session.query<{ name: string; language: string; source: string; owner_oid: number; owner: string; config: string[] | null; execute_grantees: number[] }>(
      `select n.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')' as name,
              l.lanname as language, coalesce(pg_get_function_sqlbody(p.oid), p.prosrc) as source,
              p.proowner::int as owner_oid, pg_get_userbyid(p.proowner) as owner, p.proconfig as config,
              array(select a.grantee::int from aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a where a.privilege_type = 'EXECUTE') as execute_grantees
         from pg_proc p join pg_namespace n on n.oid = p.pronamespace join pg_language l on l.oid = p.prolang
        where p.prosecdef and ${USER_SCHEMA}
          and not exists (select 1 from pg_depend d where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')`,
    )
  ).map((r): SecurityDefinerFunction => ({ name: r.name, language: r.language, source: r.source, ownerOid: r.owner_oid, owner: r.owner, config: r.config ?? [], executeGrantees: r.execute_grantees }));

  const views = (
    await session.query<{ name: string; schema: string; relkind: 'v' | 'm'; owner_oid: number; owner: string; options: string[] | null; select_grantees: number[]; tables: string[] }>(
      `select v.relname as name, vn.nspname as schema, v.relkind::text as relkind, v.relowner::int as owner_oid, pg_get_userbyid(v.relowner) as owner,
              v.reloptions as options,
              array(select a.grantee::int from aclexplode(coalesce(v.relacl, acldefault('r', v.relowner))) a where a.privilege_type = 'SELECT') as select_grantees,
              array_agg(distinct tn.nspname || '.' || t.relname) as tables
         from pg_rewrite rw
         join pg_depend d on d.classid = 'pg_rewrite'::regclass and d.objid = rw.oid and d.refclassid = 'pg_class'::regclass
         join pg_class v on v.oid = rw.ev_class
         join pg_namespace vn on vn.oid = v.relnamespace
         join pg_class t on t.oid = d.refobjid
         join pg_namespace tn on tn.oid = t.relnamespace
         join unnest($1::oid[]) tenant_table(oid) on tenant_table.oid = d.refobjid
        where d.refobjid <> v.oid and v.relkind in ('v', 'm')
        group by v.oid, v.relname, vn.nspname`,
      [tableOids],
    )
  ).map((r): ViewOverTenantTable => ({
    name: r.name,
    schema: r.schema,
    relkind: r.relkind,
    ownerOid: r.owner_oid,
    owner: r.owner,
    options: r.options ?? [],
    selectGrantees: r.select_grantees,
    tables: r.tables,
  }));

  const settingFunctions = await session.query<SettingFunction>(
    `select n.nspname || '.' || p.proname as name, l.lanname as language, p.prosrc as source
       from pg_proc p join pg_namespace n on n.oid = p.pronamespace join pg_language l on l.oid = p.prolang
      where p.pronargs = 0 and ${USER_SCHEMA} and strpos(p.prosrc, $1) > 0`,
    [options.tenantSetting],
  );

  return {
    database,
    tables,
    policies,
    checkConstraints,
    roles,
    memberships,
    schemas,
    relationGrants,
    publicSchemaAccess,
    defaultPrivilegesToPublic,
    ownedOutsideOwnSchema,
    securityDefinerFunctions,
    views,
    settingFunctions,
  };
}
