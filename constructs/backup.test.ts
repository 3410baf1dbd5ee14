import { describe, expect, it } from 'vitest';
import { checkPosture } from '../posture/check-posture.js';
import { BackupCopyVault, backupCopyVaultArn } from './backup.js';
import { synthesizeStack } from '../testing/synthesized-stack.js';

describe('BackupCopyVault', () => {
  const stack = synthesizeStack((scope) => new BackupCopyVault(scope, 'Copy', { name: 'tenantry-test-aurora-copy', region: 'eu-central-1', accountId: '111122223333' }));

  it('creates the vault and its rotating key in the copy region, not the provider region', () => {
    expect(stack.only('aws_backup_vault')).toMatchObject({ name: 'tenantry-test-aurora-copy', region: 'eu-central-1', kms_key_arn: expect.stringContaining('aws_kms_key.') });
    expect(stack.only('aws_kms_key')).toMatchObject({ region: 'eu-central-1', enable_key_rotation: true });
    expect(stack.only('aws_kms_alias')).toMatchObject({ region: 'eu-central-1' });
  });

  it('has no posture finding', () => {
    expect(checkPosture(stack.json)).toEqual([]);
  });

  it('is named by the ARN other stacks build for it', () => {
    expect(backupCopyVaultArn('tenantry-test-aurora-copy', 'eu-central-1', '111122223333')).toBe('arn:aws:backup:eu-central-1:111122223333:backup-vault:tenantry-test-aurora-copy');
  });
});
