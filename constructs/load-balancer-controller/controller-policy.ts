/**
 * The AWS Load Balancer Controller's IAM policy: the actions of the controller's
 * documented policy (docs/install/iam_policy.json of kubernetes-sigs/aws-load-balancer-controller
 * v2.13), with the resource ARNs narrowed to the environment's region and account.
 *
 * Only the Describe/List calls that take no resource ARN are allowed on `Resource "*"`
 * (plus ec2:GetSecurityGroupsForVpc, a documented posture exception). Every mutation of a
 * load balancer, target group or security group is conditioned on the
 * `elbv2.k8s.aws/cluster` tag the controller puts on what it creates, so the controller can
 * change only its own resources; creation requires that tag in the request, and security
 * groups are created in the cluster's VPC only. Where the reference policy grants writes on
 * `Resource "*"` without a condition (listeners, rules, certificates, node security group
 * rules), the resources are narrowed to this region and account. The WAF, WAFv2, Shield
 * and Cognito permissions of the reference policy are left out: the controller runs with
 * those integrations off (Cloudflare is the platform's WAF), see LoadBalancerControllerValues.
 */

/** The tag the controller writes on every resource it creates. */
const CLUSTER_TAG = 'elbv2.k8s.aws/cluster';

const requestTagged = { Null: { [`aws:RequestTag/${CLUSTER_TAG}`]: 'false' } };
const resourceTagged = { Null: { [`aws:ResourceTag/${CLUSTER_TAG}`]: 'false' } };
/** Changing tags of a resource the controller owns, without removing the ownership tag in the same call. */
const ownedNotRetagged = { Null: { [`aws:RequestTag/${CLUSTER_TAG}`]: 'true', [`aws:ResourceTag/${CLUSTER_TAG}`]: 'false' } };

