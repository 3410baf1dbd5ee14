/** TENANTRY_RDS_ENGINE_DRIFT beyond its case in posture/rules.test.ts. */
import { describe, expect, it } from 'vitest';
import { checkPosture } from '../check-posture.js';
import type { StackJson } from '../model.js';

const DRIFT = 'TENANTRY_RDS_ENGINE_DRIFT';
const ruleIds = (json: StackJson) => checkPosture(json).map((finding) => finding.ruleId);
const clusterWith = (engineVersion: string, instance: Record<string, unknown>): StackJson => ({
  resource: {
    aws_rds_cluster: { db: { engine: 'aurora-postgresql', engine_version: engineVersion } },
    aws_rds_cluster_instance: { writer: { cluster_identifier: '${aws_rds_cluster.db.id}', ...instance } },
  },
});

describe(DRIFT, () => {
  it('fires on an instance that pins a minor version AWS will upgrade', () => {
    expect(ruleIds(clusterWith('16', { engine_version: '16.6', auto_minor_version_upgrade: true }))).toContain(DRIFT);
  });

  it('stays silent on a major version only', () => {
    expect(ruleIds(clusterWith('16', { auto_minor_version_upgrade: true }))).not.toContain(DRIFT);
  });

  it('stays silent when no instance of the cluster upgrades automatically', () => {
    expect(ruleIds(clusterWith('16.6', { auto_minor_version_upgrade: false }))).not.toContain(DRIFT);
  });

  it('fires on a pinned cluster whose instance leaves auto_minor_version_upgrade to its default (on)', () => {
    expect(ruleIds(clusterWith('16.6', {}))).toContain(DRIFT);
  });
});

describe('TENANTRY_RDS_NO_MASTER_LOGIN', () => {
  it('fires on a JSON policy naming the master user of a cluster of the stack by its literal name', () => {
    const policy = JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'rds-db:connect', Resource: ['arn:aws:rds-db:eu-west-1:1:dbuser:cluster-ABC/tenantry_admin'] }] });
    const json: StackJson = { resource: { aws_rds_cluster: { db: { master_username: 'tenantry_admin' } }, aws_iam_policy: { p: { policy } } } };
    expect(ruleIds(json)).toContain('TENANTRY_RDS_NO_MASTER_LOGIN');
  });
});
