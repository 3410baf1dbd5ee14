/** What an audit finding says, and the rule it breaks. */

/** SARIF levels: `error` breaks isolation, `warning` weakens a defence. */
export type RuleLevel = 'error' | 'warning';

/** The kind of database object a finding is about. */
export type ObjectKind = 'table' | 'column' | 'policy' | 'role' | 'schema' | 'default-privileges' | 'function' | 'view' | 'relation';

export interface AuditRule {
  /** Stable id, e.g. `TENANTRY_DB_RLS_NOT_FORCED`. */
  readonly id: string;
  /** What must hold, one sentence (SARIF shortDescription). */
  readonly title: string;
  /** Why it matters: what an attacker or a bug gets when it does not hold (SARIF fullDescription). */
  readonly why: string;
  /** How to fix a finding, as SQL where possible. */
  readonly fix: string;
  readonly level: RuleLevel;
  /** The same control in other tools or guides, when one exists. */
  readonly alsoKnownAs?: readonly string[];
}

export interface AuditObject {
  readonly kind: ObjectKind;
  /** Qualified name: `schema.table`, `schema.table.column`, `schema.table/policy`, a role name. */
  readonly name: string;
}

export interface AuditFinding {
  readonly ruleId: string;
  readonly object: AuditObject;
  /** What is wrong with this object, with the values found. */
  readonly problem: string;
}

/** Everything one run of the audit produced. */
export interface AuditReport {
  readonly database: string;
  readonly findings: readonly AuditFinding[];
  /** Checks that did not run and why (no catalog, no app role to probe as, …). */
  readonly skipped: readonly string[];
  /** SQL statements sent, the transaction's own statements included. */
  readonly queryCount: number;
  /** What was examined, for the summary line. */
  readonly examined: { readonly tenantTables: number; readonly policies: number; readonly tenantSchemas: number; readonly roles: number; readonly probedTenants: number };
}
