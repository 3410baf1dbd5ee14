/**
 * The k6 load test. Everything it decides comes from pure modules and from
 * `tenants.json` (written from the catalog by `npm run loadtests:build`), so this file
 * only wires them to k6: one open-model scenario per tenant, every request tagged with
 * its tenant and sent with the tenant's Host header (and, with `TENANTRY_TOKENS`, the
 * tenant's bearer token).
 *
 *   k6 run -e BASE_URL=https://staging.example -e PROFILE=load loadtests/dist/script.js
 */
import { check } from 'k6';
import exec from 'k6/execution';
import http from 'k6/http';
import { buildOptions } from './options.js';
import { resolveRunSettings } from './profiles.js';
import { summaryFiles } from './report/summary-files.js';
import type { SummaryData } from './report/summary-data.js';
import { expectedStatuses, isExpectedStatus, MIX_CYCLE, planRequest, projectIdFrom, type Action } from './request-mix.js';
import { scenarioName } from './scenarios.js';
import { parseTenantsFile, type LoadTenant } from './tenants-file.js';
import { authorizationHeader, parseTokensFile } from './tokens-file.js';

// Init context: `open()` resolves a relative path against this script, i.e. loadtests/dist/.
const file = parseTenantsFile(open(__ENV['TENANTS_FILE'] || './tenants.json'));
const tokensPath = __ENV['TENANTRY_TOKENS'];
const tokens = tokensPath ? parseTokensFile(open(tokensPath), file.tenants, tokensPath) : undefined;
const settings = resolveRunSettings(__ENV);

export const options = buildOptions(file, settings);
/**
 * The thresholds as built, for telling an aborted run apart in handleSummary: k6 rewrites
 * the exported `options` (k6 v1.3 hands handleSummary thresholds that are no longer arrays).
 */
const plannedThresholds = buildOptions(file, settings).thresholds ?? {};

const tenantByScenario = new Map<string, LoadTenant>(file.tenants.map((t) => [scenarioName(t.id), t]));
/** Each tenant's request headers, made once: Host, content type, profile headers, bearer token. */
const headersByTenant = new Map(
  file.tenants.map((t): [string, Record<string, string>] => [
    t.id,
    { Host: t.hostname, 'Content-Type': 'application/json', ...settings.headers, ...authorizationHeader(tokens, t.id) },
  ]),
);
/** What counts as a failed request in `http_req_failed`, per action (made once, in the init context). */
type ResponseCallback = ReturnType<typeof http.expectedStatuses>;
const responseCallbacks = new Map(MIX_CYCLE.map((action): [Action, ResponseCallback] => [action, http.expectedStatuses(...expectedStatuses(action))]));
/** Last project each tenant created in this VU, for `GET /api/projects/:id`. */
const knownProjects = new Map<string, string>();

export default function (): void {
  const tenant = tenantByScenario.get(exec.scenario.name);
  if (!tenant) exec.test.abort(`scenario ${exec.scenario.name} belongs to no tenant of tenants.json`);
  else sendOne(tenant);
}

function sendOne(tenant: LoadTenant): void {
  const request = planRequest(exec.scenario.iterationInTest, knownProjects.get(tenant.id));
  const tags = { [file.tenantTag]: tenant.id, name: request.name };
  const response = http.request(request.method, `${settings.baseUrl}${request.path}`, request.body ?? null, {
    headers: headersByTenant.get(tenant.id),
    tags,
    responseType: request.action === 'create' ? 'text' : 'none',
    responseCallback: responseCallbacks.get(request.action),
  });
  check(response, { "status is the route's success status": (r) => isExpectedStatus(request.action, r.status) }, tags);
  if (request.action === 'create') {
    const id = projectIdFrom(typeof response.body === 'string' ? response.body : null);
    if (id !== undefined) knownProjects.set(tenant.id, id);
  }
}

export function handleSummary(data: SummaryData): Record<string, string> {
  return summaryFiles({
    data,
    file,
    profile: settings.profile,
    directory: __ENV['SUMMARY_DIR'] || '.',
    plan: { plannedDurationSeconds: settings.durationSeconds, thresholds: plannedThresholds },
  });
}
