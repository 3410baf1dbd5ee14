/**
 * Every posture rule, fed a deliberately insecure configuration (the rule must fire on
 * it) and a secure one (it must not). A rule without a case here fails the last test.
 */
import { describe, expect, it } from 'vitest';
import { checkEnvironmentPosture, checkPosture } from './check-posture.js';
import type { StackJson } from './model.js';
import { POSTURE_RULES } from './rules/index.js';

type Attributes = Record<string, unknown>;
type Resources = Record<string, Record<string, Attributes>>;

const stack = (resource: Resources, extra: Partial<StackJson> = {}): StackJson => ({ resource, ...extra });
const one = (type: string, attributes: Attributes, others: Resources = {}): StackJson => stack({ [type]: { subject: attributes }, ...others });

const KEY = '${aws_kms_key.key.arn}';
const SECURE_CLUSTER: Attributes = {
  engine: 'aurora-postgresql',
  storage_encrypted: true,
  kms_key_id: KEY,
  deletion_protection: true,
  backup_retention_period: 14,
  iam_database_authentication_enabled: true,
  enabled_cloudwatch_logs_exports: ['postgresql'],
  copy_tags_to_snapshot: true,
  manage_master_user_password: true,
  db_cluster_parameter_group_name: '${aws_rds_cluster_parameter_group.params.name}',
};
const FORCE_SSL: Resources = { aws_rds_cluster_parameter_group: { params: { name: 'p', family: 'aurora-postgresql16', parameter: [{ name: 'rds.force_ssl', value: '1' }] } } };
const LOGGED: Resources = { aws_rds_cluster_parameter_group: { params: { name: 'p', parameter: [{ name: 'log_statement', value: 'ddl' }, { name: 'log_min_duration_statement', value: '1000' }] } } };
const BACKED_UP: Resources = { ...FORCE_SSL, aws_backup_selection: { daily: { name: 'd', plan_id: 'p', iam_role_arn: 'r', resources: ['${aws_rds_cluster.subject.arn}'] } } };
const cluster = (overrides: Attributes, groups: Resources = FORCE_SSL) => one('aws_rds_cluster', { ...SECURE_CLUSTER, ...overrides }, groups);

const SECURE_INSTANCE: Attributes = {
  publicly_accessible: false,
  performance_insights_enabled: true,
  performance_insights_kms_key_id: KEY,
  monitoring_interval: 60,
  monitoring_role_arn: '${aws_iam_role.monitoring.arn}',
  auto_minor_version_upgrade: true,
};
const SECURE_REDIS: Attributes = {
  at_rest_encryption_enabled: 'true',
  kms_key_id: KEY,
  transit_encryption_enabled: true,
  transit_encryption_mode: 'required',
  auth_token: '${random_password.token.result}',
  automatic_failover_enabled: true,
  multi_az_enabled: true,
  num_cache_clusters: 2,
  snapshot_retention_limit: 7,
};
const redis = (overrides: Attributes) => one('aws_elasticache_replication_group', { ...SECURE_REDIS, ...overrides });

const SECURE_EKS: Attributes = {
  encryption_config: { resources: ['secrets'], provider: { key_arn: KEY } },
  enabled_cluster_log_types: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'],
  vpc_config: { endpoint_private_access: true, endpoint_public_access: true, public_access_cidrs: ['203.0.113.0/24'] },
};
const eks = (overrides: Attributes) => one('aws_eks_cluster', { ...SECURE_EKS, ...overrides });

const LOAD_BALANCER: Resources = { aws_lb: { web: { security_groups: ['${aws_security_group.subject.id}'] } } };
const ingressGroup = (port: number, others: Resources) =>
  one('aws_security_group', { ingress: [{ cidr_blocks: ['0.0.0.0/0'], from_port: port, to_port: port, protocol: 'tcp' }] }, others);

const bucketWith = (block: Attributes, encryption: Attributes): StackJson =>
  stack({
    aws_s3_bucket: { logs: { bucket: 'logs' } },
    aws_s3_bucket_public_access_block: { logs: { bucket: '${aws_s3_bucket.logs.id}', ...block } },
    aws_s3_bucket_server_side_encryption_configuration: { logs: { bucket: '${aws_s3_bucket.logs.id}', rule: [{ apply_server_side_encryption_by_default: encryption }] } },
  });
const ALL_BLOCKED = { block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true };

