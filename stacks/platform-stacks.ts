/**
 * The platform of one environment, split by lifecycle and blast radius:
 *
 *   network-<env>  VPC, subnets, NAT, flow logs          (changes rarely; everything sits on it)
 *   cluster-<env>  EKS, node groups, add-ons, node SG    (upgraded often; replaceable)
 *   cluster-addons-<env>  in-cluster Helm releases: AWS Load Balancer Controller, Argo
 *                  Rollouts, observability (needs the cluster's API; deployed after it)
 *   cluster-objects-<env> custom resources of those charts' CRDs (PodMonitor, SLO rules;
 *                  planned only once cluster-addons has installed the CRDs)
 *   data-<env>     shared Aurora + RDS Proxy, Redis      (holds data; deletion-protected in prod)
 *   edge-<env>     Cloudflare zone settings and records  (Cloudflare only; no AWS)
 *
 * Stacks are connected by cdktf cross-stack references (network → cluster → data);
 * cluster-addons finds the cluster by name and is ordered after it, cluster-objects after
 * cluster-addons. Nothing
 * here depends on the tenants: adding a tenant changes no platform stack.
 */
import { CloudflareProvider } from '@cdktf/provider-cloudflare/lib/provider/index.js';
import { RandomProvider } from '@cdktf/provider-random/lib/provider/index.js';
import { auditSecretName, type Environment } from '@tenantry/catalog';
import type { Construct } from 'constructs';
import { DatabaseAuditRole } from '../constructs/audit-role.js';
import { AuroraPostgres } from '../constructs/aurora.js';
import { BackupCopyVault } from '../constructs/backup.js';
import { KubernetesCluster } from '../constructs/eks.js';
import { Network } from '../constructs/network.js';
import { PlatformEdge } from '../constructs/platform-edge.js';
import { Redis } from '../constructs/redis.js';
import { ClusterAddonsStack } from './cluster-addons-stack.js';
import { ClusterObjectsStack } from './cluster-objects-stack.js';
import { addMasterUserPostgresqlProvider } from './master-user-provider.js';
import {
  backupCopyVaultName,
  eksClusterName,
  eksNodeSecurityGroupName,
  RDS_PROXY_AUTH_TAG,
  redisReplicationGroupId,
  sharedAuroraClusterIdentifier,
  tenantsSecretPrefix,
  vpcName,
} from './naming.js';
import { PlatformStack } from './platform-stack.js';

export class NetworkStack extends PlatformStack {
  readonly network: Network;

  constructor(scope: Construct, env: Environment) {
    super(scope, 'network', env, { aws: true });
    this.network = new Network(this, 'Network', {
      name: vpcName(env),
      cidr: env.network.cidr,
      accountId: env.account,
      region: env.region,
      natGatewayPerAvailabilityZone: env.highAvailability,
      subnetTags: {
        public: { 'kubernetes.io/role/elb': '1', [`kubernetes.io/cluster/${eksClusterName(env)}`]: 'shared' },
        private: { 'kubernetes.io/role/internal-elb': '1', [`kubernetes.io/cluster/${eksClusterName(env)}`]: 'shared' },
      },
    });
  }
}

export class ClusterStack extends PlatformStack {
  readonly cluster: KubernetesCluster;

  constructor(scope: Construct, env: Environment, network: Network) {
    super(scope, 'cluster', env, { aws: true });
    this.cluster = new KubernetesCluster(this, 'Kubernetes', {
      name: eksClusterName(env),
      vpcId: network.vpc.id,
      subnetIds: network.privateSubnetIds,
      nodeSecurityGroupName: eksNodeSecurityGroupName(env),
      adminRoleArn: env.eks.adminRoleArn,
      publicAccessCidrs: env.eks.publicAccessCidrs,
      systemNodes: env.sizes.eks.system,
      workloadNodes: env.sizes.eks.workload,
      deletionProtection: env.production,
      logRetentionInDays: env.logRetentionDays,
      accountId: env.account,
      region: env.region,
    });
  }
}

export class DataStack extends PlatformStack {
  readonly aurora: AuroraPostgres;
  readonly redis: Redis;

