/**
 * Schema tier: each schema-tier tenant of the catalog has schema `tenant_<id>` owned by
 * its login role; that role owns nothing else, reaches no other tenant's schema or
 * objects (by grant, through a shared group role, through membership in another tenant's
 * role, or through PUBLIC), holds nothing on `public`, has a pinned search_path and a
 * connection limit; and no tenant schema or role is left without a catalog tenant.
 *
 * The privilege matrix comes from the ACLs of tenant schemas and their objects joined
 * with the role-membership closure, so its cost grows with grants, not with the square
 * of the number of tenants.
 */
import { TIER_TRAITS } from '@tenantry/catalog';
import type { CheckContext } from './context.js';
import { tenantSchemaName } from './context.js';

const RELATION_KIND: Record<string, string> = { r: 'table', p: 'table', v: 'view', m: 'materialized view', S: 'sequence', f: 'foreign table' };

/** `search_path=tenant_x` (as ALTER ROLE … SET stores it), quotes allowed. */
function pinnedSearchPath(config: readonly string[], schema: string): boolean {
  const setting = config.find((c) => c.startsWith('search_path='));
  if (!setting) return false;
  const paths = setting
    .slice('search_path='.length)
    .split(',')
    .map((p) => p.trim().replace(/^"(.*)"$/, '$1'));
  return paths.length === 1 && paths[0] === schema;
}

