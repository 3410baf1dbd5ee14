// Loaded into the reference service by `npm run bench:load` (`--import`): once a second,
// appends the event loop's delay over that second to the file named by
// TENANTRY_BENCH_EVENT_LOOP_FILE, one JSON line `{ atMs, p50Ms, p99Ms, maxMs }`, so the
// bench can tell a service whose one thread is busy (its loop runs late) from one that
// waits on PostgreSQL or Redis. The service's own code is not touched.
import { appendFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const file = process.env.TENANTRY_BENCH_EVENT_LOOP_FILE;
if (file) {
  // 10 ms sampling resolution: finer costs the service more timer wake-ups than it tells.
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  const nanosecondsToMs = (ns) => ns / 1e6;
  setInterval(() => {
    appendFileSync(
      file,
      `${JSON.stringify({
        atMs: Date.now(),
        p50Ms: nanosecondsToMs(histogram.percentile(50)),
        p99Ms: nanosecondsToMs(histogram.percentile(99)),
        maxMs: nanosecondsToMs(histogram.max),
      })}\n`,
    );
    histogram.reset();
  }, 1000).unref();
}
