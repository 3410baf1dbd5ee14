import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCatalog, selectEnvironments } from '@tenantry/catalog';
import { App } from 'cdktf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LABEL_BUCKET_BOUND, LABEL_TENANT } from '@tenantry/conventions';
import { LATENCY_BUDGET_SECONDS } from '@tenantry/conventions';
import { RULES_PER_TENANT } from '../dashboards/slo/objective-rules.js';
import { OBSERVABILITY_NAMESPACE, PROMETHEUS_RELEASE_NAME } from './naming.js';
import { readStackFiles } from '../synth-model/stack-files.js';
import { addTenantStacks } from './tenant-stacks.js';

type Block = Record<string, Record<string, Record<string, unknown>>>;
interface StackJson {
  readonly provider: Record<string, Record<string, unknown>[]>;
  readonly resource: Block;
  readonly data?: Block;
  readonly terraform: { backend?: { s3?: Record<string, unknown> } };
}

const work = mkdtempSync(join(tmpdir(), 'tenant-stacks-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Synthesizes the tenant stacks of the example catalog (both environments). */
function synthExample(): Map<string, StackJson> {
  const outdir = join(work, 'example');
  const app = new App({ outdir });
  const catalog = loadCatalog();
  for (const env of selectEnvironments(catalog, undefined)) addTenantStacks(app, catalog, env);
  app.synth();
  const stacks = new Map<string, StackJson>();
  for (const [name, text] of readStackFiles(outdir)) stacks.set(name, JSON.parse(text) as StackJson);
  return stacks;
}

describe('tenant stacks of the example catalog', () => {
  let stacks: Map<string, StackJson>;
  const stack = (name: string): StackJson => {
    const found = stacks.get(name);
    if (!found) throw new Error(`no stack ${name} among ${[...stacks.keys()].join(', ')}`);
    return found;
  };
  const types = (s: StackJson) => Object.keys(s.resource).sort();

  beforeAll(() => {
    stacks = synthExample();
  });

  it('has exactly one stack per tenant per environment', () => {
    expect([...stacks.keys()].sort()).toEqual([
      'tenant-brightwave-prod',
      'tenant-brightwave-staging',
      'tenant-harbor-law-prod',
      'tenant-harbor-law-staging',
      'tenant-ledgerline-prod',
      'tenant-ledgerline-staging',
      'tenant-northwind-prod',
      'tenant-northwind-staging',
    ]);
  });

  it('gives a pooled tenant its DNS record and SLO objectives only: no database objects, no namespace', () => {
    expect(types(stack('tenant-brightwave-prod'))).toEqual(['cloudflare_dns_record', 'kubernetes_manifest']);
    expect(Object.keys(stack('tenant-brightwave-prod').provider).sort()).toEqual(['aws', 'cloudflare', 'kubernetes']);
  });

  it("installs the tenant's own SLO objective series as one PrometheusRule that kube-prometheus-stack selects", () => {
    const manifests = Object.values(stack('tenant-northwind-prod').resource['kubernetes_manifest'] ?? {}).map(
      (m) => m['manifest'] as { kind: string; metadata: { name: string; namespace: string; labels: Record<string, string> }; spec: { groups: { rules: { record: string; labels: Record<string, string> }[] }[] } },
    );
    expect(manifests.map((m) => m.kind)).toEqual(['PrometheusRule']);
    const [rule] = manifests;
    expect(rule?.metadata).toEqual({ name: 'tenantry-slo-tenant-northwind', namespace: OBSERVABILITY_NAMESPACE, labels: { release: PROMETHEUS_RELEASE_NAME } });
    const rules = rule?.spec.groups.flatMap((g) => g.rules) ?? [];
    expect(rules).toHaveLength(RULES_PER_TENANT);
    for (const r of rules) expect(r.labels[LABEL_TENANT]).toBe('northwind');
    // northwind's catalog entry: a 300 ms p95 budget.
    expect(rules.find((r) => r.record === LATENCY_BUDGET_SECONDS)?.labels[LABEL_BUCKET_BOUND]).toBe('0.3');
  });

  it("gives a schema tenant its schema, role and secret, its SLO objectives, and its custom hostname in that environment only", () => {
    expect(types(stack('tenant-ledgerline-prod'))).toEqual([
      'aws_kms_alias',
      'aws_kms_key',
      'aws_secretsmanager_secret',
      'aws_secretsmanager_secret_version',
      'cloudflare_custom_hostname',
      'cloudflare_dns_record',
      'kubernetes_manifest',
      'postgresql_grant',
      'postgresql_role',
      'postgresql_schema',
      'random_password',
    ]);
    expect(types(stack('tenant-ledgerline-staging'))).not.toContain('cloudflare_custom_hostname');
  });

  it('finds the platform by name through data sources, never through remote state', () => {
    for (const [name, s] of stacks) {
      expect(Object.keys(s.data ?? {}), name).not.toContain('terraform_remote_state');
    }
    const data = stack('tenant-ledgerline-prod').data ?? {};
    expect(Object.values(data['aws_rds_cluster'] ?? {})).toEqual([expect.objectContaining({ cluster_identifier: 'tenantry-prod-shared' })]);
    expect(Object.values(data['aws_db_proxy'] ?? {})).toEqual([expect.objectContaining({ name: 'tenantry-prod-shared' })]);
  });

  it('configures the PostgreSQL provider from the shared cluster with TLS and no literal credentials', () => {
    const [postgresql] = stack('tenant-ledgerline-prod').provider['postgresql'] ?? [];
    expect(postgresql).toMatchObject({ sslmode: 'require', superuser: false });
    expect(postgresql?.['host']).toMatch(/^\$\{data\.aws_rds_cluster\./);
    expect(postgresql?.['password']).toMatch(/^\$\{jsondecode\(data\.aws_secretsmanager_secret_version\./);
  });

  it('configures the Kubernetes provider from the EKS cluster data sources, with no credentials at synth', () => {
    const [kubernetes] = stack('tenant-harbor-law-prod').provider['kubernetes'] ?? [];
    expect(kubernetes?.['host']).toMatch(/^\$\{data\.aws_eks_cluster\./);
    expect(kubernetes?.['token']).toMatch(/^\$\{data\.aws_eks_cluster_auth\./);
    expect(kubernetes?.['cluster_ca_certificate']).toMatch(/^\$\{base64decode\(data\.aws_eks_cluster\./);
  });

  it('gives a dedicated tenant its own cluster and namespace, and lets its pods sign in to that cluster only', () => {
    const harbor = stack('tenant-harbor-law-prod');
    expect(types(harbor)).toEqual(expect.arrayContaining(['aws_rds_cluster', 'aws_db_proxy', 'kubernetes_namespace_v1', 'kubernetes_network_policy_v1']));
    expect(Object.values(harbor.resource['aws_rds_cluster'] ?? {})).toEqual([
      expect.objectContaining({ cluster_identifier: 'tenantry-prod-t-harbor-law', deletion_protection: true }),
    ]);
    const [policy] = Object.values(harbor.resource['aws_iam_role_policy'] ?? {}).filter((p) => String(p['name']) === 'read-tenant-secrets');
    expect(String(policy?.['policy'])).toMatch(/rds-db:connect.*aws_rds_cluster\.Database_Aurora_Cluster_[A-Z0-9]+\.cluster_resource_id}\/\$\{postgresql_role\./);
  });

  it("admits only the dedicated tenant's own pods to its database: a pod security group of its stack, given to every pod of its namespace", () => {
    const harbor = stack('tenant-harbor-law-prod');
    const groups = harbor.resource['aws_security_group'] ?? {};
    const [podGroup] = Object.entries(groups).filter(([, group]) => group['name'] === 'tenantry-prod-t-harbor-law-pods');
    expect(podGroup).toBeDefined();
    const podGroupRef = `\${aws_security_group.${podGroup?.[0]}.id}`;
    expect(podGroup?.[1]['tags']).toMatchObject({ 'kubernetes.io/cluster/tenantry-prod': 'owned' });
    const postgres = Object.values(harbor.resource['aws_vpc_security_group_ingress_rule'] ?? {}).filter((rule) => rule['from_port'] === 5432);
    const clients = postgres.map((rule) => String(rule['referenced_security_group_id']));
    expect(clients).toContain(podGroupRef);
    expect(clients.filter((client) => client.includes('data.aws_security_group'))).toEqual([]);
    const [policy] = Object.values(harbor.resource['kubernetes_manifest'] ?? {}).filter((m) => (m['manifest'] as { kind?: string }).kind === 'SecurityGroupPolicy');
    expect((policy?.['manifest'] as { spec: unknown }).spec).toEqual({
      podSelector: {},
      securityGroups: { groupIds: [podGroupRef, expect.stringMatching(/^\$\{data\.aws_security_group\.[A-Za-z_]+\.id\}$/)] },
    });
  });

  it('lets tenant pods out only to the isolated subnets (data stores) and the endpoint subnets (AWS APIs), never the whole VPC or the internet', () => {
    const policies = Object.values(stack('tenant-harbor-law-prod').resource['kubernetes_network_policy_v1'] ?? {});
    expect(policies.length).toBeGreaterThan(0);
    const text = JSON.stringify(policies);
    // prod's VPC is 10.20.0.0/16 (catalog/environments/prod.yaml): isolated from 10.20.96.0, endpoint from 10.20.144.0.
    expect(text).toContain('"cidr":"10.20.96.0/20"');
    expect(text).toContain('"cidr":"10.20.144.0/20"');
    expect(text).not.toContain('0.0.0.0/0');
    expect(text).not.toMatch(/"cidr":"10\.\d+\.0\.0\/16"/);
  });

  it('finds the VPC, isolated subnets and node security group of a dedicated cluster by name', () => {
    const data = stack('tenant-harbor-law-prod').data ?? {};
    expect(Object.values(data['aws_vpc'] ?? {})).toEqual([expect.objectContaining({ tags: { Name: 'tenantry-prod-vpc' } })]);
    expect(Object.values(data['aws_subnets'] ?? {})).toEqual([expect.objectContaining({ tags: { 'tenantry:subnet-tier': 'isolated' } })]);
    expect(Object.values(data['aws_security_group'] ?? {})).toEqual([expect.objectContaining({ name: 'tenantry-prod-nodes' })]);
  });

  it('keeps each tenant in its own state file', () => {
    expect(stack('tenant-ledgerline-prod').terraform.backend?.s3).toMatchObject({
      key: 'tenants/ledgerline/prod.tfstate',
      encrypt: true,
      use_lockfile: true,
    });
  });

  it("tags every AWS resource with environment, stack, managed-by and the stack's tenant", () => {
    for (const [name, s] of stacks) {
      const [aws] = s.provider['aws'] ?? [];
      const [, tenant, environment] = /^tenant-(.+)-(prod|staging)$/.exec(name) ?? [];
      expect(aws?.['default_tags'], name).toEqual([{ tags: { environment, stack: name, 'managed-by': 'tenantry', tenant } }]);
    }
  });

  it("names only its own tenant's objects", () => {
    for (const [name, s] of stacks) {
      const text = JSON.stringify(s.resource);
      const tenant = name.replace(/^tenant-/, '').replace(/-(prod|staging)$/, '');
      for (const other of ['brightwave', 'harbor-law', 'ledgerline', 'northwind'].filter((t) => t !== tenant)) {
        expect(text, `${name} mentions ${other}`).not.toContain(other);
      }
    }
  });
});
