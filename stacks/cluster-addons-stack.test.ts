/**
 * cluster-addons-<env> as buildApp synthesizes it: the three Helm releases at pinned
 * versions, the load balancer controller's least-privilege role, providers from data
 * sources, and nothing tenant-specific.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exampleCatalogDirectory, loadCatalog, type Catalog } from '@tenantry/catalog';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { LOAD_BALANCER_CONTROLLER_CHART } from '../constructs/load-balancer-controller/index.js';
import { KUBE_PROMETHEUS_STACK_CHART, OPENTELEMETRY_COLLECTOR_CHART } from '../constructs/observability/index.js';
import { ARGO_ROLLOUTS_CHART } from '../constructs/rollouts/argo-rollouts.js';
import { allowsEverything } from '../posture/rules/iam.js';
import { OBJECTIVE_RATIO } from '@tenantry/conventions';
import { buildApp } from './main.js';
import { PROMETHEUS_RELEASE_NAME } from './naming.js';
import { readStackFiles } from '../synth-model/stack-files.js';

type Block = Record<string, Record<string, Record<string, unknown>>>;
interface StackJson {
  readonly provider: Record<string, Record<string, unknown>[]>;
  readonly resource: Block;
  readonly data: Block;
  readonly terraform: { backend?: { s3?: { key?: string } } };
}
interface Statement {
  readonly Action: string[];
  readonly Resource: string | string[];
  readonly Condition?: Record<string, Record<string, unknown>>;
}

const outdir = mkdtempSync(join(tmpdir(), 'cluster-addons-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe('cluster-addons-prod', () => {
  let catalog: Catalog;
  let stacks: ReadonlyMap<string, string>;
  let stack: StackJson;
  const resources = (type: string) => Object.values(stack.resource[type] ?? {});
  const release = (chart: string) => resources('helm_release').find((r) => r['chart'] === chart);

  beforeAll(() => {
    catalog = loadCatalog({ directory: exampleCatalogDirectory() });
    buildApp(catalog, catalog.environments, outdir).synth();
    stacks = readStackFiles(outdir);
    stack = JSON.parse(stacks.get('cluster-addons-prod') ?? 'null') as StackJson;
  });

  it('installs the AWS Load Balancer Controller, Argo Rollouts, kube-prometheus-stack and the OpenTelemetry Collector at pinned chart versions', () => {
    const installed = resources('helm_release').map((r) => [r['repository'], r['chart'], r['version']]);
    expect(installed.sort()).toEqual(
      [LOAD_BALANCER_CONTROLLER_CHART, ARGO_ROLLOUTS_CHART, KUBE_PROMETHEUS_STACK_CHART, OPENTELEMETRY_COLLECTOR_CHART].map((c) => [c.repository, c.chart, c.version]).sort(),
    );
    for (const r of resources('helm_release')) expect(r['version'], String(r['chart'])).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('points the load balancer controller at the cluster and its VPC, found by name', () => {
    const values = parse((release('aws-load-balancer-controller')?.['values'] as string[])[0]!) as Record<string, unknown>;
    expect(values).toMatchObject({ clusterName: 'tenantry-prod', region: catalog.environments.find((e) => e.name === 'prod')?.region, ingressClass: 'alb' });
    expect(values['vpcId']).toMatch(/^\$\{data\.aws_vpc\./);
    expect(Object.values(stack.data['aws_vpc'] ?? {})).toEqual([expect.objectContaining({ tags: { Name: 'tenantry-prod-vpc' } })]);
  });

  it("gives the controller a Pod Identity role whose policy has no '*' action, no '*' on '*', and writes only to resources it tagged", () => {
    const [role] = resources('aws_iam_role');
    expect(JSON.parse(String(role?.['assume_role_policy']))).toMatchObject({ Statement: [{ Principal: { Service: 'pods.eks.amazonaws.com' } }] });
    expect(resources('aws_eks_pod_identity_association')).toEqual([
      expect.objectContaining({ cluster_name: 'tenantry-prod', namespace: 'kube-system', service_account: 'aws-load-balancer-controller' }),
    ]);
    const [policy] = resources('aws_iam_role_policy');
    const document = String(policy?.['policy']);
    expect(allowsEverything(document)).toBe(false);
    const statements = (JSON.parse(document) as { Statement: Statement[] }).Statement;
    const actions = statements.flatMap((s) => s.Action);
    expect(actions.filter((a) => a.includes('*'))).toEqual([]);
    // Deleting load balancers, target groups and security groups needs the controller's own cluster tag.
    for (const destructive of ['elasticloadbalancing:DeleteLoadBalancer', 'elasticloadbalancing:DeleteTargetGroup', 'ec2:DeleteSecurityGroup']) {
      const granting = statements.filter((s) => s.Action.includes(destructive));
      expect(granting.length, destructive).toBeGreaterThan(0);
      for (const s of granting) expect(s.Condition?.['Null'], destructive).toEqual({ 'aws:ResourceTag/elbv2.k8s.aws/cluster': 'false' });
    }
  });

  it('configures the kubernetes and helm providers from the EKS data sources, with no credentials at synth', () => {
    const [kubernetes] = stack.provider['kubernetes'] ?? [];
    const [helm] = stack.provider['helm'] ?? [];
    expect(kubernetes?.['host']).toMatch(/^\$\{data\.aws_eks_cluster\./);
    expect(kubernetes?.['token']).toMatch(/^\$\{data\.aws_eks_cluster_auth\./);
    expect(helm?.['kubernetes']).toEqual({ host: kubernetes?.['host'], token: kubernetes?.['token'], cluster_ca_certificate: kubernetes?.['cluster_ca_certificate'] });
    expect(Object.keys(stack.data)).not.toContain('terraform_remote_state');
  });

  it('is deployed after cluster-prod and keeps its own state file', () => {
    // cdktf writes stack dependencies, the order `cdktf deploy` follows, to manifest.json.
    const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')) as { stacks: Record<string, { dependencies: string[] }> };
    expect(manifest.stacks['cluster-addons-prod']?.dependencies).toEqual(['cluster-prod']);
    expect(stack.terraform.backend?.s3?.key).toBe('platform/cluster-addons-prod.tfstate');
  });

  it('can be planned on an empty cluster: no custom resource, whose kind exists only once a chart has installed its CRD', () => {
    expect(resources('kubernetes_manifest')).toEqual([]);
  });

  it("orders every object of the observability namespace after the release that creates the namespace, and waits on no Secret made out of band", () => {
    const prometheus = Object.entries(stack.resource['helm_release'] ?? {}).find(([, r]) => r['chart'] === KUBE_PROMETHEUS_STACK_CHART.chart);
    expect(prometheus?.[1]).toMatchObject({ namespace: 'observability', create_namespace: true });
    const after = [`helm_release.${prometheus?.[0]}`];
    const inNamespace = [
      ...resources('helm_release').filter((r) => r['namespace'] === 'observability' && r['chart'] !== KUBE_PROMETHEUS_STACK_CHART.chart),
      ...resources('kubernetes_config_map_v1'),
    ];
    expect(inNamespace.length).toBeGreaterThan(1);
    for (const object of inNamespace) expect(object['depends_on']).toEqual(after);
    const values = parse((release(KUBE_PROMETHEUS_STACK_CHART.chart)?.['values'] as string[])[0]!) as { grafana: Record<string, unknown> };
    expect(values.grafana['admin']).toBeUndefined();
  });

  it('leaves the custom resources to cluster-objects-prod, deployed after it', () => {
    const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')) as { stacks: Record<string, { dependencies: string[] }> };
    expect(manifest.stacks['cluster-objects-prod']?.dependencies).toEqual(['cluster-addons-prod']);
    const objects = JSON.parse(stacks.get('cluster-objects-prod') ?? 'null') as StackJson;
    const kinds = Object.values(objects.resource['kubernetes_manifest'] ?? {}).map((m) => (m['manifest'] as { kind: string }).kind);
    expect([...new Set(kinds)].sort()).toEqual(['PodMonitor', 'PrometheusRule']);
    expect(Object.keys(objects.resource).sort()).toEqual(['kubernetes_manifest']);
  });

  it('installs the fleet-wide SLO rules only (in cluster-objects): no objective series and no tenant id', () => {
    stack = JSON.parse(stacks.get('cluster-objects-prod') ?? 'null') as StackJson;
    const rules = resources('kubernetes_manifest')
      .map((m) => m['manifest'] as { kind: string; metadata: { labels: Record<string, string> }; spec: { groups: { rules: { record?: string }[] }[] } })
      .filter((m) => m.kind === 'PrometheusRule');
    expect(rules.length).toBeGreaterThan(0);
    for (const r of rules) expect(r.metadata.labels).toEqual({ release: PROMETHEUS_RELEASE_NAME });
    const records = rules.flatMap((r) => r.spec.groups.flatMap((g) => g.rules.map((x) => x.record)));
    expect(records).not.toContain(OBJECTIVE_RATIO);
    const text = stacks.get('cluster-objects-prod') ?? '';
    for (const tenant of catalog.tenants) expect(text, `mentions ${tenant.id}`).not.toContain(tenant.id);
  });
});
