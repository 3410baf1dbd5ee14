import { AwsProvider } from '@cdktf/provider-aws/lib/provider/index.js';
import { PostgresqlProvider } from '@cdktf/provider-postgresql/lib/provider/index.js';
import { RandomProvider } from '@cdktf/provider-random/lib/provider/index.js';
import { TerraformStack, Testing } from 'cdktf';
import { beforeAll, describe, expect, it } from 'vitest';
import { DatabaseAuditRole } from './audit-role.js';

type Resources = Record<string, Record<string, Record<string, unknown>>>;

describe('DatabaseAuditRole', () => {
  let json: string;
  let resources: Resources;
  const one = (type: string): Record<string, unknown> => {
    const all = Object.values(resources[type] ?? {});
    expect(all, `exactly one ${type}`).toHaveLength(1);
    return all[0] as Record<string, unknown>;
  };

  beforeAll(() => {
    const stack = new TerraformStack(Testing.app(), 'test');
    new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
    new PostgresqlProvider(stack, 'postgresql', {});
    new RandomProvider(stack, 'random');
    new DatabaseAuditRole(stack, 'Audit', {
      databaseName: 'tenantry',
      connectionHost: 'writer.example.internal',
      secretName: 'tenantry/prod/platform/database-audit',
      secretKmsKeyArn: 'arn:aws:kms:eu-west-1:111122223333:key/abc',
    });
    json = Testing.synth(stack);
    resources = (JSON.parse(json) as { resource: Resources }).resource;
  });

  it('creates a login role with no power over RLS, roles or databases, bounded in connections and statement time', () => {
    expect(one('postgresql_role')).toMatchObject({
      name: 'tenantry_audit',
      login: true,
      superuser: false,
      bypass_row_level_security: false,
      create_role: false,
      create_database: false,
      replication: false,
      connection_limit: 2,
      statement_timeout: 60000,
    });
  });

  it('may SET ROLE to the application role for the probe without inheriting its privileges', () => {
    expect(one('postgresql_role')).toMatchObject({ inherit: false, roles: ['tenant_api'] });
  });

  it('is granted CONNECT on the database and nothing else', () => {
    expect(Object.values(resources['postgresql_grant'] ?? {})).toEqual([expect.objectContaining({ object_type: 'database', privileges: ['CONNECT'] })]);
    expect(resources['postgresql_grant_role']).toBeUndefined();
  });

  it('keeps the password out of the synthesized JSON: write-only attributes only', () => {
    expect(one('postgresql_role')).not.toHaveProperty('password');
    expect(one('aws_secretsmanager_secret_version')).toMatchObject({ secret_string_wo_version: 1 });
    expect(one('aws_secretsmanager_secret_version')).not.toHaveProperty('secret_string');
    expect(one('aws_secretsmanager_secret')).toMatchObject({ name: 'tenantry/prod/platform/database-audit', kms_key_id: 'arn:aws:kms:eu-west-1:111122223333:key/abc' });
  });
});
