/**
 * Aurora PostgreSQL Serverless v2 behind an RDS Proxy: the shared cluster of an
 * environment, and the own cluster of each `dedicated` tenant.
 */
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group/index.js';
import { DataAwsAvailabilityZones } from '@cdktf/provider-aws/lib/data-aws-availability-zones/index.js';
import { DataAwsSecretsmanagerSecrets } from '@cdktf/provider-aws/lib/data-aws-secretsmanager-secrets/index.js';
import { DbProxy } from '@cdktf/provider-aws/lib/db-proxy/index.js';
import { DbProxyDefaultTargetGroup } from '@cdktf/provider-aws/lib/db-proxy-default-target-group/index.js';
import { DbProxyTarget } from '@cdktf/provider-aws/lib/db-proxy-target/index.js';
import { DbSubnetGroup } from '@cdktf/provider-aws/lib/db-subnet-group/index.js';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role/index.js';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy/index.js';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment/index.js';
import { RdsCluster } from '@cdktf/provider-aws/lib/rds-cluster/index.js';
import { RdsClusterInstance } from '@cdktf/provider-aws/lib/rds-cluster-instance/index.js';
import { RdsClusterParameterGroup } from '@cdktf/provider-aws/lib/rds-cluster-parameter-group/index.js';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group/index.js';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule/index.js';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule/index.js';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import { DatabaseBackup } from './backup.js';
import { EncryptionKey } from './encryption-key.js';
import { serviceTrustPolicy } from './trust-policy.js';

/**
 * Version a new cluster is created at. AWS applies later minor versions itself
 * (auto_minor_version_upgrade), so the cluster ignores engine_version drift: pinning the
 * minor would make every plan after such an upgrade a downgrade, which RDS refuses. The
 * major version is what this pins (with PARAMETER_GROUP_FAMILY); a major upgrade is a
 * deliberate change of both, applied with allow_major_version_upgrade.
 */
export const AURORA_POSTGRES_VERSION = '16.6';
const PARAMETER_GROUP_FAMILY = 'aurora-postgresql16';
const POSTGRES_PORT = 5432;

export interface ServerlessCapacity {
  /** Minimum Aurora capacity units (0.5 steps). */
  readonly minCapacity: number;
  /** Maximum Aurora capacity units (at most 256). */
  readonly maxCapacity: number;
}

export interface AuroraPostgresProps {
  /** Cluster identifier; also names the proxy, subnet group, parameter group, key alias and security groups. */
  readonly name: string;
  readonly vpcId: string;
  /** Subnets (in at least two availability zones) of the cluster and proxy: the isolated subnets. */
  readonly subnetIds: string[];
  /** The only security group whose members may connect on 5432 (the EKS nodes). */
  readonly clientSecurityGroupId: string;
  readonly capacity: ServerlessCapacity;
  readonly accountId: string;
  readonly region: string;
  /**
   * Production posture: deletion protection, a final snapshot, 14 days of backups.
   * @default false
   */
  readonly production?: boolean;
  /**
   * Days automated backups are kept.
   * @default 14 when production, else 7 (values below 7 are raised to 7)
   */
  readonly backupRetentionDays?: number;
  /**
   * Readers besides the writer, each in the next availability zone.
   * @default 1
   */
  readonly readers?: number;
  /**
   * Database created with the cluster.
   * @default 'tenantry'
   */
  readonly databaseName?: string;
  /**
   * Days the PostgreSQL log group keeps logs.
   * @default 365
   */
  readonly logRetentionInDays?: number;
  /**
   * AWS Backup plan of the cluster: daily recovery points in a vault encrypted with the
   * cluster's key, optionally copied to a vault in another region (BackupCopyVault).
   * @default - recovery points kept 35 days in production, 7 elsewhere; no copy
   */
  readonly backup?: AuroraBackupOptions;
  /**
   * Login secrets the RDS Proxy registers besides the master's: every secret whose name
   * starts with `namePrefix` and that carries the tag `tagKey` = the proxy's name (`name`).
   * They are found at plan time, so adding one changes this stack's plan, not its code.
   * @default - the proxy admits only the master user
   */
  readonly proxyLoginSecrets?: ProxyLoginSecrets;
  /**
   * Lifts deletion protection and keeps the final snapshot, so the cluster can be destroyed
   * (offboarding a dedicated tenant, or retiring an environment).
   * @default false
   */
  readonly allowDestroy?: boolean;
}

