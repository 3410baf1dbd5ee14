import { describe, expect, it } from 'vitest';
import { podIdentityTrustPolicy, serviceTrustPolicy } from './trust-policy.js';

describe('serviceTrustPolicy', () => {
  it('trusts one service principal to assume the role', () => {
    expect(JSON.parse(serviceTrustPolicy('rds.amazonaws.com'))).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'rds.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    });
  });

  it('limits the service to acting for one account when given (confused deputy)', () => {
    const [statement] = (JSON.parse(serviceTrustPolicy('vpc-flow-logs.amazonaws.com', { sourceAccount: '111122223333' })) as { Statement: object[] }).Statement;
    expect(statement).toMatchObject({ Condition: { StringEquals: { 'aws:SourceAccount': '111122223333' } } });
  });
});

describe('podIdentityTrustPolicy', () => {
  it('trusts EKS Pod Identity only, letting it tag the session', () => {
    expect(JSON.parse(podIdentityTrustPolicy())).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:TagSession'] }],
    });
  });
});