/** A secret whose version carries a generated password, with the password's keepers as given. */
const rotatedSecret = (keepers: Attributes | undefined, version: number | undefined): StackJson =>
  stack({
    aws_secretsmanager_secret: { subject: { name: 's', kms_key_id: KEY } },
    aws_secretsmanager_secret_version: { v: { secret_id: '${aws_secretsmanager_secret.subject.id}', secret_string_wo: '${jsonencode({"password" = random_password.p.result})}', secret_string_wo_version: version } },
    random_password: { p: { length: 48, ...(keepers ? { keepers } : {}) } },
  });

const zoneSetting = (settingId: string, value: string) => one('cloudflare_zone_setting', { zone_id: 'z', setting_id: settingId, value });

/** The day every dated rule is checked for, so the cases do not change with the calendar. */
const TODAY = '2026-12-03';

/** The vpc-cni add-on as KubernetesCluster writes it: network policies enforced, security groups for pods on. */
const ENFORCING_CNI: Attributes = {
  cluster_name: '${aws_eks_cluster.cluster.name}',
  addon_name: 'vpc-cni',
  addon_version: 'v1.21.1-eksbuild.3',
  configuration_values: JSON.stringify({ enableNetworkPolicy: 'true', env: { ENABLE_POD_ENI: 'true' } }),
};
const cniWith = (overrides: Attributes): Attributes => ({ ...ENFORCING_CNI, ...overrides });

const SECURITY_GROUP_POLICY: Resources = {
  kubernetes_manifest: {
    pods: { manifest: { apiVersion: 'vpcresources.k8s.aws/v1beta1', kind: 'SecurityGroupPolicy', metadata: { name: 'tenant-pods', namespace: 'tenant-acme' }, spec: { podSelector: {}, securityGroups: { groupIds: ['${aws_security_group.pods.id}'] } } } },
  },
};

const kubeProxy = (clusterVersion: string, addonVersion: string): StackJson =>
  stack({
    aws_eks_cluster: { cluster: { ...SECURE_EKS, name: 'c', version: clusterVersion } },
    aws_eks_addon: { subject: { cluster_name: '${aws_eks_cluster.cluster.name}', addon_name: 'kube-proxy', addon_version: addonVersion } },
  });

/** A dedicated tenant's stack: its namespace, pod group given by a SecurityGroupPolicy, and a database admitting `client` on 5432. */
const dedicatedTenant = (client: string): StackJson =>
  stack({
    kubernetes_namespace_v1: { ns: { metadata: { name: 'tenant-acme' } } },
    ...SECURITY_GROUP_POLICY,
    aws_security_group: { pods: { name: 'pods' }, db: { name: 'db' } },
    aws_rds_cluster: { db: { ...SECURE_CLUSTER } },
    aws_vpc_security_group_ingress_rule: {
      clients: { security_group_id: '${aws_security_group.db.id}', referenced_security_group_id: client, ip_protocol: 'tcp', from_port: 5432, to_port: 5432 },
    },
  });

/** A VPC and a NetworkPolicy letting pods out to `cidr` on 5432. */
const egressTo = (cidr: string): StackJson =>
  stack({
    aws_vpc: { vpc: { cidr_block: '10.20.0.0/16' } },
    kubernetes_network_policy_v1: { out: { metadata: { name: 'out', namespace: 'tenant-acme' }, spec: { pod_selector: {}, policy_types: ['Egress'], egress: [{ to: [{ ip_block: { cidr } }], ports: [{ port: '5432', protocol: 'TCP' }] }] } } },
  });

/** A tenant namespace as TenantNamespace writes it, with one part of the baseline optionally broken. */
function tenantNamespace(options: { denyAll?: boolean; enforce?: string; quota?: boolean; cni?: Attributes | null } = {}): StackJson {
  const ns = '${kubernetes_namespace_v1.subject.metadata[0].name}';
  const denyAll = options.denyAll ?? true;
  const cni = options.cni === undefined ? ENFORCING_CNI : options.cni;
  return stack({
    ...(cni === null ? {} : { aws_eks_addon: { cni } }),
    kubernetes_namespace_v1: { subject: { metadata: { name: 'tenant-acme', labels: { 'pod-security.kubernetes.io/enforce': options.enforce ?? 'restricted' } } } },
    kubernetes_network_policy_v1: {
      deny: {
        metadata: { name: 'default-deny', namespace: ns },
        spec: denyAll ? { pod_selector: {}, policy_types: ['Ingress', 'Egress'] } : { pod_selector: {}, policy_types: ['Ingress'], ingress: [{ from: [{ namespace_selector: {} }] }] },
      },
    },
    ...(options.quota === false ? {} : { kubernetes_resource_quota_v1: { quota: { metadata: { name: 'q', namespace: ns }, spec: { hard: { pods: '10' } } } } }),
    kubernetes_limit_range_v1: { limits: { metadata: { name: 'l', namespace: 'tenant-acme' }, spec: { limit: [{ type: 'Container' }] } } },
  });
}

