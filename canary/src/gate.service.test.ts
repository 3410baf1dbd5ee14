/**
 * End to end: a real Prometheus scrapes three instances of the reference service (real
 * PostgreSQL and Redis), one labelled role="stable" and two role="canary": release="bad"
 * with TENANTRY_FAULTS latency on one tenant, release="good" without faults. All three
 * take the same load from the local driver. The gate must roll back the bad canary
 * naming that tenant, not roll back the good one, and never promote once Prometheus is gone.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLoad } from '../../loadtests/driver/run-load.js';
import { tenantsFromCatalog } from '../../loadtests/driver/tenants.js';
import { startPostgres, type PostgresServer } from '../../testing/postgres.js';
import { startPrometheus, type PrometheusServer } from '../../testing/prometheus.js';
import { startRedis, type RedisServer } from '../../testing/redis.js';
import { startTenantApiProcess, type TenantApiProcess } from '../../testing/tenant-api.js';
import { run } from './cli.js';
import type { GateReport } from './gate.js';

const SLOW_TENANT = 'harbor-law';
const repositoryRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = join(repositoryRoot, 'canary', 'bin', 'tenantry-canary.js');

/** One planned look over the whole short window: this run is the final look. */
const WINDOW = ['--window', '30s', '--look-interval', '30s'];

async function judgeInProcess(args: readonly string[]): Promise<{ status: number; report: GateReport }> {
  let out = '';
  const status = await run(['judge', ...args, '--format', 'json'], { stdout: (t) => (out += t), stderr: (t) => (out += t) });
  return { status, report: JSON.parse(out) as GateReport };
}

describe('tenantry-canary judge against a real Prometheus scraping the reference service', () => {
  let postgres: PostgresServer;
  let redis: RedisServer;
  let prometheus: PrometheusServer;
  const apis: TenantApiProcess[] = [];

  beforeAll(async () => {
    [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
    const file = tenantsFromCatalog({ environment: 'staging' });
    const start = (faults: string): Promise<TenantApiProcess> =>
      startTenantApiProcess({
        databaseUrl: postgres.urlFor('postgres', 'tenant_api_login', 'login-secret'),
        migrationDatabaseUrl: postgres.url,
        redisUrl: redis.url,
        env: { TENANTRY_ENV: file.environment, TENANTRY_FAULTS: faults },
      });
    // One after the other: each runs the (idempotent) migrations on start.
    const stable = await start('');
    apis.push(stable);
    const bad = await start(`${SLOW_TENANT}:latency=60`);
    apis.push(bad);
    const good = await start('');
    apis.push(good);
    prometheus = await startPrometheus({
      scrapeIntervalSeconds: 1,
      scrapeTargets: [
        { target: `127.0.0.1:${stable.prometheusPort}`, labels: { role: 'stable' } },
        { target: `127.0.0.1:${bad.prometheusPort}`, labels: { role: 'canary', release: 'bad' } },
        { target: `127.0.0.1:${good.prometheusPort}`, labels: { role: 'canary', release: 'good' } },
      ],
    });
    // Warm-up (pools, entitlement cache, JIT), then the same load on all three for the window.
    await Promise.all(apis.map((api) => runLoad({ baseUrl: api.url, rate: 10, durationSeconds: 2, tenants: file.tenants, tokens: api.tokens })));
    await Promise.all(apis.map((api) => runLoad({ baseUrl: api.url, rate: 25, durationSeconds: 25, tenants: file.tenants, tokens: api.tokens })));
    // Two more scrapes so the last requests are in Prometheus.
    await new Promise((resolve) => setTimeout(resolve, 2500));
  });

  afterAll(async () => {
    await prometheus?.stop();
    await Promise.all(apis.map((api) => api.stop()));
    await Promise.all([redis?.stop(), postgres?.stop()]);
  });

  it('rolls back the canary with latency injected on one tenant, and names only that tenant', async () => {
    const { status, report } = await judgeInProcess(['--prometheus', prometheus.url, '--canary', 'role="canary",release="bad"', ...WINDOW]);
    expect(report.judgement.verdict, report.judgement.reasons.join('\n')).toBe('rollback');
    expect(status).toBe(1);
    const regressed = report.judgement.groups.filter((g) => g.kind === 'tenant' && g.finding === 'regression').map((g) => g.id);
    expect(regressed).toEqual([SLOW_TENANT]);
    // Which checks fire beside the rank test (the slow share too, on a slower machine) varies; the latency shift must be among them.
    expect(report.judgement.reasons.join('\n')).toMatch(new RegExp(`^tenant ${SLOW_TENANT}: .*latency shifted upward`, 'm'));
  });

  it('does not roll back the canary without faults (promotes at the final look)', async () => {
    const { status, report } = await judgeInProcess(['--prometheus', prometheus.url, '--canary', 'role="canary",release="good"', ...WINDOW]);
    expect(report.judgement.verdict, report.judgement.reasons.join('\n')).toBe('promote');
    expect(status).toBe(0);
    expect(report.judgement.groups.filter((g) => g.kind === 'tenant').length).toBeGreaterThan(0);
  });

  it('says continue before the final look of a longer planned window', async () => {
    const { status, report } = await judgeInProcess(['--prometheus', prometheus.url, '--canary', 'role="canary",release="good"', '--window', '10m']);
    expect(report.judgement.verdict).toBe('continue');
    expect(status).toBe(2);
    expect(report.judgement.look.final).toBe(false);
  });

  it('through the installed bin: exits 1 and writes a Markdown row marking the tenant', () => {
    const result = spawnSync(process.execPath, [bin, 'judge', '--prometheus', prometheus.url, '--canary', 'role="canary",release="bad"', ...WINDOW, '--format', 'markdown'], {
      cwd: repositoryRoot,
      encoding: 'utf8',
    });
    expect(result.status, result.stderr).toBe(1);
    expect(result.stdout).toMatch(/^### ❌ Canary gate: ROLLBACK/);
    expect(result.stdout).toMatch(new RegExp(`\\| ${SLOW_TENANT} \\| .* \\| \\*\\*regression: .*latency shifted upward`));
  });

  it('never promotes once Prometheus is stopped, and says it is unreachable', async () => {
    await prometheus.stop();
    const { status, report } = await judgeInProcess(['--prometheus', prometheus.url, '--canary', 'role="canary",release="good"', ...WINDOW]);
    expect(report.judgement.verdict).toBe('continue');
    expect(status).toBe(2);
    expect(report.judgement.missing[0]).toMatch(new RegExp(`Prometheus at ${prometheus.url} is unreachable`));
  });
});
