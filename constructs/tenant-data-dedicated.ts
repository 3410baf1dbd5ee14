/**
 * The `dedicated` isolation tier: a tenant's own Aurora PostgreSQL Serverless v2
 * cluster, built by the platform's Aurora construct so it has the same defaults, and the
 * application role the tenant's services sign in as.
 */
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret/index.js';
import { SecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/secretsmanager-secret-version/index.js';
import { DefaultPrivileges } from '@cdktf/provider-postgresql/lib/default-privileges/index.js';
import { Grant } from '@cdktf/provider-postgresql/lib/grant/index.js';
import { Role } from '@cdktf/provider-postgresql/lib/role/index.js';
import { Schema } from '@cdktf/provider-postgresql/lib/schema/index.js';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import { AuroraPostgres, type AuroraPostgresProps } from './aurora.js';

/** Where the cluster sits and how big it may grow: as for the platform's shared cluster. */
type ClusterPlacement = Pick<AuroraPostgresProps, 'vpcId' | 'subnetIds' | 'clientSecurityGroupId' | 'capacity' | 'accountId' | 'region' | 'logRetentionInDays' | 'backup'>;

/** The PostgreSQL role Aurora grants to users who sign in with IAM tokens only. */
const RDS_IAM_ROLE = 'rds_iam';

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
  /** Name of the application's login role and of the schema its tables live in, e.g. `tenant_acme`. */
  readonly applicationRoleName: string;
  /** Most connections the application role may hold at once (PostgreSQL `CONNECTION LIMIT`). */
  readonly connectionLimit: number;
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
 * authentication, RDS Proxy, AWS Backup plan), an application role, and a connection
 * descriptor in the tenant's secret prefix.
 *
 * The application role logs in with IAM tokens only (`rds_iam`, no password), is no
 * superuser, cannot create databases or roles, does not bypass row-level security, and
 * owns nothing: the schema and its tables belong to the master user, who runs the
 * migrations, and the role gets USAGE on the schema and read/write on its tables and
 * sequences through default privileges. The tenant's services sign in to the cluster's
 * writer endpoint as that role (`rds-db:connect` on `connectUserArn`, granted to the
 * tenant's pod role). The master stays for administration: its password is in the
 * RDS-managed secret, readable by the proxy and the platform only.
 *
 * The PostgreSQL provider of the enclosing stack must reach the cluster as the master
 * user: see docs/tenants.md ("How the PostgreSQL provider reaches the database").
 */
export class TenantDedicatedDatabase extends Construct {
  readonly aurora: AuroraPostgres;
  readonly applicationRole: Role;
  readonly secret: SecretsmanagerSecret;
  /** `rds-db:connect` resource of the application role on the cluster. */
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
    const database = cluster.databaseName;

    this.applicationRole = new Role(this, 'ApplicationRole', {
      name: props.applicationRoleName,
      login: true,
      roles: [RDS_IAM_ROLE],
      connectionLimit: props.connectionLimit,
      searchPath: [props.applicationRoleName],
      superuser: false,
      createDatabase: false,
      createRole: false,
      bypassRowLevelSecurity: false,
      replication: false,
    });
    const schema = new Schema(this, 'Schema', {
      name: props.applicationRoleName,
      database,
      owner: cluster.masterUsername,
      dropCascade: false,
    });
    const role = this.applicationRole.name;
    new Grant(this, 'Connect', { database, role, objectType: 'database', privileges: ['CONNECT'] });
    new Grant(this, 'UseSchema', { database, role, objectType: 'schema', schema: schema.name, privileges: ['USAGE'] });
    // An empty privilege list revokes every privilege the role holds on `public`.
    new Grant(this, 'NothingOnPublic', { database, role, objectType: 'schema', schema: 'public', privileges: [] });
    const tablesOfMaster = { database, role, schema: schema.name, owner: cluster.masterUsername };
    new DefaultPrivileges(this, 'ReadWriteTables', { ...tablesOfMaster, objectType: 'table', privileges: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'] });
    new DefaultPrivileges(this, 'UseSequences', { ...tablesOfMaster, objectType: 'sequence', privileges: ['USAGE', 'SELECT', 'UPDATE'] });

    this.connectUserArn = `arn:aws:rds-db:${props.region}:${props.accountId}:dbuser:${cluster.clusterResourceId}/${role}`;

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
        host: cluster.endpoint,
        port: cluster.port,
        dbname: database,
        username: role,
        sslmode: 'verify-full',
      }),
    });
  }
}
