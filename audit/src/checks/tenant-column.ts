/**
 * The tenant column: NOT NULL, and unable to hold '' (a CHECK constraint on the column or
 * its domain that rejects the empty string), and no existing row with a NULL or empty
 * tenant. Whether a constraint rejects '' is asked of PostgreSQL itself: each distinct
 * constraint expression is evaluated once with the column replaced by ''.
 */
import { isDataException, type AuditSession } from '../session.js';
import type { CheckConstraint, TenantTable } from '../snapshot.js';
import type { CheckContext } from './context.js';

const quoteIdentifier = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** Replaces every reference to `name` (bare or quoted, outside string literals) with `replacement`. */
function substitute(expression: string, name: string, replacement: string): string {
  const pattern = new RegExp(`'(?:[^']|'')*'|"(?:[^"]|"")*"|\\b[A-Za-z_][A-Za-z0-9_$]*\\b`, 'g');
  return expression.replace(pattern, (token) => {
    if (token.startsWith("'")) return token;
    const bare = token.startsWith('"') ? token.slice(1, -1).replace(/""/g, '"') : token;
    return bare === name ? replacement : token;
  });
}

/** `CHECK ((tenant_id <> ''::text)) NOT VALID` → `(tenant_id <> ''::text)` with the column as ''. */
function emptyStringProbe(constraint: CheckConstraint, column: string): string | undefined {
  const match = /^CHECK\s*\(([\s\S]*)\)(?:\s+NOT VALID)?(?:\s+NO INHERIT)?$/i.exec(constraint.definition.trim());
  if (!match?.[1]) return undefined;
  return substitute(match[1], constraint.onDomain ? 'VALUE' : column, `(''::text)`);
}

/** Constraint expressions that evaluate to false for '' (i.e. reject it). */
async function expressionsRejectingEmpty(session: AuditSession, expressions: readonly string[]): Promise<Set<string>> {
  const rejecting = new Set<string>();
  if (expressions.length === 0) return rejecting;
  const select = (list: readonly string[]): string => `select ${list.map((e, i) => `((${e}) is false) as c${i}`).join(', ')}`;
  try {
    const [row] = await session.isolated(() => session.query<Record<string, boolean>>(select(expressions)));
    expressions.forEach((e, i) => {
      if (row?.[`c${i}`] === true) rejecting.add(e);
    });
  } catch (error) {
    // One expression failed on '' (e.g. a cast): ask one by one; a failure means "not proven".
    if (!isDataException(error)) throw error;
    for (const expression of expressions) {
      const rejected = await session
        .isolated(() => session.query<Record<string, boolean>>(select([expression])))
        .then(([row]) => row?.['c0'] === true)
        .catch((failure: unknown) => {
          if (isDataException(failure)) return false;
          throw failure;
        });
      if (rejected) rejecting.add(expression);
    }
  }
  return rejecting;
}

export async function checkTenantColumn(context: CheckContext, session: AuditSession): Promise<void> {
  const column = context.settings.tenantColumn;
  const withColumn = context.snapshot.tables.filter((t): t is TenantTable & { column: NonNullable<TenantTable['column']> } => t.column !== undefined);

  const probes = new Map<CheckConstraint, string>();
  for (const constraint of context.snapshot.checkConstraints) {
    const probe = emptyStringProbe(constraint, column);
    if (probe !== undefined) probes.set(constraint, probe);
  }
  const rejecting = await expressionsRejectingEmpty(session, [...new Set(probes.values())]);
  const guarded = new Map<number, { validated: boolean }>();
  for (const [constraint, probe] of probes) {
    if (!rejecting.has(probe)) continue;
    const previous = guarded.get(constraint.ownerOid);
    guarded.set(constraint.ownerOid, { validated: constraint.validated || previous?.validated === true });
  }

  const rowsToScan: TenantTable[] = [];
  for (const table of withColumn) {
    const name = `${context.qualifiedName(table)}.${column}`;
    if (!table.column.notNull) {
      context.report('TENANTRY_DB_TENANT_COLUMN_NULLABLE', { kind: 'column', name }, `${name} (${table.column.type}) allows NULL`);
    }
    const guard = guarded.get(table.oid) ?? (table.column.domainOid === undefined ? undefined : guarded.get(table.column.domainOid));
    if (table.column.isString && guard === undefined) {
      context.report('TENANTRY_DB_TENANT_COLUMN_CAN_BE_EMPTY', { kind: 'column', name }, `${name} (${table.column.type}) has no CHECK constraint rejecting ''`);
    }
    if (!table.column.notNull || (table.column.isString && guard?.validated !== true)) rowsToScan.push(table);
  }
  await findEmptyTenantRows(context, session, rowsToScan);
}

/** One statement over every table that could hold such rows; each scan stops at the first row. */
async function findEmptyTenantRows(context: CheckContext, session: AuditSession, tables: readonly TenantTable[]): Promise<void> {
  if (tables.length === 0) return;
  const column = quoteIdentifier(context.settings.tenantColumn);
  const readable = new Set(
    (
      await session.query<{ oid: number }>(`select oid::int as oid from unnest($1::oid[]) oid where has_table_privilege(oid, 'SELECT')`, [tables.map((t) => t.oid)])
    ).map((r) => r.oid),
  );
  const scanned = tables.filter((t) => readable.has(t.oid));
  const unreadable = tables.length - scanned.length;
  if (unreadable > 0) context.skipped.push(`${unreadable} table(s) that may hold rows with an empty tenant are not readable by the audit role; the probe looks at them as the application role`);
  if (scanned.length === 0) return;
  const arms = scanned.map(
    (t) => `select ${t.oid}::int as oid where exists (select 1 from only ${quoteIdentifier(t.schema)}.${quoteIdentifier(t.name)} where ${column} is null or ${column}::text = '')`,
  );
  const found = await session.query<{ oid: number }>(arms.join('\nunion all\n'));
  for (const { oid } of found) {
    const table = context.tableByOid.get(oid);
    if (!table) continue;
    const name = context.qualifiedName(table);
    context.report('TENANTRY_DB_EMPTY_TENANT_ROWS', { kind: 'table', name }, `${name} holds at least one row whose ${context.settings.tenantColumn} is NULL or ''`);
  }
}
