/**
 * Authenticated tenancy: a request carries `Authorization: Bearer <JWT>` whose
 * `tenant_id` claim names its tenant, verified with `jose` against a JWKS (a URL in
 * production, a local file in tests and demos). Development mode, where the Host header
 * alone decides, exists only when `TENANTRY_AUTH_MODE=development` says so.
 */
import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { ConfigError } from './config-error.js';
import { DependencyError } from './dependency-errors.js';

/** The JWT claim that names the tenant. */
export const TENANT_CLAIM = 'tenant_id';
export const AUTH_VARIABLES = {
  mode: 'TENANTRY_AUTH_MODE',
  jwksUrl: 'TENANTRY_AUTH_JWKS_URL',
  jwksFile: 'TENANTRY_AUTH_JWKS_FILE',
  issuer: 'TENANTRY_AUTH_ISSUER',
  audience: 'TENANTRY_AUTH_AUDIENCE',
} as const;

/** Asymmetric algorithms only: a shared secret in every replica would let any of them mint tokens. */
const ALGORITHMS = ['ES256', 'ES384', 'RS256', 'PS256', 'EdDSA'];

export type AuthConfig =
  | {
      readonly mode: 'token';
      /** Where the public keys are: a JWKS URL (fetched and cached) or a JWKS document. */
      readonly keys: { readonly jwksUrl: URL } | { readonly jwks: JSONWebKeySet };
      /** Required `iss`. @default - not checked */
      readonly issuer?: string;
      /** Required `aud`. @default - not checked */
      readonly audience?: string;
    }
  | { readonly mode: 'development' };

/**
 * Reads the auth settings. Token mode is the default and needs a JWKS; development
 * mode must be asked for by name.
 *
 * @throws ConfigError naming the variable that is missing or wrong
 */
export function authConfigFromEnv(env: NodeJS.ProcessEnv): AuthConfig {
  const mode = env[AUTH_VARIABLES.mode] || 'token';
  if (mode === 'development') return { mode };
  if (mode !== 'token') throw new ConfigError(`${AUTH_VARIABLES.mode}="${mode}" is neither "token" (the default) nor "development"`);
  const url = env[AUTH_VARIABLES.jwksUrl] || undefined;
  const file = env[AUTH_VARIABLES.jwksFile] || undefined;
  if ((url === undefined) === (file === undefined)) {
    throw new ConfigError(
      `set exactly one of ${AUTH_VARIABLES.jwksUrl} (production) and ${AUTH_VARIABLES.jwksFile} (a local JWKS file), ` +
        `or ${AUTH_VARIABLES.mode}=development to serve without tokens (local demos only)`,
    );
  }
  const issuer = env[AUTH_VARIABLES.issuer] || undefined;
  const audience = env[AUTH_VARIABLES.audience] || undefined;
  const claims = { ...(issuer === undefined ? {} : { issuer }), ...(audience === undefined ? {} : { audience }) };
  if (url !== undefined) {
    let jwksUrl: URL;
    try {
      jwksUrl = new URL(url);
    } catch {
      throw new ConfigError(`${AUTH_VARIABLES.jwksUrl}="${url}" is not a URL`);
    }
    if (jwksUrl.protocol !== 'https:' && jwksUrl.hostname !== '127.0.0.1' && jwksUrl.hostname !== 'localhost') {
      throw new ConfigError(`${AUTH_VARIABLES.jwksUrl}="${url}" must use https (plain http only on localhost)`);
    }
    return { mode: 'token', keys: { jwksUrl }, ...claims };
  }
  return { mode: 'token', keys: { jwks: readJwksFile(file as string) }, ...claims };
}

function readJwksFile(path: string): JSONWebKeySet {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(`${AUTH_VARIABLES.jwksFile}="${path}" cannot be read as JSON: ${(error as Error).message}`);
  }
  const keys = (parsed as { keys?: unknown }).keys;
  if (!Array.isArray(keys) || keys.length === 0) throw new ConfigError(`${AUTH_VARIABLES.jwksFile}="${path}" is not a JWKS: it needs a non-empty "keys" array`);
  return parsed as JSONWebKeySet;
}

/** What authenticating a request found. */
export type AuthOutcome =
  | { readonly kind: 'verified'; readonly tenantId: string }
  | { readonly kind: 'development' }
  | { readonly kind: 'refused'; readonly reason: string };

/** Verifies bearer tokens; one instance per service (a remote JWKS is cached inside). */
export class TokenAuthenticator {
  readonly #config: AuthConfig;
  readonly #keys: JWTVerifyGetKey | undefined;

  /** @param timeoutMs how long a JWKS fetch may take */
  constructor(config: AuthConfig, timeoutMs: number) {
    this.#config = config;
    if (config.mode === 'token') {
      this.#keys = 'jwksUrl' in config.keys ? createRemoteJWKSet(config.keys.jwksUrl, { timeoutDuration: timeoutMs }) : createLocalJWKSet(config.keys.jwks);
    }
  }

  get mode(): AuthConfig['mode'] {
    return this.#config.mode;
  }

  /**
   * The request's verified tenant, or why it is refused (a 401).
   *
   * @throws DependencyError when the JWKS cannot be fetched (a 503: not the client's fault)
   */
  async authenticate(request: IncomingMessage): Promise<AuthOutcome> {
    if (this.#config.mode === 'development' || this.#keys === undefined) return { kind: 'development' };
    const header = request.headers.authorization;
    if (header === undefined) return { kind: 'refused', reason: 'no Authorization header: send "Authorization: Bearer <token>"' };
    const match = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/.exec(header);
    if (match === null) return { kind: 'refused', reason: 'the Authorization header is not "Bearer <JWT>"' };
    try {
      const { payload } = await jwtVerify(match[1] as string, this.#keys, {
        algorithms: ALGORITHMS,
        requiredClaims: ['exp', TENANT_CLAIM],
        ...(this.#config.issuer === undefined ? {} : { issuer: this.#config.issuer }),
        ...(this.#config.audience === undefined ? {} : { audience: this.#config.audience }),
      });
      const tenantId = payload[TENANT_CLAIM];
      if (typeof tenantId !== 'string' || tenantId === '') return { kind: 'refused', reason: `the token's "${TENANT_CLAIM}" claim is not a tenant id` };
      return { kind: 'verified', tenantId };
    } catch (error) {
      if (error instanceof errors.JWKSTimeout || !(error instanceof errors.JOSEError)) throw new DependencyError('the JWKS endpoint', error);
      return { kind: 'refused', reason: `the token is not valid: ${error.message}` };
    }
  }
}
