/**
 * The reference service's Rollout and the gate's AnalysisTemplate: parsed as YAML and
 * checked for the shape Argo Rollouts needs, and the gate commands actually run (against
 * an unreachable Prometheus) to prove how each metric maps the gate's exit status.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LABEL_ROLE, PROMETHEUS_PORT, ROLE_CANARY, ROLE_STABLE } from '@tenantry/conventions';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { eq, formatMatcher } from '@tenantry/conventions/promql';

const here = dirname(fileURLToPath(import.meta.url));
const repositoryRoot = join(here, '..', '..');

interface K8sObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string };
  readonly spec: unknown;
}

/** The parts of the Rollout these tests read. */
interface CanaryStrategy {
  readonly canaryService: string;
  readonly stableService: string;
  readonly canaryMetadata: { readonly labels: Record<string, string> };
  readonly stableMetadata: { readonly labels: Record<string, string> };
  readonly trafficRouting: { readonly alb: { readonly ingress: string; readonly rootService: string } };
  readonly steps: readonly ({ readonly setWeight: number } | { readonly analysis: { readonly templates: unknown } } | { readonly pause: unknown })[];
}
interface RolloutSpec {
  readonly template: {
    readonly metadata: { readonly labels: Record<string, string> };
    readonly spec: { readonly containers: readonly { readonly ports: readonly unknown[] }[] };
  };
  readonly strategy: { readonly canary: CanaryStrategy };
}
interface IngressSpec {
  readonly ingressClassName: string;
  readonly rules: readonly { readonly http: { readonly paths: readonly { readonly backend: { readonly service: unknown } }[] } }[];
}
interface JobSpec {
  readonly template: { readonly spec: { readonly containers: readonly { readonly command: readonly string[]; readonly args?: readonly string[] }[] } };
}

function documents(file: string): K8sObject[] {
  const text = readFileSync(join(here, file), 'utf8');
  return parseAllDocuments(text).map((d) => {
    if (d.errors.length > 0) throw new Error(`${file}: ${d.errors.map((e) => e.message).join('; ')}`);
    return d.toJS() as K8sObject;
  });
}

const rolloutFile = documents('rollout.yaml');
const [template] = documents('analysis-template.yaml') as [K8sObject];
const find = (kind: string, name: string): K8sObject | undefined => rolloutFile.find((o) => o.kind === kind && o.metadata.name === name);

const rollout = find('Rollout', 'tenant-api')!.spec as RolloutSpec;
const canary = rollout.strategy.canary;

interface Metric {
  readonly name: string;
  readonly interval?: string;
  readonly count?: number;
  readonly initialDelay?: string;
  readonly failureLimit?: number;
  readonly provider: { readonly job?: { readonly spec: JobSpec } };
}
const metrics = (template.spec as { metrics: Metric[] }).metrics;
const metric = (name: string): Metric => metrics.find((m) => m.name === name)!;
/** The container's command line: command, then args (as Kubernetes runs them). */
const commandOf = (m: Metric): string => {
  const container = m.provider.job!.spec.template.spec.containers[0]!;
  return [...container.command, ...(container.args ?? [])].join(' ');
};

describe('Rollout of the reference service', () => {
  it('steps 5% → analysis → 25% → 50% → 100%', () => {
    const steps = canary.steps;
    const weights = steps.flatMap((s) => ('setWeight' in s ? [s.setWeight] : []));
    expect(weights).toEqual([5, 25, 50, 100]);
    expect(steps[0]).toEqual({ setWeight: 5 });
    expect(steps[1]).toEqual({ analysis: { templates: [{ templateName: template.metadata.name }], args: [{ name: 'namespace', value: 'tenant-api' }] } });
  });

  it('labels canary and stable pods with the role the gate selects on', () => {
    expect(canary.canaryMetadata.labels).toEqual({ [LABEL_ROLE]: ROLE_CANARY });
    expect(canary.stableMetadata.labels).toEqual({ [LABEL_ROLE]: ROLE_STABLE });
  });

  it('selects the canary and the baseline in the analysis by the same role labels', () => {
    const text = readFileSync(join(here, 'analysis-template.yaml'), 'utf8');
    const canaryMatcher = formatMatcher(eq(LABEL_ROLE, ROLE_CANARY));
    const stableMatcher = formatMatcher(eq(LABEL_ROLE, ROLE_STABLE));
    const roleMatchers = text.match(/\brole\s*=\s*"[^"]*"/g) ?? [];
    expect(roleMatchers.length).toBeGreaterThan(0);
    expect(roleMatchers.filter((m) => m !== canaryMatcher && m !== stableMatcher)).toEqual([]);
    expect(text).toContain(canaryMatcher);
    expect(text).toContain(stableMatcher);
  });

  it('splits traffic with the AWS Load Balancer Controller, not ingress-nginx', () => {
    expect(Object.keys(canary.trafficRouting)).toEqual(['alb']);
    const ingress = find('Ingress', canary.trafficRouting.alb.ingress)!.spec as IngressSpec;
    expect(ingress.ingressClassName).toBe('alb');
    const backend = ingress.rules[0]!.http.paths[0]!.backend.service;
    expect(backend).toEqual({ name: canary.trafficRouting.alb.rootService, port: { name: 'use-annotation' } });
    expect(JSON.stringify(rolloutFile)).not.toMatch(/nginx/);
  });

  it('has the canary, stable and root Services it names', () => {
    for (const name of [canary.canaryService, canary.stableService, canary.trafficRouting.alb.rootService]) {
      expect(find('Service', name), name).toBeDefined();
    }
  });

  it('probes liveness on /healthz and readiness on /readyz, and drains within the grace period', () => {
    const pod = rollout.template as unknown as {
      spec: {
        terminationGracePeriodSeconds: number;
        containers: { livenessProbe: { httpGet: { path: string } }; readinessProbe: { httpGet: { path: string } }; env: { name: string; value: string }[] }[];
      };
    };
    const container = pod.spec.containers[0]!;
    expect(container.livenessProbe.httpGet.path).toBe('/healthz');
    expect(container.readinessProbe.httpGet.path).toBe('/readyz');
    const deadlineMs = Number(container.env.find((e) => e.name === 'SHUTDOWN_DEADLINE_MS')?.value);
    // The service's watchdog allows 3 s of telemetry flush past the deadline.
    expect(deadlineMs + 3000).toBeLessThan(pod.spec.terminationGracePeriodSeconds * 1000);
  });

  it('exposes the metrics port the PodMonitor scrapes and carries its selector label', () => {
    const pod = rollout.template;
    expect(pod.metadata.labels['tenantry.io/metrics']).toBe('true');
    expect(pod.spec.containers[0]!.ports).toContainEqual({ name: 'metrics', containerPort: PROMETHEUS_PORT });
  });
});

