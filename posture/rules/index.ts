/** Every posture rule, one module per resource family. */
import type { PostureRule } from '../model.js';
import { auroraRules } from './aurora.js';
import { backupRules } from './backup.js';
import { cloudflareRules } from './cloudflare.js';
import { eksRules } from './eks.js';
import { elasticacheRules } from './elasticache.js';
import { iamRules } from './iam.js';
import { kmsRules } from './kms.js';
import { kubernetesRules } from './kubernetes.js';
import { logRules } from './logs.js';
import { networkRules } from './network.js';
import { s3Rules } from './s3.js';
import { secretResourceRules, secretStackRules } from './secrets.js';
import { stateRules } from './state.js';

export const POSTURE_RULES: readonly PostureRule[] = [
  ...auroraRules,
  ...backupRules,
  ...elasticacheRules,
  ...eksRules,
  ...networkRules,
  ...logRules,
  ...kmsRules,
  ...s3Rules,
  ...secretResourceRules,
  ...secretStackRules,
  ...stateRules,
  ...cloudflareRules,
  ...iamRules,
  ...kubernetesRules,
];
