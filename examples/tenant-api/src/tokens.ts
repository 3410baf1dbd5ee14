/**
 * Minting tenant tokens for tests, demos and load tools: an ES256 key pair, its public
 * JWKS (what the service verifies against) and one JWT per tenant with the `tenant_id`
 * claim. Production tokens come from the identity provider, not from here.
 */
import { randomUUID } from 'node:crypto';
import { SignJWT, exportJWK, generateKeyPair, importJWK, type JSONWebKeySet, type JWK } from 'jose';
import { TENANT_CLAIM } from './auth.js';

export const TOKEN_ALGORITHM = 'ES256';

/** A signing key as JWKs: the private one for minting, the public set for the service. */
export interface TokenKeys {
  readonly privateJwk: JWK;
  readonly jwks: JSONWebKeySet;
}

/** A fresh ES256 key pair with a random key id. */
export async function generateTokenKeys(): Promise<TokenKeys> {
  const { privateKey, publicKey } = await generateKeyPair(TOKEN_ALGORITHM, { extractable: true });
  const kid = randomUUID();
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: TOKEN_ALGORITHM };
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: TOKEN_ALGORITHM, use: 'sig' };
  return { privateJwk, jwks: { keys: [publicJwk] } };
}

export interface MintOptions {
  /** `iss`. @default - none */
  readonly issuer?: string;
  /** `aud`. @default - none */
  readonly audience?: string;
  /** Lifetime in seconds. @default 86400 */
  readonly expiresInSeconds?: number;
}

/** One signed JWT per tenant id: `{ "<tenant-id>": "<jwt>" }`, the tokens-file format. */
export async function mintTenantTokens(privateJwk: JWK, tenantIds: readonly string[], options: MintOptions = {}): Promise<Record<string, string>> {
  const key = await importJWK(privateJwk, privateJwk.alg ?? TOKEN_ALGORITHM);
  const now = Math.floor(Date.now() / 1000);
  const tokens: Record<string, string> = {};
  for (const tenantId of tenantIds) {
    let jwt = new SignJWT({ [TENANT_CLAIM]: tenantId })
      .setProtectedHeader({ alg: privateJwk.alg ?? TOKEN_ALGORITHM, ...(privateJwk.kid === undefined ? {} : { kid: privateJwk.kid }) })
      .setSubject(`tenant:${tenantId}`)
      .setIssuedAt(now)
      .setExpirationTime(now + (options.expiresInSeconds ?? 86_400));
    if (options.issuer !== undefined) jwt = jwt.setIssuer(options.issuer);
    if (options.audience !== undefined) jwt = jwt.setAudience(options.audience);
    tokens[tenantId] = await jwt.sign(key);
  }
  return tokens;
}
