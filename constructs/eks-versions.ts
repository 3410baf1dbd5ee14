/**
 * The Kubernetes version EKS clusters are pinned to, the managed add-on versions that go
 * with it, and AWS's support calendar, so a pin that has left standard support is a
 * posture finding (TENANTRY_EKS_STANDARD_SUPPORT) before AWS upgrades the control plane
 * underneath the plan.
 */

/**
 * End of standard support of each EKS Kubernetes minor version (a date, UTC): 14 months
 * after the EKS release. Source: the "Amazon EKS Kubernetes release calendar" in
 * https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html (1.33:
 * 2026-07-29, 1.34: 2026-12-02, 1.35: 2027-03-27). Add the next version here before
 * moving KUBERNETES_VERSION to it.
 */
export const EKS_STANDARD_SUPPORT_ENDS: Readonly<Record<string, string>> = {
  '1.33': '2026-07-29',
  '1.34': '2026-12-02',
  '1.35': '2027-03-27',
};

/** Pinned Kubernetes minor version: upgrades are deliberate changes. */
export const KUBERNETES_VERSION = '1.35';

/**
 * Add-on versions for KUBERNETES_VERSION. Pinned, not `most_recent`: an add-on upgrade
 * is a reviewed change. kube-proxy follows the Kubernetes minor version
 * (TENANTRY_EKS_ADDON_VERSION checks it); vpc-cni must be 1.14 or later for network
 * policies (1.21 or later for admin network policies). Check a new pin with
 * `aws eks describe-addon-versions --kubernetes-version <version> --addon-name <name>`.
 */
export const DEFAULT_ADDON_VERSIONS = {
  'eks-pod-identity-agent': 'v1.3.10-eksbuild.3',
  'vpc-cni': 'v1.21.1-eksbuild.3',
  'kube-proxy': 'v1.35.0-eksbuild.2',
  coredns: 'v1.13.2-eksbuild.1',
  'aws-ebs-csi-driver': 'v1.57.1-eksbuild.1',
} as const;
export type AddonName = keyof typeof DEFAULT_ADDON_VERSIONS;

/** The day (YYYY-MM-DD) standard support of `version` ends, or undefined when the calendar does not know it. */
export function standardSupportEnds(version: string): string | undefined {
  return EKS_STANDARD_SUPPORT_ENDS[version];
}
