/**
 * Tables holding tenant data: RLS enabled and forced, and policies that restrict by the
 * tenant setting. Permissive policies are OR-ed and restrictive ones AND-ed, so a
 * permissive policy that does not test the tenant is harmless only when a restrictive
 * policy that does covers the same command and roles.
 */
import { restrictsToTenant, type TenantScope } from '../policy-expression.js';
import type { Policy, TenantTable } from '../snapshot.js';
import type { CheckContext } from './context.js';
import { tenantSchemaName } from './context.js';

const COMMAND: Record<Policy['cmd'], string> = { r: 'SELECT', a: 'INSERT', w: 'UPDATE', d: 'DELETE', '*': 'ALL' };
const READS: ReadonlySet<Policy['cmd']> = new Set(['r', 'w', 'd', '*']);
const WRITES: ReadonlySet<Policy['cmd']> = new Set(['a', 'w', '*']);

/** The expression PostgreSQL checks new rows against: WITH CHECK, else USING (not for INSERT). */
const writeCheckOf = (policy: Policy): string | null => policy.withCheck ?? (policy.cmd === 'a' ? null : policy.qual);

function covers(restrictive: Policy, permissive: Policy): boolean {
  const command = restrictive.cmd === '*' || restrictive.cmd === permissive.cmd;
  const roles = restrictive.roles.includes('public') || permissive.roles.every((role) => restrictive.roles.includes(role));
  return command && roles;
}

/** Settings functions such as `app.current_tenant()` whose body only returns the setting. */
function settingFunctionNames(context: CheckContext): Set<string> {
  const names = new Set<string>();
  for (const fn of context.snapshot.settingFunctions) {
    const body = fn.source.trim().replace(/;\s*$/, '');
    const expression = fn.language === 'sql' ? /^select\s+([\s\S]+)$/i.exec(body)?.[1] : /^begin\s+return\s+([\s\S]+?);?\s*end$/i.exec(body)?.[1];
    if (expression && restrictsToTenant(`(x = ${expression})`, { column: 'x', setting: context.settings.tenantSetting })) names.add(fn.name);
  }
  return names;
}

function scopeOf(table: TenantTable, context: CheckContext, settingFunctions: ReadonlySet<string>, catalogIds: ReadonlyMap<string, string>): TenantScope {
  const literals = new Set<string>();
  if (table.inTenantSchema) {
    const suffix = table.schema.slice('tenant_'.length);
    literals.add(suffix);
    literals.add(suffix.replace(/_/g, '-'));
    const id = catalogIds.get(table.schema);
    if (id !== undefined) literals.add(id);
  }
  return { column: context.settings.tenantColumn, setting: context.settings.tenantSetting, settingFunctions, tenantLiterals: literals };
}

export function checkRowLevelSecurity(context: CheckContext): void {
  const settingFunctions = settingFunctionNames(context);
  const catalogIds = new Map((context.settings.catalog?.tenants ?? []).map((t) => [tenantSchemaName(t.id), t.id]));
  const policiesByTable = new Map<number, Policy[]>();
  for (const policy of context.snapshot.policies) policiesByTable.set(policy.tableOid, [...(policiesByTable.get(policy.tableOid) ?? []), policy]);

  for (const table of context.snapshot.tables) {
    const name = context.qualifiedName(table);
    const holds = table.column ? `a ${context.settings.tenantColumn} column` : `the tenant schema ${table.schema}`;
    if (table.isPartition && !context.reachableDirectly(table.oid)) {
      // Reached only through its parent, whose policies apply; checked there.
    } else if (!table.rlsEnabled) {
      context.report('TENANTRY_DB_RLS_DISABLED', { kind: 'table', name }, `${name} holds tenant data (${holds}) and row-level security is not enabled`);
    } else if (!table.rlsForced) {
      context.report('TENANTRY_DB_RLS_NOT_FORCED', { kind: 'table', name }, `${name} has row-level security enabled but not forced: its owner ${table.owner} bypasses every policy`);
    }

    const scope = scopeOf(table, context, settingFunctions, catalogIds);
    const policies = policiesByTable.get(table.oid) ?? [];
    const restrictive = policies.filter((p) => !p.permissive);
    for (const policy of policies) {
      const object = { kind: 'policy' as const, name: `${name}/${policy.name}` };
      if (policy.roles.includes('public')) {
        context.report('TENANTRY_DB_POLICY_TO_PUBLIC', object, `policy ${policy.name} on ${name} (FOR ${COMMAND[policy.cmd]}) applies to PUBLIC, i.e. to every role`);
      }
      if (!policy.permissive) continue;
      const coveredRead = restrictive.some((r) => covers(r, policy) && restrictsToTenant(r.qual, scope));
      if (READS.has(policy.cmd) && !coveredRead && !restrictsToTenant(policy.qual, scope)) {
        context.report(
          'TENANTRY_DB_POLICY_NOT_TENANT_SCOPED',
          object,
          `policy ${policy.name} on ${name} (FOR ${COMMAND[policy.cmd]} TO ${policy.roles.join(', ')}) has USING (${policy.qual ?? 'true'}), which does not restrict rows to ${scope.column} = current_setting('${scope.setting}')`,
        );
        continue;
      }
      if (!WRITES.has(policy.cmd)) continue;
      const check = writeCheckOf(policy);
      const coveredWrite = restrictive.some((r) => covers(r, policy) && restrictsToTenant(writeCheckOf(r), scope));
      if (coveredWrite || restrictsToTenant(check, scope)) continue;
      context.report(
        'TENANTRY_DB_POLICY_WRITE_UNCHECKED',
        object,
        check === null
          ? `policy ${policy.name} on ${name} (FOR ${COMMAND[policy.cmd]}) has no WITH CHECK: a session may write rows of any tenant`
          : `policy ${policy.name} on ${name} (FOR ${COMMAND[policy.cmd]}) has WITH CHECK (${check}), which does not test the tenant of written rows`,
      );
    }
  }
}
