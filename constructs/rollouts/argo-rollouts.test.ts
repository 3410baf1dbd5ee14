import { HelmProvider } from '@cdktf/provider-helm/lib/provider/index.js';
import { TerraformStack, Testing } from 'cdktf';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ARGO_ROLLOUTS_CHART, ArgoRollouts, type ArgoRolloutsValues } from './argo-rollouts.js';

type Resources = Record<string, Record<string, Record<string, unknown>>>;

function synthRelease(build: (stack: TerraformStack) => void): Record<string, unknown> {
  const stack = new TerraformStack(Testing.app(), 'test');
  new HelmProvider(stack, 'helm', {});
  build(stack);
  const releases = Object.values((JSON.parse(Testing.synth(stack)) as { resource: Resources }).resource['helm_release'] ?? {});
  expect(releases).toHaveLength(1);
  return releases[0]!;
}

describe('ArgoRollouts', () => {
  it('installs the argo-rollouts chart from argo-helm at the pinned version, atomically', () => {
    const release = synthRelease((stack) => new ArgoRollouts(stack, 'rollouts'));
    expect(release).toMatchObject({
      repository: 'https://argoproj.github.io/argo-helm',
      chart: 'argo-rollouts',
      version: ARGO_ROLLOUTS_CHART.version,
      namespace: 'argo-rollouts',
      create_namespace: true,
      atomic: true,
    });
    expect(ARGO_ROLLOUTS_CHART.version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('installs the CRDs and two controller replicas, without the dashboard by default', () => {
    const release = synthRelease((stack) => new ArgoRollouts(stack, 'rollouts'));
    const values = parse((release['values'] as string[])[0]!) as ArgoRolloutsValues;
    expect(values.installCRDs).toBe(true);
    expect(values.controller.replicas).toBe(2);
    expect(values.dashboard.enabled).toBe(false);
  });

  it('takes the namespace, replicas and dashboard from props', () => {
    const release = synthRelease((stack) => new ArgoRollouts(stack, 'rollouts', { namespace: 'delivery', controllerReplicas: 1, dashboard: true }));
    const values = parse((release['values'] as string[])[0]!) as ArgoRolloutsValues;
    expect(release['namespace']).toBe('delivery');
    expect(values.controller.replicas).toBe(1);
    expect(values.dashboard).toEqual({ enabled: true, readonly: true });
  });
});
