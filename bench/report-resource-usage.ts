/**
 * Preloaded into the synthesizing child by the benchmark (`--import`): on exit, writes
 * the process's peak resident set size to the file named by $TENANTRY_BENCH_REPORT. It
 * leaves the app itself untouched, so the benchmark measures the real app.
 */
import { writeFileSync } from 'node:fs';

const target = process.env['TENANTRY_BENCH_REPORT'];
if (target) {
  process.on('exit', () => {
    writeFileSync(target, JSON.stringify({ maxRssKilobytes: process.resourceUsage().maxRSS }));
  });
}