  constructor(scope: Construct, env: Environment, network: Network, cluster: KubernetesCluster) {
    super(scope, 'data', env, { aws: true });
    new RandomProvider(this, 'random', {});
    const copyVault = env.backup.copyRegion
      ? new BackupCopyVault(this, 'BackupCopyVault', { name: backupCopyVaultName(env), region: env.backup.copyRegion, accountId: env.account })
      : undefined;
    const common = {
      vpcId: network.vpc.id,
      subnetIds: network.isolatedSubnetIds,
      clientSecurityGroupId: cluster.nodeSecurityGroup.id,
      accountId: env.account,
      region: env.region,
    };
    this.aurora = new AuroraPostgres(this, 'SharedAurora', {
      ...common,
      name: sharedAuroraClusterIdentifier(env),
      // Schema-tier tenants' login secrets (TenantSchemaDatabase, tagged by their stacks).
      proxyLoginSecrets: { namePrefix: tenantsSecretPrefix(env), tagKey: RDS_PROXY_AUTH_TAG },
      capacity: env.sizes.aurora,
      production: env.production,
      readers: 1,
      logRetentionInDays: env.logRetentionDays,
      // By reference here, so the plan is created after the vault it copies to.
      backup: { retentionDays: env.backup.retentionDays, ...(copyVault ? { copyVaultArn: copyVault.vault.arn } : {}) },
    });
    this.addDatabaseAuditRole(env);
    this.redis = new Redis(this, 'Redis', {
      ...common,
      name: redisReplicationGroupId(env),
      nodeType: env.sizes.redis.nodeType,
      replicas: env.sizes.redis.replicas,
      snapshotRetentionDays: env.production ? 7 : 1,
      logRetentionInDays: env.logRetentionDays,
      authTokenVersion: env.rotation.redisAuthToken.version,
      keepPreviousAuthToken: env.rotation.redisAuthToken.keepPrevious,
      secretName: `tenantry/${env.name}/platform/redis`,
    });
  }

  /**
   * The read-only role and secret of the nightly `tenantry-audit db` (docs/audit.md). The
   * PostgreSQL provider logs in as the master user from inside the VPC, as schema-tier
   * tenant stacks do; on the stack's first apply it is configured once the cluster exists.
   */
  private addDatabaseAuditRole(env: Environment): void {
    const cluster = this.aurora.cluster;
    addMasterUserPostgresqlProvider(this, cluster, 'SharedAuroraMaster');
    new DatabaseAuditRole(this, 'DatabaseAudit', {
      databaseName: cluster.databaseName,
      connectionHost: cluster.endpoint,
      secretName: auditSecretName(env.name),
      secretKmsKeyArn: this.aurora.encryptionKey.keyArn,
    });
  }
}

export class EdgeStack extends PlatformStack {
  readonly edge: PlatformEdge;

  constructor(scope: Construct, env: Environment) {
    super(scope, 'edge', env, { aws: false });
    // The API token comes from CLOUDFLARE_API_TOKEN at plan time, never from the code.
    new CloudflareProvider(this, 'cloudflare', {});
    this.edge = new PlatformEdge(this, 'Edge', {
      zoneId: env.cloudflare.zoneId,
      baseDomain: env.baseDomain,
      originHostname: env.cloudflare.originHostname,
      fallbackOriginHostname: env.cloudflare.fallbackOriginHostname,
    });
  }
}

export interface PlatformStacks {
  readonly network: NetworkStack;
  readonly cluster: ClusterStack;
  readonly clusterAddons: ClusterAddonsStack;
  readonly clusterObjects: ClusterObjectsStack;
  readonly data: DataStack;
  readonly edge: EdgeStack;
}

/** The six platform stacks of `env`, wired together. */
export function addPlatformStacks(scope: Construct, env: Environment): PlatformStacks {
  const network = new NetworkStack(scope, env);
  const cluster = new ClusterStack(scope, env, network.network);
  const clusterAddons = new ClusterAddonsStack(scope, env);
  // No reference connects them (the add-ons find the cluster by name), so order them explicitly.
  clusterAddons.addDependency(cluster);
  const clusterObjects = new ClusterObjectsStack(scope, env);
  clusterObjects.addDependency(clusterAddons);
  const data = new DataStack(scope, env, network.network, cluster.cluster);
  const edge = new EdgeStack(scope, env);
  return { network, cluster, clusterAddons, clusterObjects, data, edge };
}
