/**
 * Paths around row-level security that are not policies: SECURITY DEFINER functions that
 * run as a privileged owner, views that check policies as their owner instead of the
 * caller, and materialized views that copy tenant rows out of RLS altogether.
 */
import type { CheckContext } from './context.js';

const SECURITY_INVOKER_ON = /^security_invoker=(true|on|yes|1|t)$/i;

/**
 * Whether a function body may read tenant rows: it names a tenant table, builds SQL at run
 * time (EXECUTE), or is not SQL/PL/pgSQL (its body cannot be read). A SECURITY DEFINER
 * helper that only returns a setting is harmless.
 */
function mayReadTenantRows(language: string, source: string, tableNames: readonly string[]): boolean {
  if (language !== 'sql' && language !== 'plpgsql') return true;
  if (language === 'plpgsql' && /\bexecute\b/i.test(source)) return true;
  const text = source.toLowerCase();
  return tableNames.some((name) => new RegExp(`(^|[^a-z0-9_$])"?${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"?($|[^a-z0-9_$])`).test(text));
}

export function checkIndirectAccess(context: CheckContext): void {
  const tableNames = [...new Set(context.snapshot.tables.map((t) => t.name.toLowerCase()))];
  for (const fn of context.snapshot.securityDefinerFunctions) {
    const why = context.privilegeOf(fn.ownerOid);
    if (!why || !mayReadTenantRows(fn.language, fn.source, tableNames)) continue;
    const callers = new Set(fn.executeGrantees.flatMap((grantee) => context.holders(grantee, context.serviceRoleOids)));
    callers.delete(fn.ownerOid);
    if (callers.size === 0) continue;
    const pinned = fn.config.some((c) => c.startsWith('search_path=')) ? '' : '; its search_path is not pinned either';
    context.report(
      'TENANTRY_DB_SECURITY_DEFINER_REACHABLE',
      { kind: 'function', name: fn.name },
      `SECURITY DEFINER function ${fn.name} runs as ${fn.owner}, which ${why}, and ${[...callers].map((c) => context.roleName(c)).sort().join(', ')} may execute it${pinned}`,
    );
  }

  for (const view of context.snapshot.views) {
    // A view inside a tenant's schema over that schema's own tables stays within the tenant.
    if (view.schema.startsWith('tenant_') && view.tables.every((t) => t.startsWith(`${view.schema}.`))) continue;
    const invoker = view.options.some((o) => SECURITY_INVOKER_ON.test(o));
    if (view.relkind === 'v' && invoker) continue;
    const readers = new Set(view.selectGrantees.flatMap((grantee) => context.holders(grantee, context.serviceRoleOids)));
    if (context.serviceRoleOids.has(view.ownerOid)) readers.add(view.ownerOid);
    if (readers.size === 0) continue;
    const name = `${view.schema}.${view.name}`;
    const what = view.relkind === 'm' ? 'materialized view (its rows are stored without row-level security)' : `view without security_invoker (policies are checked as its owner ${view.owner})`;
    context.report(
      'TENANTRY_DB_VIEW_BYPASSES_RLS',
      { kind: 'view', name },
      `${name} is a ${what} over ${view.tables.join(', ')}, readable by ${[...readers].map((r) => context.roleName(r)).sort().join(', ')}`,
    );
  }
}
