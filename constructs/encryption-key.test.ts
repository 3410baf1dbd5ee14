import { describe, expect, it } from 'vitest';
import { EncryptionKey, type EncryptionKeyProps } from './encryption-key.js';
import { synthesizeStack } from '../testing/synthesized-stack.js';

const PROPS: EncryptionKeyProps = { alias: 'tenantry-test-data', description: 'test data', accountId: '111122223333', region: 'eu-west-1' };
const synth = (props: Partial<EncryptionKeyProps> = {}) => synthesizeStack((stack) => new EncryptionKey(stack, 'Key', { ...PROPS, ...props }));
const statements = (policy: unknown): { Sid: string; Principal: Record<string, string> }[] => (JSON.parse(String(policy)) as { Statement: { Sid: string; Principal: Record<string, string> }[] }).Statement;

describe('EncryptionKey', () => {
  it('rotates, waits the longest deletion window and has an alias', () => {
    const key = synth();
    expect(key.only('aws_kms_key')).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30 });
    expect(key.only('aws_kms_alias').name).toBe('alias/tenantry-test-data');
  });

  it('is administered through the account IAM policies only, by default', () => {
    expect(statements(synth().only('aws_kms_key').policy)).toEqual([expect.objectContaining({ Principal: { AWS: 'arn:aws:iam::111122223333:root' } })]);
  });

  it('lets CloudWatch Logs of its own account and region use it when asked', () => {
    const policy = statements(synth({ allowCloudWatchLogs: true }).only('aws_kms_key').policy);
    expect(policy[1]).toMatchObject({ Principal: { Service: 'logs.eu-west-1.amazonaws.com' } });
    expect(JSON.stringify(policy[1])).toContain('arn:aws:logs:eu-west-1:111122223333:log-group:*');
  });
});
