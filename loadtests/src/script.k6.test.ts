/**
 * The bundle under a real k6 (`K6_BIN`, or `k6` on PATH), against the stand-in service and
 * the reference service on real PostgreSQL and Redis. Without k6 (as in CI) every test
 * here is skipped and says so on stderr and in its title.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findK6, K6_MISSING_MESSAGE, runK6 } from '../../testing/k6.js';
import { startPostgres, type PostgresServer } from '../../testing/postgres.js';
import { startRedis, type RedisServer } from '../../testing/redis.js';
import { startTenantApiProcess, type TenantApiProcess } from '../../testing/tenant-api.js';
import { buildLoadTests } from '../build.js';
import { startStandInService, type StandInService } from '../driver/stand-in-service.fixture.js';
import type { LoadTestVerdict } from './report/summary-files.js';
import { SUMMARY_VERDICT } from './report/summary-files.js';
import { parseTenantsFile, type TenantsFile } from './tenants-file.js';

const k6 = findK6();
if (!k6) console.warn(`loadtests/src/script.k6.test.ts: ${K6_MISSING_MESSAGE}`);
const THRESHOLDS_FAILED = 99;
const SLOW_TENANT = 'harbor-law';

describe.skipIf(!k6)(`the k6 bundle under a real k6 (${k6?.version ?? 'SKIPPED: no k6 — set K6_BIN or put k6 on PATH'})`, () => {
  let directory: string;
  let script: string;
  let file: TenantsFile;
  /**
   * tenants.json with the budgets of the tenants that are not slowed raised to 5 s, so
   * that the verdicts below do not hinge on how busy this shared machine is; the slowed
   * tenant keeps its catalog budget (150 ms against 400 ms of injected latency).
   */
  let relaxedTenantsFile: string;

  const run = async (env: Record<string, string>): Promise<{ exitCode: number | null; output: string; verdict: LoadTestVerdict }> => {
    if (!k6) throw new Error(K6_MISSING_MESSAGE);
    const summaryDirectory = mkdtempSync(join(directory, 'summary-'));
    const result = await runK6(k6, script, { ...env, SUMMARY_DIR: summaryDirectory });
    const verdict = JSON.parse(readFileSync(join(summaryDirectory, SUMMARY_VERDICT), 'utf8')) as LoadTestVerdict;
    return { exitCode: result.exitCode, output: result.output, verdict };
  };

  beforeAll(async () => {
    directory = mkdtempSync(join(process.cwd(), 'loadtests', '.k6-run-'));
    const built = await buildLoadTests({ outputDirectory: directory, environment: 'staging' });
    script = built.script;
    file = parseTenantsFile(readFileSync(built.tenantsFile, 'utf8'));
    relaxedTenantsFile = join(directory, 'relaxed-tenants.json');
    const relaxed: TenantsFile = { ...file, overallP95BudgetMs: 5000, tenants: file.tenants.map((t) => (t.id === SLOW_TENANT ? t : { ...t, p95BudgetMs: 5000 })) };
    writeFileSync(relaxedTenantsFile, JSON.stringify(relaxed));
  });
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  describe('against the stand-in service', () => {
    let service: StandInService;
    beforeAll(async () => {
      service = await startStandInService();
    });
    afterAll(() => service?.stop());

    it('canary profile: sends every tenant’s Host header, its bearer token from TENANTRY_TOKENS and the canary header', async () => {
      const tokensFile = join(directory, 'tokens.json');
      writeFileSync(tokensFile, JSON.stringify(Object.fromEntries(file.tenants.map((t) => [t.id, `jwt-of-${t.id}`]))));
      const { exitCode, output, verdict } = await run({ PROFILE: 'canary', BASE_URL: service.url, RATE: '17', DURATION: '3s', TENANTRY_TOKENS: tokensFile });
      expect(exitCode, output).toBe(0);
      expect(verdict.passed).toBe(true);
      expect(service.seen.length).toBeGreaterThanOrEqual(17 * 3);
      for (const tenant of file.tenants) {
        const sent = service.seen.filter((s) => s.host === tenant.hostname);
        expect(sent.length, tenant.id).toBeGreaterThan(0);
        expect(sent.every((s) => s.headers['authorization'] === `Bearer jwt-of-${tenant.id}` && s.headers['x-canary'] === 'always'), tenant.id).toBe(true);
      }
    });

    it('refuses to start with a tokens file that misses a tenant, naming it', async () => {
      const tokensFile = join(directory, 'partial-tokens.json');
      writeFileSync(tokensFile, JSON.stringify({ [SLOW_TENANT]: 'jwt' }));
      if (!k6) throw new Error(K6_MISSING_MESSAGE);
      const result = await runK6(k6, script, { PROFILE: 'smoke', BASE_URL: service.url, TENANTRY_TOKENS: tokensFile });
      expect(result.exitCode).not.toBe(0);
      expect(result.output).toMatch(/no token for tenant\(s\) brightwave, ledgerline, northwind/);
    });
  });

  describe('against the reference service', () => {
    let postgres: PostgresServer;
    let redis: RedisServer;
    let healthy: TenantApiProcess;
    let slowed: TenantApiProcess;

    beforeAll(async () => {
      [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
      const start = (env: Record<string, string>) =>
        startTenantApiProcess({
          databaseUrl: postgres.urlFor('postgres', 'tenant_api_login', 'login-secret'),
          migrationDatabaseUrl: postgres.url,
          redisUrl: redis.url,
          env: { TENANTRY_ENV: 'staging', ...env },
        });
      healthy = await start({});
      slowed = await start({ TENANTRY_FAULTS: `${SLOW_TENANT}:latency=400` });
    }, 120_000);
    afterAll(async () => {
      await Promise.all([healthy?.stop(), slowed?.stop()]);
      await Promise.all([redis?.stop(), postgres?.stop()]);
    });

    const authEnv = (api: TenantApiProcess): Record<string, string> => ({ TENANTRY_TOKENS: api.tokensFile });

    it('load profile, healthy: exits 0 with every tenant within budget', async () => {
      const everyBudgetRelaxed = join(directory, 'all-relaxed-tenants.json');
      writeFileSync(everyBudgetRelaxed, JSON.stringify({ ...file, overallP95BudgetMs: 5000, tenants: file.tenants.map((t) => ({ ...t, p95BudgetMs: 5000 })) }));
      const { exitCode, output, verdict } = await run({ PROFILE: 'load', BASE_URL: healthy.url, RATE: '20', DURATION: '8s', TENANTS_FILE: everyBudgetRelaxed, ...authEnv(healthy) });
      expect(exitCode, output).toBe(0);
      expect(verdict.failingTenants).toEqual([]);
      expect(verdict.aborted).toBeNull();
      for (const row of verdict.tenants) expect(row.requests, row.tenant).toBeGreaterThan(0);
    }, 60_000);

    it(`smoke profile, ${SLOW_TENANT} slowed by 400 ms: aborts, exits 99, and blames only ${SLOW_TENANT}`, async () => {
      const { exitCode, output, verdict } = await run({ PROFILE: 'smoke', BASE_URL: slowed.url, TENANTS_FILE: relaxedTenantsFile, ...authEnv(slowed) });
      expect(exitCode, output).toBe(THRESHOLDS_FAILED);
      expect(verdict.aborted?.tenants, output).toEqual([SLOW_TENANT]);
      expect(verdict.failingTenants, output).toEqual([SLOW_TENANT]);
      for (const row of verdict.tenants.filter((r) => r.tenant !== SLOW_TENANT)) expect(row.failures, row.tenant).toEqual([]);
      expect(output).toMatch(new RegExp(`\\*\\*ABORTED\\*\\* after [\\d.]+ s of 30 s by tenant ${SLOW_TENANT}:`));
      // Every other tenant got its share of the shortened run: its request-rate threshold held.
      for (const t of verdict.crossedThresholds) expect(t.metric.startsWith('http_reqs{'), `${t.metric} ${t.expression}`).toBe(false);
      expect(output).toContain(`tenants over budget: ${SLOW_TENANT}.`);
    }, 60_000);
  });
});
