/**
 * What the checks share: the snapshot plus who is who. "Service roles" are the roles
 * requests run as (the application roles, the login roles that are members of them, and
 * the tenants' schema roles); "privileged" roles are those whose powers defeat isolation.
 */
import { TIER_TRAITS, type Catalog } from '@tenantry/catalog';
import type { AuditFinding } from '../model.js';
import type { AuditRuleId } from '../rules.js';
import type { DatabaseSnapshot, RoleInfo, TenantTable } from '../snapshot.js';

/** Predefined roles that read or write past privileges (not past RLS). */
const PREDEFINED_PRIVILEGED = new Set(['pg_read_all_data', 'pg_write_all_data', 'pg_execute_server_program', 'pg_read_server_files', 'pg_write_server_files']);

export interface AuditSettings {
  readonly tenantColumn: string;
  readonly tenantSetting: string;
  /** Roles requests run as (`SET ROLE` per transaction), e.g. `tenant_api`. */
  readonly appRoles: readonly string[];
  /** Further login roles services use that are not members of an app role. */
  readonly serviceRoles: readonly string[];
  /** Schema-tier tenants of the catalog, or undefined when no catalog was given. */
  readonly catalog?: Catalog;
}

/** `tenant_<id>` with hyphens as underscores: the schema and role name of a schema-tier tenant. */
export const tenantSchemaName = (tenantId: string): string => `tenant_${tenantId.replace(/-/g, '_')}`;

export class CheckContext {
  readonly findings: AuditFinding[] = [];
  /** Checks (or parts) that could not run, and why. */
  readonly skipped: string[] = [];
  readonly roleById: ReadonlyMap<number, RoleInfo>;
  readonly roleByName: ReadonlyMap<string, RoleInfo>;
  /** Role oid → every role it is a member of, directly or not (itself excluded). */
  private readonly memberOf = new Map<number, Set<number>>();
  /** Role oid → every role that is a member of it, directly or not. */
  private readonly members = new Map<number, Set<number>>();
  readonly appRoleOids: ReadonlySet<number>;
  /** Login roles of the `tenant_<id>` form (the schema tier), app roles excluded. */
  readonly tenantRoleOids: ReadonlySet<number>;
  readonly serviceRoleOids: ReadonlySet<number>;
  readonly tableByOid: ReadonlyMap<number, TenantTable>;

  constructor(
    readonly snapshot: DatabaseSnapshot,
    readonly settings: AuditSettings,
  ) {
    this.roleById = new Map(snapshot.roles.map((r) => [r.oid, r]));
    this.roleByName = new Map(snapshot.roles.map((r) => [r.name, r]));
    this.tableByOid = new Map(snapshot.tables.map((t) => [t.oid, t]));
    const direct = new Map<number, number[]>();
    for (const [member, role] of snapshot.memberships) direct.set(member, [...(direct.get(member) ?? []), role]);
    for (const role of snapshot.roles) {
      const reached = new Set<number>();
      const queue = [...(direct.get(role.oid) ?? [])];
      while (queue.length > 0) {
        const next = queue.pop() as number;
        if (reached.has(next) || next === role.oid) continue;
        reached.add(next);
        queue.push(...(direct.get(next) ?? []));
      }
      this.memberOf.set(role.oid, reached);
      for (const group of reached) {
        const members = this.members.get(group) ?? new Set<number>();
        members.add(role.oid);
        this.members.set(group, members);
      }
    }
    const appNames = new Set(settings.appRoles);
    const tenantSchemas = new Set(snapshot.schemas.map((s) => s.name));
    const expected = new Set((settings.catalog?.tenants ?? []).filter((t) => TIER_TRAITS[t.tier].ownSchema).map((t) => tenantSchemaName(t.id)));
    this.appRoleOids = new Set(snapshot.roles.filter((r) => appNames.has(r.name)).map((r) => r.oid));
    // A tenant's role is named like its schema. A login role of the pooled service (a member of
    // an app role) with no such schema, e.g. tenant_api_login, is not a tenant's role.
    this.tenantRoleOids = new Set(
      snapshot.roles
        .filter(
          (r) =>
            /^tenant_/.test(r.name) &&
            !appNames.has(r.name) &&
            (tenantSchemas.has(r.name) || expected.has(r.name) || ![...this.appRoleOids].some((app) => this.isMemberOf(r.oid, app))),
        )
        .map((r) => r.oid),
    );
    const extra = new Set(settings.serviceRoles);
    this.serviceRoleOids = new Set(
      snapshot.roles
        .filter(
          (r) =>
            this.appRoleOids.has(r.oid) ||
            this.tenantRoleOids.has(r.oid) ||
            extra.has(r.name) ||
            (r.canLogin && [...this.appRoleOids].some((app) => this.isMemberOf(r.oid, app))),
        )
        .map((r) => r.oid),
    );
  }

  report(ruleId: AuditRuleId, object: AuditFinding['object'], problem: string): void {
    this.findings.push({ ruleId, object, problem });
  }

  roleName(oid: number): string {
    return oid === 0 ? 'PUBLIC' : (this.roleById.get(oid)?.name ?? `role ${oid}`);
  }

  /** Whether `member` is (transitively) a member of `role`: it can SET ROLE to it. */
  isMemberOf(member: number, role: number): boolean {
    return this.memberOf.get(member)?.has(role) === true;
  }

  /** Every role `oid` is a member of, directly or not. */
  membershipsOf(oid: number): ReadonlySet<number> {
    return this.memberOf.get(oid) ?? new Set();
  }

  /** Roles that hold privileges granted to `grantee` (itself and its members): PUBLIC is everyone. */
  holders(grantee: number, among: ReadonlySet<number>): number[] {
    if (grantee === 0) return [...among];
    const found = [...(this.members.get(grantee) ?? [])].filter((oid) => among.has(oid));
    return among.has(grantee) ? [grantee, ...found] : found;
  }

  /** Whether a service role (or PUBLIC) holds a privilege granted on the relation itself. */
  reachableDirectly(oid: number): boolean {
    return this.snapshot.relationGrants.some((g) => g.oid === oid && (g.grantee === 0 || this.holders(g.grantee, this.serviceRoleOids).length > 0));
  }

  /** Owners of pooled tenant tables (they may disable RLS on them). */
  get pooledTableOwners(): ReadonlySet<number> {
    return new Set(this.snapshot.tables.filter((t) => !t.inTenantSchema).map((t) => t.ownerOid));
  }

  /** Why a role's powers defeat isolation, or undefined when they do not. */
  privilegeOf(oid: number): string | undefined {
    const role = this.roleById.get(oid);
    if (!role) return undefined;
    if (role.superuser) return 'is a superuser';
    if (role.bypassRls) return 'has BYPASSRLS';
    if (role.createRole) return 'has CREATEROLE';
    if (PREDEFINED_PRIVILEGED.has(role.name)) return 'is a predefined role that reads or writes every table';
    if (this.pooledTableOwners.has(oid)) return 'owns tenant tables';
    return undefined;
  }

  qualifiedName(table: TenantTable): string {
    return `${table.schema}.${table.name}`;
  }
}
