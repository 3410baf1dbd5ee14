/**
 * One Terraform stack per tenant per environment. A tenant stack finds the platform's
 * resources by name (data sources, names from naming.ts), never through cdktf
 * cross-stack references, so adding a tenant adds exactly one stack and changes no
 * other stack's synthesized JSON.
 */
import { DataAwsDbProxy } from '@cdktf/provider-aws/lib/data-aws-db-proxy/index.js';
import { DataAwsEksCluster } from '@cdktf/provider-aws/lib/data-aws-eks-cluster/index.js';
import { DataAwsEksClusterAuth } from '@cdktf/provider-aws/lib/data-aws-eks-cluster-auth/index.js';
import { DataAwsRdsCluster } from '@cdktf/provider-aws/lib/data-aws-rds-cluster/index.js';
import { DataAwsSecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/data-aws-secretsmanager-secret-version/index.js';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias/index.js';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key/index.js';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider/index.js';
import { CloudflareProvider } from '@cdktf/provider-cloudflare/lib/provider/index.js';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider/index.js';
import { PostgresqlProvider } from '@cdktf/provider-postgresql/lib/provider/index.js';
import { RandomProvider } from '@cdktf/provider-random/lib/provider/index.js';
import { customHostnames, platformHostname, type Catalog, type Environment, type Tenant } from '@tenantry/catalog';
import { Fn, S3Backend, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { TenantEdge } from '../constructs/tenant-edge.js';
import { TenantSchemaDatabase } from '../constructs/tenant-data-schema.js';
import { TenantNamespace } from '../constructs/tenant-namespace.js';
import {
  eksClusterName,
  sharedAuroraClusterIdentifier,
  sharedRdsProxyName,
  tenantNamespaceName,
  tenantSchemaName,
  tenantSecretPrefix,
  tenantStackName,
} from './naming.js';
import { checkTenantQuotas } from './tenant-quotas.js';

export interface TenantStackProps {
  readonly tenant: Tenant;
  readonly environment: Environment;
}

/** Everything one tenant owns in one environment. */
export class TenantStack extends TerraformStack {
  readonly tenant: Tenant;
  readonly environment: Environment;
  private secretsKey?: KmsKey;

  constructor(scope: Construct, props: TenantStackProps) {
    const { tenant, environment: env } = props;
    super(scope, tenantStackName(tenant, env));
    this.tenant = tenant;
    this.environment = env;

    if (env.state) {
      new S3Backend(this, {
        bucket: env.state.bucket,
        region: env.state.region,
        key: `tenants/${tenant.id}/${env.name}.tfstate`,
        encrypt: true,
        ...(env.state.kmsKeyArn ? { kmsKeyId: env.state.kmsKeyArn } : {}),
      });
      // S3-native locking (Terraform >= 1.10); cdktf 0.21's S3Backend has no field for it.
      this.addOverride('terraform.backend.s3.use_lockfile', true);
    }

    new AwsProvider(this, 'aws', {
      region: env.region,
      allowedAccountIds: [env.account],
      defaultTags: [{ tags: { 'tenantry:environment': env.name, 'tenantry:tenant': tenant.id, 'tenantry:stack': tenantStackName(tenant, env) } }],
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

    // `pooled` tenants own no database objects: their rows live in the shared schema,
    // isolated by row-level security that the application's migrations create and force.
    if (tenant.tier === 'schema') this.addSchemaDatabase();
    if (tenant.namespace) this.addNamespace();
  }

  /** The tenant's customer managed key for its secrets, created on first use. */
  private tenantSecretsKey(): KmsKey {
    if (!this.secretsKey) {
      const { tenant, environment: env } = this;
      this.secretsKey = new KmsKey(this, 'SecretsKey', {
        description: `Secrets of tenant ${tenant.id} in ${env.name}`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
      });
      new KmsAlias(this, 'SecretsKeyAlias', { name: `alias/tenantry/${env.name}/tenants/${tenant.id}`, targetKeyId: this.secretsKey.keyId });
    }
    return this.secretsKey;
  }

  private addSchemaDatabase(): void {
    const { tenant, environment: env } = this;
    const cluster = new DataAwsRdsCluster(this, 'SharedCluster', { clusterIdentifier: sharedAuroraClusterIdentifier(env) });
    const proxy = new DataAwsDbProxy(this, 'SharedProxy', { name: sharedRdsProxyName(env) });
    // The master password is managed by RDS in Secrets Manager; it is read at plan time
    // and never written into the synthesized JSON.
    const master = new DataAwsSecretsmanagerSecretVersion(this, 'SharedClusterMaster', {
      secretId: cluster.masterUserSecret.get(0).secretArn,
    });
    new PostgresqlProvider(this, 'postgresql', {
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
    new RandomProvider(this, 'random');

    new TenantSchemaDatabase(this, 'Database', {
      schemaName: tenantSchemaName(tenant),
      databaseName: cluster.databaseName,
      connectionLimit: tenant.databaseConnectionLimit,
      connectionHost: proxy.endpoint,
      secretName: `${tenantSecretPrefix(tenant, env)}database`,
      secretKmsKeyArn: this.tenantSecretsKey().arn,
    });
  }

  private addNamespace(): void {
    const { tenant, environment: env } = this;
    const cluster = new DataAwsEksCluster(this, 'Cluster', { name: eksClusterName(env) });
    const auth = new DataAwsEksClusterAuth(this, 'ClusterAuth', { name: eksClusterName(env) });
    new KubernetesProvider(this, 'kubernetes', {
      host: cluster.endpoint,
      clusterCaCertificate: Fn.base64decode(cluster.certificateAuthority.get(0).data),
      token: auth.token,
    });

    new TenantNamespace(this, 'Namespace', {
      tenantId: tenant.id,
      namespaceName: tenantNamespaceName(tenant),
      quota: tenant.namespaceQuota,
      clusterName: eksClusterName(env),
      secretArnPattern: `arn:aws:secretsmanager:${env.region}:${env.account}:secret:${tenantSecretPrefix(tenant, env)}*`,
      secretKmsKeyArn: this.tenantSecretsKey().arn,
      region: env.region,
      // Data stores and AWS interface endpoints all live in the environment's VPC.
      databaseCidrs: [env.network.cidr],
      redisCidrs: [env.network.cidr],
      awsApiCidrs: [env.network.cidr],
    });
  }
}

/**
 * Adds one TenantStack per tenant of the catalog in `env`, after checking the catalog
 * against the environment's quotas (TenantQuotaError names each limit exceeded).
 */
export function addTenantStacks(scope: Construct, catalog: Catalog, env: Environment): readonly TenantStack[] {
  checkTenantQuotas(catalog, env);
  return catalog.tenants.map((tenant) => new TenantStack(scope, { tenant, environment: env }));
}
