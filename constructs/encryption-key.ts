/**
 * A customer managed KMS key with rotation on, used by every platform construct that
 * encrypts data at rest (Aurora, Performance Insights, ElastiCache, EKS secrets, log
 * groups, Secrets Manager).
 */
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias/index.js';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key/index.js';
import { Construct } from 'constructs';

export interface EncryptionKeyProps {
  /** Alias without the `alias/` prefix, e.g. `tenantry-prod-aurora`. */
  readonly alias: string;
  readonly description: string;
  /** Account that owns the key; its IAM policies govern use of the key. */
  readonly accountId: string;
  /** Region of the key: CloudWatch Logs' service principal is regional. */
  readonly region: string;
  /**
   * Let CloudWatch Logs of this account and region encrypt log groups with the key
   * (log groups cannot use a key whose policy does not name the Logs service).
   * @default false
   */
  readonly allowCloudWatchLogs?: boolean;
  /**
   * Region the key is created in, when it is not the provider's (a backup copy vault's key).
   * @default - the provider's region
   */
  readonly resourceRegion?: string;
  /**
   * Days between scheduling deletion and deleting the key.
   * @default 30 (the maximum: a deleted key makes its data unreadable forever)
   */
  readonly deletionWindowInDays?: number;
}

/** A symmetric CMK with yearly automatic rotation and an alias. */
export class EncryptionKey extends Construct {
  readonly key: KmsKey;
  readonly alias: KmsAlias;

  constructor(scope: Construct, id: string, props: EncryptionKeyProps) {
    super(scope, id);
    const statements: object[] = [
      {
        Sid: 'AccountAdministersKeyThroughIam',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${props.accountId}:root` },
        Action: 'kms:*',
        Resource: '*',
      },
    ];
    if (props.allowCloudWatchLogs) {
      statements.push({
        Sid: 'CloudWatchLogsEncryptsThisAccountsLogGroups',
        Effect: 'Allow',
        Principal: { Service: `logs.${props.region}.amazonaws.com` },
        Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        Resource: '*',
        Condition: {
          ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:aws:logs:${props.region}:${props.accountId}:log-group:*` },
        },
      });
    }
    this.key = new KmsKey(this, 'Key', {
      description: props.description,
      enableKeyRotation: true,
      deletionWindowInDays: props.deletionWindowInDays ?? 30,
      policy: JSON.stringify({ Version: '2012-10-17', Statement: statements }),
      ...(props.resourceRegion ? { region: props.resourceRegion } : {}),
    });
    this.alias = new KmsAlias(this, 'Alias', { name: `alias/${props.alias}`, targetKeyId: this.key.keyId, ...(props.resourceRegion ? { region: props.resourceRegion } : {}) });
  }

  get keyArn(): string {
    return this.key.arn;
  }
}