interface Case {
  readonly secure: StackJson;
  readonly insecure: StackJson;
  /** Production-only rules are checked on a production stack. */
  readonly production?: boolean;
}

const CASES: Record<string, Case> = {
  CKV_AWS_96: { secure: cluster({}), insecure: cluster({ storage_encrypted: false }) },
  CKV_AWS_327: { secure: cluster({}), insecure: cluster({ kms_key_id: undefined }) },
  CKV_AWS_17: { secure: one('aws_rds_cluster_instance', SECURE_INSTANCE), insecure: one('aws_rds_cluster_instance', { ...SECURE_INSTANCE, publicly_accessible: true }) },
  CKV_AWS_139: { secure: cluster({}), insecure: cluster({ deletion_protection: false }), production: true },
  CKV_AWS_133: { secure: cluster({ backup_retention_period: 7 }), insecure: cluster({ backup_retention_period: 3 }) },
  CKV_AWS_162: { secure: cluster({}), insecure: cluster({ iam_database_authentication_enabled: false }) },
  CKV_AWS_324: { secure: cluster({}), insecure: cluster({ enabled_cloudwatch_logs_exports: [] }) },
  TENANTRY_RDS_FORCE_SSL: { secure: cluster({}), insecure: cluster({}, { aws_rds_cluster_parameter_group: { params: { name: 'p', parameter: [{ name: 'rds.force_ssl', value: '0' }] } } }) },
  TENANTRY_RDS_PROXY_TLS: { secure: one('aws_db_proxy', { require_tls: true }), insecure: one('aws_db_proxy', { require_tls: false }) },
  CKV_AWS_353: { secure: one('aws_rds_cluster_instance', SECURE_INSTANCE), insecure: one('aws_rds_cluster_instance', { ...SECURE_INSTANCE, performance_insights_kms_key_id: undefined }) },
  CKV_AWS_313: { secure: cluster({}), insecure: cluster({ copy_tags_to_snapshot: false }) },
  CKV2_AWS_27: { secure: cluster({}, LOGGED), insecure: cluster({}, { aws_rds_cluster_parameter_group: { params: { name: 'p', parameter: [{ name: 'log_statement', value: 'none' }, { name: 'log_min_duration_statement', value: '1000' }] } } }) },
  TENANTRY_RDS_ENGINE_DRIFT: { secure: cluster({ engine_version: '16.6', lifecycle: { ignore_changes: ['engine_version'] } }), insecure: cluster({ engine_version: '16.6' }) },
  TENANTRY_RDS_NO_MASTER_LOGIN: {
    secure: one('aws_iam_role_policy', { role: 'r', policy: '${jsonencode({"Statement" = [{"Effect" = "Allow", "Action" = "rds-db:connect", "Resource" = ["arn:aws:rds-db:eu-west-1:1:dbuser:${aws_rds_cluster.db.cluster_resource_id}/${postgresql_role.app.name}"]}]})}' }),
    insecure: one('aws_iam_role_policy', { role: 'r', policy: '${jsonencode({"Statement" = [{"Effect" = "Allow", "Action" = "rds-db:connect", "Resource" = ["arn:aws:rds-db:eu-west-1:1:dbuser:prx-1/${aws_rds_cluster.db.master_username}"]}]})}' }),
  },
  CKV2_AWS_8: { secure: cluster({}, BACKED_UP), insecure: cluster({}) },
  CKV_AWS_166: { secure: one('aws_backup_vault', { name: 'v', kms_key_arn: KEY }), insecure: one('aws_backup_vault', { name: 'v' }) },
  TENANTRY_LOG_RETENTION_YEAR: { secure: one('aws_cloudwatch_log_group', { name: 'g', retention_in_days: 365 }), insecure: one('aws_cloudwatch_log_group', { name: 'g', retention_in_days: 90 }), production: true },
  CKV_AWS_118: { secure: one('aws_rds_cluster_instance', SECURE_INSTANCE), insecure: one('aws_rds_cluster_instance', { ...SECURE_INSTANCE, monitoring_interval: 0 }) },
  CKV_AWS_226: { secure: one('aws_rds_cluster_instance', SECURE_INSTANCE), insecure: one('aws_rds_cluster_instance', { ...SECURE_INSTANCE, auto_minor_version_upgrade: false }) },
  CKV_AWS_29: { secure: redis({}), insecure: redis({ at_rest_encryption_enabled: 'false' }) },
  CKV_AWS_191: { secure: redis({}), insecure: redis({ kms_key_id: undefined }) },
  CKV_AWS_30: { secure: redis({}), insecure: redis({ transit_encryption_mode: 'preferred' }) },
  CKV_AWS_31: { secure: redis({ auth_token: undefined, user_group_ids: ['${aws_elasticache_user_group.users.id}'] }), insecure: redis({ auth_token: undefined }) },
  CKV2_AWS_50: { secure: redis({}), insecure: redis({ automatic_failover_enabled: false }) },
  'AwsSolutions-AEC4': { secure: redis({}), insecure: redis({ multi_az_enabled: false }) },
  'AVD-AWS-0050': { secure: redis({}), insecure: redis({ snapshot_retention_limit: 0 }) },
  CKV_AWS_58: { secure: eks({}), insecure: eks({ encryption_config: undefined }) },
  CKV_AWS_37: { secure: eks({}), insecure: eks({ enabled_cluster_log_types: ['api', 'audit'] }) },
  CKV_AWS_38: {
    secure: eks({ vpc_config: { endpoint_private_access: true, endpoint_public_access: false } }),
    insecure: eks({ vpc_config: { endpoint_private_access: true, endpoint_public_access: true, public_access_cidrs: ['0.0.0.0/0'] } }),
  },
  TENANTRY_EKS_PRIVATE_ENDPOINT: { secure: eks({}), insecure: eks({ vpc_config: { endpoint_private_access: false, endpoint_public_access: true, public_access_cidrs: ['203.0.113.0/24'] } }) },
  CKV_AWS_100: {
    secure: one('aws_eks_node_group', { remote_access: { ec2_ssh_key: 'k', source_security_group_ids: ['sg-bastion'] } }),
    insecure: one('aws_eks_node_group', { remote_access: { ec2_ssh_key: 'k' } }),
  },
  'TENANTRY_SG_NO_OPEN_INGRESS': { secure: ingressGroup(443, LOAD_BALANCER), insecure: ingressGroup(443, {}) },
  CKV2_AWS_11: {
    secure: one('aws_vpc', { cidr_block: '10.0.0.0/16' }, { aws_flow_log: { all: { vpc_id: '${aws_vpc.subject.id}', traffic_type: 'ALL' } } }),
    insecure: one('aws_vpc', { cidr_block: '10.0.0.0/16' }),
  },
  CKV_AWS_158: { secure: one('aws_cloudwatch_log_group', { name: 'g', kms_key_id: KEY }), insecure: one('aws_cloudwatch_log_group', { name: 'g' }) },
  CKV_AWS_7: { secure: one('aws_kms_key', { enable_key_rotation: true }), insecure: one('aws_kms_key', { enable_key_rotation: false }) },
  CKV2_AWS_6: { secure: bucketWith(ALL_BLOCKED, { sse_algorithm: 'aws:kms' }), insecure: bucketWith({ ...ALL_BLOCKED, restrict_public_buckets: false }, { sse_algorithm: 'aws:kms' }) },
  CKV_AWS_145: { secure: bucketWith(ALL_BLOCKED, { sse_algorithm: 'aws:kms' }), insecure: bucketWith(ALL_BLOCKED, { sse_algorithm: 'AES256' }) },
  TENANTRY_SECRET_ROTATION: {
    secure: rotatedSecret({ version: '1' }, 1),
    insecure: rotatedSecret(undefined, 1),
  },
  TENANTRY_REDIS_AUTH_ROTATION: {
    secure: one('aws_elasticache_replication_group', { ...SECURE_REDIS, auth_token_update_strategy: 'SET' }, { random_password: { token: { length: 64, keepers: { version: '1' } } } }),
    insecure: one('aws_elasticache_replication_group', { ...SECURE_REDIS, auth_token_update_strategy: 'SET' }, { random_password: { token: { length: 64 } } }),
  },
  CKV_AWS_149: { secure: one('aws_secretsmanager_secret', { name: 's', kms_key_id: KEY }), insecure: one('aws_secretsmanager_secret', { name: 's' }) },
  TENANTRY_NO_LITERAL_SECRET: {
    secure: redis({ auth_token: '${random_password.token.result}' }),
    insecure: redis({ auth_token: 'correct-horse-battery-staple' }),
  },
  TENANTRY_STATE_BACKEND: {
    secure: stack({}, { terraform: { backend: { s3: { bucket: 'b', key: 'k', encrypt: true, kms_key_id: 'arn:aws:kms:eu-west-1:1:key/k', use_lockfile: true } } } }),
    insecure: stack({}, { terraform: { backend: { s3: { bucket: 'b', key: 'k', encrypt: true, use_lockfile: true } } } }),
  },
  TENANTRY_CF_ZONE_TLS: { secure: zoneSetting('min_tls_version', '1.2'), insecure: zoneSetting('min_tls_version', '1.0') },
  TENANTRY_CF_HOSTNAME_TLS: {
    secure: one('cloudflare_custom_hostname', { hostname: 'app.example.com', ssl: { method: 'txt', type: 'dv', settings: { min_tls_version: '1.2' } } }),
    insecure: one('cloudflare_custom_hostname', { hostname: 'app.example.com', ssl: { method: 'txt', type: 'dv' } }),
  },
  CKV_AWS_62: {
    secure: one('aws_iam_role_policy', { role: 'r', policy: '${jsonencode({"Statement" = [{"Effect" = "Allow", "Action" = ["secretsmanager:GetSecretValue"], "Resource" = "arn:aws:secretsmanager:eu-west-1:1:secret:t/*"}]})}' }),
    insecure: one('aws_iam_role_policy', { role: 'r', policy: '${jsonencode({"Statement" = [{"Effect" = "Allow", "Action" = "*", "Resource" = ["*"]}]})}' }),
  },
  CKV_AWS_355: {
    secure: one('aws_iam_role_policy', {
      role: 'r',
      policy: JSON.stringify({ Statement: [{ Effect: 'Allow', Action: ['ec2:DescribeSubnets'], Resource: '*' }, { Effect: 'Allow', Action: 'ec2:DeleteSecurityGroup', Resource: '*', Condition: { Null: { 'aws:ResourceTag/elbv2.k8s.aws/cluster': 'false' } } }] }),
    }),
    insecure: one('aws_iam_role_policy', { role: 'r', policy: JSON.stringify({ Statement: [{ Sid: 'Open', Effect: 'Allow', Action: ['ec2:DescribeSubnets', 'ec2:CreateSecurityGroup'], Resource: '*' }] }) }),
  },
  TENANTRY_DATA_PORTS_FROM_GROUPS: {
    secure: one('aws_vpc_security_group_ingress_rule', { security_group_id: 'sg-db', referenced_security_group_id: '${aws_security_group.pods.id}', ip_protocol: 'tcp', from_port: 5432, to_port: 5432 }),
    insecure: one('aws_vpc_security_group_ingress_rule', { security_group_id: 'sg-db', cidr_ipv4: '10.20.0.0/16', ip_protocol: 'tcp', from_port: 6379, to_port: 6379 }),
  },
  TENANTRY_DEDICATED_DB_TENANT_PODS: { secure: dedicatedTenant('${aws_security_group.pods.id}'), insecure: dedicatedTenant('${data.aws_security_group.nodes.id}') },
  TENANTRY_K8S_EGRESS_SCOPED: { secure: egressTo('10.20.96.0/20'), insecure: egressTo('0.0.0.0/0') },
  TENANTRY_K8S_DEFAULT_DENY: { secure: tenantNamespace(), insecure: tenantNamespace({ denyAll: false }) },
  TENANTRY_K8S_POD_SECURITY_GROUPS: {
    secure: stack({ ...SECURITY_GROUP_POLICY, aws_eks_addon: { cni: ENFORCING_CNI } }),
    insecure: stack({ ...SECURITY_GROUP_POLICY, aws_eks_addon: { cni: cniWith({ configuration_values: JSON.stringify({ enableNetworkPolicy: 'true' }) }) } }),
  },
  TENANTRY_TERRAFORM_VERSION: {
    secure: stack({}, { terraform: { required_version: '>= 1.11.0' } }),
    insecure: stack({}, { terraform: { required_version: '>= 1.5' } }),
  },
  TENANTRY_EKS_STANDARD_SUPPORT: { secure: eks({ version: '1.35' }), insecure: eks({ version: '1.33' }) },
  TENANTRY_EKS_ADDON_VERSION: { secure: kubeProxy('1.35', 'v1.35.0-eksbuild.2'), insecure: kubeProxy('1.35', 'v1.33.0-eksbuild.2') },
  TENANTRY_K8S_PSA_RESTRICTED: { secure: tenantNamespace(), insecure: tenantNamespace({ enforce: 'baseline' }) },
  TENANTRY_K8S_QUOTA: { secure: tenantNamespace(), insecure: tenantNamespace({ quota: false }) },
};

