/**
 * The shape of `tenants.json`: the catalog reduced to what a load test needs, written by
 * `loadtests/generate` in Node and read by the k6 script with `open()`. It is plain data
 * so the k6 bundle needs no Node.js package: names from `@tenantry/conventions`
 * and budgets from the catalog are baked in at generation time.
 */

/** Bumped when the shape changes, so a stale file fails loudly instead of half-working. */
export const TENANTS_FILE_VERSION = 1;

export interface LoadTenant {
  readonly id: string;
  /** Host header the load test sends: the tenant's platform hostname in the environment. */
  readonly hostname: string;
  /** Relative share of the total request rate (catalog `trafficWeight`, a plan default). */
  readonly weight: number;
  /** p95 latency budget, in milliseconds. */
  readonly p95BudgetMs: number;
  /** Error-rate budget as a ratio (0.01 = 1%). */
  readonly errorRateBudget: number;
}

export interface TenantsFile {
  readonly version: number;
  /** Catalog environment whose hostnames were written. */
  readonly environment: string;
  /** k6 tag that carries the tenant id (`LOADTEST_TENANT_TAG`). */
  readonly tenantTag: string;
  /** Budget of the overall `http_req_duration` p95, in milliseconds (the catalog default). */
  readonly overallP95BudgetMs: number;
  readonly tenants: readonly LoadTenant[];
}

/** Thrown when `tenants.json` is missing fields or was written by another version. */
export class TenantsFileError extends Error {
  constructor(problems: readonly string[]) {
    super(`tenants.json is not usable (regenerate it with \`npm run loadtests:build\`):\n${problems.map((p) => `- ${p}`).join('\n')}`);
    this.name = 'TenantsFileError';
  }
}

/** Parses and checks `tenants.json`, listing every problem at once. */
export function parseTenantsFile(text: string): TenantsFile {
  const data: unknown = JSON.parse(text);
  const problems: string[] = [];
  if (!isRecord(data)) throw new TenantsFileError(['the top level is not an object']);
  if (data['version'] !== TENANTS_FILE_VERSION) problems.push(`version is ${String(data['version'])}, expected ${TENANTS_FILE_VERSION}`);
  if (typeof data['environment'] !== 'string') problems.push('environment is not a string');
  if (typeof data['tenantTag'] !== 'string' || data['tenantTag'] === '') problems.push('tenantTag is not a non-empty string');
  if (!isPositive(data['overallP95BudgetMs'])) problems.push('overallP95BudgetMs is not a positive number');
  const tenants = data['tenants'];
  if (!Array.isArray(tenants) || tenants.length === 0) {
    problems.push('tenants is not a non-empty array');
  } else {
    tenants.forEach((tenant: unknown, index) => problems.push(...tenantProblems(tenant, index)));
  }
  if (problems.length > 0) throw new TenantsFileError(problems);
  return data as unknown as TenantsFile;
}

function tenantProblems(tenant: unknown, index: number): string[] {
  const at = `tenants[${index}]`;
  if (!isRecord(tenant)) return [`${at} is not an object`];
  const problems: string[] = [];
  if (typeof tenant['id'] !== 'string' || tenant['id'] === '') problems.push(`${at}.id is not a non-empty string`);
  if (typeof tenant['hostname'] !== 'string' || tenant['hostname'] === '') problems.push(`${at}.hostname is not a non-empty string`);
  if (!isPositive(tenant['weight'])) problems.push(`${at}.weight is not a positive number`);
  if (!isPositive(tenant['p95BudgetMs'])) problems.push(`${at}.p95BudgetMs is not a positive number`);
  const errorRate = tenant['errorRateBudget'];
  if (typeof errorRate !== 'number' || !(errorRate > 0 && errorRate <= 1)) problems.push(`${at}.errorRateBudget is not a ratio in (0, 1]`);
  return problems;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPositive(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}
