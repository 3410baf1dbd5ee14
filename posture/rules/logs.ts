/** CloudWatch log groups: kept for a year in production, the retention auditors ask for. */
import type { ResourceRule } from '../model.js';
import { numberValue } from '../values.js';

const YEAR_IN_DAYS = 365;

export const logRules: readonly ResourceRule[] = [
  {
    kind: 'resource',
    id: 'TENANTRY_LOG_RETENTION_YEAR',
    // CKV_AWS_338 asks the same of every environment; staging keeps logs 90 days by design.
    relatedTo: ['CKV_AWS_338'],
    resourceTypes: ['aws_cloudwatch_log_group'],
    productionOnly: true,
    title: `Log groups keep logs at least ${YEAR_IN_DAYS} days (or forever)`,
    fix: `set retention_in_days >= ${YEAR_IN_DAYS} (the catalog's logRetentionDays, 365 by default in production)`,
    check: (group) => {
      const days = numberValue(group.attributes.retention_in_days);
      if (days === undefined) return group.attributes.retention_in_days === undefined ? undefined : 'retention_in_days is not a number';
      return days === 0 || days >= YEAR_IN_DAYS ? undefined : `retention_in_days is ${days}`;
    },
  },
];