const ruleIds = (json: StackJson, production = false, today = TODAY) => checkPosture(json, { production, today }).map((finding) => finding.ruleId);

describe('posture rules', () => {
  describe.each(Object.entries(CASES))('%s', (id, { secure, insecure, production }) => {
    it('fires on the insecure configuration, naming the resource and the fix', () => {
      const findings = checkPosture(insecure, { production, stackName: 'data-prod', today: TODAY }).filter((finding) => finding.ruleId === id);
      expect(findings.length).toBeGreaterThan(0);
      expect(findings[0]).toMatchObject({ stack: 'data-prod', address: expect.any(String), problem: expect.any(String), fix: expect.any(String) });
    });

    it('stays silent on the secure configuration', () => {
      expect(ruleIds(secure, production)).not.toContain(id);
    });
  });

  it('has an insecure and a secure case for every rule', () => {
    expect(Object.keys(CASES).sort()).toEqual(POSTURE_RULES.map((rule) => rule.id).sort());
  });

  it('has unique rule ids', () => {
    const ids = POSTURE_RULES.map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('production-only rules', () => {
  it('do not apply to non-production stacks', () => {
    expect(ruleIds(cluster({ deletion_protection: false }))).not.toContain('CKV_AWS_139');
  });
});

describe('TENANTRY_SG_NO_OPEN_INGRESS', () => {
  it('fires on SSH open to the internet even on a load balancer group', () => {
    expect(ruleIds(ingressGroup(22, LOAD_BALANCER))).toContain('TENANTRY_SG_NO_OPEN_INGRESS');
  });

  it('fires on a separate ingress rule resource open to ::/0', () => {
    const json = stack({ aws_security_group: { db: {} }, aws_vpc_security_group_ingress_rule: { open: { security_group_id: '${aws_security_group.db.id}', cidr_ipv6: '::/0', ip_protocol: 'tcp', from_port: 5432, to_port: 5432 } } });
    expect(ruleIds(json)).toContain('TENANTRY_SG_NO_OPEN_INGRESS');
  });
});

describe('CKV_AWS_38', () => {
  it('fires when the public endpoint is left to its default with no CIDRs (AWS opens it to 0.0.0.0/0)', () => {
    expect(ruleIds(eks({ vpc_config: { endpoint_private_access: true } }))).toContain('CKV_AWS_38');
  });
});

describe('TENANTRY_NO_LITERAL_SECRET', () => {
  it('fires on a password literal inside a jsonencode body', () => {
    const json = one('aws_secretsmanager_secret_version', { secret_id: 'x', secret_string_wo: '${jsonencode({"username" = "app", "password" = "hunter2hunter2"})}' });
    expect(ruleIds(json)).toContain('TENANTRY_NO_LITERAL_SECRET');
  });

  it('fires on a literal credential in a provider block', () => {
    expect(ruleIds(stack({}, { provider: { cloudflare: [{ api_token: 'abcdef0123456789' }] } }))).toContain('TENANTRY_NO_LITERAL_SECRET');
  });

  it('fires on an AWS access key id anywhere', () => {
    expect(ruleIds(one('aws_ssm_parameter', { name: 'p', value: 'AKIAABCDEFGHIJKLMNOP' }))).toContain('TENANTRY_NO_LITERAL_SECRET');
  });

  it('accepts references inside a jsonencode body and non-secret settings named like secrets', () => {
    const json = one('aws_secretsmanager_secret_version', {
      secret_id: 'x',
      secret_string_wo: '${jsonencode({"username" = "app", "password" = random_password.p.result})}',
      secret_string_wo_version: 1,
      auth_token_update_strategy: 'ROTATE',
    });
    expect(ruleIds(json)).not.toContain('TENANTRY_NO_LITERAL_SECRET');
  });
});

describe('CKV_AWS_62', () => {
  it('fires on a JSON policy string that allows everything', () => {
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['*'], Resource: '*' }] });
    expect(ruleIds(one('aws_iam_policy', { policy }))).toContain('CKV_AWS_62');
  });

  it('accepts a key-admin style wildcard limited to one service, and a Deny of everything', () => {
    const policy = JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }, { Effect: 'Deny', Action: '*', Resource: '*' }] });
    expect(ruleIds(one('aws_iam_policy', { policy }))).not.toContain('CKV_AWS_62');
  });
});

