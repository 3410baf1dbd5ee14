/**
 * Who can sign in to which database, read off the synthesized example catalog (both
 * environments): every schema-tier tenant through the shared RDS Proxy it is sent to,
 * every dedicated tenant as its application role and never as the master; and every
 * Aurora cluster in an AWS Backup plan, copied out of the region where the environment
 * names a copy region.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exampleCatalogDirectory, loadCatalog, type Catalog, type Environment } from '@tenantry/catalog';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StackJson } from '../posture/model.js';
import { buildApp } from './main.js';
import { backupCopyVaultName, RDS_PROXY_AUTH_TAG, tenantSecretPrefix, tenantStackName } from './naming.js';
import { readStackFiles } from '../synth-model/stack-files.js';

type Attributes = Record<string, unknown>;
interface Statement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: string | string[];
  readonly Condition?: Record<string, Record<string, string>>;
}

const outdir = mkdtempSync(join(tmpdir(), 'tenantry-database-access-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

/** IAM's `*` wildcard, as a regular expression over the whole value. */
const globMatches = (pattern: string, value: string): boolean => new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`).test(value);
const list = (value: string | string[]): string[] => (Array.isArray(value) ? value : [value]);
/** `${type.name.attribute}` (or `${tolist(…)}` of it) → [type, name]. */
const referenced = (value: unknown): [string, string] | undefined => {
  const match = /^\$\{(?:tolist\()?(?:data\.)?([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.[a-z_]+\)?\}$/.exec(String(value));
  return match ? [match[1] as string, match[2] as string] : undefined;
};

describe('database access in the example catalog', () => {
  let catalog: Catalog;
  let stacks: ReadonlyMap<string, StackJson>;
  const stack = (name: string): StackJson => {
    const found = stacks.get(name);
    if (!found) throw new Error(`no stack ${name}`);
    return found;
  };
  const resources = (json: StackJson, type: string): [string, Attributes][] => Object.entries(json.resource?.[type] ?? {});
  const dataSources = (json: StackJson, type: string): [string, Attributes][] => Object.entries(json.data?.[type] ?? {});

  beforeAll(() => {
    catalog = loadCatalog({ directory: exampleCatalogDirectory() });
    buildApp(catalog, catalog.environments, outdir).synth();
    stacks = new Map([...readStackFiles(outdir)].map(([name, text]) => [name, JSON.parse(text) as StackJson]));
  });

  /** The statements of the IAM policies attached to role `roleName` (logical name) in `json`, where they are plain JSON. */
  function statementsOfRole(json: StackJson, roleName: string): Statement[] {
    return resources(json, 'aws_iam_role_policy')
      .filter(([, policy]) => referenced(policy.role)?.[1] === roleName)
      .flatMap(([, policy]) => {
        const text = String(policy.policy);
        return text.startsWith('{') ? ((JSON.parse(text) as { Statement: Statement[] }).Statement ?? []) : [];
      });
  }

  /** Whether `statements` allow `action` on `resource` with the request context `context`. */
  function allows(statements: Statement[], action: string, resource: string, context: Record<string, string>): boolean {
    return statements.some((statement) => {
      if (statement.Effect !== 'Allow' || !list(statement.Action).includes(action)) return false;
      if (!list(statement.Resource).some((pattern) => globMatches(pattern, resource))) return false;
      return Object.entries(statement.Condition ?? {}).every(([operator, conditions]) =>
        Object.entries(conditions).every(([key, expected]) => {
          const actual = context[key];
          if (actual === undefined) return false;
          return operator === 'StringLike' ? globMatches(expected, actual) : actual === expected;
        }),
      );
    });
  }

  it('has schema-tier and dedicated tenants to check', () => {
    expect(catalog.tenants.filter((tenant) => tenant.tier === 'schema').length).toBeGreaterThan(0);
    expect(catalog.tenants.filter((tenant) => tenant.tier === 'dedicated').length).toBeGreaterThan(0);
  });

  it('sends every schema-tier tenant to a proxy that can authenticate its user: its secret is in the auth list, the proxy role may read it and decrypt it', () => {
    for (const env of catalog.environments) {
      for (const tenant of catalog.tenants.filter((candidate) => candidate.tier === 'schema')) {
        const tenantJson = stack(tenantStackName(tenant, env));
        const [, secret] = resources(tenantJson, 'aws_secretsmanager_secret').find(([, candidate]) => candidate.name === `${tenantSecretPrefix(tenant, env)}database`) ?? [];
        const proxyName = String((secret?.tags as Record<string, string> | undefined)?.[RDS_PROXY_AUTH_TAG]);
        const secretName = String(secret?.name);
        const secretArn = `arn:aws:secretsmanager:${env.region}:${env.account}:secret:${secretName}-AbCdEf`;

        // The proxy the tenant's services are sent to: the host of its connection secret.
        const [, version] = resources(tenantJson, 'aws_secretsmanager_secret_version')[0] ?? [];
        const host = /"host" = data\.aws_db_proxy\.([A-Za-z0-9_]+)\.endpoint/.exec(String(version?.secret_string_wo))?.[1];
        expect(dataSources(tenantJson, 'aws_db_proxy').find(([name]) => name === host)?.[1].name, `${tenant.id} in ${env.name}: the proxy it is sent to`).toBe(proxyName);

        // That proxy's auth list registers the tenant's secret: a dynamic block over the secrets tagged for it.
        const dataJson = stack(`data-${env.name}`);
        const [, proxy] = resources(dataJson, 'aws_db_proxy').find(([, candidate]) => candidate.name === proxyName) ?? [];
        const dynamicAuth = (proxy?.dynamic as { auth?: { for_each: string; content: Attributes } } | undefined)?.auth;
        expect(dynamicAuth?.content).toMatchObject({ auth_scheme: 'SECRETS', secret_arn: '${auth.value}', iam_auth: 'DISABLED', client_password_auth_type: 'POSTGRES_SCRAM_SHA_256' });
        const lookup = referenced(dynamicAuth?.for_each);
        expect(lookup?.[0]).toBe('aws_secretsmanager_secrets');
        const [, found] = dataSources(dataJson, 'aws_secretsmanager_secrets').find(([name]) => name === lookup?.[1]) ?? [];
        const filters = (found?.filter as { name: string; values: string[] }[] | undefined) ?? [];
        const filter = (name: string) => filters.find((candidate) => candidate.name === name)?.values ?? [];
        // ListSecrets filters are prefix matches.
        expect(filter('name').some((prefix) => secretName.startsWith(prefix))).toBe(true);
        expect(filter('tag-key').some((prefix) => RDS_PROXY_AUTH_TAG.startsWith(prefix))).toBe(true);
        expect(filter('tag-value').some((prefix) => proxyName.startsWith(prefix))).toBe(true);

        // The proxy role may read the secret and decrypt it through Secrets Manager, with the tenant key's IAM delegation.
        const roleName = referenced(proxy?.role_arn)?.[1] ?? '';
        const statements = statementsOfRole(dataJson, roleName);
        expect(allows(statements, 'secretsmanager:GetSecretValue', secretArn, { [`secretsmanager:ResourceTag/${RDS_PROXY_AUTH_TAG}`]: proxyName }), `${tenant.id}: read its secret`).toBe(true);
        const keyArn = `arn:aws:kms:${env.region}:${env.account}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
        expect(allows(statements, 'kms:Decrypt', keyArn, { 'kms:ViaService': `secretsmanager.${env.region}.amazonaws.com`, 'kms:EncryptionContext:SecretARN': secretArn }), `${tenant.id}: decrypt its secret`).toBe(true);
        expect(referenced(secret?.kms_key_id)?.[0]).toBe('aws_kms_key');
        const keyPolicies = resources(tenantJson, 'aws_kms_key').map(([, key]) => JSON.parse(String(key.policy)) as { Statement: { Principal: { AWS?: string }; Action: string }[] });
        expect(keyPolicies.every((policy) => policy.Statement.some((statement) => statement.Principal.AWS === `arn:aws:iam::${env.account}:root` && statement.Action === 'kms:*'))).toBe(true);
      }
    }
  });

  it('lets every dedicated tenant sign in as its application role on its own cluster, never as the master user', () => {
    for (const env of catalog.environments) {
      for (const tenant of catalog.tenants.filter((candidate) => candidate.tier === 'dedicated')) {
        const tenantJson = stack(tenantStackName(tenant, env));
        const [clusterName] = resources(tenantJson, 'aws_rds_cluster')[0] ?? [];
        const [roleName, role] = resources(tenantJson, 'postgresql_role')[0] ?? [];
        expect(role).toMatchObject({ login: true, roles: ['rds_iam'], superuser: false, bypass_row_level_security: false });
        const podPolicies = resources(tenantJson, 'aws_iam_role_policy').map(([, policy]) => String(policy.policy)).filter((policy) => policy.includes('rds-db:connect'));
        expect(podPolicies).toHaveLength(1);
        expect(podPolicies[0]).toContain(`dbuser:\${aws_rds_cluster.${clusterName}.cluster_resource_id}/\${postgresql_role.${roleName}.name}`);
        expect(podPolicies[0]).not.toContain('master_username');
        const descriptor = String(resources(tenantJson, 'aws_secretsmanager_secret_version')[0]?.[1].secret_string);
        expect(descriptor).toContain(`"username" = postgresql_role.${roleName}.name`);
        expect(descriptor).toContain(`"host" = aws_rds_cluster.${clusterName}.endpoint`);
      }
    }
  });

  it('puts every Aurora cluster in an AWS Backup plan, copied to the copy region the environment names', () => {
    const copyVaultArn = (env: Environment) => `arn:aws:backup:${env.backup.copyRegion}:${env.account}:backup-vault:${backupCopyVaultName(env)}`;
    for (const env of catalog.environments) {
      const dataJson = stack(`data-${env.name}`);
      const copyVaults = resources(dataJson, 'aws_backup_vault').filter(([, vault]) => vault.region !== undefined);
      expect(copyVaults.map(([, vault]) => [vault.name, vault.region])).toEqual(env.backup.copyRegion ? [[backupCopyVaultName(env), env.backup.copyRegion]] : []);
      for (const [name, json] of stacks) {
        if (!name.endsWith(`-${env.name}`)) continue;
        for (const [clusterName] of resources(json, 'aws_rds_cluster')) {
          expect(resources(json, 'aws_backup_selection').some(([, selection]) => JSON.stringify(selection.resources).includes(`aws_rds_cluster.${clusterName}.arn`)), `${name}: ${clusterName}`).toBe(true);
          const copies = resources(json, 'aws_backup_plan').flatMap(([, plan]) => (plan.rule as { copy_action?: { destination_vault_arn: string }[] }[]).flatMap((rule) => rule.copy_action ?? []));
          if (!env.backup.copyRegion) expect(copies).toEqual([]);
          else if (name.startsWith('data-')) expect(copies.map((copy) => copy.destination_vault_arn)).toEqual([`\${aws_backup_vault.${copyVaults[0]?.[0]}.arn}`]);
          else expect(copies.map((copy) => copy.destination_vault_arn)).toEqual([copyVaultArn(env)]);
        }
      }
    }
  });

  it('keeps the logs of production for a year: EKS control plane, PostgreSQL, Redis and flow logs', () => {
    const production = catalog.environments.filter((env) => env.production);
    expect(production.length).toBeGreaterThan(0);
    for (const env of production) {
      const groups = ['cluster', 'data', 'network'].flatMap((part) => resources(stack(`${part}-${env.name}`), 'aws_cloudwatch_log_group'));
      expect(groups.length).toBeGreaterThanOrEqual(4);
      for (const [name, group] of groups) expect(group.retention_in_days, name).toBeGreaterThanOrEqual(365);
    }
  });
});
