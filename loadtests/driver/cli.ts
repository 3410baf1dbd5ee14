/**
 * `npm run loadtests:drive`: the local counterpart of `k6 run loadtests/dist/script.js`,
 * configured the same way (PROFILE, BASE_URL, RATE, DURATION, CANARY_HEADER, TENANTS_FILE)
 * and exiting 99, as k6 does, when a tenant crosses a budget or requests were dropped.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { resolveRunSettings, RunSettingsError } from '../src/profiles.js';
import { TenantsFileError } from '../src/tenants-file.js';
import { TokensFileError } from '../src/tokens-file.js';
import { DIST_DIRECTORY, TENANTS_FILE_NAME } from '../paths.js';
import { THRESHOLDS_FAILED_EXIT_CODE, USAGE_EXIT_CODE } from './exit-codes.js';
import { describeGeneratorUsage, passed, readTenantsFile, readTokensFile, renderTenantTable, runLoad } from './index.js';

const HELP = `Usage: npm run loadtests:drive -- [--tokens <file>]

Sends the k6 script's traffic (open model, per-tenant rates, same request mix and Host
headers) to BASE_URL and prints the per-tenant table. Exits 0 when every tenant held its
budgets, 99 when one did not or requests were dropped. The driver's own CPU and send
delay are printed; a failure while it was saturated says so.

Options:
  --tokens <file>  JSON { "<tenant-id>": "<JWT>" }: send "Authorization: Bearer <JWT>" per tenant
  -h, --help       this text

Environment (as for k6): PROFILE (smoke, load, soak, canary; default load), BASE_URL,
RATE (requests/s, all tenants), DURATION (90s, 5m, 1h), CANARY_HEADER, TENANTS_FILE
(default loadtests/dist/tenants.json, written by npm run loadtests:build).
`;

try {
  const { values } = parseArgs({ options: { tokens: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    console.log(HELP);
  } else {
    process.exitCode = await drive(values.tokens);
  }
} catch (error) {
  if (!(error instanceof RunSettingsError || error instanceof TenantsFileError || error instanceof TokensFileError || isUsageError(error))) throw error;
  console.error(`loadtests:drive: ${error.message}\n\n${HELP}`);
  process.exitCode = USAGE_EXIT_CODE;
}

async function drive(tokensPath: string | undefined): Promise<number> {
  const settings = resolveRunSettings(process.env);
  const file = readTenantsFile(process.env['TENANTS_FILE'] || join(DIST_DIRECTORY, TENANTS_FILE_NAME));
  const tokens = tokensPath === undefined ? undefined : readTokensFile(tokensPath, file.tenants);
  console.log(
    `driving ${settings.baseUrl} at ${settings.ratePerSecond} requests/s for ${settings.durationSeconds} s ` +
      `(${settings.profile} profile, ${file.tenants.length} tenants of ${file.environment}${tokens ? ', with bearer tokens' : ''})`,
  );
  const result = await runLoad({
    baseUrl: settings.baseUrl,
    rate: settings.ratePerSecond,
    durationSeconds: settings.durationSeconds,
    tenants: file.tenants,
    headers: settings.headers,
    ...(tokens ? { tokens } : {}),
  });
  console.log(renderTenantTable(result.rows));
  console.log(`sent ${result.achievedRate.toFixed(1)} of ${result.targetRate} requests/s` + (result.keptPace ? '' : `; DROPPED ${result.dropped} requests: every allowed request of a tenant was in flight (k6: dropped_iterations)`));
  console.log(describeGeneratorUsage(result.generator));
  const ok = result.keptPace && result.rows.every(passed);
  // A saturated driver only adds delay: a pass stands, a failure may be the driver's own.
  if (!ok && result.generator.saturated) console.log('over budget while the driver was saturated: rerun at a lower RATE, on a quieter machine, or with k6 before blaming the service');
  return ok ? 0 : THRESHOLDS_FAILED_EXIT_CODE;
}

function isUsageError(error: unknown): error is Error {
  return error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS');
}