describe('TENANTRY_K8S_DEFAULT_DENY', () => {
  it('does not count a policy of another namespace', () => {
    const json = tenantNamespace();
    const policies = (json.resource?.['kubernetes_network_policy_v1'] ?? {}) as Record<string, { metadata: Record<string, unknown> }>;
    if (policies['deny']) policies['deny'].metadata['namespace'] = 'someone-else';
    expect(ruleIds(json)).toContain('TENANTRY_K8S_DEFAULT_DENY');
  });
});

describe('TENANTRY_K8S_DEFAULT_DENY enforcement', () => {
  const problems = (json: StackJson) => checkPosture(json, { today: TODAY }).filter((f) => f.ruleId === 'TENANTRY_K8S_DEFAULT_DENY').map((f) => f.problem);

  it('fires when the namespace has its policies but no stack installs the vpc-cni add-on', () => {
    expect(problems(tenantNamespace({ cni: null }))).toEqual([expect.stringMatching(/not enforced: no stack of the environment installs the vpc-cni add-on/)]);
  });

  it('fires when the vpc-cni add-on leaves enableNetworkPolicy unset (the default: every NetworkPolicy ignored)', () => {
    expect(problems(tenantNamespace({ cni: cniWith({ configuration_values: undefined }) }))).toEqual([expect.stringMatching(/do not set enableNetworkPolicy/)]);
  });

  it('fires on a vpc-cni older than 1.14, which has no network policy agent', () => {
    expect(problems(tenantNamespace({ cni: cniWith({ addon_version: 'v1.13.4-eksbuild.1' }) }))).toEqual([expect.stringMatching(/predates network policy support/)]);
  });

  it('accepts enforcement declared by another stack of the same environment (the cluster stack)', () => {
    const tenant = { name: 'tenant-acme-prod', json: tenantNamespace({ cni: null }), production: true };
    const cluster = { name: 'cluster-prod', json: stack({ aws_eks_addon: { cni: ENFORCING_CNI } }), production: true };
    expect(checkEnvironmentPosture([tenant, cluster], { today: TODAY }).map((f) => f.ruleId)).not.toContain('TENANTRY_K8S_DEFAULT_DENY');
    expect(checkEnvironmentPosture([tenant], { today: TODAY }).map((f) => `${f.ruleId} ${f.stack}`)).toContain('TENANTRY_K8S_DEFAULT_DENY tenant-acme-prod');
  });
});

