import { AwsProvider } from '@cdktf/provider-aws/lib/provider/index.js';
import { PostgresqlProvider } from '@cdktf/provider-postgresql/lib/provider/index.js';
import { RandomProvider } from '@cdktf/provider-random/lib/provider/index.js';
import { TerraformStack, Testing } from 'cdktf';
import { beforeAll, describe, expect, it } from 'vitest';
import { TenantSchemaDatabase, type TenantSchemaDatabaseProps } from './tenant-data-schema.js';

const PROPS: TenantSchemaDatabaseProps = {
  schemaName: 'tenant_acme',
  databaseName: 'tenantry',
  connectionLimit: 50,
  connectionHost: 'proxy.example.internal',
  secretName: 'tenantry/prod/tenants/acme/database',
  secretKmsKeyArn: 'arn:aws:kms:eu-west-1:111122223333:key/abc',
};

type Resources = Record<string, Record<string, Record<string, unknown>>>;

function only(resources: Resources, type: string): Record<string, unknown> {
  const all = Object.values(resources[type] ?? {});
  expect(all, `exactly one ${type}`).toHaveLength(1);
  return all[0] as Record<string, unknown>;
}

describe('TenantSchemaDatabase', () => {
  let json: string;
  let resources: Resources;

  beforeAll(() => {
    const stack = new TerraformStack(Testing.app(), 'test');
    new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
    new PostgresqlProvider(stack, 'postgresql', {});
    new RandomProvider(stack, 'random');
    new TenantSchemaDatabase(stack, 'Data', PROPS);
    json = Testing.synth(stack);
    resources = (JSON.parse(json) as { resource: Resources }).resource;
  });

  it('creates a login role limited in connections, with search_path pinned to its schema', () => {
    expect(only(resources, 'postgresql_role')).toMatchObject({
      name: 'tenant_acme',
      login: true,
      connection_limit: 50,
      search_path: ['tenant_acme'],
      superuser: false,
      create_database: false,
      create_role: false,
      bypass_row_level_security: false,
    });
  });

  it('creates the schema owned by that role', () => {
    const schema = only(resources, 'postgresql_schema');
    expect(schema).toMatchObject({ name: 'tenant_acme', database: 'tenantry', drop_cascade: false });
    expect(schema['owner']).toMatch(/postgresql_role\..*\.name/);
  });

  it('grants CONNECT only on the database and nothing on public', () => {
    const grants = Object.values(resources['postgresql_grant'] ?? {});
    expect(grants).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ object_type: 'database', privileges: ['CONNECT'] }),
        expect.objectContaining({ object_type: 'schema', schema: 'public', privileges: [] }),
      ]),
    );
    expect(grants).toHaveLength(2);
  });

  it('stores the credentials in a secret under the tenant prefix, encrypted with the given KMS key', () => {
    expect(only(resources, 'aws_secretsmanager_secret')).toMatchObject({
      name: 'tenantry/prod/tenants/acme/database',
      kms_key_id: 'arn:aws:kms:eu-west-1:111122223333:key/abc',
    });
    const version = only(resources, 'aws_secretsmanager_secret_version');
    expect(version['secret_string_wo']).toMatch(/jsonencode/);
    expect(version['secret_string_wo']).toMatch(/proxy\.example\.internal/);
    expect(version['secret_string']).toBeUndefined();
  });

  it('writes the password through write-only attributes and never as a literal', () => {
    const role = only(resources, 'postgresql_role');
    expect(role['password']).toBeUndefined();
    expect(role['password_wo']).toMatch(/^\$\{random_password\..*\.result\}$/);
    // Every "password" in the synthesized JSON is a reference to the generated value.
    const literals = [...json.matchAll(/"password[a-z_]*"\s*:\s*"([^"]*)"/g)].map((m) => m[1]);
    expect(literals.length).toBeGreaterThan(0);
    for (const value of literals) expect(value).toMatch(/random_password|^\d+$/);
  });

  it('rotates the password when its version is raised', () => {
    const stack = new TerraformStack(Testing.app(), 'rotated');
    new TenantSchemaDatabase(stack, 'Data', { ...PROPS, passwordVersion: 2 });
    const rotated = (JSON.parse(Testing.synth(stack)) as { resource: Resources }).resource;
    expect(only(rotated, 'random_password')['keepers']).toEqual({ version: '2' });
    expect(only(rotated, 'postgresql_role')['password_wo_version']).toBe('2');
    expect(only(rotated, 'aws_secretsmanager_secret_version')['secret_string_wo_version']).toBe(2);
  });
});
