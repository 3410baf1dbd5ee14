import { HelmProvider } from '@cdktf/provider-helm/lib/provider/index.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { checkPosture } from '../../posture/check-posture.js';
import { allowsEverything, unrestrictedActions } from '../../posture/rules/iam.js';
import { synthesizeStack } from '../../testing/synthesized-stack.js';
import { LOAD_BALANCER_CONTROLLER_CHART, LoadBalancerController, type LoadBalancerControllerValues } from './index.js';

interface Statement {
  readonly Sid: string;
  readonly Action: string[];
  readonly Resource: string | string[];
}

const synth = () =>
  synthesizeStack((stack) => {
    new HelmProvider(stack, 'helm', {});
    new LoadBalancerController(stack, 'Controller', {
      clusterName: 'tenantry-prod',
      vpcId: 'vpc-123',
      region: 'eu-west-1',
      accountId: '111122223333',
      roleName: 'tenantry-prod-lb-controller',
    });
  });

describe('LoadBalancerController', () => {
  it('installs the eks-charts chart at the pinned version with the service account its Pod Identity association names', () => {
    const stack = synth();
    const release = stack.only('helm_release');
    expect(release).toMatchObject({ repository: 'https://aws.github.io/eks-charts', chart: 'aws-load-balancer-controller', version: LOAD_BALANCER_CONTROLLER_CHART.version, namespace: 'kube-system' });
    const values = parse((release['values'] as string[])[0]!) as LoadBalancerControllerValues;
    expect(values).toMatchObject({ clusterName: 'tenantry-prod', vpcId: 'vpc-123', serviceAccount: { create: true, name: 'aws-load-balancer-controller' } });
    expect(stack.only('aws_eks_pod_identity_association')).toMatchObject({ namespace: 'kube-system', service_account: values.serviceAccount.name });
    // Installed only once the association exists, so the pods get credentials on first start.
    expect(release['depends_on']).toEqual([expect.stringMatching(/^aws_eks_pod_identity_association\./)]);
  });

  it("scopes every resource ARN to the environment's region and account, with no wildcard action", () => {
    const policy = JSON.parse(String(synth().only('aws_iam_role_policy')['policy'])) as { Statement: Statement[] };
    expect(allowsEverything(JSON.stringify(policy))).toBe(false);
    for (const statement of policy.Statement) {
      for (const action of statement.Action) expect(action, statement.Sid).not.toContain('*');
      const arns = [statement.Resource].flat().filter((r) => r !== '*');
      for (const arn of arns) expect(arn, statement.Sid).toMatch(/^arn:aws:((elasticloadbalancing|ec2|acm):eu-west-1|iam:):111122223333:/);
    }
  });

  it('lets the controller shift weights between target groups (ModifyListener, ModifyRule) for Argo Rollouts', () => {
    const policy = JSON.parse(String(synth().only('aws_iam_role_policy')['policy'])) as { Statement: Statement[] };
    const actions = policy.Statement.flatMap((s) => s.Action);
    expect(actions).toEqual(expect.arrayContaining(['elasticloadbalancing:ModifyListener', 'elasticloadbalancing:ModifyRule', 'elasticloadbalancing:RegisterTargets']));
  });

  it('grants no restrictable action on Resource "*" without a condition, except the documented GetSecurityGroupsForVpc (CKV_AWS_355 / CKV_AWS_290)', () => {
    const stack = synth();
    const document = String(stack.only('aws_iam_role_policy')['policy']);
    expect(unrestrictedActions(document)).toEqual([{ sid: 'ListSecurityGroupsForVpc', actions: ['ec2:GetSecurityGroupsForVpc'] }]);
    expect(checkPosture(stack.json).filter((finding) => finding.ruleId === 'CKV_AWS_355')).toEqual([]);
  });

  it('creates security groups only in the cluster VPC and only with the cluster tag', () => {
    const policy = JSON.parse(String(synth().only('aws_iam_role_policy')['policy'])) as { Statement: (Statement & { Condition?: unknown })[] };
    const creating = policy.Statement.filter((s) => s.Action.includes('ec2:CreateSecurityGroup'));
    expect(creating.map((s) => [s.Resource, s.Condition])).toEqual([
      ['arn:aws:ec2:eu-west-1:111122223333:vpc/vpc-123', undefined],
      ['arn:aws:ec2:eu-west-1:111122223333:security-group/*', { Null: { 'aws:RequestTag/elbv2.k8s.aws/cluster': 'false' } }],
    ]);
  });

  it('turns off the Shield and WAF integrations whose APIs the role is not granted', () => {
    const stack = synth();
    const values = parse((stack.only('helm_release')['values'] as string[])[0]!) as LoadBalancerControllerValues;
    expect(values).toMatchObject({ enableShield: false, enableWaf: false, enableWafv2: false });
    const actions = (JSON.parse(String(stack.only('aws_iam_role_policy')['policy'])) as { Statement: Statement[] }).Statement.flatMap((s) => s.Action);
    expect(actions.filter((action) => /^(shield|waf-regional|wafv2|cognito-idp):/.test(action))).toEqual([]);
  });
});