describe('TENANTRY_EKS_STANDARD_SUPPORT', () => {
  const problems = (version: string, today: string) =>
    checkPosture(eks({ version }), { today }).filter((f) => f.ruleId === 'TENANTRY_EKS_STANDARD_SUPPORT').map((f) => f.problem);

  it('names the day the pinned version left standard support', () => {
    expect(problems('1.34', '2026-12-03')).toEqual([expect.stringContaining('left EKS standard support on 2026-12-02')]);
  });

  it('fires from the end date of standard support on, not the day before', () => {
    expect(problems('1.35', '2027-03-26')).toEqual([]);
    expect(problems('1.35', '2027-03-27')).toEqual([expect.stringContaining('2027-03-27')]);
  });

  it('fires on a version the calendar does not know, and on an unpinned version', () => {
    expect(problems('1.99', TODAY)).toEqual([expect.stringContaining('not in the support calendar')]);
    expect(checkPosture(eks({}), { today: TODAY }).map((f) => f.ruleId)).toContain('TENANTRY_EKS_STANDARD_SUPPORT');
  });
});

describe('TENANTRY_TERRAFORM_VERSION', () => {
  it.each([
    ['>= 1.11.0', false],
    ['~> 1.11', false],
    ['>= 1.11, < 2.0.0', false],
    ['>= 1.10.5', true],
    ['< 2.0.0', true],
  ])('on required_version "%s" fires: %s', (constraint, fires) => {
    expect(ruleIds(stack({}, { terraform: { required_version: constraint } })).includes('TENANTRY_TERRAFORM_VERSION')).toBe(fires);
  });
});

