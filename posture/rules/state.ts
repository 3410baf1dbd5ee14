/**
 * Terraform state holds generated passwords and the Redis AUTH token: it lives in S3,
 * encrypted with a customer managed KMS key and locked so two applies cannot interleave,
 * never in a local plaintext file.
 */
import type { StackRule } from '../model.js';
import { isSet, isTrue } from '../values.js';

export const stateRules: readonly StackRule[] = [
  {
    kind: 'stack',
    id: 'TENANTRY_STATE_BACKEND',
    title: 'State is in S3, encrypted with a KMS key (SSE-KMS) and locked; never a local plaintext file',
    fix: 'name state.bucket and state.kmsKeyArn in the environment file (configureStateBackend sets encrypt, kms_key_id and use_lockfile)',
    check: (stack) => {
      const backend = stack.json.terraform?.backend ?? {};
      if (backend.local) return [{ address: 'terraform.backend.local', problem: 'state is a local file: generated passwords and tokens in it are plaintext on disk' }];
      const s3 = backend.s3;
      if (!s3) return [];
      const problems: string[] = [];
      if (!isTrue(s3.encrypt)) problems.push('encrypt is not true');
      if (!isSet(s3.kms_key_id)) problems.push('kms_key_id is not set: S3 encrypts with its own key (SSE-S3), which IAM on the key cannot restrict');
      if (!isTrue(s3.use_lockfile) && !s3.dynamodb_table) problems.push('no locking (use_lockfile)');
      return problems.map((problem) => ({ address: 'terraform.backend.s3', problem }));
    },
  },
];
