/** KMS: automatic rotation of symmetric keys. */
import type { ResourceRule } from '../model.js';
import { isTrue } from '../values.js';

export const kmsRules: readonly ResourceRule[] = [
  {
    kind: 'resource',
    id: 'CKV_AWS_7',
    alsoKnownAs: ['AwsSolutions-KMS5'],
    resourceTypes: ['aws_kms_key'],
    title: 'Symmetric KMS keys rotate automatically',
    fix: 'set enable_key_rotation = true',
    check: (key) => {
      const symmetric = key.attributes.customer_master_key_spec === undefined || key.attributes.customer_master_key_spec === 'SYMMETRIC_DEFAULT';
      return !symmetric || isTrue(key.attributes.enable_key_rotation) ? undefined : 'enable_key_rotation is not true';
    },
  },
];
