/**
 * The active probe: as each application role, inside a savepoint that is rolled back,
 * read every shared tenant table (1) with no tenant set, (2) with the setting '' (what a
 * pooled connection has after an earlier transaction set it), and (3) with each sampled
 * tenant set, and look for rows of another tenant. The number of statements depends on
 * `--probe-tenants`, never on how many tenants the database holds.
 */
import { TIER_TRAITS } from '@tenantry/catalog';
import { isDataException, type AuditSession } from '../session.js';
import type { TenantTable } from '../snapshot.js';
import type { CheckContext } from './context.js';

/** A tenant no database holds, valid as text and as uuid: every row it sees is a leak. */
export const PROBE_TENANT = '00000000-0000-0000-0000-000000000000';

const quoteIdentifier = (name: string): string => `"${name.replace(/"/g, '""')}"`;

interface ProbeOptions {
  readonly tenants: number;
}

/** Tenant ids to probe with: pooled catalog tenants first, else ids read from the tables. */
async function sampleTenants(context: CheckContext, session: AuditSession, tables: readonly TenantTable[], count: number): Promise<string[]> {
  const fromCatalog = (context.settings.catalog?.tenants ?? []).filter((t) => TIER_TRAITS[t.tier].data === 'shared-rows').map((t) => t.id);
  if (fromCatalog.length > 0) return fromCatalog.slice(0, count);
  const column = quoteIdentifier(context.settings.tenantColumn);
  const arms = tables.map((t) => `(select ${column}::text as tenant from only ${quoteIdentifier(t.schema)}.${quoteIdentifier(t.name)} where ${column} is not null and ${column}::text <> '' limit ${count})`);
  if (arms.length === 0) return [];
  // Under RLS the audit role may see no row at all; then only the made-up tenant is probed.
  const rows = await session.isolated(() => session.query<{ tenant: string }>(`select distinct tenant from (${arms.join(' union all ')}) s order by tenant limit ${count}`));
  return rows.map((r) => r.tenant);
}

export async function probeIsolation(context: CheckContext, session: AuditSession, options: ProbeOptions): Promise<number> {
  if (options.tenants <= 0) {
    context.skipped.push('active probe: disabled (--probe-tenants 0)');
    return 0;
  }
  const tables = context.snapshot.tables.filter((t) => !t.inTenantSchema && t.column !== undefined);
  if (tables.length === 0) return 0;
  const roles = await session.query<{ name: string; can_set: boolean; tables: number[] }>(
    `select r.rolname as name, pg_has_role(current_user, r.oid, 'MEMBER') as can_set,
            array(select t::int from unnest($2::oid[]) t where has_table_privilege(r.oid, t, 'SELECT')) as tables
       from pg_roles r where r.rolname = any($1::text[]) order by r.rolname`,
    [context.settings.appRoles, tables.map((t) => t.oid)],
  );
  const usable = roles.filter((r) => r.can_set && r.tables.length > 0);
  for (const role of roles.filter((r) => !r.can_set)) {
    context.skipped.push(`active probe as ${role.name}: the audit role cannot SET ROLE ${role.name} (GRANT ${role.name} TO <audit role>, with NOINHERIT on the audit role)`);
  }
  if (usable.length === 0) {
    if (roles.length === 0) context.skipped.push(`active probe: no application role (${context.settings.appRoles.join(', ')}) exists`);
    return 0;
  }
  const samples = [PROBE_TENANT, ...(await sampleTenants(context, session, tables, options.tenants))];
  const setting = context.settings.tenantSetting;
  const column = quoteIdentifier(context.settings.tenantColumn);
  let firstRole = true;

  for (const role of usable) {
    const probed = role.tables.flatMap((oid) => context.tableByOid.get(oid) ?? []);
    const leaks = new Map<number, string[]>();
    const visible = async (label: string, filter: string, values: readonly unknown[]): Promise<void> => {
      const arm = (t: TenantTable): string => `select ${t.oid}::int as oid where exists (select 1 from only ${quoteIdentifier(t.schema)}.${quoteIdentifier(t.name)} ${filter})`;
      let found: number[];
      try {
        found = (await session.isolated(() => session.query<{ oid: number }>(probed.map(arm).join('\nunion all\n'), values))).map((r) => r.oid);
      } catch (error) {
        // A policy may fail on this setting (e.g. a cast to uuid of ''): that table showed nothing.
        if (!isDataException(error)) throw error;
        found = [];
        for (const table of probed) {
          const rows = await session.isolated(() => session.query<{ oid: number }>(arm(table), values)).catch((failure: unknown) => {
            if (isDataException(failure)) return [];
            throw failure;
          });
          found.push(...rows.map((r) => r.oid));
        }
      }
      for (const oid of found) leaks.set(oid, [...(leaks.get(oid) ?? []), label]);
    };

    await session.isolated(async () => {
      await session.query(`set local role ${quoteIdentifier(role.name)}`);
      const [state] = await session.query<{ unset: boolean }>('select current_setting($1, true) is null as unset', [setting]);
      if (firstRole && state?.unset === true) await visible('no tenant set', '', []);
      await session.query('select set_config($1, $2, true)', [setting, '']);
      await visible(`${setting} = ''`, '', []);
      for (const tenant of samples) {
        await session.query('select set_config($1, $2, true)', [setting, tenant]);
        await visible(`${setting} = '${tenant}'`, `where ${column}::text is distinct from $1`, [tenant]);
      }
    });
    firstRole = false;

    for (const [oid, labels] of leaks) {
      const table = context.tableByOid.get(oid);
      if (!table) continue;
      const name = context.qualifiedName(table);
      context.report(
        'TENANTRY_DB_PROBE_LEAK',
        { kind: 'table', name },
        `as ${role.name}, ${name} returned rows that do not belong to the session's tenant with ${labels.join('; ')}`,
      );
    }
  }
  return samples.length;
}
