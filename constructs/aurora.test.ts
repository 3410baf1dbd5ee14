import { describe, expect, it } from 'vitest';
import { checkPosture } from '../posture/check-posture.js';
import { AURORA_POSTGRES_VERSION, AuroraPostgres, type AuroraPostgresProps } from './aurora.js';
import { synthesizeStack } from '../testing/synthesized-stack.js';

const PROPS: AuroraPostgresProps = {
  name: 'tenantry-test-shared',
  vpcId: 'vpc-0123',
  subnetIds: ['subnet-a', 'subnet-b', 'subnet-c'],
  clientSecurityGroupId: 'sg-nodes',
  capacity: { minCapacity: 0.5, maxCapacity: 64 },
  accountId: '111122223333',
  region: 'eu-west-1',
};
const synth = (props: Partial<AuroraPostgresProps> = {}) => synthesizeStack((stack) => new AuroraPostgres(stack, 'Aurora', { ...PROPS, ...props }));

describe('AuroraPostgres', () => {
  const staging = synth();
  const prod = synth({ production: true });
  const cluster = staging.only('aws_rds_cluster');

  it('runs aurora-postgresql Serverless v2 at the pinned version with the given capacity', () => {
    expect(cluster).toMatchObject({
      engine: 'aurora-postgresql',
      engine_mode: 'provisioned',
      engine_version: AURORA_POSTGRES_VERSION,
      serverlessv2_scaling_configuration: { min_capacity: 0.5, max_capacity: 64 },
    });
  });

  it('encrypts storage, Performance Insights and the managed master secret with its own rotating CMK', () => {
    const key = expect.stringContaining('aws_kms_key.');
    expect(cluster).toMatchObject({ storage_encrypted: true, kms_key_id: key, manage_master_user_password: true, master_user_secret_kms_key_id: key });
    expect(staging.only('aws_kms_key')).toMatchObject({ enable_key_rotation: true });
    for (const instance of staging.resources('aws_rds_cluster_instance')) {
      expect(instance).toMatchObject({ performance_insights_enabled: true, performance_insights_kms_key_id: key });
    }
  });

  it('writes no master password: RDS generates and keeps it', () => {
    expect(cluster.master_password).toBeUndefined();
    expect(cluster.master_password_wo).toBeUndefined();
  });

  it('forces TLS through the cluster parameter group and turns IAM authentication on', () => {
    const group = staging.only('aws_rds_cluster_parameter_group');
    expect(group.parameter).toContainEqual({ name: 'rds.force_ssl', value: '1' });
    expect(cluster.db_cluster_parameter_group_name).toContain('aws_rds_cluster_parameter_group.');
    expect(cluster.iam_database_authentication_enabled).toBe(true);
  });

  it('logs every schema change (log_statement = ddl) and statements slower than a second', () => {
    expect(staging.only('aws_rds_cluster_parameter_group').parameter).toEqual(
      expect.arrayContaining([
        { name: 'log_statement', value: 'ddl' },
        { name: 'log_min_duration_statement', value: '1000' },
      ]),
    );
  });

  it('creates at the pinned version but ignores the minor versions AWS applies afterwards; instances follow the cluster', () => {
    expect(cluster.lifecycle).toEqual({ ignore_changes: ['engine_version'] });
    for (const instance of staging.resources('aws_rds_cluster_instance')) {
      expect(instance).toMatchObject({ auto_minor_version_upgrade: true });
      expect(instance.engine_version).toBeUndefined();
    }
  });

  it('is in an AWS Backup plan: daily recovery points in a vault encrypted with its key, 35 days in production and 7 elsewhere', () => {
    const [name] = staging.names('aws_rds_cluster');
    expect(staging.only('aws_backup_selection').resources).toEqual([`\${aws_rds_cluster.${name}.arn}`]);
    expect(staging.only('aws_backup_vault')).toMatchObject({ kms_key_arn: expect.stringContaining('aws_kms_key.'), force_destroy: true });
    expect(staging.only('aws_backup_plan').rule).toMatchObject([{ lifecycle: { delete_after: 7 } }]);
    expect(prod.only('aws_backup_plan').rule).toMatchObject([{ lifecycle: { delete_after: 35 } }]);
    expect(prod.only('aws_backup_vault').force_destroy).toBe(false);
  });

  it('copies every recovery point to the vault it is given in another region, kept as long', () => {
    const copyVaultArn = 'arn:aws:backup:eu-central-1:111122223333:backup-vault:tenantry-test-aurora-copy';
    const rule = (synth({ backup: { retentionDays: 30, copyVaultArn } }).only('aws_backup_plan').rule as Record<string, unknown>[])[0];
    expect(rule).toMatchObject({ lifecycle: { delete_after: 30 }, copy_action: [{ destination_vault_arn: copyVaultArn, lifecycle: { delete_after: 30 } }] });
  });

  it('exports PostgreSQL logs into a CMK-encrypted log group named as RDS names it', () => {
    expect(cluster.enabled_cloudwatch_logs_exports).toEqual(['postgresql']);
    expect(staging.only('aws_cloudwatch_log_group')).toMatchObject({ name: '/aws/rds/cluster/tenantry-test-shared/postgresql', kms_key_id: expect.stringContaining('aws_kms_key.') });
  });

  it('places a writer and a reader, private, in different availability zones', () => {
    const instances = staging.resources('aws_rds_cluster_instance');
    expect(instances).toHaveLength(2);
    expect(instances.every((instance) => instance.instance_class === 'db.serverless' && instance.publicly_accessible === false)).toBe(true);
    expect(new Set(instances.map((instance) => instance.availability_zone))).toEqual(new Set([expect.stringContaining('.names, 0)'), expect.stringContaining('.names, 1)')]));
    expect(instances.map((instance) => instance.promotion_tier).sort()).toEqual([0, 1]);
  });

  it('keeps 7 days of backups outside production, skips the final snapshot and allows deletion', () => {
    expect(cluster).toMatchObject({ backup_retention_period: 7, deletion_protection: false, skip_final_snapshot: true, copy_tags_to_snapshot: true });
  });

  it('keeps 14 days of backups in production, with deletion protection and a final snapshot', () => {
    expect(prod.only('aws_rds_cluster')).toMatchObject({ backup_retention_period: 14, deletion_protection: true, skip_final_snapshot: false, final_snapshot_identifier: 'tenantry-test-shared-final' });
  });

  it('never keeps fewer than 7 days of backups', () => {
    expect(synth({ backupRetentionDays: 1 }).only('aws_rds_cluster').backup_retention_period).toBe(7);
  });

  it('lifts deletion protection but keeps the final snapshot when destroy is allowed in production', () => {
    expect(synth({ production: true, allowDestroy: true }).only('aws_rds_cluster')).toMatchObject({ deletion_protection: false, skip_final_snapshot: false });
  });

  it('puts an RDS Proxy that requires TLS and IAM in front of the cluster', () => {
    expect(staging.only('aws_db_proxy')).toMatchObject({ engine_family: 'POSTGRESQL', require_tls: true, auth: [expect.objectContaining({ auth_scheme: 'SECRETS', iam_auth: 'REQUIRED' })] });
    expect(staging.only('aws_db_proxy_target').db_cluster_identifier).toContain('aws_rds_cluster.');
  });

  it('admits 5432 only from the client security group (and the proxy to the cluster)', () => {
    const rules = staging.resources('aws_vpc_security_group_ingress_rule');
    expect(rules).toHaveLength(3);
    for (const rule of rules) {
      expect(rule).toMatchObject({ from_port: 5432, to_port: 5432, ip_protocol: 'tcp' });
      expect(rule.cidr_ipv4).toBeUndefined();
    }
    expect(rules.map((rule) => rule.referenced_security_group_id)).toEqual(['sg-nodes', 'sg-nodes', expect.stringContaining('aws_security_group.')]);
  });

  it('has no posture finding, in production either', () => {
    expect(checkPosture(staging.json)).toEqual([]);
    expect(checkPosture(prod.json, { production: true })).toEqual([]);
  });
});
