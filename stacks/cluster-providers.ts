/**
 * Kubernetes (and optionally Helm) providers for a stack that works inside the
 * environment's EKS cluster. The cluster is found by name through data sources, so the
 * stack holds no reference to the cluster stack and synthesizes without credentials; the
 * token is read at plan time and never written into the synthesized JSON.
 */
import { DataAwsEksCluster } from '@cdktf/provider-aws/lib/data-aws-eks-cluster/index.js';
import { DataAwsEksClusterAuth } from '@cdktf/provider-aws/lib/data-aws-eks-cluster-auth/index.js';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider/index.js';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider/index.js';
import type { Environment } from '@tenantry/catalog';
import { Fn } from 'cdktf';
import type { Construct } from 'constructs';
import { eksClusterName } from './naming.js';

export interface ClusterProvidersOptions {
  /**
   * Also configure the Helm provider, for stacks that install charts.
   * @default false
   */
  readonly helm?: boolean;
}

/** Adds the kubernetes provider (and the helm provider) for `env`'s cluster to `scope`, a stack. */
export function configureClusterProviders(scope: Construct, env: Environment, options: ClusterProvidersOptions = {}): void {
  const cluster = new DataAwsEksCluster(scope, 'Cluster', { name: eksClusterName(env) });
  const auth = new DataAwsEksClusterAuth(scope, 'ClusterAuth', { name: eksClusterName(env) });
  const connection = {
    host: cluster.endpoint,
    clusterCaCertificate: Fn.base64decode(cluster.certificateAuthority.get(0).data),
    token: auth.token,
  };
  new KubernetesProvider(scope, 'kubernetes', connection);
  if (options.helm) new HelmProvider(scope, 'helm', { kubernetes: connection });
}