export interface ProxyLoginSecrets {
  /** Name prefix of the secrets, e.g. `tenantry/prod/tenants/`; the proxy role may read only secrets under it. */
  readonly namePrefix: string;
  /** Tag whose value must be the proxy's name. */
  readonly tagKey: string;
}

export interface AuroraBackupOptions {
  /**
   * Days each daily recovery point (and its copy) is kept.
   * @default 35 when production, else 7
   */
  readonly retentionDays?: number;
  /**
   * ARN of the vault in another region that receives a copy of every recovery point.
   * @default - no copy
   */
  readonly copyVaultArn?: string;
}

/**
 * Storage, Performance Insights, logs and the managed master secret are encrypted with
 * one CMK; the master password is generated and kept by RDS in Secrets Manager
 * (`manage_master_user_password`), so it is in neither the synthesized JSON nor state.
 * TLS is forced by the cluster parameter group and by the proxy; IAM authentication is
 * on. Only `clientSecurityGroupId` reaches port 5432, of the proxy and of the cluster.
 */
export class AuroraPostgres extends Construct {
  readonly cluster: RdsCluster;
  readonly instances: readonly RdsClusterInstance[];
  readonly proxy: DbProxy;
  readonly securityGroup: SecurityGroup;
  readonly proxySecurityGroup: SecurityGroup;
  readonly encryptionKey: EncryptionKey;
  readonly backup: DatabaseBackup;
  /** The proxy's IAM role: reads the secrets the proxy logs in with. */
  readonly proxyRole: IamRole;

