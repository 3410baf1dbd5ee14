/**
 * The one loader every reader of the catalog goes through: stacks, telemetry,
 * dashboards, load tests, the canary gate and posture. It checks every rule a catalog
 * must satisfy (schema, identity, quotas, SLO feasibility) and throws one
 * CatalogValidationError listing every broken rule, so every reader accepts or refuses
 * the same catalog with the same message, and a broken catalog never produces partial
 * output.
 */
import { readdirSync, readFileSync, existsSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { z } from 'zod';
import { CatalogValidationError } from './errors.js';
import { PLAN_DEFAULTS, TIER_NAMES, type TierName } from './plans.js';
import { quotaIssues } from './quota-rules.js';
import { environmentFileSchema, tenantFileSchema, type EnvironmentFile, type TenantFile } from './schema.js';
import { sloIssues } from './slo-rules.js';
import { TIER_TRAITS, tenantHasNamespace } from './tier-traits.js';
import type { Catalog, CatalogIssue, Environment, Tenant } from './types.js';

/** Environment variable naming another catalog directory of the same shape. */
export const CATALOG_DIRECTORY_VARIABLE = 'TENANTRY_CATALOG';
/** Environment variable naming the one environment to work on. */
export const ENVIRONMENT_VARIABLE = 'TENANTRY_ENV';

const DEFAULT_CUSTOM_HOSTNAME_LIMIT = 100;
const DEFAULT_DNS_RECORD_LIMIT = 3500;
const DEFAULT_RDS_PROXY_SECRETS_PER_PROXY = 200;
const DEFAULT_AURORA_CLUSTERS_PER_REGION = 40;
const DEFAULT_RDS_PROXIES_PER_REGION = 20;
const DEFAULT_IAM_ROLES_PER_ACCOUNT = 1000;
const DEFAULT_POD_IDENTITY_ASSOCIATIONS_PER_CLUSTER = 5000;
const PRODUCTION_BACKUP_RETENTION_DAYS = 35;
const DEFAULT_BACKUP_RETENTION_DAYS = 7;
/** A year: what auditors ask for and checkov's CKV_AWS_338 checks. */
const PRODUCTION_LOG_RETENTION_DAYS = 365;
const DEFAULT_LOG_RETENTION_DAYS = 90;

/** The example catalog shipped with this package (its own directory). */
export function exampleCatalogDirectory(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '..');
}

/** `$TENANTRY_CATALOG` when set, the example catalog otherwise. */
export function defaultCatalogDirectory(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env[CATALOG_DIRECTORY_VARIABLE];
  return fromEnv ? resolve(fromEnv) : exampleCatalogDirectory();
}

export interface LoadCatalogOptions {
  /** @default - `$TENANTRY_CATALOG`, or the example catalog */
  readonly directory?: string;
}

/** Reads and validates the whole catalog. Throws CatalogValidationError with every issue. */
export function loadCatalog(options: LoadCatalogOptions = {}): Catalog {
  const directory = resolve(options.directory ?? defaultCatalogDirectory());
  const issues: CatalogIssue[] = [];

  const environmentFiles = readYamlFolder(directory, 'environments', issues);
  const tenantFiles = readYamlFolder(directory, 'tenants', issues);
  if (environmentFiles.length === 0 && !issues.some((i) => i.file === 'environments')) {
    issues.push({ file: 'environments', field: '', message: 'holds no *.yaml file: a catalog needs at least one environment' });
  }

  const environments: Environment[] = [];
  for (const file of environmentFiles) {
    const parsed = parseWith(environmentFileSchema, file, issues);
    if (!parsed) continue;
    checkNameMatchesFile(parsed.name, 'name', file, issues);
    checkEnvironmentRules(parsed, file.relativePath, issues);
    environments.push(resolveEnvironment(parsed, file.relativePath));
  }

  const tenants: Tenant[] = [];
  for (const file of tenantFiles) {
    const parsed = parseWith(tenantFileSchema, file, issues);
    if (parsed) tenants.push(resolveTenant(parsed, file.relativePath));
  }

  // Identity rules run on every file, valid or not, so that one run reports them all.
  checkTenantIdentities(environments, tenantFiles.map(readIdentity), issues);
  // Rules over resolved tenants see only the files that parsed; their counts are lower
  // bounds, so a quota reported exceeded is exceeded.
  issues.push(...sloIssues(tenants), ...quotaIssues(tenants, environments));

  if (issues.length > 0) throw new CatalogValidationError(directory, issues);
  tenants.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  environments.sort((a, b) => (a.name < b.name ? -1 : 1));
  return { directory, environments, tenants };
}

