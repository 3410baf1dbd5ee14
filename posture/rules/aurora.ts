/** Aurora / RDS: encryption with a CMK, no public access, backups, IAM auth, logs, TLS. */
import type { Resource, ResourceRule, StackContext } from '../model.js';
import { blocks, isFalse, isSet, isTrue, numberValue, refersTo, strings } from '../values.js';

const CLUSTER = ['aws_rds_cluster'];
/** The Enhanced Monitoring intervals RDS accepts besides 0 (off). */
const MONITORING_INTERVALS = [1, 5, 10, 15, 30, 60];
const MINIMUM_BACKUP_DAYS = 7;
/** The most RDS keeps automated backups. */
const MAXIMUM_BACKUP_DAYS = 35;

/** The cluster parameter group a cluster names, when the stack defines it. */
function parameterGroupOf(cluster: Resource, stack: StackContext): Resource | undefined {
  const name = cluster.attributes.db_cluster_parameter_group_name;
  return stack
    .resources('aws_rds_cluster_parameter_group')
    .find((group) => refersTo(name, group.type, group.name) || (typeof name === 'string' && group.attributes.name === name));
}

/** The value of parameter `name` in a parameter group, when it sets it. */
function parameterValue(group: Resource, name: string): string | undefined {
  const parameter = blocks(group.attributes.parameter).find((candidate) => candidate.name === name);
  return parameter === undefined ? undefined : String(parameter.value);
}

/** Whether a resource's lifecycle ignores changes to `attribute`. */
function ignoresChanges(resource: Resource, attribute: string): boolean {
  const ignored = blocks(resource.attributes.lifecycle).flatMap((lifecycle) => (lifecycle.ignore_changes === 'all' ? ['all'] : strings(lifecycle.ignore_changes)));
  return ignored.includes(attribute) || ignored.includes('all');
}

/** A version with a minor part (`16.6`), which AWS's automatic minor upgrades move past. */
const MINOR_VERSION = /^\d+\.\d+/;

/** Whether AWS upgrades this cluster's minor version itself: some instance of it leaves auto_minor_version_upgrade on (its default). */
function upgradesMinorVersions(cluster: Resource, stack: StackContext): boolean {
  const instances = stack.resources('aws_rds_cluster_instance').filter((instance) => refersTo(instance.attributes.cluster_identifier, cluster.type, cluster.name));
  return instances.length === 0 || instances.some((instance) => !isFalse(instance.attributes.auto_minor_version_upgrade));
}

