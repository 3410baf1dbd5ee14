/** AWS Backup: every Aurora cluster is selected by a backup plan, into a vault encrypted with a CMK. */
import type { ResourceRule } from '../model.js';
import { isSet, refersTo } from '../values.js';

export const backupRules: readonly ResourceRule[] = [
  {
    kind: 'resource',
    id: 'CKV2_AWS_8',
    resourceTypes: ['aws_rds_cluster'],
    title: 'Every Aurora cluster is in an AWS Backup plan (an aws_backup_selection of the same stack names it)',
    fix: 'give the cluster an aws_backup_selection whose resources include its ARN (AuroraPostgres does, through DatabaseBackup)',
    check: (cluster, stack) =>
      stack.resources('aws_backup_selection').some((selection) => refersTo(selection.attributes.resources, cluster.type, cluster.name))
        ? undefined
        : 'no aws_backup_selection of this stack selects the cluster',
  },
  {
    kind: 'resource',
    id: 'CKV_AWS_166',
    resourceTypes: ['aws_backup_vault'],
    title: 'Backup vaults are encrypted with a customer managed KMS key',
    fix: 'set kms_key_arn to a CMK with rotation',
    check: (vault) => (isSet(vault.attributes.kms_key_arn) ? undefined : 'kms_key_arn is not set (the AWS managed aws/backup key)'),
  },
];
