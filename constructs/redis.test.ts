import { describe, expect, it } from 'vitest';
import { checkPosture } from '../posture/check-posture.js';
import { REDIS_ENGINE_VERSION, Redis, type RedisProps } from './redis.js';
import { synthesizeStack } from '../testing/synthesized-stack.js';

const PROPS: RedisProps = {
  name: 'tenantry-test-redis',
  vpcId: 'vpc-0123',
  subnetIds: ['subnet-a', 'subnet-b', 'subnet-c'],
  clientSecurityGroupId: 'sg-nodes',
  nodeType: 'cache.t4g.medium',
  accountId: '111122223333',
  region: 'eu-west-1',
};
const synth = (props: Partial<RedisProps> = {}) => synthesizeStack((stack) => new Redis(stack, 'Redis', { ...PROPS, ...props }));

describe('Redis', () => {
  const redis = synth({ replicas: 2 });
  const group = redis.only('aws_elasticache_replication_group');

  it('is a replication group at the pinned engine version with a primary and the asked replicas', () => {
    expect(group).toMatchObject({ engine: 'redis', engine_version: REDIS_ENGINE_VERSION, node_type: 'cache.t4g.medium', num_cache_clusters: 3 });
  });

  it('keeps at least one replica', () => {
    expect(synth({ replicas: 0 }).only('aws_elasticache_replication_group').num_cache_clusters).toBe(2);
  });

  it('is Multi-AZ with automatic failover', () => {
    expect(group).toMatchObject({ multi_az_enabled: true, automatic_failover_enabled: true });
  });

  it('encrypts at rest with its own rotating CMK and requires TLS in transit', () => {
    expect(group).toMatchObject({ at_rest_encryption_enabled: 'true', kms_key_id: expect.stringContaining('aws_kms_key.'), transit_encryption_enabled: true, transit_encryption_mode: 'required' });
    expect(redis.only('aws_kms_key').enable_key_rotation).toBe(true);
  });

  it('takes its AUTH token from a generated password, by reference only', () => {
    expect(group.auth_token).toBe(`\${random_password.${redis.names('random_password')[0]}.result}`);
    expect(redis.only('random_password')).toMatchObject({ length: 64, special: false });
  });

  it('stores the token in a CMK-encrypted secret through the write-only attribute', () => {
    expect(redis.only('aws_secretsmanager_secret')).toMatchObject({ name: 'tenantry/tenantry-test-redis/redis', kms_key_id: expect.stringContaining('aws_kms_key.') });
    const version = redis.only('aws_secretsmanager_secret_version');
    expect(version.secret_string).toBeUndefined();
    expect(String(version.secret_string_wo)).toContain('random_password.');
    expect(version.secret_string_wo_version).toBe(1);
  });

  it('revokes every token but the current one by default (SET)', () => {
    expect(group.auth_token_update_strategy).toBe('SET');
  });

  it('rotates in two applies: a new version keeps the previous token valid (ROTATE), then SET revokes it', () => {
    const rotating = synth({ authTokenVersion: 2, keepPreviousAuthToken: true });
    expect(rotating.only('aws_elasticache_replication_group').auth_token_update_strategy).toBe('ROTATE');
    expect(rotating.only('random_password').keepers).toEqual({ version: '2' });
    expect(rotating.only('aws_secretsmanager_secret_version').secret_string_wo_version).toBe(2);
    const settled = synth({ authTokenVersion: 2 });
    expect(settled.only('aws_elasticache_replication_group').auth_token_update_strategy).toBe('SET');
    expect(settled.only('random_password').keepers).toEqual({ version: '2' });
  });

  it('keeps snapshots and sends slow and engine logs to encrypted log groups', () => {
    expect(group.snapshot_retention_limit).toBe(7);
    expect((group.log_delivery_configuration as { log_type: string }[]).map((log) => log.log_type)).toEqual(['slow-log', 'engine-log']);
    const logGroups = redis.resources('aws_cloudwatch_log_group');
    expect(logGroups).toHaveLength(2);
    expect(logGroups.filter((logGroup) => !String(logGroup.kms_key_id).includes('aws_kms_key.'))).toEqual([]);
  });

  it('admits 6379 only from the client security group', () => {
    expect(redis.only('aws_vpc_security_group_ingress_rule')).toMatchObject({ from_port: 6379, to_port: 6379, ip_protocol: 'tcp', referenced_security_group_id: 'sg-nodes' });
  });

  it('has no posture finding', () => {
    expect(checkPosture(redis.json)).toEqual([]);
  });
});
