/**
 * Multi-window, multi-burn-rate alert parameters for a 30-day SLO, as data.
 *
 * Source: Google SRE workbook, "Alerting on SLOs", table "Recommended parameters for a
 * 99.9% SLO alerting configuration" (https://sre.google/workbook/alerting-on-slos/),
 * the same table Sloth ships as internal/alert/windows/google-30d.yaml. The factor is
 * budget consumed × period ÷ long window; the short window is 1/12 of the long one.
 */
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

export const SLO_PERIOD = '30d';

export const BURN_RATE_WINDOWS: readonly BurnRateWindow[] = [
  { severity: 'page', longWindow: '1h', shortWindow: '5m', factor: 14.4, budgetConsumed: 0.02 },
  { severity: 'page', longWindow: '6h', shortWindow: '30m', factor: 6, budgetConsumed: 0.05 },
  { severity: 'ticket', longWindow: '1d', shortWindow: '2h', factor: 3, budgetConsumed: 0.1 },
  { severity: 'ticket', longWindow: '3d', shortWindow: '6h', factor: 1, budgetConsumed: 0.1 },
];

/**
 * Windows up to this one are computed from the raw histogram; longer ones average the
 * 5-minute recordings (`avg_over_time`). Averaging both the good and the total rate keeps
 * the ratio event-weighted (unlike Sloth's mean of 5-minute ratios), and spares
 * Prometheus a 30-day range over every bucket series of every tenant.
 */
export const LONGEST_RAW_WINDOW = '6h';

/** The window the others are averaged from. */
export const BASE_WINDOW = '5m';
