/**
 * Decides whether a policy expression, as PostgreSQL deparses it into
 * `pg_policies.qual` / `with_check`, restricts rows to the tenant in the session setting.
 *
 * It restricts when, read as AND/OR of comparisons, every OR branch holds a conjunct
 * `<tenant column> = <setting>` where `<setting>` is `current_setting('<name>'[, …])`,
 * possibly cast, wrapped in NULLIF(…, '') or in a scalar `(SELECT …)`, or a
 * call of a function known to return that setting. Anything not understood does not
 * restrict: the audit would rather report a policy it cannot read than pass it.
 */

export interface TenantScope {
  /** Column holding the tenant id, e.g. `tenant_id`. */
  readonly column: string;
  /** Setting the application sets per transaction, e.g. `app.current_tenant`. */
  readonly setting: string;
  /** Qualified names of functions whose body only returns the setting (`app.current_tenant()`). */
  readonly settingFunctions?: ReadonlySet<string>;
  /** In a `tenant_<id>` schema, a literal naming that tenant also restricts. */
  readonly tenantLiterals?: ReadonlySet<string>;
}

/** Splits `text` at top-level occurrences of `separator` (outside quotes and parentheses). */
function splitTopLevel(text: string, separator: RegExp): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === "'" || ch === '"') {
      const close = ch;
      i += 1;
      while (i < text.length) {
        if (text[i] === close && text[i + 1] === close) i += 2;
        else if (text[i] === close) break;
        else i += 1;
      }
      i += 1;
      continue;
    }
    if (ch === '(') depth += 1;
    else if (ch === ')') depth -= 1;
    else if (depth === 0) {
      const match = separator.exec(text.slice(i));
      const wordBoundary = !/^[a-z]/i.test(match?.[0] ?? '') || i === 0 || /\s/.test(text[i - 1] ?? '');
      if (match && match.index === 0 && wordBoundary) {
        parts.push(text.slice(start, i));
        i += match[0].length;
        start = i;
        continue;
      }
    }
    i += 1;
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim());
}

/** Whether the parenthesis opening at 0 closes at the last character. */
function wrappedInParentheses(text: string): boolean {
  if (!text.startsWith('(') || !text.endsWith(')')) return false;
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i];
    if (quote) {
      if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '(') depth += 1;
    else if (ch === ')') {
      depth -= 1;
      if (depth === 0 && i < text.length - 1) return false;
    }
  }
  return true;
}

/** Removes outer parentheses, trailing casts (`::uuid`, `::text[]`) and a scalar `(SELECT x AS y)`. */
function strip(text: string): string {
  let current = text.trim();
  for (;;) {
    const before = current;
    if (wrappedInParentheses(current)) current = current.slice(1, -1).trim();
    current = current.replace(/::(?:"[^"]+"|[a-z_][\w.]*)(?:\s*\(\d+(?:,\s*\d+)?\))?(?:\[\])?$/i, '').trim();
    const scalar = /^SELECT\s+([\s\S]+?)(?:\s+AS\s+(?:"[^"]+"|\w+))?$/i.exec(current);
    if (scalar?.[1] && !/\bFROM\b/i.test(scalar[1])) current = scalar[1].trim();
    if (current === before) return current;
  }
}

const unquoteIdentifier = (name: string): string => (name.startsWith('"') && name.endsWith('"') ? name.slice(1, -1).replace(/""/g, '"') : name);

/** The column name, if `text` is a (possibly table-qualified, cast) column reference. */
function columnName(text: string): string | undefined {
  const match = /^(?:(?:"[^"]+"|\w+)\.)?("[^"]+"|\w+)$/.exec(strip(text));
  return match?.[1] ? unquoteIdentifier(match[1]) : undefined;
}

function stringLiteral(text: string): string | undefined {
  const match = /^'((?:[^']|'')*)'$/.exec(strip(text));
  return match?.[1] === undefined ? undefined : match[1].replace(/''/g, "'");
}

/** Whether `text` evaluates to the tenant setting (or NULL when it is unset). */
export function isTenantSetting(text: string, scope: TenantScope): boolean {
  const expression = strip(text);
  const nullif = /^NULLIF\(([\s\S]*)\)$/i.exec(expression);
  if (nullif?.[1]) {
    const [value, empty] = splitTopLevel(nullif[1], /^,/);
    return value !== undefined && stringLiteral(empty ?? '') === '' && isTenantSetting(value, scope);
  }
  const call = /^(?:pg_catalog\.)?current_setting\(([\s\S]*)\)$/i.exec(expression);
  if (call?.[1]) {
    const [name, missingOk, ...rest] = splitTopLevel(call[1], /^,/);
    if (rest.length > 0 || name === undefined) return false;
    if (missingOk !== undefined && !/^(true|false)$/i.test(strip(missingOk))) return false;
    return stringLiteral(name) === scope.setting;
  }
  const fn = /^((?:"[^"]+"|\w+)(?:\.(?:"[^"]+"|\w+))?)\(\s*\)$/.exec(expression);
  if (fn?.[1]) {
    const name = fn[1].split('.').map(unquoteIdentifier).join('.');
    return scope.settingFunctions?.has(name) === true || scope.settingFunctions?.has(`public.${name}`) === true;
  }
  return false;
}

function comparisonRestricts(text: string, scope: TenantScope): boolean {
  const sides = splitTopLevel(text, /^(=|IS NOT DISTINCT FROM)\s/i);
  if (sides.length !== 2) return false;
  const [left, right] = sides as [string, string];
  const tenantSide = (side: string): boolean =>
    columnName(side) === scope.column || (scope.tenantLiterals?.has(stringLiteral(side) ?? '\u0000') ?? false);
  return (tenantSide(left) && isTenantSetting(right, scope)) || (tenantSide(right) && isTenantSetting(left, scope));
}

/** Whether the deparsed policy expression admits only rows of the session's tenant. */
export function restrictsToTenant(expression: string | null | undefined, scope: TenantScope): boolean {
  if (expression === null || expression === undefined) return false;
  const text = strip(expression);
  const branches = splitTopLevel(text, /^OR\s/i);
  if (branches.length > 1) return branches.every((branch) => restrictsToTenant(branch, scope));
  const conjuncts = splitTopLevel(text, /^AND\s/i);
  if (conjuncts.length > 1) return conjuncts.some((conjunct) => restrictsToTenant(conjunct, scope));
  if (/^NOT\s/i.test(text)) return false;
  return comparisonRestricts(text, scope);
}
