/**
 * The tokens file: `{ "<tenant-id>": "<JWT>" }`, one bearer token per tenant, for a
 * service that takes the tenant from the `tenant_id` claim of `Authorization: Bearer`.
 * Read by the k6 script with `open()` (path in `TENANTRY_TOKENS`) and by the local driver
 * (`--tokens <file>`). Pure, so both load generators check it the same way.
 */
import type { LoadTenant } from './tenants-file.js';

/** Tenant id → JWT. */
export type TenantTokens = Readonly<Record<string, string>>;

/** Thrown for a tokens file that is not a JSON object of non-empty strings or misses a tenant. */
export class TokensFileError extends Error {
  constructor(source: string, problems: readonly string[]) {
    super(`tokens file ${source} is not usable:\n${problems.map((p) => `- ${p}`).join('\n')}`);
    this.name = 'TokensFileError';
  }
}

/**
 * Parses a tokens file and checks that it has a token for every tenant of the run: a
 * tenant without one would be refused with 401 and fail its error budget for a reason
 * that has nothing to do with the service's health.
 */
export function parseTokensFile(text: string, tenants: readonly LoadTenant[], source: string): TenantTokens {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new TokensFileError(source, [`it is not JSON (${error instanceof Error ? error.message : String(error)})`]);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new TokensFileError(source, ['the top level is not an object of tenant id → token']);
  const entries = Object.entries(data);
  const problems = entries.filter(([, token]) => typeof token !== 'string' || token === '').map(([id]) => `the token of "${id}" is not a non-empty string`);
  const missing = tenants.filter((t) => !Object.prototype.hasOwnProperty.call(data, t.id)).map((t) => t.id);
  if (missing.length > 0) problems.push(`no token for tenant(s) ${missing.join(', ')}: add them, or run against a service without authentication`);
  if (problems.length > 0) throw new TokensFileError(source, problems);
  return data as TenantTokens;
}

/** The Authorization header of a tenant, or no header when the run has no tokens. */
export function authorizationHeader(tokens: TenantTokens | undefined, tenantId: string): Record<string, string> {
  const token = tokens?.[tenantId];
  return token === undefined ? {} : { Authorization: `Bearer ${token}` };
}
