// The CPU work of bench/realistic-service.mjs's handler: SHA-256 rounds over a 16 KiB
// block. bench:telemetry calibrates the round count once, in its own process, and gives
// every realistic-handler service the same count (BENCH_HANDLER_HASH_ROUNDS): each
// service calibrating itself at start-up measured different rates (start-up work of
// the telemetry SDK and JIT state differ by mode), so modes did different work per
// request and a traced service could come out cheaper than an untraced one.
import { createHash } from 'node:crypto';

const block = Buffer.alloc(16 * 1024, 7);

/** Runs `rounds` chained SHA-256 rounds and returns the last digest. */
export function hashRounds(rounds) {
  let digest = '';
  for (let i = 0; i < rounds; i++) digest = createHash('sha256').update(block).update(digest).digest('hex');
  return digest;
}

/** Hash rounds per `cpuMs` milliseconds of this process's CPU time. */
export function calibrateHashRounds(cpuMs) {
  hashRounds(200);
  const before = process.cpuUsage();
  hashRounds(2000);
  const used = process.cpuUsage(before);
  return Math.max(1, Math.round((2000 / ((used.user + used.system) / 1000)) * cpuMs));
}
