/**
 * Secrets: Secrets Manager secrets use a CMK, and no secret value is written literally
 * anywhere in a synthesized stack (attributes, provider blocks, outputs, jsonencode
 * bodies). A secret-bearing attribute may hold only a Terraform reference, `${…}`.
 */
import type { Resource, ResourceRule, StackContext, StackRule } from '../model.js';
import { isExpressionOnly, isRecord, isSet, refersTo } from '../values.js';

/** Attribute names (snake_case) that carry secret values. */
const SECRET_NAME = /^(?:.*_)?(password|passwd|passphrase|auth_token|token|secret_string|private_key|api_key|access_key|secret_key|client_secret)(?:_wo)?$/;
/** A `"name" = "literal"` pair inside a Terraform expression (a jsonencode body). */
const LITERAL_IN_EXPRESSION = /"?([A-Za-z][A-Za-z0-9_]*)"?\s*=\s*"([^"$]+)"/g;
/** Values that are secrets whatever their key: AWS access key ids, PEM private keys. */
const SECRET_VALUE_PATTERNS: readonly [RegExp, string][] = [
  [/\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/, 'an AWS access key id'],
  [/-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----/, 'a PEM private key'],
];

function snakeCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/-/g, '_').toLowerCase();
}

function isSecretName(name: string): boolean {
  return SECRET_NAME.test(snakeCase(name));
}

interface Breach {
  readonly address: string;
  readonly problem: string;
}

/** Walks every string of the stack (skipping cdktf's `//` metadata) with the nearest attribute name. */
function walk(value: unknown, path: string, name: string, visit: (text: string, path: string, name: string) => void): void {
  if (typeof value === 'string') visit(value, path, name);
  else if (Array.isArray(value)) value.forEach((item, index) => walk(item, `${path}[${index}]`, name, visit));
  else if (isRecord(value)) {
    for (const [key, child] of Object.entries(value)) {
      if (key === '//') continue;
      walk(child, path ? `${path}.${key}` : key, key, visit);
    }
  }
}

function literalSecrets(stack: StackContext): Breach[] {
  const breaches: Breach[] = [];
  walk(stack.json, '', '', (text, path, name) => {
    for (const [pattern, what] of SECRET_VALUE_PATTERNS) {
      if (pattern.test(text)) breaches.push({ address: path, problem: `holds ${what}` });
    }
    if (isSecretName(name) && text !== '' && !isExpressionOnly(text)) {
      breaches.push({ address: path, problem: `${name} is a literal value, not a reference` });
      return;
    }
    if (text.includes('${')) {
      for (const [, key, literal] of text.matchAll(LITERAL_IN_EXPRESSION)) {
        if (key && literal && isSecretName(key)) breaches.push({ address: path, problem: `${key} is set to a literal inside an expression` });
      }
    }
  });
  return breaches;
}

export const secretStackRules: readonly StackRule[] = [
  {
    kind: 'stack',
    id: 'TENANTRY_NO_LITERAL_SECRET',
    alsoKnownAs: ['CKV_AWS_41'],
    // checkov's CKV_SECRET_* detectors match value patterns and entropy, not attribute names.
    relatedTo: ['CKV_SECRET_*'],
    title: 'No secret value is written in the synthesized JSON',
    fix: 'generate the value in Terraform (random_password, manage_master_user_password) and pass a reference; deliver it through write-only attributes into Secrets Manager',
    check: literalSecrets,
  },
];

/**
 * The random_password resources `value` refers to that have no `keepers`: their value
 * never changes, so nothing can rotate the credential they generate.
 */
export function passwordsWithoutKeepers(value: unknown, stack: StackContext): Resource[] {
  return stack.resources('random_password').filter((password) => refersTo(value, password.type, password.name) && !isRecord(password.attributes.keepers));
}

/** Why `secret` has no rotation path, or undefined when it has one. */
function missingRotationPath(secret: Resource, stack: StackContext): string | undefined {
  if (stack.resources('aws_secretsmanager_secret_rotation').some((rotation) => refersTo(rotation.attributes.secret_id, secret.type, secret.name))) return undefined;
  for (const version of stack.resources('aws_secretsmanager_secret_version').filter((candidate) => refersTo(candidate.attributes.secret_id, secret.type, secret.name))) {
    const frozen = passwordsWithoutKeepers(version.attributes, stack);
    if (frozen.length > 0) return `${frozen.map((password) => password.address).join(', ')} has no keepers: the credential it generates can never be rotated`;
    if (isSet(version.attributes.secret_string_wo) && !isSet(version.attributes.secret_string_wo_version)) {
      return `${version.address} writes secret_string_wo without secret_string_wo_version: a rotated value would never be sent`;
    }
  }
  return undefined;
}

export const secretResourceRules: readonly ResourceRule[] = [
  {
    kind: 'resource',
    id: 'TENANTRY_SECRET_ROTATION',
    // CKV2_AWS_57 and AwsSolutions-SMG4 ask for a rotation schedule (aws_secretsmanager_secret_rotation) on every secret.
    relatedTo: ['CKV2_AWS_57', 'AwsSolutions-SMG4'],
    resourceTypes: ['aws_secretsmanager_secret'],
    title: 'Every secret has a rotation path: a rotation schedule, or every password it holds comes from a random_password with a version keeper and reaches the secret again when that version changes',
    fix: 'give the random_password keepers = { version = … } and the secret version secret_string_wo_version = the same version (Redis, TenantSchemaDatabase do), or add an aws_secretsmanager_secret_rotation',
    check: missingRotationPath,
  },
  {
    kind: 'resource',
    id: 'CKV_AWS_149',
    alsoKnownAs: ['SecretsManagerUsingKMSKey'],
    resourceTypes: ['aws_secretsmanager_secret'],
    title: 'Secrets are encrypted with a customer managed KMS key (not an aws/ alias)',
    fix: 'set kms_key_id to a CMK with rotation',
    check: (secret) => {
      const key = secret.attributes.kms_key_id;
      if (!isSet(key)) return 'kms_key_id is not set (aws/secretsmanager key)';
      return typeof key === 'string' && key.includes('aws/') ? `kms_key_id is the AWS managed key ${key}` : undefined;
    },
  },
];
