/**
 * k6 and the local driver compared on pooled samples: each generator's slices of one rate
 * step are pooled per tenant, judged by the rules of the k6 thresholds, and set side by
 * side with the driver/k6 ratio of p50, p95 and p99. A percentile rests on the answers
 * beyond it: a ratio is only called meaningful when both sides have at least ten answers
 * beyond the percentile, and the table says so for the others instead of hiding them.
 */
import { judgeTenant } from '../loadtests/driver/judge.js';
import { measurementsOf, percentile, type TenantSamples } from '../loadtests/driver/latency-recorder.js';
import { splitRate } from '../loadtests/src/rates.js';
import type { TenantRow } from '../loadtests/src/report/tenant-rows.js';
import type { LoadTenant } from '../loadtests/src/tenants-file.js';

/** Answers a p95 needs to rest on ten answers beyond it. */
export const ANSWERS_FOR_P95 = 200;
/** Answers a p99 needs to rest on ten answers beyond it. */
export const ANSWERS_FOR_P99 = 1000;

export type Generator = 'k6' | 'driver';

export interface PooledTenant extends TenantSamples {
  /** Requests the generator could not start (k6's `dropped_iterations`, the driver's `dropped`). */
  readonly dropped: number;
}

export interface PooledStep {
  readonly rows: readonly TenantRow[];
  /** Overall p95 over every tenant's answers (k6's untagged `http_req_duration` threshold). */
  readonly overallP95Ms: number | undefined;
  readonly dropped: number;
  /** Every tenant passed (nothing of its dropped) and the overall p95 held: k6's thresholds, on the pooled samples. */
  readonly withinBudget: boolean;
}

/** Judges pooled samples (`seconds` of load in all) at `rate` with the k6 thresholds' rules. */
export function judgePooled(tenants: readonly LoadTenant[], pooled: ReadonlyMap<string, PooledTenant>, rate: number, seconds: number, overallP95BudgetMs: number): PooledStep {
  const { rates, timeUnitSeconds } = splitRate(rate, tenants.map((t) => t.weight));
  const empty: PooledTenant = { latenciesMs: [], errors: 0, unanswered: 0, dropped: 0 };
  const rows = tenants.map((tenant, index): TenantRow => {
    const samples = pooled.get(tenant.id) ?? empty;
    const row = judgeTenant(tenant, measurementsOf(samples), (rates[index] ?? 0) / timeUnitSeconds, seconds);
    // k6's per-scenario `dropped_iterations: count==0`, charged to the tenant.
    return samples.dropped > 0 ? { ...row, failures: [...row.failures, `dropped iterations count==0 (${samples.dropped})`] } : row;
  });
  const overallP95Ms = measurementsOf(...pooled.values()).p95Ms;
  const dropped = [...pooled.values()].reduce((sum, t) => sum + t.dropped, 0);
  const withinBudget = rows.every((r) => r.failures.length === 0) && overallP95Ms !== undefined && overallP95Ms < overallP95BudgetMs;
  return { rows, overallP95Ms, dropped, withinBudget };
}

/** Pools one more slice's samples into `into`, tenant by tenant. */
export function addSlice(into: Map<string, PooledTenant>, slice: ReadonlyMap<string, PooledTenant>): void {
  for (const [tenant, s] of slice) {
    const so = into.get(tenant) ?? { latenciesMs: [], errors: 0, unanswered: 0, dropped: 0 };
    const fromSend = so.latenciesFromSendMs || s.latenciesFromSendMs ? { latenciesFromSendMs: [...(so.latenciesFromSendMs ?? []), ...(s.latenciesFromSendMs ?? [])] } : {};
    into.set(tenant, { latenciesMs: [...so.latenciesMs, ...s.latenciesMs], ...fromSend, errors: so.errors + s.errors, unanswered: so.unanswered + s.unanswered, dropped: so.dropped + s.dropped });
  }
}

export type Percentile = 'p50' | 'p95' | 'p99';

const ANSWERS_NEEDED: Readonly<Record<Percentile, number>> = { p50: 20, p95: ANSWERS_FOR_P95, p99: ANSWERS_FOR_P99 };

export interface Ratio {
  readonly tenant: string;
  readonly percentile: Percentile;
  /** Driver over k6; NaN when either has no answer. */
  readonly ratio: number;
  /** Both sides have enough answers for this percentile to be a statistic. */
  readonly meaningful: boolean;
}

