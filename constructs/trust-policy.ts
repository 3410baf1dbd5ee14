/**
 * The trust policies (assume-role policy documents) of the roles the constructs create,
 * written in one place so every role is trusted the same way: one AWS service principal,
 * optionally only on behalf of one account (the confused-deputy guard), or EKS Pod
 * Identity, whose agent also tags the session with the pod's cluster, namespace and
 * service account.
 */

/** A role that `service` (e.g. `rds.amazonaws.com`) may assume, only on behalf of `sourceAccount` when given. */
export function serviceTrustPolicy(service: string, options: { readonly sourceAccount?: string } = {}): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Service: service },
        Action: 'sts:AssumeRole',
        ...(options.sourceAccount ? { Condition: { StringEquals: { 'aws:SourceAccount': options.sourceAccount } } } : {}),
      },
    ],
  });
}

/** A role that EKS Pod Identity hands to a service account (the association names which one). */
export function podIdentityTrustPolicy(): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:TagSession'] }],
  });
}