describe('CKV_AWS_355', () => {
  const problems = (policy: string) => checkPosture(one('aws_iam_policy', { policy }), { today: TODAY }).filter((f) => f.ruleId === 'CKV_AWS_355').map((f) => f.problem);

  it('names the statement and only its restrictable actions', () => {
    const policy = JSON.stringify({ Statement: [{ Sid: 'Mixed', Effect: 'Allow', Action: ['elasticloadbalancing:DescribeRules', 'elasticloadbalancing:ModifyRule'], Resource: ['*'] }] });
    expect(problems(policy)).toEqual(['Mixed allows elasticloadbalancing:ModifyRule on Resource "*" without a condition']);
  });

  it('reads jsonencode expressions as well as JSON strings, and counts a service wildcard as restrictable', () => {
    expect(problems('${jsonencode({"Statement" = [{"Effect" = "Allow", "Action" = "kms:*", "Resource" = "*"}]})}')).toEqual([expect.stringContaining('kms:*')]);
  });

  it('accepts ARN-scoped statements and Deny statements', () => {
    const policy = JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'ec2:CreateSecurityGroup', Resource: 'arn:aws:ec2:eu-west-1:1:vpc/vpc-1' }, { Effect: 'Deny', Action: 's3:*', Resource: '*' }] });
    expect(problems(policy)).toEqual([]);
  });

  it('lets a documented exception through by its Sid only', () => {
    const statement = { Effect: 'Allow', Action: ['ec2:GetSecurityGroupsForVpc'], Resource: '*' };
    expect(problems(JSON.stringify({ Statement: [{ Sid: 'ListSecurityGroupsForVpc', ...statement }] }))).toEqual([]);
    expect(problems(JSON.stringify({ Statement: [{ Sid: 'Other', ...statement }] }))).toEqual([expect.stringContaining('ec2:GetSecurityGroupsForVpc')]);
  });
});

