/**
 * The catalog's file formats, as zod schemas. Every object is strict: an unknown field
 * is an error, so a typo can never silently fall back to a plan default.
 */
import { z } from 'zod';
import { PLAN_NAMES, TIER_NAMES } from './plans.js';

export const TENANT_ID_PATTERN = /^[a-z][a-z0-9-]{1,30}[a-z0-9]$/;
const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const HOSTNAME_RULE =
  'must be a lowercase DNS hostname: dot-separated labels of a-z, 0-9 and inner hyphens, at least two labels, at most 253 characters';

/** True for a lowercase, fully qualified DNS hostname without a trailing dot. */
export function isValidHostname(value: string): boolean {
  if (value.length > 253) return false;
  const labels = value.split('.');
  if (labels.length < 2) return false;
  if (/^[0-9]+$/.test(labels[labels.length - 1] ?? '')) return false;
  return labels.every((label) => DNS_LABEL.test(label));
}

const hostname = z.string().refine(isValidHostname, { error: HOSTNAME_RULE });

const sloSchema = z.strictObject({
  p95LatencyMs: z
    .number({ error: 'must be a number of milliseconds' })
    .int({ error: 'must be a whole number of milliseconds: the budget becomes a bucket boundary (le) of the request-duration histogram' })
    .min(1, { error: 'must be between 1 and 10000 ms' })
    .max(10000, { error: 'must be between 1 and 10000 ms' })
    .optional(),
  errorRate: z
    .number({ error: 'must be a ratio, e.g. 0.01 for 1%' })
    .min(0, { error: 'must be between 0 and 1 (a ratio, e.g. 0.01 for 1%)' })
    .max(1, { error: 'must be between 0 and 1 (a ratio, e.g. 0.01 for 1%)' })
    .optional(),
  availability: z
    .number({ error: 'must be a ratio, e.g. 0.999 for 99.9%' })
    .min(0.9, { error: 'must be between 0.9 and 0.99999' })
    .max(0.99999, { error: 'must be between 0.9 and 0.99999' })
    .optional(),
});

export const tenantFileSchema = z.strictObject({
  id: z.string({ error: 'is required' }).regex(TENANT_ID_PATTERN, {
    error: `must match ${TENANT_ID_PATTERN.source} (3 to 32 characters: lowercase letters, digits and inner hyphens, starting with a letter)`,
  }),
  name: z.string({ error: 'is required' }).min(1, { error: 'must not be empty' }).max(200),
  tier: z.enum(TIER_NAMES, { error: `must be one of ${TIER_NAMES.join(', ')}` }),
  plan: z.enum(PLAN_NAMES, { error: `must be one of ${PLAN_NAMES.join(', ')}` }),
  domains: z
    .strictObject({
      subdomain: z
        .string()
        .regex(DNS_LABEL, {
          error:
            'must be a single DNS label (a-z, 0-9, inner hyphens): Universal SSL covers only first-level subdomains of the base domain',
        })
        .optional(),
      custom: z.record(z.string(), z.array(hostname)).optional(),
    })
    .optional(),
  slo: sloSchema.optional(),
  trafficWeight: z.number().positive({ error: 'must be a positive number' }).max(1000).optional(),
  namespace: z.boolean().optional(),
  offboarding: z.boolean().optional(),
  databasePasswordVersion: z
    .number()
    .int({ error: 'must be a whole number' })
    .min(1, { error: 'must be at least 1 (raise it by one to rotate the schema-tier login password)' })
    .optional(),
});
export type TenantFile = z.infer<typeof tenantFileSchema>;

const nodeGroupSchema = z.strictObject({
  instanceTypes: z.array(z.string().regex(/^[a-z0-9]+\.[a-z0-9]+$/, { error: 'must be an EC2 instance type such as m7g.large' })).min(1),
  minSize: z.number().int().min(1, { error: 'must be at least 1' }),
  maxSize: z.number().int().min(1),
  desiredSize: z.number().int().min(1),
});

const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;
/** The retention periods CloudWatch Logs accepts (PutRetentionPolicy), in days. */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

const cidr = z.string().regex(/^(\d{1,3}\.){3}\d{1,3}\/(\d|[12]\d|3[0-2])$/, { error: 'must be an IPv4 CIDR such as 10.0.0.0/16' });

