/** ElastiCache replication groups: encryption at rest (CMK) and in transit, auth, failover, Multi-AZ, backups. */
import type { ResourceRule } from '../model.js';
import { isSet, isTrue, numberValue, strings } from '../values.js';
import { passwordsWithoutKeepers } from './secrets.js';

const GROUP = ['aws_elasticache_replication_group'];

export const elasticacheRules: readonly ResourceRule[] = [
  {
    kind: 'resource',
    id: 'CKV_AWS_29',
    alsoKnownAs: ['AVD-AWS-0045'],
    // AwsSolutions-AEC3 needs encryption at rest and in transit: this rule and CKV_AWS_30 together.
    relatedTo: ['AwsSolutions-AEC3'],
    resourceTypes: GROUP,
    title: 'Data at rest is encrypted',
    fix: 'set at_rest_encryption_enabled = true',
    check: (group) => (isTrue(group.attributes.at_rest_encryption_enabled) ? undefined : 'at_rest_encryption_enabled is not true'),
  },
  {
    kind: 'resource',
    id: 'CKV_AWS_191',
    resourceTypes: GROUP,
    title: 'Data at rest is encrypted with a customer managed KMS key',
    fix: 'set kms_key_id to a CMK with rotation',
    check: (group) => (isSet(group.attributes.kms_key_id) ? undefined : 'kms_key_id is not set'),
  },
  {
    kind: 'resource',
    id: 'CKV_AWS_30',
    alsoKnownAs: ['AVD-AWS-0051'],
    relatedTo: ['AwsSolutions-AEC3'],
    resourceTypes: GROUP,
    title: 'Traffic is encrypted in transit, and plaintext is refused',
    fix: 'set transit_encryption_enabled = true and transit_encryption_mode = "required"',
    check: (group) => {
      if (!isTrue(group.attributes.transit_encryption_enabled)) return 'transit_encryption_enabled is not true';
      return group.attributes.transit_encryption_mode === 'preferred' ? 'transit_encryption_mode is "preferred": plaintext clients are still accepted' : undefined;
    },
  },
  {
    kind: 'resource',
    id: 'CKV_AWS_31',
    // cdk-nag AEC6 accepts only an AUTH token, not RBAC user groups.
    relatedTo: ['AwsSolutions-AEC6'],
    resourceTypes: GROUP,
    title: 'Traffic is encrypted in transit and clients authenticate (AUTH token or RBAC user group)',
    fix: 'set transit_encryption_enabled = true and auth_token from a generated password (Redis construct), or user_group_ids',
    check: (group) => {
      if (!isTrue(group.attributes.transit_encryption_enabled)) return 'transit_encryption_enabled is not true: an AUTH token would travel in plaintext';
      return isSet(group.attributes.auth_token) || strings(group.attributes.user_group_ids).length > 0 ? undefined : 'neither auth_token nor user_group_ids is set';
    },
  },
  {
    kind: 'resource',
    id: 'CKV2_AWS_50',
    resourceTypes: GROUP,
    title: 'Automatic failover is on',
    fix: 'set automatic_failover_enabled = true with at least one replica',
    check: (group) => (isTrue(group.attributes.automatic_failover_enabled) ? undefined : 'automatic_failover_enabled is not true'),
  },
  {
    kind: 'resource',
    id: 'AwsSolutions-AEC4',
    resourceTypes: GROUP,
    title: 'Nodes are spread over availability zones (Multi-AZ)',
    fix: 'set multi_az_enabled = true and num_cache_clusters >= 2',
    check: (group) => {
      if (!isTrue(group.attributes.multi_az_enabled)) return 'multi_az_enabled is not true';
      const nodes = numberValue(group.attributes.num_cache_clusters);
      return nodes !== undefined && nodes < 2 ? `num_cache_clusters is ${nodes}: Multi-AZ needs a replica` : undefined;
    },
  },
  {
    kind: 'resource',
    id: 'AVD-AWS-0050',
    // cdk-nag's ElastiCacheRedisClusterAutomaticBackup asks for 15 days or more.
    relatedTo: ['ElastiCacheRedisClusterAutomaticBackup'],
    resourceTypes: GROUP,
    title: 'Automatic snapshots are kept',
    fix: 'set snapshot_retention_limit >= 1 (7 in production)',
    check: (group) => ((numberValue(group.attributes.snapshot_retention_limit) ?? 0) >= 1 ? undefined : 'snapshot_retention_limit is 0 or unset'),
  },
  {
    kind: 'resource',
    id: 'TENANTRY_REDIS_AUTH_ROTATION',
    resourceTypes: GROUP,
    title: 'The AUTH token can be rotated and the old one revoked: it comes from a random_password with a version keeper, and auth_token_update_strategy is explicit (ROTATE keeps the previous token valid until a SET)',
    fix: 'generate the token with random_password keepers = { version = … } and set auth_token_update_strategy = "SET" (the Redis construct does; keepPreviousAuthToken switches to ROTATE during a rotation)',
    check: (group, stack) => {
      if (!isSet(group.attributes.auth_token)) return undefined;
      const frozen = passwordsWithoutKeepers(group.attributes.auth_token, stack);
      if (frozen.length > 0) return `${frozen.map((password) => password.address).join(', ')} has no keepers: the token can never be rotated`;
      const strategy = group.attributes.auth_token_update_strategy;
      return strategy === 'SET' || strategy === 'ROTATE' ? undefined : 'auth_token_update_strategy is not set: say whether a token change keeps the previous token (ROTATE) or revokes it (SET)';
    },
  },
];
