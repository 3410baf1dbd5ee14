/**
 * Splits a total request rate between tenants by weight. k6's arrival-rate executors take
 * an integer `rate` per `timeUnit`, so shares are apportioned with the largest-remainder
 * method: every share is the floor of its exact quota, and the requests left over go to
 * the largest fractional parts. The integer shares always add up to the total exactly.
 */

/** Time units tried in order: the first one that gives every tenant at least one request wins. */
const LONGEST_TIME_UNIT_SECONDS = 60;
export const TIME_UNITS_SECONDS: readonly number[] = [1, 10, LONGEST_TIME_UNIT_SECONDS];

export interface RateSplit {
  /** Length of k6's `timeUnit`, in seconds. */
  readonly timeUnitSeconds: number;
  /** Requests per time unit, one per weight, in the order of the weights. */
  readonly rates: readonly number[];
}

/** Thrown when the total rate cannot give every tenant a request in the longest time unit. */
export class RateTooLowError extends Error {
  constructor(
    readonly ratePerSecond: number,
    readonly minimumRatePerSecond: number,
  ) {
    super(
      `RATE=${ratePerSecond}/s is too low to send every tenant at least one request per ${LONGEST_TIME_UNIT_SECONDS} s: ` +
        `the smallest tenant share needs RATE >= ${minimumRatePerSecond}/s. Raise RATE.`,
    );
    this.name = 'RateTooLowError';
  }
}

/** Largest-remainder split of `total` whole requests by `weights` (ties go to the earlier weight). */
export function apportion(total: number, weights: readonly number[]): number[] {
  if (!Number.isInteger(total) || total < 0) throw new RangeError(`total must be a whole number >= 0, got ${total}`);
  const sum = weights.reduce((a, b) => a + b, 0);
  if (!(sum > 0)) throw new RangeError(`weights must add up to more than 0, got ${sum}`);
  const quotas = weights.map((w) => (total * w) / sum);
  const shares = quotas.map((q) => Math.floor(q));
  let left = total - shares.reduce((a, b) => a + b, 0);
  const byRemainder = quotas.map((q, index) => ({ index, remainder: q - Math.floor(q) })).sort((a, b) => b.remainder - a.remainder || a.index - b.index);
  for (const { index } of byRemainder) {
    if (left === 0) break;
    shares[index] = (shares[index] ?? 0) + 1;
    left--;
  }
  return shares;
}

/**
 * Splits `ratePerSecond` by weight over the shortest time unit in which every tenant gets
 * at least one request. The per-unit total is `ratePerSecond × unit` rounded to a whole
 * number, so a fractional RATE such as 0.5/s is kept exactly over a 10 s unit.
 */
export function splitRate(ratePerSecond: number, weights: readonly number[]): RateSplit {
  if (!(ratePerSecond > 0)) throw new RangeError(`RATE must be above 0 requests per second, got ${ratePerSecond}`);
  for (const timeUnitSeconds of TIME_UNITS_SECONDS) {
    const rates = apportion(Math.round(ratePerSecond * timeUnitSeconds), weights);
    if (rates.every((r) => r >= 1)) return { timeUnitSeconds, rates };
  }
  const sum = weights.reduce((a, b) => a + b, 0);
  const smallest = Math.min(...weights);
  // A quota of at least 1 per longest unit is always enough for largest remainder to give 1.
  throw new RateTooLowError(ratePerSecond, Math.ceil((sum / smallest / LONGEST_TIME_UNIT_SECONDS) * 100) / 100);
}
