/**
 * `npm run bench:load`: the reference service on real PostgreSQL and Redis, driven by the
 * local load driver (the k6 script's traffic: same tenants, weights, mix and Host headers)
 * at increasing rates. Prints the per-tenant table for each rate, a summary table of
 * ratios, and the highest rate at which every tenant stayed within its budgets here.
 *
 *   BENCH_RATES=25,50,100,200,400 BENCH_STEP_SECONDS=20 npm run bench:load
 */
import { availableParallelism, loadavg } from 'node:os';
import { passed, renderTenantTable, runLoad, tenantsFromCatalog, type LoadResult } from '../loadtests/driver/index.js';
import { startPostgres } from '../testing/postgres.js';
import { startRedis } from '../testing/redis.js';
import { startTenantApiProcess } from '../testing/tenant-api.js';

const rates = (process.env['BENCH_RATES'] ?? '25,50,100,200,400').split(',').map(Number);
const stepSeconds = Number(process.env['BENCH_STEP_SECONDS'] ?? '20');
if (rates.some((r) => !(r >= 1)) || !(stepSeconds >= 1)) {
  throw new Error(`BENCH_RATES (${process.env['BENCH_RATES']}) must list rates >= 1 and BENCH_STEP_SECONDS (${process.env['BENCH_STEP_SECONDS']}) must be >= 1`);
}

const file = tenantsFromCatalog();
const [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
const api = await startTenantApiProcess({
  databaseUrl: postgres.urlFor('postgres', 'tenant_api_login', 'login-secret'),
  migrationDatabaseUrl: postgres.url,
  redisUrl: redis.url,
  // The local driver sends no tokens yet (its --tokens option lands with the load-test
  // branch): until then it drives the service in development mode, the Host alone picking the tenant.
  env: { TENANTRY_ENV: file.environment, TENANTRY_AUTH_MODE: 'development' },
});

interface Step {
  readonly rate: number;
  readonly result: LoadResult;
  readonly load: number;
}

const steps: Step[] = [];
try {
  console.log(`reference service ${api.url} (${file.tenants.length} tenants of ${file.environment}); ${availableParallelism()} cores, load average ${loadavg()[0]?.toFixed(2)}`);
  await runLoad({ baseUrl: api.url, rate: 10, durationSeconds: 3, tenants: file.tenants }); // warm-up
  for (const rate of rates) {
    const result = await runLoad({ baseUrl: api.url, rate, durationSeconds: stepSeconds, tenants: file.tenants });
    const step = { rate, result, load: loadavg()[0] ?? 0 };
    steps.push(step);
    console.log(`\n### ${rate} requests/s for ${stepSeconds} s: achieved ${result.achievedRate.toFixed(1)}/s${result.keptPace ? '' : ' (fell behind)'}\n`);
    console.log(renderTenantTable(result.rows));
    // One more rate after the first failure shows the trend; beyond it the service only gets slower.
    if (steps.filter((s) => !withinBudget(s)).length >= 2) break;
  }
} finally {
  await api.stop();
  await Promise.all([redis.stop(), postgres.stop()]);
}

console.log('\n### Summary (ratios: 1.00 = exactly at budget or target)\n');
console.log('| Target rate/s | Achieved/target | Worst p95/budget (tenant) | Worst error rate/budget | Load avg | Every tenant within budget |');
console.log('|--------------:|----------------:|--------------------------:|------------------------:|---------:|----------------------------|');
for (const step of steps) {
  const worstLatency = maxBy(step.result.rows.map((r) => ({ tenant: r.tenant, ratio: (r.p95Ms ?? Number.POSITIVE_INFINITY) / r.p95BudgetMs })));
  const worstErrors = Math.max(...step.result.rows.map((r) => (r.requests > 0 ? r.errors / r.requests : 1) / r.errorRateBudget));
  console.log(
    `| ${step.rate} | ${(step.result.achievedRate / step.rate).toFixed(2)} | ${worstLatency.ratio.toFixed(2)} (${worstLatency.tenant}) | ${worstErrors.toFixed(2)} | ${step.load.toFixed(2)} | ${withinBudget(step) ? 'yes' : 'no'} |`,
  );
}
const best = steps.filter(withinBudget).map((s) => s.rate);
console.log(
  best.length > 0
    ? `\nHighest rate with every tenant within budget on this machine: ${Math.max(...best)} requests/s`
    : `\nNo tested rate kept every tenant within budget on this machine (lowest tried: ${rates[0]} requests/s)`,
);

function withinBudget(step: Step): boolean {
  return step.result.keptPace && step.result.rows.every(passed);
}

function maxBy(items: readonly { tenant: string; ratio: number }[]): { tenant: string; ratio: number } {
  return items.reduce((best, item) => (item.ratio > best.ratio ? item : best), { tenant: '-', ratio: 0 });
}
