/**
 * The app's composition (buildApp) over the example catalog: which stacks exist, what
 * each platform stack holds, how they are wired, where their state lives and how they
 * are tagged.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCatalog, exampleCatalogDirectory, type Catalog } from '@tenantry/catalog';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StackJson } from '../synth-model/stack-json.js';
import { buildApp } from './main.js';
import { readStackFiles } from '../synth-model/stack-files.js';

const outdir = mkdtempSync(join(tmpdir(), 'tenantry-app-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe('buildApp over the example catalog', () => {
  let catalog: Catalog;
  let stacks: ReadonlyMap<string, string>;
  const json = (name: string): StackJson & Record<string, unknown> => JSON.parse(stacks.get(name) ?? 'null') as StackJson & Record<string, unknown>;
  const types = (name: string): string[] => Object.keys(json(name).resource ?? {});

  beforeAll(() => {
    catalog = loadCatalog({ directory: exampleCatalogDirectory() });
    buildApp(catalog, catalog.environments, outdir).synth();
    stacks = readStackFiles(outdir);
  });

  it('synthesizes the six platform stacks and one stack per tenant for every environment', () => {
    const expected = catalog.environments.flatMap((env) => [
      ...['network', 'cluster', 'cluster-addons', 'cluster-objects', 'data', 'edge'].map((part) => `${part}-${env.name}`),
      ...catalog.tenants.map((tenant) => `tenant-${tenant.id}-${env.name}`),
    ]);
    expect([...stacks.keys()].sort()).toEqual(expected.sort());
  });

  it('splits the platform by lifecycle: network, cluster, data stores, edge', () => {
    expect(types('network-prod')).toEqual(expect.arrayContaining(['aws_vpc', 'aws_subnet', 'aws_nat_gateway', 'aws_flow_log']));
    expect(types('cluster-prod')).toEqual(expect.arrayContaining(['aws_eks_cluster', 'aws_eks_node_group', 'aws_eks_addon', 'aws_security_group']));
    expect(types('data-prod')).toEqual(expect.arrayContaining(['aws_rds_cluster', 'aws_db_proxy', 'aws_elasticache_replication_group']));
    expect(types('edge-prod').length).toBeGreaterThan(0);
    expect(types('edge-prod').filter((type) => !type.startsWith('cloudflare_'))).toEqual([]);
    expect(types('cluster-prod')).not.toContain('aws_rds_cluster');
  });

  it('wires the stacks with cross-stack references: data reads network and cluster outputs', () => {
    const remote = Object.keys((json('data-prod').data as Record<string, Record<string, unknown>>).terraform_remote_state ?? {});
    expect(remote.sort()).toEqual(['cross-stack-reference-input-cluster-prod', 'cross-stack-reference-input-network-prod']);
    const nodeGroupRule = Object.values(json('data-prod').resource?.aws_vpc_security_group_ingress_rule ?? {}).find((rule) => rule.from_port === 6379);
    expect(nodeGroupRule?.referenced_security_group_id).toContain('terraform_remote_state.cross-stack-reference-input-cluster-prod');
  });

  it('keeps the state of every example environment in its bucket, encrypted with its KMS key and locked', () => {
    for (const env of catalog.environments) {
      expect(json(`network-${env.name}`).terraform?.backend?.s3).toMatchObject({
        bucket: env.state?.bucket,
        key: `platform/network-${env.name}.tfstate`,
        encrypt: true,
        kms_key_id: env.state?.kmsKeyArn,
        use_lockfile: true,
      });
    }
  });

  it('tags every AWS resource with environment, stack and managed-by through the provider', () => {
    for (const part of ['network', 'cluster', 'cluster-addons', 'cluster-objects', 'data']) {
      const aws = (json(`${part}-prod`).provider as { aws: { default_tags: { tags: Record<string, string> }[] }[] }).aws[0];
      expect(aws?.default_tags[0]?.tags).toEqual({ environment: 'prod', stack: `${part}-prod`, 'managed-by': 'tenantry' });
    }
  });

  it('gives production one NAT gateway per zone and staging one in all', () => {
    expect(Object.keys(json('network-prod').resource?.aws_nat_gateway ?? {})).toHaveLength(3);
    expect(Object.keys(json('network-staging').resource?.aws_nat_gateway ?? {})).toHaveLength(1);
  });

  it('sizes Aurora, Redis and the node groups from the environment', () => {
    const aurora = Object.values(json('data-staging').resource?.aws_rds_cluster ?? {})[0];
    expect(aurora?.serverlessv2_scaling_configuration).toEqual({ min_capacity: 0.5, max_capacity: 8 });
    const redis = Object.values(json('data-prod').resource?.aws_elasticache_replication_group ?? {})[0];
    expect(redis).toMatchObject({ node_type: 'cache.r7g.large', num_cache_clusters: 3 });
    const workload = Object.values(json('cluster-prod').resource?.aws_eks_node_group ?? {}).find((group) => String(group.node_group_name).endsWith('-workload'));
    expect(workload?.scaling_config).toEqual({ min_size: 3, max_size: 30, desired_size: 6 });
  });

  it('puts nothing tenant-specific into a platform stack', () => {
    for (const env of catalog.environments) {
      for (const part of ['network', 'cluster', 'cluster-addons', 'cluster-objects', 'data', 'edge']) {
        const text = readFileSync(join(outdir, 'stacks', `${part}-${env.name}`, 'cdk.tf.json'), 'utf8');
        for (const tenant of catalog.tenants) expect(text, `${part}-${env.name} mentions ${tenant.id}`).not.toContain(tenant.id);
      }
    }
  });
});
