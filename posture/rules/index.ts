/** Every posture rule, one module per resource family. */
import type { PostureRule } from '../model.js';
import { auroraRules } from './aurora.js';
import { backupRules } from './backup.js';
import { cloudflareRules } from './cloudflare.js';
import { eksRules } from './eks.js';
import { elasticacheRules } from './elasticache.js';
import { iamRules } from './iam.js';
import { kmsRules } from './kms.js';
import { kubernetesEnvironmentRules, kubernetesRules } from './kubernetes.js';
import { logRules } from './logs.js';
import { networkRules, tenantDatabaseRules } from './network.js';
import { s3Rules } from './s3.js';
import { secretResourceRules, secretStackRules } from './secrets.js';
import { stateRules } from './state.js';
import { terraformRules } from './terraform.js';

export const POSTURE_RULES: readonly PostureRule[] = [
  ...auroraRules,
  ...backupRules,
  ...elasticacheRules,
  ...eksRules,
  ...networkRules,
  ...tenantDatabaseRules,
  ...logRules,
  ...kmsRules,
  ...s3Rules,
  ...secretResourceRules,
  ...secretStackRules,
  ...stateRules,
  ...terraformRules,
  ...cloudflareRules,
  ...iamRules,
  ...kubernetesRules,
  ...kubernetesEnvironmentRules,
];
