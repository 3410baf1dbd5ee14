/**
 * How the rules compute the burn-rate windows. The windows themselves (and the SLO
 * period) are part of the contract the catalog validates against, so they live in
 * @tenantry/conventions (BURN_RATE_WINDOWS).
 */

/**
 * Windows up to this one are computed from the raw histogram; longer ones average the
 * 5-minute recordings (`avg_over_time`). Averaging both the good and the total rate keeps
 * the ratio event-weighted (unlike Sloth's mean of 5-minute ratios), and spares
 * Prometheus a 30-day range over every bucket series of every tenant.
 */
export const LONGEST_RAW_WINDOW = '6h';

/** The window the others are averaged from. */
export const BASE_WINDOW = '5m';
