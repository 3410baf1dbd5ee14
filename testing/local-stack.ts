/**
 * The observability stack on this machine, for the live tests and `npm run demo`:
 * throw-away PostgreSQL and Redis, the reference service (examples/tenant-api, with
 * @tenantry/telemetry's register entry, as in production), and Prometheus scraping it
 * with the generated rules loaded. The service is scraped twice, as role=stable and
 * role=canary, so the canary dashboard has both sides to compare.
 */
import { loadCatalog } from '@tenantry/catalog';
import { ROLE_CANARY, ROLE_STABLE } from '@tenantry/conventions';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate, type Generated } from '../dashboards/generate.js';
import { freePort } from './free-port.js';
import { startPostgres } from './postgres.js';
import { startProcess, waitUntilReady } from './processes.js';
import { startPrometheus } from './prometheus.js';
import { startRedis } from './redis.js';
import { prepareTestAuth } from './tenant-api.js';

const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TENANT_API_MAIN = join(repositoryRoot, 'examples/tenant-api/src/main.ts');

/** The environment whose hostnames the service answers on (and the load driver sends). */
export const LOCAL_ENVIRONMENT = 'staging';

export interface LocalStackOptions {
  /** TENANTRY_FAULTS for the service, e.g. `northwind:latency=350,errors=0.5`. @default - none */
  readonly faults?: string;
  /**
   * Scrape and rule evaluation interval. The SLI rules are generated with the same
   * evaluation interval so the low-traffic guard counts requests correctly.
   * @default 1
   */
  readonly intervalSeconds?: number;
  /**
   * Requests a tenant must serve in a window pair's long window before it may alert.
   * The guard integrates 5-minute rates, so it undercounts a run shorter than five
   * minutes; short runs lower it to see alerts at all.
   * @default - the rules' default (100)
   */
  readonly minimumRequests?: number;
}

export interface LocalStack {
  readonly apiUrl: string;
  readonly prometheusUrl: string;
  readonly metricsUrl: string;
  /** What was generated from the catalog and loaded into Prometheus. */
  readonly generated: Generated;
  /** A valid token for every tenant of the catalog, by tenant id (the service verifies them). */
  readonly tokens: Readonly<Record<string, string>>;
  stop(): Promise<void>;
}

export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const interval = options.intervalSeconds ?? 1;
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop();
  };
  try {
    const postgres = await startPostgres();
    stops.push(() => postgres.stop());
    const redis = await startRedis();
    stops.push(() => redis.stop());

    const auth = await prepareTestAuth(loadCatalog().tenants.map((t) => t.id));
    stops.push(async () => auth.remove());
    const apiPort = await freePort();
    const metricsPort = await freePort();
    const api = startProcess(process.execPath, ['--import', '@tenantry/telemetry/register', '--import', 'tsx', TENANT_API_MAIN], {
      cwd: repositoryRoot,
      env: {
        ...process.env,
        DATABASE_URL: postgres.url,
        REDIS_URL: redis.url,
        PORT: String(apiPort),
        HOST: '127.0.0.1',
        TENANTRY_ENV: LOCAL_ENVIRONMENT,
        TENANTRY_PROMETHEUS_PORT: String(metricsPort),
        TENANTRY_FAULTS: options.faults ?? '',
        OTEL_SERVICE_NAME: 'tenant-api',
        ...auth.env,
        OTEL_TRACES_EXPORTER: 'none',
        OTEL_METRICS_EXPORTER: 'none',
      },
    });
    stops.push(() => api.stop());
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    await waitUntilReady('tenant-api', api, async () => api.output().includes('tenant-api listening on'), 60_000);

    const rulesDirectory = mkdtempSync(join(tmpdir(), 'tenantry-rules-'));
    stops.push(async () => rmSync(rulesDirectory, { recursive: true, force: true }));
    const generated = generate(loadCatalog(), { slo: { sliEvaluationInterval: `${interval}s`, minimumRequests: options.minimumRequests } });
    const ruleFiles = generated.ruleFiles.map((r) => {
      const path = join(rulesDirectory, r.file.name);
      writeFileSync(path, r.yaml);
      return path;
    });
    const target = `127.0.0.1:${metricsPort}`;
    const prometheus = await startPrometheus({
      scrapeTargets: [
        { target, labels: { role: ROLE_STABLE } },
        { target, labels: { role: ROLE_CANARY } },
      ],
      ruleFiles,
      scrapeIntervalSeconds: interval,
    });
    stops.push(() => prometheus.stop());
    return { apiUrl, prometheusUrl: prometheus.url, metricsUrl: `http://${target}/metrics`, generated, tokens: auth.tokens, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