interface Statement {
  readonly Sid: string;
  readonly Effect: 'Allow';
  readonly Action: readonly string[];
  readonly Resource: string | readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

export interface LoadBalancerControllerPolicyProps {
  readonly region: string;
  readonly accountId: string;
  /** The cluster's VPC: the only VPC the controller may create security groups in. */
  readonly vpcId: string;
}

/** The policy document, as an object for `jsonencode`/`JSON.stringify`. */
export function loadBalancerControllerPolicy(props: LoadBalancerControllerPolicyProps): { Version: '2012-10-17'; Statement: readonly Statement[] } {
  const elb = (resource: string) => `arn:aws:elasticloadbalancing:${props.region}:${props.accountId}:${resource}`;
  const securityGroups = `arn:aws:ec2:${props.region}:${props.accountId}:security-group/*`;
  const targetGroups = elb('targetgroup/*/*');
  const loadBalancers = [elb('loadbalancer/net/*/*'), elb('loadbalancer/app/*/*')];
  const statements: Statement[] = [
    {
      Sid: 'CreateElbServiceLinkedRole',
      Effect: 'Allow',
      Action: ['iam:CreateServiceLinkedRole'],
      Resource: '*',
      Condition: { StringEquals: { 'iam:AWSServiceName': 'elasticloadbalancing.amazonaws.com' } },
    },
    {
      Sid: 'Describe',
      Effect: 'Allow',
      Action: [
        'ec2:DescribeAccountAttributes',
        'ec2:DescribeAddresses',
        'ec2:DescribeAvailabilityZones',
        'ec2:DescribeInternetGateways',
        'ec2:DescribeVpcs',
        'ec2:DescribeVpcPeeringConnections',
        'ec2:DescribeSubnets',
        'ec2:DescribeSecurityGroups',
        'ec2:DescribeInstances',
        'ec2:DescribeNetworkInterfaces',
        'ec2:DescribeTags',
        'ec2:DescribeRouteTables',
        'ec2:DescribeIpamPools',
        'elasticloadbalancing:DescribeLoadBalancers',
        'elasticloadbalancing:DescribeLoadBalancerAttributes',
        'elasticloadbalancing:DescribeListeners',
        'elasticloadbalancing:DescribeListenerCertificates',
        'elasticloadbalancing:DescribeListenerAttributes',
        'elasticloadbalancing:DescribeSSLPolicies',
        'elasticloadbalancing:DescribeRules',
        'elasticloadbalancing:DescribeTargetGroups',
        'elasticloadbalancing:DescribeTargetGroupAttributes',
        'elasticloadbalancing:DescribeTargetHealth',
        'elasticloadbalancing:DescribeTags',
        'elasticloadbalancing:DescribeTrustStores',
        'elasticloadbalancing:DescribeCapacityReservation',
      ],
      Resource: '*',
    },
    // Security groups usable in the VPC, when an Ingress names them; the call takes a VPC id, not an ARN.
    { Sid: 'ListSecurityGroupsForVpc', Effect: 'Allow', Action: ['ec2:GetSecurityGroupsForVpc'], Resource: '*' },
    { Sid: 'ListCertificates', Effect: 'Allow', Action: ['acm:ListCertificates', 'iam:ListServerCertificates'], Resource: '*' },
    {
      Sid: 'ReadCertificates',
      Effect: 'Allow',
      Action: ['acm:DescribeCertificate', 'iam:GetServerCertificate'],
      Resource: [`arn:aws:acm:${props.region}:${props.accountId}:certificate/*`, `arn:aws:iam::${props.accountId}:server-certificate/*`],
    },
    // Opening the node security group to a load balancer's security group.
    { Sid: 'NodeSecurityGroupRules', Effect: 'Allow', Action: ['ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress'], Resource: securityGroups },
    // CreateSecurityGroup is authorized on the VPC and on the new group: the VPC must be the cluster's, the group must carry the cluster tag.
    { Sid: 'CreateSecurityGroupInClusterVpc', Effect: 'Allow', Action: ['ec2:CreateSecurityGroup'], Resource: `arn:aws:ec2:${props.region}:${props.accountId}:vpc/${props.vpcId}` },
    { Sid: 'CreateTaggedSecurityGroup', Effect: 'Allow', Action: ['ec2:CreateSecurityGroup'], Resource: securityGroups, Condition: requestTagged },
    {
      Sid: 'TagNewSecurityGroup',
      Effect: 'Allow',
      Action: ['ec2:CreateTags'],
      Resource: securityGroups,
      Condition: { StringEquals: { 'ec2:CreateAction': 'CreateSecurityGroup' }, ...requestTagged },
    },
    { Sid: 'RetagOwnSecurityGroups', Effect: 'Allow', Action: ['ec2:CreateTags', 'ec2:DeleteTags'], Resource: securityGroups, Condition: ownedNotRetagged },
    {
      Sid: 'ChangeOwnSecurityGroups',
      Effect: 'Allow',
      Action: ['ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress', 'ec2:DeleteSecurityGroup'],
      Resource: securityGroups,
      Condition: resourceTagged,
    },
    {
      Sid: 'CreateTaggedLoadBalancers',
      Effect: 'Allow',
      Action: ['elasticloadbalancing:CreateLoadBalancer', 'elasticloadbalancing:CreateTargetGroup'],
      Resource: [...loadBalancers, targetGroups],
      Condition: requestTagged,
    },
    {
      Sid: 'ListenersAndRules',
      Effect: 'Allow',
      Action: ['elasticloadbalancing:CreateListener', 'elasticloadbalancing:DeleteListener', 'elasticloadbalancing:CreateRule', 'elasticloadbalancing:DeleteRule'],
      Resource: [...loadBalancers, elb('listener/net/*/*/*'), elb('listener/app/*/*/*'), elb('listener-rule/net/*/*/*'), elb('listener-rule/app/*/*/*')],
    },
    {
      Sid: 'RetagOwnLoadBalancers',
      Effect: 'Allow',
      Action: ['elasticloadbalancing:AddTags', 'elasticloadbalancing:RemoveTags'],
      Resource: [targetGroups, ...loadBalancers],
      Condition: ownedNotRetagged,
    },
    {
      Sid: 'TagListenersAndRules',
      Effect: 'Allow',
      Action: ['elasticloadbalancing:AddTags', 'elasticloadbalancing:RemoveTags'],
      Resource: [elb('listener/net/*/*/*'), elb('listener/app/*/*/*'), elb('listener-rule/net/*/*/*'), elb('listener-rule/app/*/*/*')],
    },
    {
      Sid: 'ChangeOwnLoadBalancers',
      Effect: 'Allow',
      Action: [
        'elasticloadbalancing:ModifyLoadBalancerAttributes',
        'elasticloadbalancing:SetIpAddressType',
        'elasticloadbalancing:SetSecurityGroups',
        'elasticloadbalancing:SetSubnets',
        'elasticloadbalancing:DeleteLoadBalancer',
        'elasticloadbalancing:ModifyTargetGroup',
        'elasticloadbalancing:ModifyTargetGroupAttributes',
        'elasticloadbalancing:DeleteTargetGroup',
        'elasticloadbalancing:ModifyListenerAttributes',
        'elasticloadbalancing:ModifyCapacityReservation',
        'elasticloadbalancing:ModifyIpPools',
      ],
      Resource: [targetGroups, ...loadBalancers],
      Condition: resourceTagged,
    },
    {
      Sid: 'TagOnCreate',
      Effect: 'Allow',
      Action: ['elasticloadbalancing:AddTags'],
      Resource: [targetGroups, ...loadBalancers],
      Condition: { StringEquals: { 'elasticloadbalancing:CreateAction': ['CreateTargetGroup', 'CreateLoadBalancer'] }, ...requestTagged },
    },
    { Sid: 'RegisterTargets', Effect: 'Allow', Action: ['elasticloadbalancing:RegisterTargets', 'elasticloadbalancing:DeregisterTargets'], Resource: targetGroups },
    {
      // Weighted target groups (Argo Rollouts' traffic split) are ModifyListener / ModifyRule calls.
      Sid: 'ChangeListenersAndRules',
      Effect: 'Allow',
      Action: [
        'elasticloadbalancing:SetWebAcl',
        'elasticloadbalancing:ModifyListener',
        'elasticloadbalancing:AddListenerCertificates',
        'elasticloadbalancing:RemoveListenerCertificates',
        'elasticloadbalancing:ModifyRule',
        'elasticloadbalancing:SetRulePriorities',
      ],
      Resource: [...loadBalancers, elb('listener/net/*/*/*'), elb('listener/app/*/*/*'), elb('listener-rule/net/*/*/*'), elb('listener-rule/app/*/*/*')],
    },
  ];
  return { Version: '2012-10-17', Statement: statements };
}
