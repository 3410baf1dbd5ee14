/** Runs every check against one database and returns the report; never writes. */
import type { Catalog } from '@tenantry/catalog';
import { CheckContext } from './checks/context.js';
import { checkIndirectAccess } from './checks/indirect-access.js';
import { probeIsolation } from './checks/probe.js';
import { checkRoles } from './checks/roles.js';
import { checkRowLevelSecurity } from './checks/row-level-security.js';
import { checkSchemaTier } from './checks/schema-tier.js';
import { checkTenantColumn } from './checks/tenant-column.js';
import type { AuditReport } from './model.js';
import { AuditSession } from './session.js';
import { readSnapshot } from './snapshot.js';

export interface AuditOptions {
  /**
   * Column that holds the tenant id in pooled tables.
   * @default 'tenant_id'
   */
  readonly tenantColumn?: string;
  /**
   * Setting the application sets per transaction and policies compare with.
   * @default 'app.current_tenant'
   */
  readonly tenantSetting?: string;
  /**
   * Roles requests run as (the reference service's `tenant_api`).
   * @default ['tenant_api']
   */
  readonly appRoles?: readonly string[];
  /**
   * Further login roles services use that are not members of an app role.
   * @default - none
   */
  readonly serviceRoles?: readonly string[];
  /**
   * Tenant catalog: enables the missing/orphan schema and role checks and names the
   * pooled tenants the probe samples.
   * @default - no catalog: those checks are skipped and listed as skipped
   */
  readonly catalog?: Catalog;
  /**
   * Tenants the active probe samples (besides a tenant that exists nowhere); 0 disables it.
   * @default 5
   */
  readonly probeTenants?: number;
  /**
   * Longest one statement may run.
   * @default 30000
   */
  readonly statementTimeoutMs?: number;
  /** Called before each phase, for progress output on long runs. */
  readonly onProgress?: (message: string) => void;
}

export const DEFAULT_APP_ROLES = ['tenant_api'] as const;

export async function auditDatabase(connectionString: string, options: AuditOptions = {}): Promise<AuditReport> {
  const progress = options.onProgress ?? (() => undefined);
  const settings = {
    tenantColumn: options.tenantColumn ?? 'tenant_id',
    tenantSetting: options.tenantSetting ?? 'app.current_tenant',
    appRoles: options.appRoles ?? DEFAULT_APP_ROLES,
    serviceRoles: options.serviceRoles ?? [],
    ...(options.catalog ? { catalog: options.catalog } : {}),
  };
  const session = await AuditSession.open(connectionString, { statementTimeoutMs: options.statementTimeoutMs ?? 30_000 });
  try {
    progress('reading the system catalogs');
    const snapshot = await readSnapshot(session, settings);
    const context = new CheckContext(snapshot, settings);
    progress(`checking ${snapshot.tables.length} tenant table(s), ${snapshot.policies.length} policies, ${snapshot.roles.length} roles`);
    checkRowLevelSecurity(context);
    await checkTenantColumn(context, session);
    checkRoles(context);
    checkSchemaTier(context);
    checkIndirectAccess(context);
    progress(`probing as ${settings.appRoles.join(', ')}`);
    const probedTenants = await probeIsolation(context, session, { tenants: options.probeTenants ?? 5 });
    return {
      database: snapshot.database,
      findings: context.findings,
      skipped: context.skipped,
      queryCount: session.queryCount + 1,
      examined: {
        tenantTables: snapshot.tables.length,
        policies: snapshot.policies.length,
        tenantSchemas: snapshot.schemas.filter((s) => s.name !== 'public').length,
        roles: snapshot.roles.length,
        probedTenants,
      },
    };
  } finally {
    await session.close();
  }
}
