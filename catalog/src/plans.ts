/**
 * Plan defaults. A tenant file names its plan; every field the file leaves out is
 * taken from here, so the plan is the one place where "what does a business tenant
 * get" is decided.
 */
export const PLAN_NAMES = ['starter', 'business', 'enterprise'] as const;
export type PlanName = (typeof PLAN_NAMES)[number];

export const TIER_NAMES = ['pooled', 'schema', 'dedicated'] as const;
/**
 * Isolation tier:
 * - `pooled`: shared schema guarded by PostgreSQL row-level security;
 * - `schema`: own schema and role in the shared cluster;
 * - `dedicated`: own Aurora cluster and own Kubernetes namespace.
 */
export type TierName = (typeof TIER_NAMES)[number];

export interface SloBudget {
  /** p95 latency budget, in milliseconds. */
  readonly p95LatencyMs: number;
  /** Error-rate budget, as a ratio of requests answered with 5xx (0.01 = 1%). */
  readonly errorRate: number;
  /** Availability objective over 30 days (0.999 = 99.9%). */
  readonly availability: number;
}

/** Kubernetes namespace sizing for tenants that get a namespace. */
export interface NamespaceQuota {
  readonly requestsCpu: string;
  readonly requestsMemory: string;
  readonly limitsCpu: string;
  readonly limitsMemory: string;
  readonly pods: number;
  /** Default container request/limit applied by the namespace's LimitRange. */
  readonly defaultContainerCpu: string;
  readonly defaultContainerMemory: string;
}

export interface PlanDefaults {
  readonly slo: SloBudget;
  /** Relative share of traffic in load tests; a tenant may override it. */
  readonly trafficWeight: number;
  readonly namespaceQuota: NamespaceQuota;
  /** Maximum connections of a `schema` tenant's database role. */
  readonly databaseConnectionLimit: number;
}

export const DEFAULT_SLO: SloBudget = { p95LatencyMs: 200, errorRate: 0.01, availability: 0.999 };

export const PLAN_DEFAULTS: Readonly<Record<PlanName, PlanDefaults>> = {
  starter: {
    slo: DEFAULT_SLO,
    trafficWeight: 1,
    namespaceQuota: {
      requestsCpu: '1',
      requestsMemory: '2Gi',
      limitsCpu: '2',
      limitsMemory: '4Gi',
      pods: 20,
      defaultContainerCpu: '250m',
      defaultContainerMemory: '256Mi',
    },
    databaseConnectionLimit: 20,
  },
  business: {
    slo: DEFAULT_SLO,
    trafficWeight: 3,
    namespaceQuota: {
      requestsCpu: '4',
      requestsMemory: '8Gi',
      limitsCpu: '8',
      limitsMemory: '16Gi',
      pods: 50,
      defaultContainerCpu: '500m',
      defaultContainerMemory: '512Mi',
    },
    databaseConnectionLimit: 50,
  },
  enterprise: {
    slo: { p95LatencyMs: 200, errorRate: 0.005, availability: 0.9995 },
    trafficWeight: 10,
    namespaceQuota: {
      requestsCpu: '16',
      requestsMemory: '32Gi',
      limitsCpu: '32',
      limitsMemory: '64Gi',
      pods: 200,
      defaultContainerCpu: '1',
      defaultContainerMemory: '1Gi',
    },
    databaseConnectionLimit: 200,
  },
};
