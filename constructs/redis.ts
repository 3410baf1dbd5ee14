/**
 * ElastiCache for Redis OSS: a Multi-AZ replication group with automatic failover,
 * encrypted at rest with a CMK and in transit, and an AUTH token kept in Secrets Manager.
 */
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group/index.js';
import { ElasticacheParameterGroup } from '@cdktf/provider-aws/lib/elasticache-parameter-group/index.js';
import { ElasticacheReplicationGroup } from '@cdktf/provider-aws/lib/elasticache-replication-group/index.js';
import { ElasticacheSubnetGroup } from '@cdktf/provider-aws/lib/elasticache-subnet-group/index.js';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret/index.js';
import { SecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/secretsmanager-secret-version/index.js';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group/index.js';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule/index.js';
import { Password } from '@cdktf/provider-random/lib/password/index.js';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import { EncryptionKey } from './encryption-key.js';

/** Pinned engine version: upgrades are deliberate changes. */
export const REDIS_ENGINE_VERSION = '7.1';
const PARAMETER_GROUP_FAMILY = 'redis7';
const REDIS_PORT = 6379;

export interface RedisProps {
  /** Replication group id; also names the subnet group, security group, key alias and secret. */
  readonly name: string;
  readonly vpcId: string;
  /** Subnets in at least two availability zones (the isolated subnets). */
  readonly subnetIds: string[];
  /** The only security group whose members may connect on 6379 (the EKS nodes). */
  readonly clientSecurityGroupId: string;
  readonly nodeType: string;
  readonly accountId: string;
  readonly region: string;
  /**
   * Replicas of the primary; at least 1 (a replica is what automatic failover promotes).
   * @default 1
   */
  readonly replicas?: number;
  /**
   * Days automatic snapshots are kept.
   * @default 7
   */
  readonly snapshotRetentionDays?: number;
  /**
   * Version of the generated AUTH token: raise it to rotate the token.
   * @default 1
   */
  readonly authTokenVersion?: number;
  /**
   * Keep the previous AUTH token valid next to the current one
   * (`auth_token_update_strategy = ROTATE`) while clients move to the new token; set it
   * back to false to revoke the previous token (`SET` leaves only the current one).
   * Rotation: raise authTokenVersion with this true, roll the clients, then apply with
   * this false. Raising the version with this false revokes the old token at once.
   * @default false
   */
  readonly keepPreviousAuthToken?: boolean;
  /**
   * Secrets Manager name of the AUTH token and endpoint.
   * @default `tenantry/<name>/redis`
   */
  readonly secretName?: string;
  /**
   * Days the slow and engine log groups keep logs.
   * @default 90
   */
  readonly logRetentionInDays?: number;
}

/**
 * The AUTH token is a `random_password` (Terraform generates it at apply time); the
 * replication group and the Secrets Manager secret receive it as a reference, so the
 * synthesized JSON holds `${random_password…result}`, never a value. The secret version
 * is written through the write-only `secret_string_wo`, so the token is in state once
 * (random_password and the replication group's sensitive `auth_token`; state is
 * encrypted). Services read the token from the secret, never from Terraform outputs.
 */
export class Redis extends Construct {
  readonly replicationGroup: ElasticacheReplicationGroup;
  readonly securityGroup: SecurityGroup;
  readonly secret: SecretsmanagerSecret;
  readonly encryptionKey: EncryptionKey;

  constructor(scope: Construct, id: string, props: RedisProps) {
    super(scope, id);
    const replicas = Math.max(1, props.replicas ?? 1);
    const tokenVersion = props.authTokenVersion ?? 1;

    this.encryptionKey = new EncryptionKey(this, 'Key', {
      alias: `${props.name}-redis`,
      description: `ElastiCache ${props.name}: data at rest, snapshots, logs, AUTH secret`,
      accountId: props.accountId,
      region: props.region,
      allowCloudWatchLogs: true,
    });
    const keyArn = this.encryptionKey.keyArn;

    this.securityGroup = new SecurityGroup(this, 'SecurityGroup', {
      name: `${props.name}-redis`,
      description: `ElastiCache ${props.name}: Redis from the clients only`,
      vpcId: props.vpcId,
      tags: { Name: `${props.name}-redis` },
    });
    new VpcSecurityGroupIngressRule(this, 'ClientsToRedis', {
      securityGroupId: this.securityGroup.id,
      referencedSecurityGroupId: props.clientSecurityGroupId,
      ipProtocol: 'tcp',
      fromPort: REDIS_PORT,
      toPort: REDIS_PORT,
      description: 'Redis from the clients',
    });
    const subnetGroup = new ElasticacheSubnetGroup(this, 'SubnetGroup', { name: props.name, subnetIds: props.subnetIds, description: `ElastiCache ${props.name}` });
    const parameters = new ElasticacheParameterGroup(this, 'Parameters', {
      name: props.name,
      family: PARAMETER_GROUP_FAMILY,
      description: `ElastiCache ${props.name}`,
      parameter: [{ name: 'latency-tracking', value: 'yes' }],
    });
    const logs = (['slow-log', 'engine-log'] as const).map(
      (logType) =>
        [logType, new CloudwatchLogGroup(this, `${logType}-group`, { name: `/tenantry/elasticache/${props.name}/${logType}`, retentionInDays: props.logRetentionInDays ?? 90, kmsKeyId: keyArn })] as const,
    );

    const token = new Password(this, 'AuthToken', { length: 64, special: false, keepers: { version: String(tokenVersion) } });

    this.replicationGroup = new ElasticacheReplicationGroup(this, 'ReplicationGroup', {
      replicationGroupId: props.name,
      description: `Tenantry ${props.name}`,
      engine: 'redis',
      engineVersion: REDIS_ENGINE_VERSION,
      parameterGroupName: parameters.name,
      nodeType: props.nodeType,
      numCacheClusters: replicas + 1,
      port: REDIS_PORT,
      multiAzEnabled: true,
      automaticFailoverEnabled: true,
      atRestEncryptionEnabled: 'true',
      kmsKeyId: keyArn,
      transitEncryptionEnabled: true,
      transitEncryptionMode: 'required',
      authToken: token.result,
      // Sent with the token on every change of either: SET revokes every other token.
      authTokenUpdateStrategy: props.keepPreviousAuthToken ? 'ROTATE' : 'SET',
      subnetGroupName: subnetGroup.name,
      securityGroupIds: [this.securityGroup.id],
      snapshotRetentionLimit: Math.max(1, props.snapshotRetentionDays ?? 7),
      snapshotWindow: '01:00-02:00',
      maintenanceWindow: 'sun:04:30-sun:05:30',
      autoMinorVersionUpgrade: 'true',
      applyImmediately: false,
      finalSnapshotIdentifier: `${props.name}-final`,
      logDeliveryConfiguration: logs.map(([logType, group]) => ({ destination: group.name, destinationType: 'cloudwatch-logs', logFormat: 'json', logType })),
    });

    this.secret = new SecretsmanagerSecret(this, 'Secret', {
      name: props.secretName ?? `tenantry/${props.name}/redis`,
      description: `AUTH token and endpoint of ElastiCache ${props.name}`,
      kmsKeyId: keyArn,
      recoveryWindowInDays: 7,
    });
    new SecretsmanagerSecretVersion(this, 'SecretValue', {
      secretId: this.secret.id,
      secretStringWo: Fn.jsonencode({
        host: this.replicationGroup.primaryEndpointAddress,
        readerHost: this.replicationGroup.readerEndpointAddress,
        port: REDIS_PORT,
        tls: true,
        authToken: token.result,
      }),
      secretStringWoVersion: tokenVersion,
    });
  }
}
