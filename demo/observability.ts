/**
 * `npm run demo`: the observability stack on this machine. Starts PostgreSQL, Redis,
 * the reference service (one tenant slowed down and failing on purpose), Prometheus
 * with the generated SLO rules, and light load for every tenant; prints the URLs and
 * runs until Ctrl-C, or stops itself after TENANTRY_DEMO_MINUTES (default 15).
 */
import { runLoad, tenantsFromCatalog } from '../loadtests/driver/index.js';
import { LOCAL_ENVIRONMENT, startLocalStack } from '../testing/local-stack.js';
import { BURN_RATE_1H, errorRatio } from '@tenantry/conventions';

const minutes = Number(process.env['TENANTRY_DEMO_MINUTES'] ?? 15);
const faults = process.env['TENANTRY_FAULTS'] ?? 'northwind:latency=400,errors=0.2';
const REQUESTS_PER_SECOND = 10;
const ROUND_SECONDS = 10;

console.log('starting PostgreSQL, Redis, the reference service and Prometheus …');
const stack = await startLocalStack({ faults, minimumRequests: 20 });
let stopping = false;
const stop = async (reason: string): Promise<void> => {
  if (stopping) return;
  stopping = true;
  console.log(`\n${reason}: stopping …`);
  await stack.stop();
  process.exit(0);
};
process.once('SIGINT', () => void stop('Ctrl-C'));
process.once('SIGTERM', () => void stop('SIGTERM'));
setTimeout(() => void stop(`${minutes} minutes are up`), minutes * 60_000).unref();

const url = (path: string, query: string) => `${stack.prometheusUrl}${path}?g0.expr=${encodeURIComponent(query)}&g0.tab=1`;
console.log(`
reference service   ${stack.apiUrl}   (faults: ${faults || 'none'})
its metrics         ${stack.metricsUrl}
Prometheus          ${stack.prometheusUrl}
  firing alerts     ${stack.prometheusUrl}/alerts
  burn rate (1h)    ${url('/graph', BURN_RATE_1H)}
  error ratios (5m) ${url('/graph', errorRatio('5m'))}
dashboards          dashboards/out/*.json after \`npm run dashboards:build\` (import into any Grafana pointed at the Prometheus above)

Load: ${REQUESTS_PER_SECOND} requests/s across every tenant. Pages appear after a few minutes (the
alerts need 20 requests of history in their long window). Ctrl-C stops everything; it stops by itself after ${minutes} minutes.
`);

const tenants = tenantsFromCatalog({ environment: LOCAL_ENVIRONMENT }).tenants;
while (!stopping) {
  const result = await runLoad({ baseUrl: stack.apiUrl, rate: REQUESTS_PER_SECOND, durationSeconds: ROUND_SECONDS, tenants, tokens: stack.tokens });
  if (stopping) break;
  const summary = result.rows.map((r) => `${r.tenant} p95 ${Math.round(r.p95Ms ?? 0)} ms, ${r.errors}/${r.requests} errors`).join(' | ');
  console.log(`${new Date().toISOString().slice(11, 19)}  ${summary}`);
}
