/**
 * Non-stationary traffic for the canary benchmark: each condition draws, once per run,
 * what every minute does to both tracks at once (a noisy neighbour on the node, drift, a
 * diurnal ramp, bursts, overdispersed errors). The canary and the baseline see the same
 * minutes, so an honest gate must stay at its false-rollback rate under every one of them.
 */
import type { SeededRandom } from './random.js';
import { STEADY_MINUTE, type MinuteConditions } from './traffic.js';

export type MinuteSchedule = (span: number, random: SeededRandom) => MinuteConditions[];

export const steady: MinuteSchedule = (span) => Array.from({ length: span }, () => STEADY_MINUTE);

/** A share of minutes in which both tracks are slower by a factor drawn from [low, high]. */
export const noisyNeighbour =
  (share: number, low: number, high: number): MinuteSchedule =>
  (span, random) =>
    Array.from({ length: span }, () => (random.next() < share ? { ...STEADY_MINUTE, latencyFactor: low + (high - low) * random.next() } : STEADY_MINUTE));

/** Latency growing by `perMinute` (relative) every minute on both tracks. */
export const drift =
  (perMinute: number): MinuteSchedule =>
  (span) =>
    Array.from({ length: span }, (_, m) => ({ ...STEADY_MINUTE, latencyFactor: Math.pow(1 + perMinute, m) }));

/** Traffic ramping from `from` to `to` times the mean rate, latency rising with load. */
export const diurnalRamp =
  (from: number, to: number): MinuteSchedule =>
  (span) =>
    Array.from({ length: span }, (_, m) => {
      const rateFactor = from + ((to - from) * m) / Math.max(1, span - 1);
      return { rateFactor, latencyFactor: 1 + 0.25 * (rateFactor - 1), errorFactor: 1 };
    });

/** A share of minutes with `rate`× the traffic, slower and with more errors. */
export const bursts =
  (share: number, rate: number): MinuteSchedule =>
  (span, random) =>
    Array.from({ length: span }, () => (random.next() < share ? { rateFactor: rate, latencyFactor: 1.3, errorFactor: 3 } : STEADY_MINUTE));

/** Error rate multiplied each minute by a log-normal factor of mean 1 (σ of its log given). */
export const overdispersedErrors =
  (sigma: number): MinuteSchedule =>
  (span, random) =>
    Array.from({ length: span }, () => ({ ...STEADY_MINUTE, errorFactor: Math.exp(sigma * random.normal() - (sigma * sigma) / 2) }));
