/**
 * Preloaded into the synthesizing child by the benchmark (`--import`): on exit, writes
 * the process's peak resident set size and CPU time to the file named by
 * $TENANTRY_BENCH_REPORT. It leaves the app itself untouched, so the benchmark measures
 * the real app. CPU time is reported because wall time on a shared machine also counts
 * the time other processes held the cores.
 */
import { writeFileSync } from 'node:fs';

const target = process.env['TENANTRY_BENCH_REPORT'];
if (target) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    writeFileSync(target, JSON.stringify({ maxRssKilobytes: usage.maxRSS, cpuMicroseconds: usage.userCPUTime + usage.systemCPUTime }));
  });
}