describe('AnalysisTemplate tenant-canary-gate', () => {
  it('runs the gate as a Job every minute (looks 1–9), aborting on the first failure, and a final look at 10m by the rollout clock', () => {
    const gate = metric('tenant-gate');
    expect(gate).toMatchObject({ initialDelay: '1m', interval: '1m', count: 9, failureLimit: 0 });
    expect(gate.provider.job).toBeDefined();
    const final = metric('tenant-gate-final');
    expect(final).toMatchObject({ initialDelay: '10m', count: 1, failureLimit: 0 });
    expect(commandOf(final)).toContain('--final');
  });

  it('passes the same gate flags to both metrics, written once, selecting this rollout’s canary by its pod-template hash', () => {
    const [gate, final] = [metric('tenant-gate'), metric('tenant-gate-final')].map((m) => m.provider.job!.spec.template.spec.containers[0]!.args);
    expect(final).toEqual(gate);
    expect(readFileSync(join(here, 'analysis-template.yaml'), 'utf8').match(/- --expected-canary-share$/gm)).toHaveLength(1);
    expect(gate!.join(' ')).toContain('--canary-pod-template-hash {{args.canary-hash}}');
    expect((template.spec as { args: unknown[] }).args).toContainEqual({ name: 'canary-hash', valueFrom: { podTemplateHashValue: 'Latest' } });
  });

  it("tells the gate the canary's share of traffic: the weight of the step before the analysis", () => {
    const weight = canary.steps.flatMap((s) => ('setWeight' in s ? [s.setWeight] : []))[0]!;
    for (const m of metrics) {
      expect(commandOf(m)).toMatch(new RegExp(`--expected-canary-share "?${weight / 100}"?`));
    }
  });

  describe('when Prometheus is unreachable (the gate says continue, exit 2)', () => {
    const bin = mkdtempSync(join(tmpdir(), 'tenantry-canary-bin-'));
    symlinkSync(join(repositoryRoot, 'canary', 'bin', 'tenantry-canary.js'), join(bin, 'tenantry-canary'));
    afterAll(() => rmSync(bin, { recursive: true, force: true }));

    const args: Record<string, string> = { namespace: 'tenant-api', 'prometheus-url': 'http://127.0.0.1:9', 'gate-image': 'unused' };
    const substitute = (text: string): string => text.replace(/\{\{args\.([a-z-]+)\}\}/g, (_, name: string) => args[name]!);
    const runContainer = (m: Metric): number | null => {
      const container = m.provider.job!.spec.template.spec.containers[0]!;
      const command = [...container.command, ...(container.args ?? [])].map(substitute);
      const result = spawnSync(command[0]!, command.slice(1), {
        cwd: repositoryRoot,
        encoding: 'utf8',
        env: { ...process.env, PATH: `${bin}:${process.env['PATH']}` },
      });
      expect(result.stdout + result.stderr).toMatch(/unreachable/);
      return result.status;
    };

    it('the per-minute metric passes: only rollback or a broken gate fails it', () => {
      expect(runContainer(metric('tenant-gate'))).toBe(0);
    });

    it('the final metric fails: missing data at the end never promotes', () => {
      expect(runContainer(metric('tenant-gate-final'))).toBe(2);
    });
  });
});
