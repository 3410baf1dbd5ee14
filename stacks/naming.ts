/**
 * Names shared between stacks. Tenant stacks find platform resources by these names
 * (data sources), never by cdktf cross-stack references: a cross-stack reference would
 * add an output to the platform stack for every tenant, so adding a tenant would change
 * a platform stack's synthesized JSON.
 */
import type { Environment, Tenant } from '@tenantry/catalog';

export type PlatformStackPart = 'network' | 'data' | 'cluster' | 'cluster-addons' | 'cluster-objects' | 'edge';

/** Stack id of a platform stack, e.g. `data-prod`. */
export const platformStackName = (part: PlatformStackPart, env: Environment): string => `${part}-${env.name}`;

/** Stack id of a tenant's stack, e.g. `tenant-acme-prod`. */
export const tenantStackName = (tenant: Tenant, env: Environment): string => `tenant-${tenant.id}-${env.name}`;

/** Prefix of every platform resource name in an environment. */
export const platformPrefix = (env: Environment): string => `tenantry-${env.name}`;

export const vpcName = (env: Environment): string => `${platformPrefix(env)}-vpc`;
export const sharedAuroraClusterIdentifier = (env: Environment): string => `${platformPrefix(env)}-shared`;
/** AuroraPostgres names its proxy after its cluster; tenant stacks tag their login secrets with this name. */
export const sharedRdsProxyName = sharedAuroraClusterIdentifier;
export const redisReplicationGroupId = (env: Environment): string => `${platformPrefix(env)}-redis`;
export const eksClusterName = (env: Environment): string => `${platformPrefix(env)}`;
/** Security group of the EKS worker nodes: data stores admit their ports from it only. */
export const eksNodeSecurityGroupName = (env: Environment): string => `${platformPrefix(env)}-nodes`;

/** Secrets Manager name prefix of every tenant's secrets in an environment. */
export const tenantsSecretPrefix = (env: Environment): string => `tenantry/${env.name}/tenants/`;
/** Secrets Manager name prefix of one tenant's secrets; its IAM role may read only these. */
export const tenantSecretPrefix = (tenant: Tenant, env: Environment): string => `${tenantsSecretPrefix(env)}${tenant.id}/`;
/** Kubernetes namespace of a tenant that has one. */
export const tenantNamespaceName = (tenant: Tenant): string => `tenant-${tenant.id}`;
/** PostgreSQL schema and role of a `schema`-tier tenant. */
export const tenantSchemaName = (tenant: Tenant): string => `tenant_${tenant.id.replace(/-/g, '_')}`;
/** Aurora cluster of a `dedicated` tenant; `-t-` keeps it apart from platform names such as `<prefix>-shared`. */
export const tenantAuroraClusterIdentifier = (tenant: Tenant, env: Environment): string => `${platformPrefix(env)}-t-${tenant.id}`;
/** Security group a dedicated tenant's pods get (SecurityGroupPolicy); its database admits only this group. */
export const tenantPodSecurityGroupName = (tenant: Tenant, env: Environment): string => `${platformPrefix(env)}-t-${tenant.id}-pods`;
/** Alias (without `alias/`) of the KMS key that encrypts one tenant's secrets. */
export const tenantSecretsKeyAlias = (tenant: Tenant, env: Environment): string => `${platformPrefix(env)}-t-${tenant.id}-secrets`;
/** AWS Backup vault in the environment's backup copy region that every Aurora cluster's recovery points are copied to. */
export const backupCopyVaultName = (env: Environment): string => `${platformPrefix(env)}-aurora-copy`;
/** Tag on a tenant secret that names the RDS Proxy it must be registered with. */
export const RDS_PROXY_AUTH_TAG = 'tenantry:rds-proxy-auth';

/** Namespace of the observability stack (Prometheus, Grafana, the OpenTelemetry Collector). */
export const OBSERVABILITY_NAMESPACE = 'observability';
/**
 * kube-prometheus-stack's Helm release name: Prometheus selects PrometheusRules labelled
 * `release: <this>`, including those each tenant stack creates for its objectives.
 */
export const PROMETHEUS_RELEASE_NAME = 'kube-prometheus-stack';
/** Namespace and service account of the AWS Load Balancer Controller. */
export const LOAD_BALANCER_CONTROLLER_NAMESPACE = 'kube-system';
export const LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT = 'aws-load-balancer-controller';
/** IAM role of the AWS Load Balancer Controller. */
export const loadBalancerControllerRoleName = (env: Environment): string => `${platformPrefix(env)}-lb-controller`;