  constructor(scope: Construct, id: string, props: AuroraPostgresProps) {
    super(scope, id);
    const production = props.production ?? false;
    const keepData = production && !(props.allowDestroy ?? false);
    const backupRetentionDays = Math.max(7, props.backupRetentionDays ?? (production ? 14 : 7));

    this.encryptionKey = new EncryptionKey(this, 'Key', {
      alias: `${props.name}-aurora`,
      description: `Aurora cluster ${props.name}: storage, Performance Insights, logs, master secret`,
      accountId: props.accountId,
      region: props.region,
      allowCloudWatchLogs: true,
    });
    const keyArn = this.encryptionKey.keyArn;

    this.securityGroup = new SecurityGroup(this, 'ClusterSecurityGroup', {
      name: `${props.name}-aurora`,
      description: `Aurora cluster ${props.name}: PostgreSQL from the clients and the proxy only`,
      vpcId: props.vpcId,
      tags: { Name: `${props.name}-aurora` },
    });
    this.proxySecurityGroup = new SecurityGroup(this, 'ProxySecurityGroup', {
      name: `${props.name}-rds-proxy`,
      description: `RDS Proxy ${props.name}: PostgreSQL from the clients only`,
      vpcId: props.vpcId,
      tags: { Name: `${props.name}-rds-proxy` },
    });
    const postgres = { ipProtocol: 'tcp', fromPort: POSTGRES_PORT, toPort: POSTGRES_PORT };
    new VpcSecurityGroupIngressRule(this, 'ClientsToProxy', { ...postgres, securityGroupId: this.proxySecurityGroup.id, referencedSecurityGroupId: props.clientSecurityGroupId, description: 'PostgreSQL from the clients' });
    new VpcSecurityGroupIngressRule(this, 'ClientsToCluster', { ...postgres, securityGroupId: this.securityGroup.id, referencedSecurityGroupId: props.clientSecurityGroupId, description: 'PostgreSQL from the clients (migrations, direct sessions)' });
    new VpcSecurityGroupIngressRule(this, 'ProxyToCluster', { ...postgres, securityGroupId: this.securityGroup.id, referencedSecurityGroupId: this.proxySecurityGroup.id, description: 'PostgreSQL from the RDS Proxy' });
    new VpcSecurityGroupEgressRule(this, 'ProxyReachesCluster', { ...postgres, securityGroupId: this.proxySecurityGroup.id, referencedSecurityGroupId: this.securityGroup.id, description: 'PostgreSQL to the cluster' });

    const subnetGroup = new DbSubnetGroup(this, 'SubnetGroup', { name: props.name, subnetIds: props.subnetIds, description: `Aurora cluster ${props.name}` });
    const parameters = new RdsClusterParameterGroup(this, 'Parameters', {
      name: props.name,
      family: PARAMETER_GROUP_FAMILY,
      description: `Aurora cluster ${props.name}: TLS only, schema changes and slow statements logged`,
      parameter: [
        { name: 'rds.force_ssl', value: '1' },
        // Every CREATE, ALTER and DROP is in the log (who changed the schema, and when); data is not.
        { name: 'log_statement', value: 'ddl' },
        { name: 'log_min_duration_statement', value: '1000' },
        { name: 'log_connections', value: '1' },
      ],
    });
    // RDS writes to this group; creating it first gives it a CMK and a retention.
    const logGroup = new CloudwatchLogGroup(this, 'PostgresLogs', {
      name: `/aws/rds/cluster/${props.name}/postgresql`,
      retentionInDays: props.logRetentionInDays ?? 365,
      kmsKeyId: keyArn,
    });

    this.cluster = new RdsCluster(this, 'Cluster', {
      clusterIdentifier: props.name,
      engine: 'aurora-postgresql',
      engineMode: 'provisioned',
      engineVersion: AURORA_POSTGRES_VERSION,
      engineLifecycleSupport: 'open-source-rds-extended-support-disabled',
      databaseName: props.databaseName ?? 'tenantry',
      masterUsername: 'tenantry_admin',
      manageMasterUserPassword: true,
      masterUserSecretKmsKeyId: keyArn,
      serverlessv2ScalingConfiguration: { minCapacity: props.capacity.minCapacity, maxCapacity: props.capacity.maxCapacity },
      storageEncrypted: true,
      kmsKeyId: keyArn,
      iamDatabaseAuthenticationEnabled: true,
      dbClusterParameterGroupName: parameters.name,
      dbSubnetGroupName: subnetGroup.name,
      vpcSecurityGroupIds: [this.securityGroup.id],
      port: POSTGRES_PORT,
      enabledCloudwatchLogsExports: ['postgresql'],
      backupRetentionPeriod: backupRetentionDays,
      preferredBackupWindow: '02:00-03:00',
      preferredMaintenanceWindow: 'sun:03:30-sun:04:30',
      copyTagsToSnapshot: true,
      deletionProtection: keepData,
      skipFinalSnapshot: !production,
      ...(production ? { finalSnapshotIdentifier: `${props.name}-final` } : {}),
      dependsOn: [logGroup],
      // AWS applies minor versions itself; see AURORA_POSTGRES_VERSION.
      lifecycle: { ignoreChanges: ['engine_version'] },
    });

    this.backup = new DatabaseBackup(this, 'Backup', {
      name: `${props.name}-aurora`,
      resourceArns: [this.cluster.arn],
      vaultKmsKeyArn: keyArn,
      retentionDays: props.backup?.retentionDays ?? (production ? 35 : 7),
      ...(props.backup?.copyVaultArn ? { copyVaultArn: props.backup.copyVaultArn } : {}),
      forceDestroy: !keepData,
    });

    const monitoringRole = new IamRole(this, 'MonitoringRole', {
      name: `${props.name}-rds-monitoring`,
      assumeRolePolicy: serviceTrustPolicy('monitoring.rds.amazonaws.com'),
    });
    new IamRolePolicyAttachment(this, 'MonitoringRolePolicy', {
      role: monitoringRole.name,
      policyArn: 'arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole',
    });

    const zones = new DataAwsAvailabilityZones(this, 'Zones', { state: 'available' });
    const readers = props.readers ?? 1;
    this.instances = Array.from({ length: readers + 1 }, (_, index) => {
      const role = index === 0 ? 'writer' : `reader-${index}`;
      return new RdsClusterInstance(this, role, {
        identifier: `${props.name}-${index + 1}`,
        clusterIdentifier: this.cluster.id,
        // No engine_version: instances run the cluster's version, whichever minor AWS applied.
        engine: 'aurora-postgresql',
        instanceClass: 'db.serverless',
        // Writer and readers in different zones: a zone outage promotes a reader.
        availabilityZone: Fn.element(zones.names, index),
        promotionTier: index === 0 ? 0 : 1,
        publiclyAccessible: false,
        autoMinorVersionUpgrade: true,
        performanceInsightsEnabled: true,
        performanceInsightsKmsKeyId: keyArn,
        performanceInsightsRetentionPeriod: 7,
        monitoringInterval: 60,
        monitoringRoleArn: monitoringRole.arn,
        copyTagsToSnapshot: true,
      });
    });

    const proxyRole = (this.proxyRole = new IamRole(this, 'ProxyRole', {
      name: `${props.name}-rds-proxy`,
      assumeRolePolicy: serviceTrustPolicy('rds.amazonaws.com'),
    }));
    const masterSecretArn = this.cluster.masterUserSecret.get(0).secretArn;
    new IamRolePolicy(this, 'ProxyReadsMasterSecret', {
      role: proxyRole.id,
      policy: Fn.jsonencode({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], Resource: masterSecretArn },
          { Effect: 'Allow', Action: ['kms:Decrypt'], Resource: keyArn, Condition: { StringEquals: { 'kms:ViaService': `secretsmanager.${props.region}.amazonaws.com` } } },
        ],
      }),
    });
    this.proxy = new DbProxy(this, 'Proxy', {
      name: props.name,
      engineFamily: 'POSTGRESQL',
      requireTls: true,
      roleArn: proxyRole.arn,
      vpcSubnetIds: props.subnetIds,
      vpcSecurityGroupIds: [this.proxySecurityGroup.id],
      idleClientTimeout: 1800,
      auth: [{ authScheme: 'SECRETS', iamAuth: 'REQUIRED', secretArn: masterSecretArn, description: 'master user (administration only)' }],
    });
    if (props.proxyLoginSecrets) this.registerLoginSecrets(props.name, props.proxyLoginSecrets, props.accountId, props.region);
    new DbProxyDefaultTargetGroup(this, 'ProxyPool', {
      dbProxyName: this.proxy.name,
      connectionPoolConfig: { maxConnectionsPercent: 90, maxIdleConnectionsPercent: 50, connectionBorrowTimeout: 120 },
    });
    new DbProxyTarget(this, 'ProxyTarget', { dbProxyName: this.proxy.name, targetGroupName: 'default', dbClusterIdentifier: this.cluster.clusterIdentifier });
  }

  /**
   * Adds one `auth` entry per login secret (password auth, SCRAM, the secret's own user)
   * and lets the proxy role read those secrets and decrypt them through Secrets Manager,
   * whatever key encrypts them: the secrets' keys delegate to IAM (EncryptionKey).
   */
  private registerLoginSecrets(proxyName: string, secrets: ProxyLoginSecrets, accountId: string, region: string): void {
    const found = new DataAwsSecretsmanagerSecrets(this, 'ProxyLoginSecrets', {
      filter: [
        { name: 'name', values: [secrets.namePrefix] },
        { name: 'tag-key', values: [secrets.tagKey] },
        { name: 'tag-value', values: [proxyName] },
      ],
    });
    // A static auth block (the master) and a dynamic one (the login secrets) of the same type.
    this.proxy.addOverride('dynamic.auth', {
      for_each: found.arns,
      content: {
        auth_scheme: 'SECRETS',
        secret_arn: '${auth.value}',
        iam_auth: 'DISABLED',
        client_password_auth_type: 'POSTGRES_SCRAM_SHA_256',
        description: 'login role registered by its tag',
      },
    });
    const secretArns = `arn:aws:secretsmanager:${region}:${accountId}:secret:${secrets.namePrefix}*`;
    new IamRolePolicy(this, 'ProxyReadsLoginSecrets', {
      role: this.proxyRole.id,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'ReadLoginSecretsTaggedForThisProxy',
            Effect: 'Allow',
            Action: ['secretsmanager:GetSecretValue'],
            Resource: secretArns,
            Condition: { StringEquals: { [`secretsmanager:ResourceTag/${secrets.tagKey}`]: proxyName } },
          },
          {
            Sid: 'DecryptThemThroughSecretsManager',
            Effect: 'Allow',
            Action: ['kms:Decrypt'],
            Resource: `arn:aws:kms:${region}:${accountId}:key/*`,
            Condition: {
              StringEquals: { 'kms:ViaService': `secretsmanager.${region}.amazonaws.com` },
              StringLike: { 'kms:EncryptionContext:SecretARN': secretArns },
            },
          },
        ],
      }),
    });
  }
}
