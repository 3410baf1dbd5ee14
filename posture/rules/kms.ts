/** KMS: automatic rotation of symmetric keys. */
import type { ResourceRule } from '../model.js';
import { isTrue } from '../values.js';

export const kmsRules: readonly ResourceRule[] = [
  {
    kind: 'resource',
    id: 'CKV_AWS_7',
    alsoKnownAs: ['AwsSolutions-KMS5'],
    resourceTypes: ['aws_kms_key'],
    title: 'Symmetric (and, as checkov asks, HMAC) KMS keys rotate automatically',
    fix: 'set enable_key_rotation = true',
    check: (key) => {
      const spec = key.attributes.customer_master_key_spec;
      const checked = spec === undefined || spec === 'SYMMETRIC_DEFAULT' || (typeof spec === 'string' && spec.startsWith('HMAC'));
      return !checked || isTrue(key.attributes.enable_key_rotation) ? undefined : 'enable_key_rotation is not true';
    },
  },
];
