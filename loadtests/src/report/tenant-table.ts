/**
 * The per-tenant table, as Markdown (a GitHub step summary renders it; a terminal shows
 * it as aligned text too). Both load generators print this same table.
 */
import { errorRate, passed, type TenantRow } from './tenant-rows.js';

const HEADER = ['Tenant', 'Requests', 'p50 ms', 'p95 ms', 'p99 ms', 'p95 budget ms', 'Errors', 'Error rate', 'Error budget', 'Result'];

/** A Markdown table, one row per tenant, columns padded so it also reads as plain text. */
export function renderTenantTable(rows: readonly TenantRow[]): string {
  const body = rows.map((row) => [
    row.tenant,
    String(row.requests),
    ms(row.p50Ms),
    ms(row.p95Ms),
    ms(row.p99Ms),
    String(row.p95BudgetMs),
    String(row.errors),
    percent(errorRate(row)),
    percent(row.errorRateBudget),
    passed(row) ? 'pass' : `FAIL (${row.failures.join('; ')})`,
  ]);
  const widths = HEADER.map((h, i) => Math.max(h.length, ...body.map((cells) => (cells[i] ?? '').length)));
  const line = (cells: readonly string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i === 0 || i === HEADER.length - 1 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(HEADER), rule, ...body.map(line)].join('\n');
}

function ms(value: number | undefined): string {
  return value === undefined ? '-' : value.toFixed(1);
}

function percent(ratio: number): string {
  return `${(ratio * 100).toFixed(2)}%`;
}
