import { AwsProvider } from '@cdktf/provider-aws/lib/provider/index.js';
import { TerraformOutput, TerraformStack, Testing } from 'cdktf';
import { describe, expect, it } from 'vitest';
import { TenantDedicatedDatabase, type TenantDedicatedDatabaseProps } from './tenant-data-dedicated.js';

type Resources = Record<string, Record<string, Record<string, unknown>>>;

const PROPS: TenantDedicatedDatabaseProps = {
  clusterIdentifier: 'tenantry-prod-t-acme',
  vpcId: 'vpc-123',
  subnetIds: ['subnet-a', 'subnet-b'],
  clientSecurityGroupId: 'sg-nodes',
  capacity: { minCapacity: 0.5, maxCapacity: 16 },
  accountId: '111122223333',
  region: 'eu-west-1',
  production: true,
  applicationRoleName: 'tenant_acme',
  connectionLimit: 40,
  secretName: 'tenantry/prod/tenants/acme/database',
  secretKmsKeyArn: 'arn:aws:kms:eu-west-1:111122223333:key/tenant',
};

function synth(props: Partial<TenantDedicatedDatabaseProps> = {}): Resources {
  const stack = new TerraformStack(Testing.app(), 'test');
  new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
  new TenantDedicatedDatabase(stack, 'Database', { ...PROPS, ...props });
  return (JSON.parse(Testing.synth(stack)) as { resource: Resources }).resource;
}

const only = (resources: Resources, type: string): Record<string, unknown> => {
  const all = Object.values(resources[type] ?? {});
  expect(all, `exactly one ${type}`).toHaveLength(1);
  return all[0] as Record<string, unknown>;
};

describe('TenantDedicatedDatabase', () => {
  it('builds its own encrypted Aurora Serverless v2 cluster with deletion protection in production', () => {
    expect(only(synth(), 'aws_rds_cluster')).toMatchObject({
      cluster_identifier: 'tenantry-prod-t-acme',
      engine: 'aurora-postgresql',
      storage_encrypted: true,
      deletion_protection: true,
      skip_final_snapshot: false,
      final_snapshot_identifier: 'tenantry-prod-t-acme-final',
      manage_master_user_password: true,
      serverlessv2_scaling_configuration: { min_capacity: 0.5, max_capacity: 16 },
    });
  });

  it('encrypts the cluster with its own KMS key, not a shared one', () => {
    const resources = synth();
    expect(Object.keys(resources['aws_kms_key'] ?? {})).toHaveLength(1);
    expect(only(resources, 'aws_rds_cluster')['kms_key_id']).toMatch(/^\$\{aws_kms_key\./);
  });

  it('lifts deletion protection but keeps the final snapshot while offboarding', () => {
    expect(only(synth({ offboarding: true }), 'aws_rds_cluster')).toMatchObject({
      deletion_protection: false,
      skip_final_snapshot: false,
      final_snapshot_identifier: 'tenantry-prod-t-acme-final',
    });
  });

  it('stores a password-free connection descriptor in the tenant secret, encrypted with the tenant key', () => {
    const resources = synth();
    expect(only(resources, 'aws_secretsmanager_secret')).toMatchObject({
      name: 'tenantry/prod/tenants/acme/database',
      kms_key_id: 'arn:aws:kms:eu-west-1:111122223333:key/tenant',
    });
    const descriptor = String(only(resources, 'aws_secretsmanager_secret_version')['secret_string']);
    expect(descriptor).toContain('"auth" = "iam"');
    expect(descriptor).not.toMatch(/password/i);
    expect(descriptor).toMatch(/"host" = aws_rds_cluster\.[^.]+\.endpoint/);
    expect(descriptor).toContain('"username" = postgresql_role.');
  });

  it('gives the services an application role that signs in with IAM only and holds no administrative power', () => {
    const role = only(synth(), 'postgresql_role');
    expect(role).toMatchObject({
      name: 'tenant_acme',
      login: true,
      roles: ['rds_iam'],
      superuser: false,
      create_database: false,
      create_role: false,
      bypass_row_level_security: false,
      replication: false,
      connection_limit: 40,
    });
    expect(role['password']).toBeUndefined();
    expect(role['password_wo']).toBeUndefined();
  });

  it('lets the application role own nothing: the master owns the schema and its tables, the role reads and writes them', () => {
    const resources = synth();
    expect(only(resources, 'postgresql_schema')).toMatchObject({ name: 'tenant_acme', owner: expect.stringMatching(/aws_rds_cluster\.[^.]+\.master_username/) });
    const privileges = Object.values(resources['postgresql_default_privileges'] ?? {});
    expect(privileges).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ object_type: 'table', privileges: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'], owner: expect.stringMatching(/master_username/) }),
        expect.objectContaining({ object_type: 'sequence', privileges: ['USAGE', 'SELECT', 'UPDATE'] }),
      ]),
    );
    const grants = Object.values(resources['postgresql_grant'] ?? {}).map((grant) => [grant['object_type'], grant['schema'] ?? '', grant['privileges']]);
    expect(grants).toEqual(
      expect.arrayContaining([
        ['database', '', ['CONNECT']],
        ['schema', expect.stringContaining('postgresql_schema.'), ['USAGE']],
        ['schema', 'public', []],
      ]),
    );
  });

  it('names the application role on the cluster as the user the tenant signs in as with IAM', () => {
    const stack = new TerraformStack(Testing.app(), 'arn');
    const database = new TenantDedicatedDatabase(stack, 'Database', PROPS);
    new TerraformOutput(stack, 'connectUser', { value: database.connectUserArn });
    const outputs = (JSON.parse(Testing.synth(stack)) as { output: Record<string, { value: string }> }).output;
    expect(outputs['connectUser']?.value).toMatch(
      /^arn:aws:rds-db:eu-west-1:111122223333:dbuser:\$\{aws_rds_cluster\.[^.]+\.cluster_resource_id\}\/\$\{postgresql_role\.[^.]+\.name\}$/,
    );
  });
});
