/**
 * Roles: no service role is a superuser, has BYPASSRLS or CREATEROLE, owns a shared tenant
 * table or can become a role that does; no other role has BYPASSRLS; nothing on tenant
 * tables or in default privileges is granted to PUBLIC; service roles hold no
 * privilege that ignores RLS (TRUNCATE, TRIGGER).
 */
import type { CheckContext } from './context.js';

const OBJECT_TYPE: Record<string, string> = { r: 'TABLES', S: 'SEQUENCES', n: 'SCHEMAS' };
/** Privileges on a table that ignore row-level security or run code on others' rows. */
const RLS_BYPASSING = new Set(['TRUNCATE', 'TRIGGER']);

export function checkRoles(context: CheckContext): void {
  for (const oid of context.serviceRoleOids) {
    const role = context.roleById.get(oid);
    if (!role) continue;
    const object = { kind: 'role' as const, name: role.name };
    if (role.superuser) context.report('TENANTRY_DB_SERVICE_ROLE_SUPERUSER', object, `${role.name} is used by services and is a superuser`);
    if (role.createRole && !role.superuser) context.report('TENANTRY_DB_SERVICE_ROLE_CREATEROLE', object, `${role.name} is used by services and has CREATEROLE`);
    for (const privileged of context.membershipsOf(oid)) {
      // A privileged service role is reported for itself; its members are not reported again.
      if (context.serviceRoleOids.has(privileged)) continue;
      const why = context.privilegeOf(privileged);
      if (why) context.report('TENANTRY_DB_SERVICE_ROLE_CAN_ASSUME_PRIVILEGED', object, `${role.name} is a member of ${context.roleName(privileged)}, which ${why}`);
    }
  }

  for (const role of context.snapshot.roles) {
    if (!role.bypassRls || role.superuser) continue;
    const usedBy = context.serviceRoleOids.has(role.oid) ? ' and is used by services' : '';
    context.report('TENANTRY_DB_SERVICE_ROLE_BYPASSRLS', { kind: 'role', name: role.name }, `${role.name} has BYPASSRLS${usedBy}: row-level security does not apply to it`);
  }

  for (const table of context.snapshot.tables) {
    if (table.inTenantSchema || !context.serviceRoleOids.has(table.ownerOid)) continue;
    const name = context.qualifiedName(table);
    context.report('TENANTRY_DB_SERVICE_ROLE_OWNS_TENANT_TABLE', { kind: 'table', name }, `${name} is owned by ${table.owner}, a role services use`);
  }

  const publicGrants = new Map<string, string[]>();
  for (const grant of context.snapshot.relationGrants) {
    const table = context.tableByOid.get(grant.oid);
    if (!table || table.inTenantSchema) continue;
    const name = context.qualifiedName(table);
    if (grant.grantee === 0) publicGrants.set(name, [...(publicGrants.get(name) ?? []), grant.privilege]);
    if (!RLS_BYPASSING.has(grant.privilege)) continue;
    const holders = context.holders(grant.grantee, context.serviceRoleOids).filter((holder) => holder !== table.ownerOid);
    if (holders.length === 0) continue;
    context.report(
      'TENANTRY_DB_RLS_BYPASSING_PRIVILEGE',
      { kind: 'table', name },
      `${name} grants ${grant.privilege} to ${context.roleName(grant.grantee)}, held by the service role(s) ${holders.map((h) => context.roleName(h)).sort().join(', ')}`,
    );
  }
  for (const [name, privileges] of publicGrants) {
    context.report('TENANTRY_DB_TENANT_TABLE_GRANTED_TO_PUBLIC', { kind: 'table', name }, `${name} grants ${privileges.join(', ')} to PUBLIC`);
  }

  for (const entry of context.snapshot.defaultPrivilegesToPublic) {
    const where = entry.schema === null ? 'in every schema' : `in schema ${entry.schema}`;
    const name = `${entry.owner}${entry.schema === null ? '' : ` in ${entry.schema}`} on ${OBJECT_TYPE[entry.objectType] ?? entry.objectType}`;
    context.report(
      'TENANTRY_DB_DEFAULT_PRIVILEGES_PUBLIC',
      { kind: 'default-privileges', name },
      `default privileges of ${entry.owner} ${where} grant ${entry.privileges.join(', ')} on new ${OBJECT_TYPE[entry.objectType] ?? entry.objectType} to PUBLIC`,
    );
  }
}