export const auroraRules: readonly ResourceRule[] = [
  {
    kind: 'resource',
    id: 'CKV_AWS_96',
    alsoKnownAs: ['AwsSolutions-RDS2', 'AVD-AWS-0079'],
    resourceTypes: CLUSTER,
    title: 'Aurora storage is encrypted',
    fix: 'set storage_encrypted = true (AuroraPostgres does)',
    check: (cluster) => (isTrue(cluster.attributes.storage_encrypted) ? undefined : 'storage_encrypted is not true'),
  },
  {
    kind: 'resource',
    id: 'CKV_AWS_327',
    resourceTypes: CLUSTER,
    title: 'Aurora storage is encrypted with a customer managed KMS key',
    fix: 'set kms_key_id to a CMK with rotation (EncryptionKey)',
    check: (cluster) => (isSet(cluster.attributes.kms_key_id) ? undefined : 'kms_key_id is not set: the AWS managed key cannot be audited or rotated by you'),
  },
  {
    kind: 'resource',
    id: 'CKV_AWS_17',
    alsoKnownAs: ['AVD-AWS-0180'],
    // cdk-nag also fails an unset publicly_accessible; checkov and AWS treat unset as false.
    relatedTo: ['RDSInstancePublicAccess'],
    resourceTypes: ['aws_rds_cluster_instance', 'aws_db_instance'],
    title: 'Database instances are not publicly accessible',
    fix: 'set publicly_accessible = false and place the instance in isolated subnets',
    check: (instance) => (isTrue(instance.attributes.publicly_accessible) ? 'publicly_accessible is true' : undefined),
  },
  {
    kind: 'resource',
    id: 'CKV_AWS_139',
    alsoKnownAs: ['AwsSolutions-RDS10', 'AVD-AWS-0343'],
    resourceTypes: CLUSTER,
    productionOnly: true,
    title: 'Production clusters have deletion protection',
    fix: 'set deletion_protection = true (AuroraPostgres does when production is true)',
    check: (cluster) => (isTrue(cluster.attributes.deletion_protection) ? undefined : 'deletion_protection is not true in a production environment'),
  },
  {
    kind: 'resource',
    id: 'CKV_AWS_133',
    alsoKnownAs: ['AVD-AWS-0077'],
    resourceTypes: CLUSTER,
    title: `Automated backups are kept ${MINIMUM_BACKUP_DAYS} to ${MAXIMUM_BACKUP_DAYS} days (stricter than checkov's 1 to ${MAXIMUM_BACKUP_DAYS}, and unset fails)`,
    fix: `set backup_retention_period between ${MINIMUM_BACKUP_DAYS} and ${MAXIMUM_BACKUP_DAYS} (14 in production)`,
    check: (cluster) => {
      const days = numberValue(cluster.attributes.backup_retention_period);
      return days !== undefined && days >= MINIMUM_BACKUP_DAYS && days <= MAXIMUM_BACKUP_DAYS ? undefined : `backup_retention_period is ${days ?? 'unset (1 day)'}`;
    },
  },
  {
    kind: 'resource',
    id: 'CKV_AWS_162',
    alsoKnownAs: ['AwsSolutions-RDS6', 'AVD-AWS-0176'],
    resourceTypes: CLUSTER,
    title: 'IAM database authentication is on',
    fix: 'set iam_database_authentication_enabled = true',
    check: (cluster) => (isTrue(cluster.attributes.iam_database_authentication_enabled) ? undefined : 'iam_database_authentication_enabled is not true'),
  },
  {
    kind: 'resource',
    id: 'CKV_AWS_324',
    alsoKnownAs: ['RDSLoggingEnabled'],
    resourceTypes: CLUSTER,
    title: 'Database logs are exported to CloudWatch Logs (for aurora-postgresql: the "postgresql" log)',
    fix: 'set enabled_cloudwatch_logs_exports = ["postgresql"]',
    check: (cluster) => {
      const exports = strings(cluster.attributes.enabled_cloudwatch_logs_exports);
      if (exports.length === 0) return 'enabled_cloudwatch_logs_exports is empty';
      return cluster.attributes.engine === 'aurora-postgresql' && !exports.includes('postgresql') ? 'enabled_cloudwatch_logs_exports lacks "postgresql"' : undefined;
    },
  },
  {
    kind: 'resource',
    id: 'TENANTRY_RDS_FORCE_SSL',
    // CKV2_AWS_69 checks the same parameter, but on aws_db_instance parameter groups only.
    relatedTo: ['CKV2_AWS_69'],
    resourceTypes: CLUSTER,
    title: 'The cluster parameter group forces TLS (rds.force_ssl = 1)',
    fix: 'give the cluster a parameter group (in the same stack) with rds.force_ssl = 1',
    check: (cluster, stack) => {
      const group = parameterGroupOf(cluster, stack);
      if (!group) return 'no cluster parameter group of this stack is attached: the default group does not force TLS';
      const forced = blocks(group.attributes.parameter).some((parameter) => parameter.name === 'rds.force_ssl' && String(parameter.value) === '1');
      return forced ? undefined : `parameter group ${group.address} does not set rds.force_ssl = 1`;
    },
  },
  {
    kind: 'resource',
    id: 'TENANTRY_RDS_PROXY_TLS',
    resourceTypes: ['aws_db_proxy'],
    title: 'RDS Proxy requires TLS from clients',
    fix: 'set require_tls = true',
    check: (proxy) => (isTrue(proxy.attributes.require_tls) ? undefined : 'require_tls is not true'),
  },
  {
    kind: 'resource',
    id: 'CKV_AWS_353',
    alsoKnownAs: ['CKV_AWS_354', 'AVD-AWS-0133'],
    resourceTypes: ['aws_rds_cluster_instance'],
    title: 'Performance Insights is on, encrypted with a CMK',
    fix: 'set performance_insights_enabled = true and performance_insights_kms_key_id',
    check: (instance) => {
      if (!isTrue(instance.attributes.performance_insights_enabled)) return 'performance_insights_enabled is not true';
      return isSet(instance.attributes.performance_insights_kms_key_id) ? undefined : 'performance_insights_kms_key_id is not set (CKV_AWS_354)';
    },
  },
  {
    kind: 'resource',
    id: 'CKV_AWS_118',
    alsoKnownAs: ['RDSEnhancedMonitoringEnabled'],
    resourceTypes: ['aws_rds_cluster_instance'],
    title: `Enhanced Monitoring is on (monitoring_interval one of ${MONITORING_INTERVALS.join(', ')} s) with a monitoring role`,
    fix: 'set monitoring_interval = 60 (or 30, 15, 10, 5, 1) and a monitoring_role_arn',
    check: (instance) => {
      const interval = numberValue(instance.attributes.monitoring_interval);
      if (interval === undefined || !MONITORING_INTERVALS.includes(interval)) return `monitoring_interval is ${interval ?? 'unset'}`;
      return isSet(instance.attributes.monitoring_role_arn) ? undefined : 'monitoring_role_arn is not set';
    },
  },
  {
    kind: 'resource',
    id: 'CKV_AWS_226',
    resourceTypes: ['aws_rds_cluster_instance'],
    title: 'Minor engine versions (security fixes) are applied automatically, said explicitly',
    fix: 'set auto_minor_version_upgrade = true',
    check: (instance) => (isTrue(instance.attributes.auto_minor_version_upgrade) ? undefined : `auto_minor_version_upgrade is ${instance.attributes.auto_minor_version_upgrade === undefined ? 'unset' : String(instance.attributes.auto_minor_version_upgrade)}`),
  },
  {
    kind: 'resource',
    id: 'CKV_AWS_313',
    resourceTypes: CLUSTER,
    title: 'Snapshots carry the cluster tags',
    fix: 'set copy_tags_to_snapshot = true',
    check: (cluster) => (isTrue(cluster.attributes.copy_tags_to_snapshot) ? undefined : 'copy_tags_to_snapshot is not true'),
  },
  {
    kind: 'resource',
    id: 'CKV2_AWS_27',
    resourceTypes: CLUSTER,
    title: 'An aurora-postgresql cluster logs statements: its parameter group sets log_statement (not none) and log_min_duration_statement (not -1)',
    fix: 'give the cluster a parameter group with log_statement = ddl and log_min_duration_statement = 1000 (AuroraPostgres does)',
    check: (cluster, stack) => {
      if (cluster.attributes.engine !== 'aurora-postgresql') return undefined;
      const group = parameterGroupOf(cluster, stack);
      if (!group) return 'no cluster parameter group of this stack is attached: the default group logs no statements';
      const statement = parameterValue(group, 'log_statement');
      const duration = parameterValue(group, 'log_min_duration_statement');
      if (statement === undefined || statement === 'none') return `parameter group ${group.address} sets log_statement to ${statement ?? 'nothing'}: schema changes go unrecorded`;
      if (duration === undefined || duration === '-1') return `parameter group ${group.address} sets log_min_duration_statement to ${duration ?? 'nothing'}: slow statements go unrecorded`;
      return undefined;
    },
  },
  {
    kind: 'resource',
    id: 'TENANTRY_RDS_ENGINE_DRIFT',
    resourceTypes: [...CLUSTER, 'aws_rds_cluster_instance'],
    title: 'A minor engine version is not pinned where AWS upgrades minor versions itself (auto_minor_version_upgrade): engine_version drift is ignored',
    fix: 'add lifecycle { ignore_changes = ["engine_version"] } to the cluster and leave engine_version off its instances (AuroraPostgres does)',
    check: (resource, stack) => {
      const version = resource.attributes.engine_version;
      if (typeof version !== 'string' || !MINOR_VERSION.test(version) || ignoresChanges(resource, 'engine_version')) return undefined;
      if (resource.type === 'aws_rds_cluster_instance') {
        return isFalse(resource.attributes.auto_minor_version_upgrade) ? undefined : `engine_version is pinned to ${version} on an instance AWS upgrades: the next plan after an automatic minor upgrade is a downgrade`;
      }
      return upgradesMinorVersions(resource, stack) ? `engine_version is pinned to ${version} while AWS upgrades minor versions: the next plan after an automatic upgrade is a downgrade, which RDS refuses` : undefined;
    },
  },
  {
    kind: 'resource',
    id: 'TENANTRY_RDS_NO_MASTER_LOGIN',
    resourceTypes: ['aws_iam_policy', 'aws_iam_role_policy'],
    title: "No IAM policy lets a workload sign in as a cluster's master user (rds-db:connect on its master_username): services use an application role",
    fix: 'grant rds-db:connect on the application role (TenantDedicatedDatabase.connectUserArn); keep the master for administration',
    check: (policy, stack) => {
      const document = String(policy.attributes.policy ?? '');
      if (!document.includes('rds-db:connect')) return undefined;
      if (document.includes('.master_username')) return 'rds-db:connect names a master_username';
      const masters = stack.resources('aws_rds_cluster').map((cluster) => cluster.attributes.master_username).filter((name): name is string => typeof name === 'string');
      const named = masters.find((name) => new RegExp(`dbuser:[^"/]+/${name}["\\s,\\]]`).test(document));
      return named ? `rds-db:connect names the master user ${named}` : undefined;
    },
  },
];