/** Driver/k6 ratio of every tenant's percentile. */
export function ratios(k6: readonly TenantRow[], driver: readonly TenantRow[], percentile: Percentile): Ratio[] {
  const key = `${percentile}Ms` as const;
  return k6.map((reference) => {
    const other = driver.find((d) => d.tenant === reference.tenant);
    const a = reference[key];
    const b = other?.[key];
    return {
      tenant: reference.tenant,
      percentile,
      ratio: a && b ? b / a : Number.NaN,
      meaningful: reference.requests >= ANSWERS_NEEDED[percentile] && (other?.requests ?? 0) >= ANSWERS_NEEDED[percentile],
    };
  });
}

/**
 * Driver/k6 p95 per tenant with the driver's latencies timed from its actual send, as k6
 * times them: how much of a gap is the driver's own send delay. Only tenants with enough
 * answers for a p95 on both sides.
 */
export function fromSendP95Ratios(k6: readonly TenantRow[], driver: ReadonlyMap<string, PooledTenant>): Ratio[] {
  return k6.map((reference) => {
    const fromSend = [...(driver.get(reference.tenant)?.latenciesFromSendMs ?? [])].sort((a, b) => a - b);
    const p95 = percentile(fromSend, 95);
    return {
      tenant: reference.tenant,
      percentile: 'p95',
      ratio: reference.p95Ms && p95 ? p95 / reference.p95Ms : Number.NaN,
      meaningful: reference.requests >= ANSWERS_FOR_P95 && fromSend.length >= ANSWERS_FOR_P95,
    };
  });
}

/** `0.91–1.12` over the meaningful ratios, plus `(n too small: tenant 1.85)` for the others. */
export function describeRatios(list: readonly Ratio[]): string {
  const shown = (values: readonly Ratio[]): string => {
    const finite = values.map((r) => r.ratio).filter(Number.isFinite);
    return finite.length === 0 ? '-' : finite.length === 1 ? (finite[0] ?? 0).toFixed(2) : `${Math.min(...finite).toFixed(2)}–${Math.max(...finite).toFixed(2)}`;
  };
  const meaningful = list.filter((r) => r.meaningful);
  const thin = list.filter((r) => !r.meaningful && Number.isFinite(r.ratio));
  return [meaningful.length > 0 ? shown(meaningful) : '', thin.length > 0 ? `(too few answers: ${thin.map((r) => `${r.tenant} ${r.ratio.toFixed(2)}`).join(', ')})` : '']
    .filter((part) => part !== '')
    .join(' ') || '-';
}

/** Per tenant: answers, p50/p95/p99 of each generator and the driver/k6 ratios, thin percentiles marked `*`. */
export function tenantComparisonTable(k6: readonly TenantRow[] | undefined, driver: readonly TenantRow[]): string {
  const ms = (v: number | undefined): string => (v === undefined ? '-' : v.toFixed(1));
  const byPercentile = (p: Percentile): Ratio[] => (k6 ? ratios(k6, driver, p) : []);
  const [r50, r95, r99] = [byPercentile('p50'), byPercentile('p95'), byPercentile('p99')];
  const cell = (list: readonly Ratio[], tenant: string): string => {
    const r = list.find((x) => x.tenant === tenant);
    return !r || !Number.isFinite(r.ratio) ? '-' : `${r.ratio.toFixed(2)}${r.meaningful ? '' : '*'}`;
  };
  const lines = [
    '| Tenant | Budget p95 | k6 answers | k6 p50 | k6 p95 | k6 p99 | driver answers | driver p50 | driver p95 | driver p99 | driver/k6 p50 | driver/k6 p95 | driver/k6 p99 |',
    '|--------|-----------:|-----------:|-------:|-------:|-------:|---------------:|-----------:|-----------:|-----------:|--------------:|--------------:|--------------:|',
  ];
  for (const row of driver) {
    const ref = k6?.find((r) => r.tenant === row.tenant);
    lines.push(
      `| ${row.tenant} | ${row.p95BudgetMs} | ${ref?.requests ?? '-'} | ${ms(ref?.p50Ms)} | ${ms(ref?.p95Ms)} | ${ms(ref?.p99Ms)} | ${row.requests} | ${ms(row.p50Ms)} | ${ms(row.p95Ms)} | ${ms(row.p99Ms)} | ${cell(r50, row.tenant)} | ${cell(r95, row.tenant)} | ${cell(r99, row.tenant)} |`,
    );
  }
  lines.push('', `\\* fewer than ${ANSWERS_FOR_P95} (p95) or ${ANSWERS_FOR_P99} (p99) answers on one side: fewer than ten answers beyond the percentile, so the ratio is not a statistic.`);
  return lines.join('\n');
}
