/**
 * The `dedicated` isolation tier: a tenant's own Aurora PostgreSQL Serverless v2
 * cluster, built by the platform's Aurora construct so it has the same defaults.
 */
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret/index.js';
import { SecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/secretsmanager-secret-version/index.js';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import { AuroraPostgres, type AuroraPostgresProps } from './aurora.js';

/** Where the cluster sits and how big it may grow: as for the platform's shared cluster. */
type ClusterPlacement = Pick<AuroraPostgresProps, 'vpcId' | 'subnetIds' | 'clientSecurityGroupId' | 'capacity' | 'accountId' | 'region' | 'logRetentionInDays' | 'backup'>;

export interface TenantDedicatedDatabaseProps extends ClusterPlacement {
  /** Cluster identifier (also names its proxy, key alias, roles and security groups). */
  readonly clusterIdentifier: string;
  /** Production posture: deletion protection, final snapshot, 14-day backups. */
  readonly production: boolean;
  /**
   * The tenant is being offboarded: lift deletion protection (the final snapshot stays),
   * so that the next `cdktf destroy` of the stack can remove the cluster.
   * @default false
   */
  readonly offboarding?: boolean;
  /**
   * Readers besides the writer.
   * @default 1
   */
  readonly readers?: number;
  /** Secrets Manager name of the connection descriptor, under the tenant's secret prefix. */
  readonly secretName: string;
  /** ARN of the tenant's customer managed key that encrypts the descriptor. */
  readonly secretKmsKeyArn: string;
  /**
   * Days Secrets Manager keeps a deleted secret recoverable.
   * @default 7
   */
  readonly secretRecoveryWindowInDays?: number;
}

/**
 * An AuroraPostgres cluster (own KMS key, RDS-managed master secret, TLS forced, IAM
 * authentication, RDS Proxy) and a connection descriptor in the tenant's secret prefix.
 *
 * The tenant's services hold no database password: the descriptor names the proxy
 * endpoint and user, and they sign in with IAM tokens (`rds-db:connect` on
 * `connectUserArn`, granted to the tenant's pod role). The master password stays in the
 * RDS-managed secret, readable by the proxy only.
 */
export class TenantDedicatedDatabase extends Construct {
  readonly aurora: AuroraPostgres;
  readonly secret: SecretsmanagerSecret;
  /** `rds-db:connect` resource of the proxy user the tenant's services sign in as. */
  readonly connectUserArn: string;

  constructor(scope: Construct, id: string, props: TenantDedicatedDatabaseProps) {
    super(scope, id);
    this.aurora = new AuroraPostgres(this, 'Aurora', {
      name: props.clusterIdentifier,
      vpcId: props.vpcId,
      subnetIds: props.subnetIds,
      clientSecurityGroupId: props.clientSecurityGroupId,
      capacity: props.capacity,
      accountId: props.accountId,
      region: props.region,
      production: props.production,
      allowDestroy: props.offboarding ?? false,
      readers: props.readers ?? 1,
      ...(props.logRetentionInDays !== undefined ? { logRetentionInDays: props.logRetentionInDays } : {}),
      ...(props.backup ? { backup: props.backup } : {}),
    });

    const cluster = this.aurora.cluster;
    // The proxy's resource id is the last field of its ARN (arn:aws:rds:<region>:<account>:db-proxy:prx-…).
    const proxyResourceId = Fn.element(Fn.split(':', this.aurora.proxy.arn), 6);
    this.connectUserArn = `arn:aws:rds-db:${props.region}:${props.accountId}:dbuser:${proxyResourceId}/${cluster.masterUsername}`;

    this.secret = new SecretsmanagerSecret(this, 'Connection', {
      name: props.secretName,
      description: `How the tenant's services reach its own cluster ${props.clusterIdentifier} (IAM authentication, no password)`,
      kmsKeyId: props.secretKmsKeyArn,
      recoveryWindowInDays: props.secretRecoveryWindowInDays ?? 7,
    });
    new SecretsmanagerSecretVersion(this, 'ConnectionDescriptor', {
      secretId: this.secret.id,
      secretString: Fn.jsonencode({
        engine: 'postgres',
        auth: 'iam',
        host: this.aurora.proxy.endpoint,
        port: cluster.port,
        dbname: cluster.databaseName,
        username: cluster.masterUsername,
      }),
    });
  }
}