export const environmentFileSchema = z.strictObject({
  name: z.string({ error: 'is required' }).regex(/^[a-z][a-z0-9-]{0,20}$/, { error: 'must be a short lowercase name such as prod' }),
  production: z.boolean().optional(),
  highAvailability: z.boolean().optional(),
  account: z.string({ error: 'is required (the 12-digit AWS account id)' }).regex(/^\d{12}$/, { error: 'must be a 12-digit AWS account id' }),
  region: z.string({ error: 'is required' }).regex(REGION, { error: 'must be an AWS region such as eu-west-1' }),
  baseDomain: hostname,
  cloudflare: z.strictObject({
    zoneId: z.string({ error: 'is required' }).regex(/^[0-9a-f]{32}$/, { error: 'must be a 32-character hexadecimal Cloudflare zone id' }),
    originHostname: hostname,
    fallbackOriginSubdomain: z.string().regex(DNS_LABEL).optional(),
    customHostnameLimit: z.number().int().positive().optional(),
    dnsRecordLimit: z.number().int().positive().optional(),
  }, { error: 'is required' }),
  network: z.strictObject({ cidr: cidr }, { error: 'is required' }),
  sizes: z.strictObject(
    {
      aurora: z.strictObject({
        minCapacity: z.number().min(0.5, { error: 'must be at least 0.5 ACU' }).max(256).multipleOf(0.5, { error: 'must be a multiple of 0.5 ACU' }),
        maxCapacity: z.number().min(1).max(256, { error: 'must be at most 256 ACU' }).multipleOf(0.5, { error: 'must be a multiple of 0.5 ACU' }),
      }),
      redis: z.strictObject({
        nodeType: z.string().regex(/^cache\.[a-z0-9]+\.[a-z0-9]+$/, { error: 'must be an ElastiCache node type such as cache.r7g.large' }),
        replicas: z.number().int().min(1, { error: 'must be at least 1 (Multi-AZ failover needs a replica)' }).max(5),
      }),
      eks: z.strictObject({ system: nodeGroupSchema, workload: nodeGroupSchema }),
    },
    { error: 'is required' },
  ),
  eks: z.strictObject(
    {
      adminRoleArn: z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@\/-]+$/, { error: 'must be an IAM role ARN' }),
      publicAccessCidrs: z.array(cidr).optional(),
    },
    { error: 'is required' },
  ),
  state: z
    .strictObject({
      bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { error: 'must be an S3 bucket name' }),
      region: z.string().optional(),
      kmsKeyArn: z
        .string({ error: 'is required: state holds generated passwords and the Redis AUTH token, so the bucket must encrypt it with your KMS key (SSE-KMS); give the key ARN' })
        .regex(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)\/[\w/-]+$/, { error: 'must be a KMS key or alias ARN such as arn:aws:kms:eu-west-1:111122223333:key/<id>' }),
    })
    .optional(),
  backup: z
    .strictObject({
      copyRegion: z.string().regex(REGION, { error: 'must be an AWS region such as eu-central-1 (where AWS Backup keeps a copy of every database backup)' }).optional(),
      retentionDays: z.number().int({ error: 'must be a whole number of days' }).min(1, { error: 'must be at least 1 day' }).max(3650, { error: 'must be at most 3650 days' }).optional(),
    })
    .optional(),
  rotation: z
    .strictObject({
      redisAuthToken: z.strictObject({
        version: z.number().int({ error: 'must be a whole number' }).min(1, { error: 'must be at least 1 (raise it by one to rotate the token)' }),
        keepPrevious: z.boolean({ error: 'must be true while clients move to the new token, then false to revoke the old one' }).optional(),
      }),
    })
    .optional(),
  logRetentionDays: z
    .number()
    .refine((days) => (LOG_RETENTION_DAYS as readonly number[]).includes(days), { error: `must be one of the retention periods CloudWatch Logs accepts: ${LOG_RETENTION_DAYS.join(', ')}` })
    .optional(),
  quotas: z
    .strictObject({
      rdsProxySecretsPerProxy: z.number().int().positive().optional(),
      auroraClustersPerRegion: z.number().int().positive().optional(),
      rdsProxiesPerRegion: z.number().int().positive().optional(),
      iamRolesPerAccount: z.number().int().positive().optional(),
      podIdentityAssociationsPerCluster: z.number().int().positive().optional(),
    })
    .optional(),
});
export type EnvironmentFile = z.infer<typeof environmentFileSchema>;
