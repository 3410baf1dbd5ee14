/**
 * AWS Backup for databases: a daily plan into a vault encrypted with a customer managed
 * key, optionally copied to a vault in a second region, and the copy vault itself.
 * Automated RDS backups live and die with the cluster; AWS Backup recovery points outlive
 * it, can be copied out of the region, and are what auditors ask for (CKV2_AWS_8).
 */
import { BackupPlan } from '@cdktf/provider-aws/lib/backup-plan/index.js';
import { BackupSelection } from '@cdktf/provider-aws/lib/backup-selection/index.js';
import { BackupVault } from '@cdktf/provider-aws/lib/backup-vault/index.js';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role/index.js';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment/index.js';
import { Construct } from 'constructs';
import { EncryptionKey } from './encryption-key.js';

/** Daily at 05:00 UTC: after the clusters' automated backup window (02:00–03:00) and Sunday maintenance (03:30–04:30). */
export const DAILY_BACKUP_SCHEDULE = 'cron(0 5 * * ? *)';

export interface DatabaseBackupProps {
  /** Names the vault, plan, selection and the AWS Backup role (`<name>-backup`). */
  readonly name: string;
  /** ARNs of the resources backed up (Aurora clusters). */
  readonly resourceArns: string[];
  /** ARN of the customer managed key that encrypts the vault. */
  readonly vaultKmsKeyArn: string;
  /** Days each daily recovery point is kept. */
  readonly retentionDays: number;
  /**
   * ARN of a vault in another region that receives a copy of every recovery point
   * (BackupCopyVault), kept as long as the original.
   * @default - no copy
   */
  readonly copyVaultArn?: string;
  /**
   * Delete the vault with its recovery points when the stack is destroyed.
   * @default false (a vault holding recovery points cannot be deleted)
   */
  readonly forceDestroy?: boolean;
}

/** A vault, a daily plan (with an optional cross-region copy) and a selection of `resourceArns`. */
export class DatabaseBackup extends Construct {
  readonly vault: BackupVault;
  readonly plan: BackupPlan;
  readonly selection: BackupSelection;

  constructor(scope: Construct, id: string, props: DatabaseBackupProps) {
    super(scope, id);
    this.vault = new BackupVault(this, 'Vault', { name: props.name, kmsKeyArn: props.vaultKmsKeyArn, forceDestroy: props.forceDestroy ?? false });
    const lifecycle = { deleteAfter: props.retentionDays };
    this.plan = new BackupPlan(this, 'Plan', {
      name: props.name,
      rule: [
        {
          ruleName: 'daily',
          targetVaultName: this.vault.name,
          schedule: DAILY_BACKUP_SCHEDULE,
          startWindow: 60,
          completionWindow: 360,
          lifecycle,
          ...(props.copyVaultArn ? { copyAction: [{ destinationVaultArn: props.copyVaultArn, lifecycle }] } : {}),
        },
      ],
    });
    const role = new IamRole(this, 'Role', {
      name: `${props.name}-backup`,
      assumeRolePolicy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'backup.amazonaws.com' }, Action: 'sts:AssumeRole' }] }),
    });
    // The AWS managed policy AWS Backup documents for its service role (backups and copies; restores are an administrator's act).
    new IamRolePolicyAttachment(this, 'RoleBacksUp', { role: role.name, policyArn: 'arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup' });
    this.selection = new BackupSelection(this, 'Selection', { name: props.name, planId: this.plan.id, iamRoleArn: role.arn, resources: props.resourceArns });
  }
}

export interface BackupCopyVaultProps {
  /** Vault name; the same name in every stack that copies into it (`backupCopyVaultArn`). */
  readonly name: string;
  /** Region of the vault and of its key: not the region of the backed-up resources. */
  readonly region: string;
  readonly accountId: string;
}

/** The vault in a second region that copies land in, with its own customer managed key there. */
export class BackupCopyVault extends Construct {
  readonly vault: BackupVault;

  constructor(scope: Construct, id: string, props: BackupCopyVaultProps) {
    super(scope, id);
    const key = new EncryptionKey(this, 'Key', {
      alias: props.name,
      description: `AWS Backup copy vault ${props.name} in ${props.region}`,
      accountId: props.accountId,
      region: props.region,
      resourceRegion: props.region,
    });
    this.vault = new BackupVault(this, 'Vault', { name: props.name, region: props.region, kmsKeyArn: key.keyArn });
  }
}

/** ARN of the copy vault `name` in `region`: how stacks that do not create it name it. */
export function backupCopyVaultArn(name: string, region: string, accountId: string): string {
  return `arn:aws:backup:${region}:${accountId}:backup-vault:${name}`;
}
