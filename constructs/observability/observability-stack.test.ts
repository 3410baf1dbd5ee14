import { loadCatalog } from '@tenantry/catalog';
import { TerraformStack, Testing } from 'cdktf';
import { beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../dashboards/generate.js';
import { DashboardConfigMaps, KUBE_PROMETHEUS_STACK_CHART, OPENTELEMETRY_COLLECTOR_CHART, ObservabilityCustomResources, ObservabilityStack } from './index.js';
import { parse } from 'yaml';

type Resources = Record<string, Record<string, Record<string, unknown>>>;

function synth(build: (stack: TerraformStack) => void): Resources {
  const stack = new TerraformStack(Testing.app(), 'test');
  build(stack);
  return (JSON.parse(Testing.synth(stack)) as { resource: Resources }).resource;
}

const generated = generate(loadCatalog());
const dashboards = generated.dashboards.map((d) => ({ uid: d.uid, json: JSON.stringify(d.dashboard) }));
const ruleFiles = generated.ruleFiles.map((r) => ({ name: r.file.name, groups: r.file.groups, yaml: r.yaml }));

describe('ObservabilityStack', () => {
  let resources: Resources;
  beforeAll(() => {
    resources = synth(
      (stack) =>
        new ObservabilityStack(stack, 'observability', {
          tracesEndpoint: 'http://tempo.observability:4318',
          logsEndpoint: 'http://loki.observability:3100/otlp',
          dashboards,
        }),
    );
  });
  const releases = () => Object.values(resources['helm_release'] ?? {});
  const manifests = (kind: string) =>
    Object.values(resources['kubernetes_manifest'] ?? {})
      .map((m) => m['manifest'] as { kind: string; metadata: { labels: Record<string, string> }; spec: Record<string, unknown> })
      .filter((m) => m.kind === kind);

  it('installs kube-prometheus-stack and the OpenTelemetry Collector at pinned chart versions', () => {
    expect(releases().map((r) => [r['chart'], r['version'], r['repository']])).toEqual([
      [KUBE_PROMETHEUS_STACK_CHART.chart, KUBE_PROMETHEUS_STACK_CHART.version, KUBE_PROMETHEUS_STACK_CHART.repository],
      [OPENTELEMETRY_COLLECTOR_CHART.chart, OPENTELEMETRY_COLLECTOR_CHART.version, OPENTELEMETRY_COLLECTOR_CHART.repository],
    ]);
    for (const r of releases()) expect(r['version']).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it("turns on Grafana's dashboard sidecar for grafana_dashboard=1 ConfigMaps in every namespace", () => {
    const values = parse((releases()[0]!['values'] as string[])[0]!) as { grafana: { sidecar: { dashboards: Record<string, unknown> } } };
    expect(values.grafana.sidecar.dashboards).toMatchObject({ enabled: true, label: 'grafana_dashboard', labelValue: '1', searchNamespace: 'ALL' });
  });

  it('receives OTLP traces and logs in the Collector', () => {
    const values = parse((releases()[1]!['values'] as string[])[0]!) as { config: { service: { pipelines: Record<string, { receivers: string[] }> } } };
    expect(Object.keys(values.config.service.pipelines)).toEqual(['traces', 'logs']);
    expect(values.config.service.pipelines['traces']!.receivers).toEqual(['otlp']);
  });

  it('puts each dashboard into its own ConfigMap labelled for the sidecar', () => {
    const configMaps = Object.values(resources['kubernetes_config_map_v1'] ?? {});
    expect(configMaps).toHaveLength(dashboards.length);
    for (const c of configMaps) {
      const metadata = c['metadata'] as { labels: Record<string, string> };
      expect(metadata.labels).toEqual({ grafana_dashboard: '1' });
      expect(Object.keys(c['data'] as object)).toHaveLength(1);
    }
  });

  it('orders everything in the namespace after the kube-prometheus-stack release that creates it', () => {
    expect(releases()[0]).toMatchObject({ chart: KUBE_PROMETHEUS_STACK_CHART.chart, create_namespace: true });
    expect(releases()[1]).toMatchObject({ chart: OPENTELEMETRY_COLLECTOR_CHART.chart, depends_on: [expect.stringMatching(/^helm_release\.observability_kube-prometheus-stack_release/)] });
    for (const configMap of Object.values(resources['kubernetes_config_map_v1'] ?? {})) {
      expect(configMap['depends_on']).toEqual([expect.stringMatching(/^helm_release\.observability_kube-prometheus-stack_release/)]);
    }
  });

  it('waits on no Secret made out of band: Grafana gets the admin password the chart generates', () => {
    const values = parse((releases()[0]!['values'] as string[])[0]!) as { grafana: Record<string, unknown> };
    expect(values.grafana['admin']).toBeUndefined();
  });

  it('leaves the custom resources (whose CRDs the chart installs) to ObservabilityCustomResources', () => {
    expect(resources['kubernetes_manifest']).toBeUndefined();
  });
});

describe('ObservabilityCustomResources', () => {
  let resources: Resources;
  beforeAll(() => {
    resources = synth((stack) => new ObservabilityCustomResources(stack, 'objects', { namespace: 'observability', prometheusReleaseName: 'kube-prometheus-stack', ruleFiles }));
  });
  const manifests = (kind: string) =>
    Object.values(resources['kubernetes_manifest'] ?? {})
      .map((m) => m['manifest'] as { kind: string; metadata: { labels: Record<string, string> }; spec: Record<string, unknown> })
      .filter((m) => m.kind === kind);

  it('scrapes port 9464 /metrics of every service and copies the pod labels role and rollouts-pod-template-hash onto the series', () => {
    const [podMonitor] = manifests('PodMonitor');
    expect(podMonitor?.metadata.labels).toEqual({ release: 'kube-prometheus-stack' });
    expect(podMonitor?.spec).toMatchObject({
      podTargetLabels: ['role', 'rollouts-pod-template-hash'],
      namespaceSelector: { any: true },
      podMetricsEndpoints: [{ path: '/metrics', relabelings: [{ action: 'keep', regex: '9464' }] }],
    });
  });

  it('makes each rule file a PrometheusRule with the release label the operator selects', () => {
    const rules = manifests('PrometheusRule');
    expect(rules).toHaveLength(ruleFiles.length);
    for (const r of rules) expect(r.metadata.labels).toEqual({ release: 'kube-prometheus-stack' });
    const alerts = rules.flatMap((r) => (r.spec['groups'] as { rules: { alert?: string }[] }[]).flatMap((g) => g.rules)).filter((x) => x.alert);
    expect(alerts).toHaveLength(4);
  });
});

describe('DashboardConfigMaps', () => {
  it('fails if a dashboard does not fit in a ConfigMap, naming it and its size', () => {
    const huge = { uid: 'huge', json: 'x'.repeat(1024 * 1024) };
    expect(() => synth((stack) => new DashboardConfigMaps(stack, 'd', { namespace: 'o', dashboards: [huge] }))).toThrow(
      'dashboards too large for a ConfigMap (limit 1048576 bytes): huge is 1048576 bytes',
    );
  });
});
