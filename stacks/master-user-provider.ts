/**
 * The `cyrilgdn/postgresql` provider of a stack that manages roles in an Aurora cluster:
 * it logs in as the master user, whose password RDS manages in Secrets Manager and the
 * plan reads (it is in no synthesized file). Terraform must run where it reaches the
 * writer endpoint (docs/tenants.md, "How the PostgreSQL provider reaches the database").
 */
import { DataAwsSecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/data-aws-secretsmanager-secret-version/index.js';
import { PostgresqlProvider } from '@cdktf/provider-postgresql/lib/provider/index.js';
import { Fn } from 'cdktf';
import type { Construct } from 'constructs';

/** What both an `aws_rds_cluster` resource and its data source expose. */
export interface MasterUserCluster {
  readonly endpoint: string;
  readonly port: number;
  readonly databaseName: string;
  readonly masterUsername: string;
  readonly masterUserSecret: { get(index: number): { readonly secretArn: string } };
}

/** @param secretDataId id of the data source that reads the master secret (kept per stack so addresses do not change). */
export function addMasterUserPostgresqlProvider(scope: Construct, cluster: MasterUserCluster, secretDataId: string): PostgresqlProvider {
  const master = new DataAwsSecretsmanagerSecretVersion(scope, secretDataId, { secretId: cluster.masterUserSecret.get(0).secretArn });
  return new PostgresqlProvider(scope, 'postgresql', {
    host: cluster.endpoint,
    port: cluster.port,
    database: cluster.databaseName,
    username: cluster.masterUsername,
    password: Fn.lookup(Fn.jsondecode(master.secretString), 'password', ''),
    sslmode: 'require',
    // Aurora's master user is rds_superuser, not a PostgreSQL superuser.
    superuser: false,
    connectTimeout: 15,
  });
}