export function checkSchemaTier(context: CheckContext): void {
  const { snapshot, settings } = context;
  const tenantSchemas = snapshot.schemas.filter((s) => s.name !== 'public');
  const schemaByName = new Map(tenantSchemas.map((s) => [s.name, s]));
  const expected = settings.catalog ? new Set(settings.catalog.tenants.filter((t) => TIER_TRAITS[t.tier].ownSchema).map((t) => tenantSchemaName(t.id))) : undefined;

  if (expected) {
    for (const name of expected) {
      if (!schemaByName.has(name)) context.report('TENANTRY_DB_TENANT_SCHEMA_MISSING', { kind: 'schema', name }, `the catalog has schema-tier tenant ${name.slice(7)}, and schema ${name} does not exist`);
      if (!context.roleByName.has(name)) context.report('TENANTRY_DB_TENANT_ROLE_MISSING', { kind: 'role', name }, `the catalog has schema-tier tenant ${name.slice(7)}, and role ${name} does not exist`);
    }
    for (const schema of tenantSchemas) {
      if (!expected.has(schema.name)) context.report('TENANTRY_DB_ORPHAN_SCHEMA', { kind: 'schema', name: schema.name }, `schema ${schema.name} belongs to no schema-tier tenant of the catalog`);
    }
    for (const oid of context.tenantRoleOids) {
      const name = context.roleName(oid);
      if (!expected.has(name)) context.report('TENANTRY_DB_ORPHAN_ROLE', { kind: 'role', name }, `role ${name} belongs to no schema-tier tenant of the catalog`);
    }
  } else {
    context.skipped.push('missing and orphan schemas/roles: no catalog given (--catalog or $TENANTRY_CATALOG)');
  }

  // Roles that are a tenant's own: named like an existing tenant schema or a catalog tenant.
  const ownRoles = new Set([...context.tenantRoleOids].filter((oid) => schemaByName.has(context.roleName(oid)) || expected?.has(context.roleName(oid)) === true));
  const ownRoleOfSchema = (schema: string): number | undefined => context.roleByName.get(schema)?.oid;

  for (const schema of tenantSchemas) {
    const own = ownRoleOfSchema(schema.name);
    if (own !== undefined && schema.ownerOid !== own) {
      context.report('TENANTRY_DB_TENANT_SCHEMA_OWNER', { kind: 'schema', name: schema.name }, `schema ${schema.name} is owned by ${schema.owner}, not by its tenant's role ${schema.name}`);
    }
    const reach = new Map<number, Set<string>>();
    const add = (holder: number, what: string): void => {
      if (holder === own) return;
      reach.set(holder, new Set([...(reach.get(holder) ?? []), what]));
    };
    for (const holder of context.holders(schema.ownerOid, ownRoles)) add(holder, `membership in the owner ${schema.owner}`);
    for (const grant of schema.grants) {
      if (grant.grantee === 0) {
        context.report('TENANTRY_DB_CROSS_TENANT_PRIVILEGE', { kind: 'schema', name: schema.name }, `schema ${schema.name} grants ${grant.privilege} to PUBLIC: every other tenant's role holds it`);
        continue;
      }
      for (const holder of context.holders(grant.grantee, ownRoles)) add(holder, grant.grantee === holder ? grant.privilege : `${grant.privilege} through ${context.roleName(grant.grantee)}`);
    }
    for (const [holder, what] of reach) {
      context.report('TENANTRY_DB_CROSS_TENANT_PRIVILEGE', { kind: 'schema', name: schema.name }, `${context.roleName(holder)} reaches schema ${schema.name} of another tenant: ${[...what].join(', ')}`);
    }
  }

  const relationReach = new Map<string, { kind: string; holders: Map<number, Set<string>> }>();
  for (const grant of snapshot.relationGrants) {
    const schema = schemaByName.get(grant.schema);
    if (!schema) continue;
    const name = `${grant.schema}.${grant.name}`;
    const kind = RELATION_KIND[grant.relkind] ?? 'relation';
    if (grant.grantee === 0) {
      context.report('TENANTRY_DB_CROSS_TENANT_PRIVILEGE', { kind: 'relation', name }, `${kind} ${name} grants ${grant.privilege} to PUBLIC: every other tenant's role holds it`);
      continue;
    }
    const own = ownRoleOfSchema(grant.schema);
    for (const holder of context.holders(grant.grantee, ownRoles)) {
      if (holder === own) continue;
      const entry = relationReach.get(name) ?? { kind, holders: new Map<number, Set<string>>() };
      entry.holders.set(holder, new Set([...(entry.holders.get(holder) ?? []), grant.grantee === holder ? grant.privilege : `${grant.privilege} through ${context.roleName(grant.grantee)}`]));
      relationReach.set(name, entry);
    }
  }
  for (const [name, { kind, holders }] of relationReach) {
    for (const [holder, what] of holders) {
      context.report('TENANTRY_DB_CROSS_TENANT_PRIVILEGE', { kind: 'relation', name }, `${context.roleName(holder)} holds ${[...what].join(', ')} on ${kind} ${name} of another tenant`);
    }
  }

  for (const owned of snapshot.ownedOutsideOwnSchema) {
    if (!ownRoles.has(context.roleByName.get(owned.role)?.oid ?? -1)) continue;
    context.report('TENANTRY_DB_TENANT_ROLE_OWNS_OTHER', { kind: 'role', name: owned.role }, `${owned.role} owns ${owned.kind} ${owned.name}, outside its schema`);
  }

  const ownNames = new Set([...ownRoles].map((oid) => context.roleName(oid)));
  for (const access of snapshot.publicSchemaAccess) {
    if (!ownNames.has(access.role)) continue;
    const privileges = [access.usage ? 'USAGE' : '', access.create ? 'CREATE' : ''].filter(Boolean);
    if (privileges.length > 0) {
      context.report('TENANTRY_DB_TENANT_ROLE_PUBLIC_SCHEMA', { kind: 'role', name: access.role }, `${access.role} holds ${privileges.join(' and ')} on schema public (directly, through a role or through PUBLIC)`);
    }
  }

  for (const oid of ownRoles) {
    const role = context.roleById.get(oid);
    if (!role) continue;
    for (const app of context.appRoleOids) {
      if (context.isMemberOf(oid, app)) {
        context.report('TENANTRY_DB_CROSS_TENANT_PRIVILEGE', { kind: 'role', name: role.name }, `${role.name} is a member of the application role ${context.roleName(app)}, which reads every pooled tenant's rows`);
      }
    }
    if (!pinnedSearchPath(role.config, role.name)) {
      const current = role.config.find((c) => c.startsWith('search_path=')) ?? 'the server default';
      context.report('TENANTRY_DB_TENANT_ROLE_SEARCH_PATH', { kind: 'role', name: role.name }, `${role.name} has search_path ${current}, not ${role.name} alone`);
    }
    if (role.connectionLimit < 0) context.report('TENANTRY_DB_TENANT_ROLE_CONNECTION_LIMIT', { kind: 'role', name: role.name }, `${role.name} has no connection limit`);
  }
}
