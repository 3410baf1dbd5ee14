export { auditDatabase, DEFAULT_APP_ROLES, type AuditOptions } from './audit-database.js';
export { resolveConnection, urlFromSecret } from './connection.js';
export { FORMATS, formatReport, type Format } from './format.js';
export type { AuditFinding, AuditObject, AuditReport, AuditRule, ObjectKind, RuleLevel } from './model.js';
export { restrictsToTenant, type TenantScope } from './policy-expression.js';
export { AUDIT_RULES, auditRule, type AuditRuleId } from './rules.js';
