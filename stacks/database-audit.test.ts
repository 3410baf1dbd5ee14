/** The data stack creates the read-only role and the secret the nightly audit connects with. */
import { exampleCatalogDirectory, loadCatalog } from '@tenantry/catalog';
import { Testing } from 'cdktf';
import { describe, expect, it } from 'vitest';
import { ClusterStack, DataStack, NetworkStack } from './platform-stacks.js';

describe('data-<env>', () => {
  const catalog = loadCatalog({ directory: exampleCatalogDirectory() });
  const env = catalog.environments.find((e) => e.name === 'prod');
  if (!env) throw new Error('the example catalog has no prod environment');
  const app = Testing.app();
  const network = new NetworkStack(app, env);
  const cluster = new ClusterStack(app, env, network.network);
  const json = JSON.parse(Testing.synth(new DataStack(app, env, network.network, cluster.cluster))) as {
    resource: Record<string, Record<string, Record<string, unknown>>>;
    provider: Record<string, unknown[]>;
  };
  const all = (type: string): Record<string, unknown>[] => Object.values(json.resource[type] ?? {});

  it('creates the audit role tenantry_audit and its secret tenantry/prod/platform/database-audit, encrypted with the cluster key', () => {
    expect(all('postgresql_role')).toEqual([expect.objectContaining({ name: 'tenantry_audit', inherit: false, bypass_row_level_security: false })]);
    const [secret] = all('aws_secretsmanager_secret').filter((s) => s['name'] === 'tenantry/prod/platform/database-audit');
    expect(secret?.['kms_key_id']).toMatch(/aws_kms_key\..*\.arn/);
  });

  it('logs the PostgreSQL provider in with the master secret read at plan time, never a literal password', () => {
    const [provider] = json.provider['postgresql'] ?? [];
    expect(provider).toMatchObject({ sslmode: 'require', superuser: false });
    expect(String((provider as Record<string, unknown>)['password'])).toBe('${jsondecode(data.aws_secretsmanager_secret_version.SharedAuroraMaster.secret_string).password}');
  });
});
