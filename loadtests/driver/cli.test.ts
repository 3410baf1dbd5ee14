import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_TENANTS_FILE } from '../src/report/example-summary.fixture.js';
import { THRESHOLDS_FAILED_EXIT_CODE, USAGE_EXIT_CODE } from './exit-codes.js';
import { startStandInService, type StandInService } from './stand-in-service.fixture.js';

/** Runs `npm run loadtests:drive`'s script without blocking this process's event loop (the stand-in lives here). */
function drive(env: Record<string, string>, args: readonly string[] = []): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn('npx', ['tsx', 'loadtests/driver/cli.ts', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.on('close', (code) => resolve({ code, stdout }));
  });
}

describe('npm run loadtests:drive', () => {
  let service: StandInService;
  let directory: string;
  let tenantsFile: string;

  beforeAll(async () => {
    // harbor-law's 150 ms budget against 400 ms of delay; the others answer in about 1 ms.
    service = await startStandInService({ delayMsByHost: { 'harbor-law.staging.tenantry.app': 400 } });
    directory = mkdtempSync(join(tmpdir(), 'tenantry-drive-'));
    tenantsFile = join(directory, 'tenants.json');
    writeFileSync(tenantsFile, JSON.stringify(EXAMPLE_TENANTS_FILE));
  });
  afterAll(async () => {
    await service?.stop();
    rmSync(directory, { recursive: true, force: true });
  });

  it('exits 99, as k6 does, when a tenant is over budget, and prints the table', async () => {
    const { code, stdout } = await drive({ BASE_URL: service.url, TENANTS_FILE: tenantsFile, RATE: '17', DURATION: '2s' });
    expect(code, stdout).toBe(THRESHOLDS_FAILED_EXIT_CODE);
    expect(stdout).toMatch(/\| harbor-law +\| 20 .*FAIL \(latency p\(95\)<150\)/);
    expect(stdout).toMatch(/\| brightwave +\| 2 /);
  });

  it('exits 0 when every tenant is within budget', async () => {
    const healthy = { ...EXAMPLE_TENANTS_FILE, tenants: EXAMPLE_TENANTS_FILE.tenants.map((t) => ({ ...t, p95BudgetMs: 5000 })) };
    const healthyFile = join(directory, 'healthy.json');
    writeFileSync(healthyFile, JSON.stringify(healthy));
    const { code, stdout } = await drive({ BASE_URL: service.url, TENANTS_FILE: healthyFile, RATE: '17', DURATION: '2s' });
    expect(code, stdout).toBe(0);
    expect(stdout).toMatch(/driver CPU \d+\.\d+ of a core, send delay p50/);
  });

  it('sends each tenant’s bearer token from --tokens', async () => {
    const tokensFile = join(directory, 'tokens.json');
    writeFileSync(tokensFile, JSON.stringify(Object.fromEntries(EXAMPLE_TENANTS_FILE.tenants.map((t) => [t.id, `jwt-of-${t.id}`]))));
    const before = service.seen.length;
    const { stdout } = await drive({ BASE_URL: service.url, TENANTS_FILE: tenantsFile, RATE: '17', DURATION: '1s' }, ['--tokens', tokensFile]);
    const sent = service.seen.slice(before);
    expect(sent.length, stdout).toBe(17);
    for (const tenant of EXAMPLE_TENANTS_FILE.tenants) {
      const ofTenant = sent.filter((s) => s.host === tenant.hostname);
      expect(ofTenant.length).toBeGreaterThan(0);
      expect(ofTenant.every((s) => s.headers['authorization'] === `Bearer jwt-of-${tenant.id}`)).toBe(true);
    }
  });

  it('refuses a tokens file without a token for every tenant, naming the missing ones, and sends nothing', async () => {
    const tokensFile = join(directory, 'partial-tokens.json');
    writeFileSync(tokensFile, JSON.stringify({ 'harbor-law': 'jwt' }));
    const before = service.seen.length;
    const { code, stdout } = await drive({ BASE_URL: service.url, TENANTS_FILE: tenantsFile, RATE: '17', DURATION: '1s' }, ['--tokens', tokensFile]);
    expect(code).toBe(USAGE_EXIT_CODE);
    expect(stdout).toMatch(/no token for tenant\(s\) brightwave, ledgerline, northwind/);
    expect(stdout).not.toMatch(/at Object\.|\.ts:\d+:\d+/);
    expect(service.seen.length).toBe(before);
  });

  it('prints its usage for --help', async () => {
    const { code, stdout } = await drive({}, ['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/--tokens <file>/);
  });
});