describe('TENANTRY_K8S_EGRESS_SCOPED', () => {
  it('fires on egress to the whole VPC, as found in another stack of the environment', () => {
    const tenant = { name: 'tenant-acme-prod', json: egressTo('10.20.0.0/16'), production: true };
    expect(checkEnvironmentPosture([tenant], { today: TODAY }).filter((f) => f.ruleId === 'TENANTRY_K8S_EGRESS_SCOPED').map((f) => f.problem)).toEqual(['egress to 10.20.0.0/16 reaches the whole VPC']);
  });
});

describe('TENANTRY_DATA_PORTS_FROM_GROUPS', () => {
  it('fires on an inline rule whose port range holds 5432, and on all protocols', () => {
    expect(ruleIds(one('aws_security_group', { ingress: [{ cidr_blocks: ['10.0.0.0/8'], from_port: 5000, to_port: 6000, protocol: 'tcp' }] }))).toContain('TENANTRY_DATA_PORTS_FROM_GROUPS');
    expect(ruleIds(one('aws_vpc_security_group_ingress_rule', { security_group_id: 'sg', cidr_ipv4: '10.0.0.0/16', ip_protocol: '-1' }))).toContain('TENANTRY_DATA_PORTS_FROM_GROUPS');
  });

  it('accepts an address range on other ports (HTTPS to the interface endpoints from the VPC)', () => {
    expect(ruleIds(one('aws_vpc_security_group_ingress_rule', { security_group_id: 'sg', cidr_ipv4: '10.0.0.0/16', ip_protocol: 'tcp', from_port: 443, to_port: 443 }))).not.toContain('TENANTRY_DATA_PORTS_FROM_GROUPS');
  });
});

describe('TENANTRY_DEDICATED_DB_TENANT_PODS', () => {
  it('fires when no SecurityGroupPolicy gives the pods the admitted group', () => {
    const json = dedicatedTenant('${aws_security_group.pods.id}');
    const resources = { ...json.resource };
    delete resources['kubernetes_manifest'];
    const problems = checkPosture({ resource: resources }, { today: TODAY }).filter((f) => f.ruleId === 'TENANTRY_DEDICATED_DB_TENANT_PODS').map((f) => f.problem);
    expect(problems).toEqual([expect.stringContaining('no SecurityGroupPolicy')]);
  });

  it('does not apply to the shared cluster of the data stack, which has no namespace', () => {
    const json = dedicatedTenant('${data.terraform_remote_state.cluster.outputs.nodes}');
    const resources = { ...json.resource };
    delete resources['kubernetes_namespace_v1'];
    expect(ruleIds({ resource: resources })).not.toContain('TENANTRY_DEDICATED_DB_TENANT_PODS');
  });
});
