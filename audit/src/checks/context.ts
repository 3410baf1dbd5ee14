/**
 * What the checks share: the snapshot plus who is who. "Service roles" are the roles
 * requests run as (the application roles, the login roles that are members of them, and
 * the tenants' schema roles); "privileged" roles are those whose powers defeat isolation.
 */
import type { Catalog } from '@tenantry/catalog';
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
    }
    const appNames = new Set(settings.appRoles);
    this.appRoleOids = new Set(snapshot.roles.filter((r) => appNames.has(r.name)).map((r) => r.oid));
    // A login role of the pooled service (a member of an app role) is not a tenant's role, whatever its name.
    this.tenantRoleOids = new Set(
      snapshot.roles
        .filter((r) => /^tenant_/.test(r.name) && !appNames.has(r.name) && ![...this.appRoleOids].some((app) => this.isMemberOf(r.oid, app)))
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

  /** Roles that hold privileges granted to `grantee`: PUBLIC is everyone. */
  holders(grantee: number, among: Iterable<number>): number[] {
    return [...among].filter((oid) => grantee === 0 || oid === grantee || this.isMemberOf(oid, grantee));
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
