/**
 * The read-only login role `tenantry-audit db` connects with, in the shared cluster, and
 * its credentials in Secrets Manager for the nightly audit (docs/audit.md).
 *
 * Least privilege: CONNECT on the database and nothing else. The audit reads only the
 * system catalogs, which every role may read. It is a member of the application role
 * with NOINHERIT, so it holds none of that role's privileges but may `SET ROLE` to it
 * inside its rolled-back, read-only transaction to run the active probe; the role's own
 * statement and idle timeouts bound whatever connects with it.
 */
import type { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret/index.js';
import { Grant } from '@cdktf/provider-postgresql/lib/grant/index.js';
import { Role } from '@cdktf/provider-postgresql/lib/role/index.js';
import { Password } from '@cdktf/provider-random/lib/password/index.js';
import { Construct } from 'constructs';
import { addDatabaseCredentialsSecret } from './database-credentials-secret.js';

export interface DatabaseAuditRoleProps {
  /** Database of the shared cluster the audit connects to. */
  readonly databaseName: string;
  /** Endpoint the audit connects to (the writer; the audit needs no proxy). */
  readonly connectionHost: string;
  /**
   * Port of connectionHost.
   * @default 5432
   */
  readonly connectionPort?: number;
  /** Secrets Manager name of the credentials, e.g. `tenantry/prod/platform/database-audit`. */
  readonly secretName: string;
  /** ARN of the customer managed KMS key that encrypts the secret. */
  readonly secretKmsKeyArn: string;
  /**
   * Name of the login role.
   * @default 'tenantry_audit'
   */
  readonly roleName?: string;
  /**
   * Roles the audit may SET ROLE to for the active probe (NOINHERIT: no privilege is
   * inherited). They must exist when this is applied; the service's migrations create
   * `tenant_api`. An empty list leaves the probe to report itself as skipped.
   * @default ['tenant_api']
   */
  readonly probeAsRoles?: readonly string[];
  /**
   * Longest statement the role may run, in milliseconds (the audit also sets its own).
   * @default 60000
   */
  readonly statementTimeoutMs?: number;
  /**
   * Days Secrets Manager keeps a deleted secret recoverable.
   * @default 7
   */
  readonly secretRecoveryWindowInDays?: number;
  /**
   * Version of the generated password: raise it to rotate.
   * @default 1
   */
  readonly passwordVersion?: number;
}

export class DatabaseAuditRole extends Construct {
  readonly role: Role;
  readonly secret: SecretsmanagerSecret;

  constructor(scope: Construct, id: string, props: DatabaseAuditRoleProps) {
    super(scope, id);
    const passwordVersion = props.passwordVersion ?? 1;
    const roleName = props.roleName ?? 'tenantry_audit';

    const password = new Password(this, 'Password', { length: 48, special: false, keepers: { version: String(passwordVersion) } });

    this.role = new Role(this, 'Role', {
      name: roleName,
      login: true,
      // Without INHERIT, membership grants only the right to SET ROLE, not the member role's privileges.
      inherit: false,
      roles: [...(props.probeAsRoles ?? ['tenant_api'])],
      connectionLimit: 2,
      statementTimeout: props.statementTimeoutMs ?? 60_000,
      idleInTransactionSessionTimeout: 60_000,
      passwordWo: password.result,
      passwordWoVersion: String(passwordVersion),
      superuser: false,
      createDatabase: false,
      createRole: false,
      bypassRowLevelSecurity: false,
      replication: false,
    });

    new Grant(this, 'ConnectOnly', {
      database: props.databaseName,
      role: this.role.name,
      objectType: 'database',
      privileges: ['CONNECT'],
    });

    this.secret = addDatabaseCredentialsSecret(this, {
      name: props.secretName,
      description: `Read-only login ${roleName} of tenantry-audit on ${props.databaseName}`,
      kmsKeyArn: props.secretKmsKeyArn,
      recoveryWindowInDays: props.secretRecoveryWindowInDays ?? 7,
      host: props.connectionHost,
      port: props.connectionPort ?? 5432,
      databaseName: props.databaseName,
      username: this.role.name,
      password: password.result,
      version: passwordVersion,
    });
  }
}
