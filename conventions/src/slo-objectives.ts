/**
 * What an SLO promises and when its burn-rate alerts fire: the objectives the catalog
 * validates against (a page alert must be able to fire) and the dashboards turn into
 * rules and panels. See docs/architecture.md, "SLO objectives and alerts".
 *
 * Windows source: Google SRE workbook, "Alerting on SLOs", table "Recommended
 * parameters for a 99.9% SLO alerting configuration"
 * (https://sre.google/workbook/alerting-on-slos/), the same table Sloth ships as
 * internal/alert/windows/google-30d.yaml. The factor is budget consumed × period ÷ long
 * window; the short window is 1/12 of the long one.
 */

/** A p95 budget promises that 95% of requests finish at or under it. */
export const LATENCY_OBJECTIVE = 0.95;

/** The period every objective and error budget is measured over. */
export const SLO_PERIOD = '30d';

export type Severity = 'page' | 'ticket';

export interface BurnRateWindow {
  readonly severity: Severity;
  readonly longWindow: string;
  readonly shortWindow: string;
  /** Burn rate both windows must exceed: 1 spends exactly the whole budget in 30 days. */
  readonly factor: number;
  /** Share of the 30-day error budget spent when the long window alone fires. */
  readonly budgetConsumed: number;
}

export const BURN_RATE_WINDOWS: readonly BurnRateWindow[] = [
  { severity: 'page', longWindow: '1h', shortWindow: '5m', factor: 14.4, budgetConsumed: 0.02 },
  { severity: 'page', longWindow: '6h', shortWindow: '30m', factor: 6, budgetConsumed: 0.05 },
  { severity: 'ticket', longWindow: '1d', shortWindow: '2h', factor: 3, budgetConsumed: 0.1 },
  { severity: 'ticket', longWindow: '3d', shortWindow: '6h', factor: 1, budgetConsumed: 0.1 },
];