/**
 * The environments to work on: the one named by `$TENANTRY_ENV` (or `name`), every
 * environment when none is named. Fails with the known names when the name is unknown.
 */
export function selectEnvironments(catalog: Catalog, name: string | undefined = process.env[ENVIRONMENT_VARIABLE]): readonly Environment[] {
  if (!name) return catalog.environments;
  const match = catalog.environments.find((e) => e.name === name);
  if (!match) {
    const known = catalog.environments.map((e) => e.name).join(', ');
    throw new CatalogValidationError(catalog.directory, [
      { file: `environments/${name}.yaml`, field: '', message: `${ENVIRONMENT_VARIABLE}=${name} names no environment of the catalog (known: ${known})` },
    ]);
  }
  return [match];
}

interface YamlFile {
  readonly relativePath: string;
  readonly stem: string;
  readonly content: unknown;
}

function readYamlFolder(directory: string, folder: string, issues: CatalogIssue[]): YamlFile[] {
  const path = join(directory, folder);
  if (!existsSync(path) || !statSync(path).isDirectory()) {
    issues.push({ file: folder, field: '', message: `is missing: expected a folder ${path} holding one *.yaml file per entry` });
    return [];
  }
  const files: YamlFile[] = [];
  for (const name of readdirSync(path).sort()) {
    if (!/\.ya?ml$/.test(name)) continue;
    const relativePath = `${folder}/${name}`;
    try {
      const content: unknown = parseYaml(readFileSync(join(path, name), 'utf8'));
      files.push({ relativePath, stem: basename(name).replace(/\.ya?ml$/, ''), content });
    } catch (error) {
      const reason = error instanceof YAMLParseError ? error.message.split('\n')[0] : String(error);
      issues.push({ file: relativePath, field: '', message: `is not valid YAML: ${reason}` });
    }
  }
  return files;
}

function parseWith<T>(schema: z.ZodType<T>, file: YamlFile, issues: CatalogIssue[]): T | undefined {
  const result = schema.safeParse(file.content ?? {});
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        issues.push({
          file: file.relativePath,
          field: formatPath([...issue.path, key]),
          message: 'is not a known field (check its spelling: unknown fields are rejected rather than ignored)',
        });
      }
      continue;
    }
    issues.push({ file: file.relativePath, field: formatPath(issue.path), message: issue.message });
  }
  return undefined;
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

function checkNameMatchesFile(value: string, field: string, file: YamlFile, issues: CatalogIssue[]): void {
  if (value !== file.stem) {
    issues.push({ file: file.relativePath, field, message: `is "${value}" but must equal the file name "${file.stem}" (rename the file or fix the ${field})` });
  }
}

function checkEnvironmentRules(env: EnvironmentFile, file: string, issues: CatalogIssue[]): void {
  const { aurora, eks } = env.sizes;
  if (aurora.minCapacity > aurora.maxCapacity) {
    issues.push({ file, field: 'sizes.aurora.minCapacity', message: `is ${aurora.minCapacity} ACU, above maxCapacity ${aurora.maxCapacity} ACU` });
  }
  for (const group of ['system', 'workload'] as const) {
    const g = eks[group];
    if (!(g.minSize <= g.desiredSize && g.desiredSize <= g.maxSize)) {
      issues.push({ file, field: `sizes.eks.${group}`, message: `needs minSize <= desiredSize <= maxSize, got ${g.minSize} <= ${g.desiredSize} <= ${g.maxSize}` });
    }
  }
  if (env.backup?.copyRegion === env.region) {
    issues.push({ file, field: 'backup.copyRegion', message: `is ${env.region}, the environment's own region: a copy there does not survive a regional outage; name another region, or remove the field for no copy` });
  }
  (env.eks.publicAccessCidrs ?? []).forEach((cidr, index) => {
    if (cidr.endsWith('/0')) {
      issues.push({ file, field: `eks.publicAccessCidrs[${index}]`, message: `is ${cidr}: the Kubernetes API must not be open to the internet; list your office or VPN ranges, or none for a private endpoint only` });
    }
  });
}

