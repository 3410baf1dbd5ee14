/**
 * One Terraform stack per tenant per environment. A tenant stack finds the platform's
 * resources by name (data sources, names from naming.ts), never through cdktf
 * cross-stack references, so adding a tenant adds exactly one stack and changes no
 * other stack's synthesized JSON.
 */
import { DataAwsDbProxy } from '@cdktf/provider-aws/lib/data-aws-db-proxy/index.js';
import { DataAwsRdsCluster } from '@cdktf/provider-aws/lib/data-aws-rds-cluster/index.js';
import { DataAwsSecurityGroup } from '@cdktf/provider-aws/lib/data-aws-security-group/index.js';
import { DataAwsSubnets } from '@cdktf/provider-aws/lib/data-aws-subnets/index.js';
import { DataAwsVpc } from '@cdktf/provider-aws/lib/data-aws-vpc/index.js';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider/index.js';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group/index.js';
import { CloudflareProvider } from '@cdktf/provider-cloudflare/lib/provider/index.js';
import { RandomProvider } from '@cdktf/provider-random/lib/provider/index.js';
import { assertNever, customHostnames, platformHostname, tierTraits, type Catalog, type Environment, type Tenant } from '@tenantry/catalog';
import { Fn, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { generateTenantRuleFiles } from '../dashboards/generate.js';
import { MANAGED_BY } from './platform-stack.js';
import type { AuroraBackupOptions } from '../constructs/aurora.js';
import { backupCopyVaultArn } from '../constructs/backup.js';
import { EncryptionKey } from '../constructs/encryption-key.js';
import { SUBNET_TIER_TAG, type SubnetTier } from '../constructs/network.js';
import { subnetCidrs } from '../constructs/subnet-layout.js';
import { SloPrometheusRules, type RuleFileYaml } from '../constructs/observability/index.js';
import { TenantDedicatedDatabase } from '../constructs/tenant-data-dedicated.js';
import { TenantSchemaDatabase } from '../constructs/tenant-data-schema.js';
import { TenantEdge } from '../constructs/tenant-edge.js';
import { TenantNamespace } from '../constructs/tenant-namespace.js';
import {
  backupCopyVaultName,
  eksClusterName,
  eksNodeSecurityGroupName,
  RDS_PROXY_AUTH_TAG,
  sharedAuroraClusterIdentifier,
  sharedRdsProxyName,
  tenantAuroraClusterIdentifier,
  tenantNamespaceName,
  tenantPodSecurityGroupName,
  tenantSchemaName,
  tenantSecretPrefix,
  tenantSecretsKeyAlias,
  tenantStackName,
  OBSERVABILITY_NAMESPACE,
  PROMETHEUS_RELEASE_NAME,
  vpcName,
} from './naming.js';
import { configureClusterProviders } from './cluster-providers.js';
import { addMasterUserPostgresqlProvider } from './master-user-provider.js';
import { configureStateBackend } from './state-backend.js';
import { requireTerraformVersion } from './terraform-version.js';

/** Longest dedicated cluster identifier: the Aurora construct appends `-rds-monitoring` to it for an IAM role name (64 characters). */
const MAX_DEDICATED_CLUSTER_IDENTIFIER = 64 - '-rds-monitoring'.length;

/** Where a cluster's master user signs in: a shared cluster found by name, or a dedicated one of the stack. */
type ClusterEndpoint = Pick<DataAwsRdsCluster, 'endpoint' | 'port' | 'databaseName' | 'masterUsername'>;

export interface TenantStackProps {
  readonly tenant: Tenant;
  readonly environment: Environment;
  /** The tenant's SLO objective series (dashboards/generate.ts generateTenantRuleFiles), installed as its own PrometheusRule. */
  readonly objectivesRuleFile: RuleFileYaml;
}

/**
 * Everything one tenant owns in one environment: its edge (DNS record, custom
 * hostnames), its data by tier, its namespace when it has one, and the PrometheusRule
 * holding its SLO objectives (which the fleet-wide rules of cluster-addons join on).
 *
 * Data by tier: a `pooled` tenant owns no database objects; its rows live in the shared
 * schema, isolated by row-level security that the application's migrations create,
 * enable and force. A `schema` tenant gets TenantSchemaDatabase in the shared cluster; a
 * `dedicated` tenant gets TenantDedicatedDatabase, its own cluster.
 */
export class TenantStack extends TerraformStack {
  readonly tenant: Tenant;
  readonly environment: Environment;
  private secretsKey?: EncryptionKey;
  /** IAM database users the tenant's pods may sign in as (its dedicated cluster's proxy user). */
  private readonly databaseConnectUserArns: string[] = [];
  /** Security groups the tenant's pods get instead of the node's (a dedicated tenant's own group, plus the node group). */
  private readonly podSecurityGroupIds: string[] = [];

  constructor(scope: Construct, props: TenantStackProps) {
    const { tenant, environment: env } = props;
    super(scope, tenantStackName(tenant, env));
    this.tenant = tenant;
    this.environment = env;

    requireTerraformVersion(this);
    configureStateBackend(this, env, `tenants/${tenant.id}/${env.name}.tfstate`);

    new AwsProvider(this, 'aws', {
      region: env.region,
      allowedAccountIds: [env.account],
      defaultTags: [{ tags: { environment: env.name, stack: tenantStackName(tenant, env), 'managed-by': MANAGED_BY, tenant: tenant.id } }],
    });
    // The API token comes from CLOUDFLARE_API_TOKEN at plan time, never from the code.
    new CloudflareProvider(this, 'cloudflare', {});

    new TenantEdge(this, 'Edge', {
      zoneId: env.cloudflare.zoneId,
      platformHostname: platformHostname(tenant, env),
      originHostname: env.cloudflare.originHostname,
      fallbackOriginHostname: env.cloudflare.fallbackOriginHostname,
      customHostnames: customHostnames(tenant, env),
    });

    // Every tenant has objectives in Prometheus, so every tenant stack talks to the cluster.
    configureClusterProviders(this, env);
    new SloPrometheusRules(this, 'SloObjectives', {
      namespace: OBSERVABILITY_NAMESPACE,
      prometheusReleaseName: PROMETHEUS_RELEASE_NAME,
      ruleFiles: [props.objectivesRuleFile],
    });

    const data = tierTraits(tenant.tier).data;
    switch (data) {
      case 'shared-rows':
        break;
      case 'own-schema':
        this.addSchemaDatabase();
        break;
      case 'own-cluster':
        this.addDedicatedDatabase();
        break;
      default:
        assertNever(data);
    }
    if (tenant.namespace) this.addNamespace();
  }

  /** The tenant's customer managed key for its secrets, created on first use. */
  private tenantSecretsKey(): EncryptionKey {
    if (!this.secretsKey) {
      const { tenant, environment: env } = this;
      this.secretsKey = new EncryptionKey(this, 'SecretsKey', {
        alias: tenantSecretsKeyAlias(tenant, env),
        description: `Secrets of tenant ${tenant.id} in ${env.name}`,
        accountId: env.account,
        region: env.region,
      });
    }
    return this.secretsKey;
  }

  private addSchemaDatabase(): void {
    const { tenant, environment: env } = this;
    const cluster = new DataAwsRdsCluster(this, 'SharedCluster', { clusterIdentifier: sharedAuroraClusterIdentifier(env) });
    const proxy = new DataAwsDbProxy(this, 'SharedProxy', { name: sharedRdsProxyName(env) });
    addMasterUserPostgresqlProvider(this, cluster, 'SharedClusterMaster');
    new RandomProvider(this, 'random');

    new TenantSchemaDatabase(this, 'Database', {
      schemaName: tenantSchemaName(tenant),
      databaseName: cluster.databaseName,
      connectionLimit: tenant.databaseConnectionLimit,
      connectionHost: proxy.endpoint,
      secretName: `${tenantSecretPrefix(tenant, env)}database`,
      secretKmsKeyArn: this.tenantSecretsKey().keyArn,
      secretTags: { [RDS_PROXY_AUTH_TAG]: sharedRdsProxyName(env) },
      passwordVersion: tenant.databasePasswordVersion,
    });
  }

  private addDedicatedDatabase(): void {
    const { tenant, environment: env } = this;
    const clusterIdentifier = tenantAuroraClusterIdentifier(tenant, env);
    if (clusterIdentifier.length > MAX_DEDICATED_CLUSTER_IDENTIFIER) {
      throw new Error(
        `${tenant.file}: the cluster identifier ${clusterIdentifier} is ${clusterIdentifier.length} characters; IAM role names derived from it allow ${MAX_DEDICATED_CLUSTER_IDENTIFIER}. Use a shorter tenant id or environment name.`,
      );
    }
    const vpc = new DataAwsVpc(this, 'Vpc', { tags: { Name: vpcName(env) } });
    const isolated = new DataAwsSubnets(this, 'IsolatedSubnets', {
      filter: [{ name: 'vpc-id', values: [vpc.id] }],
      tags: { [SUBNET_TIER_TAG]: 'isolated' satisfies SubnetTier },
    });
    const nodes = new DataAwsSecurityGroup(this, 'NodeSecurityGroup', { vpcId: vpc.id, name: eksNodeSecurityGroupName(env) });
    // Security groups for pods: the tenant's pods carry this group (and the node group, for
    // DNS, Redis and the collector); the database admits this group only, so no other
    // tenant's pod and no node reaches it. The cluster tag lets the load balancer controller
    // open the group to its ALBs.
    const podGroupName = tenantPodSecurityGroupName(tenant, env);
    const pods = new SecurityGroup(this, 'PodSecurityGroup', {
      name: podGroupName,
      description: `Pods of tenant ${tenant.id}: the only clients of its database`,
      vpcId: vpc.id,
      tags: { Name: podGroupName, [`kubernetes.io/cluster/${eksClusterName(env)}`]: 'owned' },
    });
    this.podSecurityGroupIds.push(pods.id, nodes.id);
    const database = new TenantDedicatedDatabase(this, 'Database', {
      clusterIdentifier,
      vpcId: vpc.id,
      subnetIds: isolated.ids,
      clientSecurityGroupId: pods.id,
      capacity: env.sizes.aurora,
      accountId: env.account,
      region: env.region,
      production: env.production,
      offboarding: tenant.offboarding,
      readers: env.highAvailability ? 1 : 0,
      logRetentionInDays: env.logRetentionDays,
      backup: auroraBackupOptions(env),
      applicationRoleName: tenantSchemaName(tenant),
      connectionLimit: tenant.databaseConnectionLimit,
      secretName: `${tenantSecretPrefix(tenant, env)}database`,
      secretKmsKeyArn: this.tenantSecretsKey().keyArn,
    });
    const cluster = database.aurora.cluster;
    addMasterUserPostgresqlProvider(this, cluster, 'ClusterMaster');
    this.databaseConnectUserArns.push(database.connectUserArn);
  }

  /**
   * The PostgreSQL provider of this stack, signed in as the cluster's master user (the
   * administrator that creates tenant roles and schemas). The password is managed by RDS
   * in Secrets Manager; it is read at plan time and never written into the synthesized
   * JSON.
   */
  private addNamespace(): void {
    const { tenant, environment: env } = this;
    new TenantNamespace(this, 'Namespace', {
      tenantId: tenant.id,
      namespaceName: tenantNamespaceName(tenant),
      quota: tenant.namespaceQuota,
      clusterName: eksClusterName(env),
      secretArnPattern: `arn:aws:secretsmanager:${env.region}:${env.account}:secret:${tenantSecretPrefix(tenant, env)}*`,
      secretKmsKeyArn: this.tenantSecretsKey().keyArn,
      databaseConnectUserArns: this.databaseConnectUserArns,
      region: env.region,
      // Subnets as the Network construct carves env.network.cidr: the ALB (target type ip)
      // reaches pods from the public subnets; every data store sits in the isolated
      // subnets (the security groups decide which store a pod reaches); AWS APIs are the
      // interface endpoints of the endpoint subnets.
      loadBalancerCidrs: subnetCidrs(env.network.cidr, 'public'),
      databaseCidrs: subnetCidrs(env.network.cidr, 'isolated'),
      redisCidrs: subnetCidrs(env.network.cidr, 'isolated'),
      awsApiCidrs: subnetCidrs(env.network.cidr, 'endpoint'),
      podSecurityGroupIds: this.podSecurityGroupIds,
    });
  }
}

/**
 * The AWS Backup plan of a dedicated tenant's cluster: the environment's retention, and a
 * copy to the vault the data stack creates in the copy region, found by its ARN (tenant
 * stacks never reference platform stacks).
 */
function auroraBackupOptions(env: Environment): AuroraBackupOptions {
  const copyRegion = env.backup.copyRegion;
  return {
    retentionDays: env.backup.retentionDays,
    ...(copyRegion ? { copyVaultArn: backupCopyVaultArn(backupCopyVaultName(env), copyRegion, env.account) } : {}),
  };
}

/** Adds one TenantStack per tenant of the catalog in `env` (the loader has checked the quotas). */
export function addTenantStacks(scope: Construct, catalog: Catalog, env: Environment): readonly TenantStack[] {
  const ruleFiles = generateTenantRuleFiles(catalog);
  return catalog.tenants.map((tenant) => {
    const rules = ruleFiles.get(tenant.id);
    if (!rules) throw new Error(`${tenant.file}: no SLO objectives were generated for tenant ${tenant.id}`);
    return new TenantStack(scope, { tenant, environment: env, objectivesRuleFile: { name: rules.file.name, groups: rules.file.groups, yaml: rules.yaml } });
  });
}
