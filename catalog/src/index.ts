export { exitOnCatalogError } from './command-line.js';
export { CatalogValidationError, formatIssue } from './errors.js';
export {
  CATALOG_DIRECTORY_VARIABLE,
  ENVIRONMENT_VARIABLE,
  defaultCatalogDirectory,
  exampleCatalogDirectory,
  loadCatalog,
  selectEnvironments,
  type LoadCatalogOptions,
} from './loader.js';
export { DEFAULT_SLO, PLAN_DEFAULTS, PLAN_NAMES, TIER_NAMES } from './plans.js';
export type { NamespaceQuota, PlanDefaults, PlanName, SloBudget, TierName } from './plans.js';
export { auditSecretName, customHostnames, findTenant, hostnameIndex, latencyBudgetsSeconds, platformHostname, tenantHostnames } from './queries.js';
export { quotaBreaches, quotaIssues, type QuotaBreach } from './quota-rules.js';
export { TIER_TRAITS, assertNever, tenantHasNamespace, tierTraits } from './tier-traits.js';
export type { NamespacePolicy, TenantDataPlacement, TierTraits } from './tier-traits.js';
export { TENANT_ID_PATTERN, isValidHostname } from './schema.js';
export { sloIssues, type SloRuleOptions } from './slo-rules.js';
export type { Catalog, CatalogIssue, Environment, NodeGroupSize, Tenant } from './types.js';