function resolveEnvironment(env: EnvironmentFile, file: string): Environment {
  const production = env.production ?? false;
  return {
    name: env.name,
    file,
    production,
    highAvailability: env.highAvailability ?? production,
    account: env.account,
    region: env.region,
    baseDomain: env.baseDomain,
    cloudflare: {
      zoneId: env.cloudflare.zoneId,
      originHostname: env.cloudflare.originHostname,
      fallbackOriginHostname: `${env.cloudflare.fallbackOriginSubdomain ?? 'saas-origin'}.${env.baseDomain}`,
      customHostnameLimit: env.cloudflare.customHostnameLimit ?? DEFAULT_CUSTOM_HOSTNAME_LIMIT,
      dnsRecordLimit: env.cloudflare.dnsRecordLimit ?? DEFAULT_DNS_RECORD_LIMIT,
    },
    network: { cidr: env.network.cidr },
    sizes: env.sizes,
    eks: { adminRoleArn: env.eks.adminRoleArn, publicAccessCidrs: env.eks.publicAccessCidrs ?? [] },
    ...(env.state ? { state: { bucket: env.state.bucket, region: env.state.region ?? env.region, kmsKeyArn: env.state.kmsKeyArn } } : {}),
    backup: {
      ...(env.backup?.copyRegion ? { copyRegion: env.backup.copyRegion } : {}),
      retentionDays: env.backup?.retentionDays ?? (production ? PRODUCTION_BACKUP_RETENTION_DAYS : DEFAULT_BACKUP_RETENTION_DAYS),
    },
    rotation: { redisAuthToken: { version: env.rotation?.redisAuthToken.version ?? 1, keepPrevious: env.rotation?.redisAuthToken.keepPrevious ?? false } },
    logRetentionDays: env.logRetentionDays ?? (production ? PRODUCTION_LOG_RETENTION_DAYS : DEFAULT_LOG_RETENTION_DAYS),
    quotas: {
      rdsProxySecretsPerProxy: env.quotas?.rdsProxySecretsPerProxy ?? DEFAULT_RDS_PROXY_SECRETS_PER_PROXY,
      auroraClustersPerRegion: env.quotas?.auroraClustersPerRegion ?? DEFAULT_AURORA_CLUSTERS_PER_REGION,
      rdsProxiesPerRegion: env.quotas?.rdsProxiesPerRegion ?? DEFAULT_RDS_PROXIES_PER_REGION,
      iamRolesPerAccount: env.quotas?.iamRolesPerAccount ?? DEFAULT_IAM_ROLES_PER_ACCOUNT,
      podIdentityAssociationsPerCluster: env.quotas?.podIdentityAssociationsPerCluster ?? DEFAULT_POD_IDENTITY_ASSOCIATIONS_PER_CLUSTER,
    },
  };
}

function resolveTenant(file: TenantFile, relativePath: string): Tenant {
  const plan = PLAN_DEFAULTS[file.plan];
  return {
    id: file.id,
    name: file.name,
    tier: file.tier,
    plan: file.plan,
    file: relativePath,
    subdomain: file.domains?.subdomain ?? file.id,
    customHostnames: file.domains?.custom ?? {},
    slo: {
      p95LatencyMs: file.slo?.p95LatencyMs ?? plan.slo.p95LatencyMs,
      errorRate: file.slo?.errorRate ?? plan.slo.errorRate,
      availability: file.slo?.availability ?? plan.slo.availability,
    },
    trafficWeight: file.trafficWeight ?? plan.trafficWeight,
    namespace: tenantHasNamespace(file.tier, file.namespace),
    offboarding: file.offboarding ?? false,
    namespaceQuota: plan.namespaceQuota,
    databaseConnectionLimit: plan.databaseConnectionLimit,
    databasePasswordVersion: file.databasePasswordVersion ?? 1,
  };
}

