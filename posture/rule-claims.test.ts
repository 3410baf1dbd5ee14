/**
 * A rule that carries a checkov or cdk-nag id fires on what that check fails: the cases
 * below are configurations the named check fails (read from its source) that an earlier
 * version of the rule let through.
 */
import { describe, expect, it } from 'vitest';
import { checkPosture } from './check-posture.js';
import type { StackJson } from './model.js';
import { POSTURE_RULES } from './rules/index.js';

const one = (type: string, attributes: Record<string, unknown>): StackJson => ({ resource: { [type]: { subject: attributes } } });
const ruleIds = (json: StackJson) => checkPosture(json).map((finding) => finding.ruleId);

describe('rules named after a checkov check fire where that check fails', () => {
  it('CKV_AWS_118: a monitoring_interval RDS does not accept (45 s)', () => {
    expect(ruleIds(one('aws_rds_cluster_instance', { monitoring_interval: 45, monitoring_role_arn: 'r' }))).toContain('CKV_AWS_118');
  });

  it('CKV_AWS_226: auto_minor_version_upgrade left unset', () => {
    expect(ruleIds(one('aws_rds_cluster_instance', {}))).toContain('CKV_AWS_226');
  });

  it('CKV_AWS_133: a retention above the 35 days RDS allows', () => {
    expect(ruleIds(one('aws_rds_cluster', { backup_retention_period: 40 }))).toContain('CKV_AWS_133');
  });

  it('CKV_AWS_31: an AUTH token without encryption in transit', () => {
    expect(ruleIds(one('aws_elasticache_replication_group', { auth_token: '${random_password.t.result}', transit_encryption_enabled: false }))).toContain('CKV_AWS_31');
  });

  it('CKV_AWS_149: a secret encrypted with the aws/secretsmanager alias', () => {
    expect(ruleIds(one('aws_secretsmanager_secret', { kms_key_id: 'alias/aws/secretsmanager' }))).toContain('CKV_AWS_149');
  });

  it('CKV_AWS_62: a statement without Effect (Allow by default) on "*" and "*"', () => {
    expect(ruleIds(one('aws_iam_policy', { policy: JSON.stringify({ Statement: [{ Action: '*', Resource: '*' }] }) }))).toContain('CKV_AWS_62');
  });

  it('CKV_AWS_145: aws:kms:dsse is not the aws:kms checkov asks for', () => {
    const json: StackJson = {
      resource: {
        aws_s3_bucket: { b: { bucket: 'b' } },
        aws_s3_bucket_server_side_encryption_configuration: { b: { bucket: '${aws_s3_bucket.b.id}', rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms:dsse' } }] } },
      },
    };
    expect(ruleIds(json)).toContain('CKV_AWS_145');
  });

  it('CKV_AWS_7: an HMAC key without rotation', () => {
    expect(ruleIds(one('aws_kms_key', { customer_master_key_spec: 'HMAC_256' }))).toContain('CKV_AWS_7');
  });
});

describe('checks that decide differently are named only as related', () => {
  const rule = (id: string) => POSTURE_RULES.find((candidate) => candidate.id === id);

  it.each([
    ['TENANTRY_EKS_PRIVATE_ENDPOINT', 'CKV_AWS_39'],
    ['TENANTRY_SG_NO_OPEN_INGRESS', 'AwsSolutions-EC23'],
    ['CKV_AWS_62', 'CKV_AWS_355'],
  ])('%s names %s as related, not as the same check', (id, other) => {
    expect(rule(id)?.relatedTo).toContain(other);
    expect(rule(id)?.alsoKnownAs ?? []).not.toContain(other);
  });

  it('no id is both the same check and related', () => {
    for (const candidate of POSTURE_RULES) {
      const same = new Set([candidate.id, ...(candidate.alsoKnownAs ?? [])]);
      expect((candidate.relatedTo ?? []).filter((id) => same.has(id))).toEqual([]);
    }
  });
});
