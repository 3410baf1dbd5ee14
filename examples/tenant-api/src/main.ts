/**
 * The CLI: `node --import @tenantry/telemetry/register dist/main.js`. Configured by the
 * environment (docs/tenant-api.md); prints `tenant-api listening on <url>` when ready
 * and exits 1 with the reason when the configuration or a dependency is wrong. On
 * SIGTERM it drains within SHUTDOWN_DEADLINE_MS, flushes telemetry and exits 0.
 */
import { runningTelemetry } from '@tenantry/telemetry';
import { DEFAULT_TIMEOUTS, configFromEnv } from './config.js';
import { startTenantApi } from './server.js';

/** Time for the final telemetry flush after the drain; the watchdog allows this much more. */
const FLUSH_BUDGET_MS = 3000;

try {
  const config = configFromEnv();
  const api = await startTenantApi(config);
  // A plain line on stdout, for people and for tests that start the service as a child process.
  process.stdout.write(`tenant-api listening on ${api.url}\n`);
  // `on`, not `once`: the register entry point leaves the exit to the app only while
  // the app still listens for SIGTERM, and this handler exits after flushing telemetry.
  process.on('SIGTERM', () => {
    const deadlineMs = (config.timeouts?.shutdownDeadlineMs ?? DEFAULT_TIMEOUTS.shutdownDeadlineMs) + FLUSH_BUDGET_MS;
    // Whatever hangs (a collector, a dependency's close), the process ends in time.
    setTimeout(() => {
      process.stderr.write(`tenant-api: shutdown took longer than ${deadlineMs} ms; exiting anyway\n`);
      process.exit(0);
    }, deadlineMs).unref();
    void api
      .close()
      .then(({ drained }) => process.stdout.write(`tenant-api stopped (${drained ? 'every request finished' : 'deadline passed, connections cut'})\n`))
      .then(() => runningTelemetry()?.shutdown())
      .finally(() => process.exit(0));
  });
} catch (error) {
  process.stderr.write(`tenant-api failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
