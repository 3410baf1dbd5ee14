/**
 * A Secrets Manager secret holding a PostgreSQL login in the RDS layout
 * ({engine, host, port, dbname, username, password}), the password passed through the
 * write-only attribute so it appears in no synthesized file. Made on the caller's scope
 * with the ids `Secret` and `Credentials`, so the Terraform addresses of existing
 * secrets do not change.
 */
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret/index.js';
import { SecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/secretsmanager-secret-version/index.js';
import { Fn } from 'cdktf';
import type { Construct } from 'constructs';

export interface DatabaseCredentialsSecretProps {
  readonly name: string;
  readonly description: string;
  /** ARN of the customer managed KMS key that encrypts the secret. */
  readonly kmsKeyArn: string;
  readonly recoveryWindowInDays: number;
  readonly tags?: Readonly<Record<string, string>>;
  readonly host: string;
  readonly port: number;
  readonly databaseName: string;
  readonly username: string;
  /** The password (a token of random_password): written only through secret_string_wo. */
  readonly password: string;
  /** Raise to send a new password (write-only attributes are sent when their version changes). */
  readonly version: number;
}

export function addDatabaseCredentialsSecret(scope: Construct, props: DatabaseCredentialsSecretProps): SecretsmanagerSecret {
  const secret = new SecretsmanagerSecret(scope, 'Secret', {
    name: props.name,
    description: props.description,
    kmsKeyId: props.kmsKeyArn,
    recoveryWindowInDays: props.recoveryWindowInDays,
    ...(props.tags ? { tags: { ...props.tags } } : {}),
  });
  new SecretsmanagerSecretVersion(scope, 'Credentials', {
    secretId: secret.id,
    secretStringWo: Fn.jsonencode({
      engine: 'postgres',
      host: props.host,
      port: props.port,
      dbname: props.databaseName,
      username: props.username,
      password: props.password,
    }),
    secretStringWoVersion: props.version,
  });
  return secret;
}
