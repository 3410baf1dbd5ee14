/**
 * Where the audit's credential comes from: `--database-url` / `DATABASE_URL`, or the
 * environment's Secrets Manager secret (`tenantry/<env>/platform/database-audit`, made by
 * the AuditRole construct), read with the AWS CLI so the package needs no AWS SDK.
 * The Secrets Manager path is not exercised by the tests (no AWS account here).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { auditSecretName } from '@tenantry/catalog';

/** A user error: printed without a stack trace, exit code 2. */
export class ConnectionSourceError extends Error {}

interface SecretJson {
  readonly host?: unknown;
  readonly port?: unknown;
  readonly dbname?: unknown;
  readonly username?: unknown;
  readonly password?: unknown;
}

/** `postgres://user:password@host:port/dbname?sslmode=verify-full` from an RDS-style secret string. */
export function urlFromSecret(secretId: string, secretString: string): string {
  let secret: SecretJson;
  try {
    secret = JSON.parse(secretString) as SecretJson;
  } catch {
    throw new ConnectionSourceError(`secret ${secretId} is not JSON: expected {"host","port","dbname","username","password"}`);
  }
  const missing = (['host', 'dbname', 'username', 'password'] as const).filter((key) => typeof secret[key] !== 'string' || secret[key] === '');
  if (missing.length > 0) throw new ConnectionSourceError(`secret ${secretId} has no ${missing.join(', ')}: expected {"host","port","dbname","username","password"}`);
  const port = typeof secret.port === 'number' || typeof secret.port === 'string' ? String(secret.port) : '5432';
  const url = new URL(`postgres://${String(secret.host)}:${port}/${encodeURIComponent(String(secret.dbname))}`);
  url.username = encodeURIComponent(String(secret.username));
  url.password = encodeURIComponent(String(secret.password));
  url.searchParams.set('sslmode', 'require');
  return url.toString();
}

async function readSecret(secretId: string): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)('aws', ['secretsmanager', 'get-secret-value', '--secret-id', secretId, '--query', 'SecretString', '--output', 'text'], { timeout: 30_000 });
    return stdout.trim();
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new ConnectionSourceError(`could not read secret ${secretId} with the AWS CLI (${reason}); set DATABASE_URL instead, or check the role's secretsmanager:GetSecretValue on it`);
  }
}

export interface ConnectionSource {
  readonly databaseUrl?: string;
  readonly secretId?: string;
  readonly environment?: string;
}

/** The connection string to audit, and a description of where it came from without the password. */
export async function resolveConnection(source: ConnectionSource): Promise<{ url: string; from: string }> {
  if (source.databaseUrl) return { url: source.databaseUrl, from: 'DATABASE_URL' };
  const secretId = source.secretId ?? (source.environment ? auditSecretName(source.environment) : undefined);
  if (!secretId) throw new ConnectionSourceError('no database to audit: set DATABASE_URL (or --database-url), or pass --env <environment> to read its audit secret');
  return { url: urlFromSecret(secretId, await readSecret(secretId)), from: `Secrets Manager secret ${secretId}` };
}
