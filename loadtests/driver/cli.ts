/**
 * `npm run loadtests:drive`: the local counterpart of `k6 run loadtests/dist/script.js`,
 * configured the same way (PROFILE, BASE_URL, RATE, DURATION, CANARY_HEADER, TENANTS_FILE)
 * and exiting 99, as k6 does, when a tenant crosses a budget.
 */
import { join } from 'node:path';
import { resolveRunSettings } from '../src/profiles.js';
import { DIST_DIRECTORY, TENANTS_FILE_NAME } from '../paths.js';
import { THRESHOLDS_FAILED_EXIT_CODE } from './exit-codes.js';
import { passed, readTenantsFile, renderTenantTable, runLoad } from './index.js';


const settings = resolveRunSettings(process.env);
const file = readTenantsFile(process.env['TENANTS_FILE'] || join(DIST_DIRECTORY, TENANTS_FILE_NAME));
console.log(
  `driving ${settings.baseUrl} at ${settings.ratePerSecond} requests/s for ${settings.durationSeconds} s ` +
    `(${settings.profile} profile, ${file.tenants.length} tenants of ${file.environment})`,
);
const result = await runLoad({
  baseUrl: settings.baseUrl,
  rate: settings.ratePerSecond,
  durationSeconds: settings.durationSeconds,
  tenants: file.tenants,
  headers: settings.headers,
});
console.log(renderTenantTable(result.rows));
console.log(`achieved ${result.achievedRate.toFixed(1)} of ${result.targetRate} requests/s${result.keptPace ? '' : ' — FAILED to keep pace: the service fell behind'}`);
const ok = result.keptPace && result.rows.every(passed);
if (!ok) process.exitCode = THRESHOLDS_FAILED_EXIT_CODE;
