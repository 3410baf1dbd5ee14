/** Remote state in S3: encrypted, and locked so two applies cannot interleave. */
import type { StackRule } from '../model.js';
import { isTrue } from '../values.js';

export const stateRules: readonly StackRule[] = [
  {
    kind: 'stack',
    id: 'TENANTRY_STATE_BACKEND',
    title: 'S3 state is encrypted and locked',
    fix: 'use configureStateBackend (encrypt = true, use_lockfile = true)',
    check: (stack) => {
      const s3 = stack.json.terraform?.backend?.s3;
      if (!s3) return [];
      const problems: string[] = [];
      if (!isTrue(s3.encrypt)) problems.push('encrypt is not true');
      if (!isTrue(s3.use_lockfile) && !s3.dynamodb_table) problems.push('no locking (use_lockfile)');
      return problems.map((problem) => ({ address: 'terraform.backend.s3', problem }));
    },
  },
];
