/**
 * IAM: no policy allows every action on every resource, and no Allow statement grants an
 * action that can be scoped to resource ARNs on `Resource "*"` without a condition
 * (checkov's CKV_AWS_355 and CKV_AWS_290, which ask cloudsplaining the same question).
 * Policies reach the synthesized JSON either as a JSON string or as a
 * `${jsonencode({...})}` expression, so statements are found by matching braces and read
 * with patterns that accept both `:` and `=`.
 */
import type { ResourceRule } from '../model.js';
import { blocks } from '../values.js';

/** Attributes holding a policy document, by resource type. */
const POLICY_ATTRIBUTES: Readonly<Record<string, (attributes: Readonly<Record<string, unknown>>) => unknown[]>> = {
  aws_iam_policy: (a) => [a.policy],
  aws_iam_role_policy: (a) => [a.policy],
  aws_iam_user_policy: (a) => [a.policy],
  aws_iam_group_policy: (a) => [a.policy],
  aws_iam_role: (a) => blocks(a.inline_policy).map((inline) => inline.policy),
};

/**
 * Actions that take no resource ARN (the service authorization reference lists no
 * resource type for them), so `Resource "*"` is the only way to grant them; cloudsplaining
 * calls the rest "restrictable". Only actions Tenantry's policies use are listed; an
 * action missing here counts as restrictable, so the rule errs toward firing.
 * Source: https://docs.aws.amazon.com/service-authorization/latest/reference/ (EC2,
 * Elastic Load Balancing V2, ACM, IAM).
 */
const WILDCARD_ONLY_ACTIONS: readonly RegExp[] = [/^ec2:Describe[A-Za-z]+$/, /^elasticloadbalancing:Describe[A-Za-z]+$/, /^acm:ListCertificates$/, /^iam:ListServerCertificates$/];

/**
 * Statements allowed to keep a restrictable action on `Resource "*"`, by Sid, each with
 * the reason. Every entry has a test (posture/rules.test.ts) that it is the only way out.
 */
export const DOCUMENTED_WILDCARD_EXCEPTIONS: Readonly<Record<string, string>> = {
  ListSecurityGroupsForVpc:
    'ec2:GetSecurityGroupsForVpc (AWS Load Balancer Controller) names a VPC in its request, not a resource ARN the controller could be limited to; it returns security group metadata only',
};

const wildcard = (key: string) => new RegExp(`"${key}"\\s*[:=]\\s*(?:"\\*"|\\[[^\\]]*"\\*"[^\\]]*\\])`);
const DENY = /"Effect"\s*[:=]\s*"Deny"/;
const ANY_ACTION = wildcard('Action');
const ANY_RESOURCE = wildcard('Resource');

/** The text of each `{…}` object in `document`, with the objects nested inside it left out. */
function objectsOf(document: string): string[] {
  const objects: string[] = [];
  const open: { start: number; nested: [number, number][] }[] = [];
  let inString = false;
  for (let index = 0; index < document.length; index++) {
    const char = document[index];
    if (inString) {
      if (char === '\\') index++;
      else if (char === '"') inString = false;
      continue;
    }
    if (char === '"') inString = true;
    else if (char === '{') open.push({ start: index, nested: [] });
    else if (char === '}') {
      const object = open.pop();
      if (!object) continue;
      let own = '';
      let from = object.start;
      for (const [start, end] of object.nested) {
        own += document.slice(from, start);
        from = end + 1;
      }
      objects.push(own + document.slice(from, index + 1));
      open[open.length - 1]?.nested.push([object.start, index]);
    }
  }
  return objects;
}

const CONDITION = /"Condition"\s*[:=]/;
const ACTIONS = /"Action"\s*[:=]\s*("[^"]*"|\[[^\]]*\])/;
const SID = /"Sid"\s*[:=]\s*"([^"]*)"/;

/** The restrictable actions each unconditioned Allow statement grants on `Resource "*"`, by Sid (or statement index). */
export function unrestrictedActions(document: string): { readonly sid: string; readonly actions: readonly string[] }[] {
  return objectsOf(document)
    .filter((statement) => !DENY.test(statement) && ANY_RESOURCE.test(statement) && !CONDITION.test(statement))
    .map((statement, index) => {
      const listed = ACTIONS.exec(statement)?.[1] ?? '';
      const actions = [...listed.matchAll(/"([^"]*)"/g)].map((match) => match[1] ?? '');
      return { sid: SID.exec(statement)?.[1] ?? `statement ${index}`, actions: actions.filter((action) => !WILDCARD_ONLY_ACTIONS.some((pattern) => pattern.test(action))) };
    })
    .filter((statement) => statement.actions.length > 0);
}

/**
 * Whether a policy document has a statement that allows `*` as action and as resource
 * (a statement without Effect counts as Allow, as checkov reads it).
 */
export function allowsEverything(document: string): boolean {
  return objectsOf(document).some((statement) => !DENY.test(statement) && ANY_ACTION.test(statement) && ANY_RESOURCE.test(statement));
}

export const iamRules: readonly ResourceRule[] = [
  {
    kind: 'resource',
    id: 'CKV_AWS_62',
    // AwsSolutions-IAM5 fails any wildcard; CKV_AWS_355 fails "*" resources on restrictable actions.
    relatedTo: ['AwsSolutions-IAM5', 'CKV_AWS_355'],
    resourceTypes: Object.keys(POLICY_ATTRIBUTES),
    title: 'No IAM policy allows "*" actions on "*" resources',
    fix: 'name the actions the role needs and scope Resource to the ARNs it uses (e.g. the tenant secret prefix)',
    check: (resource) => {
      const documents = (POLICY_ATTRIBUTES[resource.type]?.(resource.attributes) ?? []).filter((d): d is string => typeof d === 'string');
      return documents.some(allowsEverything) ? 'a statement allows Action "*" on Resource "*"' : undefined;
    },
  },
  {
    kind: 'resource',
    id: 'CKV_AWS_355',
    alsoKnownAs: ['CKV_AWS_290'],
    relatedTo: ['AwsSolutions-IAM5'],
    resourceTypes: Object.keys(POLICY_ATTRIBUTES),
    title: 'No Allow statement grants an action that takes resource ARNs on Resource "*" without a condition (documented exceptions aside)',
    fix: "scope Resource to the ARNs the role uses (region, account, name prefix), or add the condition that limits it (e.g. aws:ResourceTag/elbv2.k8s.aws/cluster); a statement that cannot be scoped goes into DOCUMENTED_WILDCARD_EXCEPTIONS with its reason",
    check: (resource) => {
      const documents = (POLICY_ATTRIBUTES[resource.type]?.(resource.attributes) ?? []).filter((d): d is string => typeof d === 'string');
      const breaches = documents.flatMap(unrestrictedActions).filter((statement) => !(statement.sid in DOCUMENTED_WILDCARD_EXCEPTIONS));
      return breaches.length === 0 ? undefined : breaches.map((statement) => `${statement.sid} allows ${statement.actions.join(', ')} on Resource "*" without a condition`).join('; ');
    },
  },
];
