import type { NamespaceQuota, PlanName, SloBudget, TierName } from './plans.js';

/** A tenant as every reader sees it: validated, with plan defaults applied. */
export interface Tenant {
  readonly id: string;
  readonly name: string;
  readonly tier: TierName;
  readonly plan: PlanName;
  /** Catalog file this tenant came from, relative to the catalog directory. */
  readonly file: string;
  /** First-level subdomain of each environment's base domain (defaults to the id). */
  readonly subdomain: string;
  /** Custom hostnames per environment name (Cloudflare for SaaS custom hostnames). */
  readonly customHostnames: Readonly<Record<string, readonly string[]>>;
  readonly slo: SloBudget;
  readonly trafficWeight: number;
  /** Whether the tenant gets its own Kubernetes namespace (always true for `dedicated`). */
  readonly namespace: boolean;
  /** Set while a tenant is being removed: lifts deletion protection and takes a final snapshot. */
  readonly offboarding: boolean;
  readonly namespaceQuota: NamespaceQuota;
  readonly databaseConnectionLimit: number;
  /** Version of a schema-tier tenant's generated login password: raising it rotates (and revokes) the password. */
  readonly databasePasswordVersion: number;
}

export interface NodeGroupSize {
  readonly instanceTypes: readonly string[];
  readonly minSize: number;
  readonly maxSize: number;
  readonly desiredSize: number;
}

/** An environment (account, region, domain and sizes), validated with defaults applied. */
export interface Environment {
  readonly name: string;
  readonly file: string;
  /** Production posture: deletion protection, final snapshots, 14-day backups. */
  readonly production: boolean;
  /** One NAT gateway per AZ and larger minimum capacity when true. */
  readonly highAvailability: boolean;
  readonly account: string;
  readonly region: string;
  readonly baseDomain: string;
  readonly cloudflare: {
    readonly zoneId: string;
    /** Hostname of the platform's load balancer that proxied records point at. */
    readonly originHostname: string;
    /** Fallback origin of Cloudflare for SaaS: `<fallbackOriginSubdomain>.<baseDomain>`. */
    readonly fallbackOriginHostname: string;
    /** Custom hostnames the Cloudflare plan allows in this zone. */
    readonly customHostnameLimit: number;
    /** DNS records the Cloudflare plan allows in the zone: 3,500 on paid plans (1,000 on Free), raised on Enterprise. */
    readonly dnsRecordLimit: number;
  };
  readonly network: { readonly cidr: string };
  readonly sizes: {
    readonly aurora: { readonly minCapacity: number; readonly maxCapacity: number };
    readonly redis: { readonly nodeType: string; readonly replicas: number };
    readonly eks: { readonly system: NodeGroupSize; readonly workload: NodeGroupSize };
  };
  readonly eks: { readonly adminRoleArn: string; readonly publicAccessCidrs: readonly string[] };
  /** Where state lives: an S3 bucket encrypted with a KMS key; absent means local files (plaintext). */
  readonly state?: { readonly bucket: string; readonly region: string; readonly kmsKeyArn: string };
  /** AWS Backup plans of the environment's Aurora clusters. */
  readonly backup: {
    /** Region that receives a copy of every recovery point; absent means no copy. */
    readonly copyRegion?: string;
    /** Days AWS Backup keeps each daily recovery point (and its copy): 35 in production, 7 elsewhere, unless set. */
    readonly retentionDays: number;
  };
  /** Rotation of the secrets the platform generates (docs/infrastructure.md, "Rotating secrets"). */
  readonly rotation: {
    /** The Redis AUTH token: its version (raise to rotate) and whether the previous token stays valid meanwhile. */
    readonly redisAuthToken: { readonly version: number; readonly keepPrevious: boolean };
  };
  /** Days CloudWatch keeps EKS control-plane, database and cache logs: 365 in production, 90 elsewhere, unless set. */
  readonly logRetentionDays: number;
  readonly quotas: {
    /** RDS Proxy allows 200 Secrets Manager secrets per proxy (adjustable by AWS support). */
    readonly rdsProxySecretsPerProxy: number;
    /** Aurora DB clusters per region: 40 by default (adjustable by AWS support); the shared cluster counts. */
    readonly auroraClustersPerRegion: number;
    /** RDS Proxies per account and region: 20 by default (adjustable by AWS support); every Aurora cluster has one. */
    readonly rdsProxiesPerRegion: number;
    /** IAM roles per account: 1,000 by default (adjustable to 5,000); platform roles count too. */
    readonly iamRolesPerAccount: number;
    /** EKS Pod Identity associations per cluster: 5,000. */
    readonly podIdentityAssociationsPerCluster: number;
  };
}

export interface Catalog {
  /** Absolute path of the catalog directory. */
  readonly directory: string;
  readonly environments: readonly Environment[];
  /** Tenants sorted by id. */
  readonly tenants: readonly Tenant[];
}

/** One broken rule: where it is and what to do about it. */
export interface CatalogIssue {
  /** File path relative to the catalog directory, e.g. `tenants/acme.yaml`. */
  readonly file: string;
  /** Dotted field path inside the file, e.g. `domains.custom.prod[0]`; empty for the whole file. */
  readonly field: string;
  readonly message: string;
}
