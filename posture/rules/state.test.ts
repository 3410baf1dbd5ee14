/** TENANTRY_STATE_BACKEND beyond its case in posture/rules.test.ts. */
import { describe, expect, it } from 'vitest';
import { checkPosture } from '../check-posture.js';
import type { StackJson } from '../model.js';

const ruleIds = (json: StackJson) => checkPosture(json).map((finding) => finding.ruleId);

describe('TENANTRY_STATE_BACKEND', () => {
  const backend = (value: Record<string, Record<string, unknown>>): StackJson => ({ terraform: { backend: value } });

  it('fires on a local backend: the state file holds generated secrets in plaintext', () => {
    expect(ruleIds(backend({ local: { path: 'terraform.tfstate' } }))).toContain('TENANTRY_STATE_BACKEND');
  });

  it('fires on an S3 backend without a lock', () => {
    expect(ruleIds(backend({ s3: { bucket: 'b', key: 'k', encrypt: true, kms_key_id: 'arn:aws:kms:eu-west-1:1:key/k' } }))).toContain('TENANTRY_STATE_BACKEND');
  });
});
