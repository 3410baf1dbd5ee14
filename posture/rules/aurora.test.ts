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