/** The fields of a tenant file that other files must not clash with, read leniently. */
interface TenantIdentity {
  readonly file: YamlFile;
  readonly id?: string;
  readonly subdomain?: string;
  /** Set when the file turns off the namespace of a tier that always has one. */
  readonly namespaceRequiredBy?: TierName;
  readonly customHostnames: ReadonlyArray<readonly [envName: string, hostnames: readonly string[]]>;
}

function readIdentity(file: YamlFile): TenantIdentity {
  const raw = isRecord(file.content) ? file.content : {};
  const id = typeof raw['id'] === 'string' ? raw['id'] : undefined;
  const domains = isRecord(raw['domains']) ? raw['domains'] : {};
  const subdomain = typeof domains['subdomain'] === 'string' ? domains['subdomain'] : id;
  const custom = isRecord(domains['custom']) ? domains['custom'] : {};
  return {
    file,
    ...(id !== undefined ? { id } : {}),
    ...(subdomain !== undefined ? { subdomain } : {}),
    ...(isTierName(raw['tier']) && TIER_TRAITS[raw['tier']].namespace === 'always' && raw['namespace'] === false ? { namespaceRequiredBy: raw['tier'] } : {}),
    customHostnames: Object.entries(custom).map(
      ([envName, list]) => [envName, Array.isArray(list) ? list.filter((h): h is string => typeof h === 'string') : []] as const,
    ),
  };
}

function isTierName(value: unknown): value is TierName {
  return typeof value === 'string' && (TIER_NAMES as readonly string[]).includes(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkTenantIdentities(environments: readonly Environment[], identities: readonly TenantIdentity[], issues: CatalogIssue[]): void {
  const envNames = new Set(environments.map((e) => e.name));
  const tenantIds = new Map<string, string>();
  const subdomains = new Map<string, string>();
  const hostnames = new Map<string, string>();

  for (const tenant of identities) {
    const file = tenant.file.relativePath;
    if (tenant.id !== undefined) {
      checkNameMatchesFile(tenant.id, 'id', tenant.file, issues);
      const firstId = tenantIds.get(tenant.id);
      if (firstId) issues.push({ file, field: 'id', message: `"${tenant.id}" is already used by ${firstId}: tenant ids must be unique` });
      else tenantIds.set(tenant.id, file);
    }
    if (tenant.subdomain !== undefined) {
      const firstSub = subdomains.get(tenant.subdomain);
      if (firstSub) issues.push({ file, field: 'domains.subdomain', message: `"${tenant.subdomain}" is already the subdomain of ${firstSub}: hostnames must be unique across tenants` });
      else subdomains.set(tenant.subdomain, file);
    }
    if (tenant.namespaceRequiredBy !== undefined) {
      const tier = tenant.namespaceRequiredBy;
      issues.push({ file, field: 'namespace', message: `cannot be false for a ${tier} tenant: ${tier} tenants always get their own namespace` });
    }
    for (const [envName, list] of tenant.customHostnames) {
      if (environments.length > 0 && !envNames.has(envName)) {
        issues.push({ file, field: `domains.custom.${envName}`, message: `names no environment of the catalog (known: ${[...envNames].join(', ')})` });
      }
      list.forEach((hostname, index) => {
        const field = `domains.custom.${envName}[${index}]`;
        for (const env of environments) {
          if (hostname === env.baseDomain || hostname.endsWith(`.${env.baseDomain}`)) {
            issues.push({ file, field, message: `"${hostname}" is under the platform base domain ${env.baseDomain}: platform hostnames come from domains.subdomain; custom hostnames are the tenant's own domains` });
          }
        }
        const first = hostnames.get(hostname);
        if (first) issues.push({ file, field, message: `"${hostname}" is already used by ${first}: hostnames must be unique across tenants` });
        else hostnames.set(hostname, `${file} (${field})`);
      });
    }
  }
}
