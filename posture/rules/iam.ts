/**
 * IAM: no policy allows every action on every resource. Policies reach the synthesized
 * JSON either as a JSON string or as a `${jsonencode({...})}` expression, so statements
 * are found by matching braces and read with patterns that accept both `:` and `=`.
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
];
