/**
 * The CLI: `node --import @tenantry/telemetry/register dist/main.js`. Configured by the
 * environment (docs/tenant-api.md); prints `tenant-api listening on <url>` when ready
 * and exits 1 with the reason when the configuration or a dependency is wrong.
 */
import { runningTelemetry } from '@tenantry/telemetry';
import { configFromEnv } from './config.js';
import { startTenantApi } from './server.js';

try {
  const api = await startTenantApi(configFromEnv());
  // A plain line on stdout, for people and for tests that start the service as a child process.
  process.stdout.write(`tenant-api listening on ${api.url}\n`);
  // `on`, not `once`: the register entry point leaves the exit to the app only while
  // the app still listens for SIGTERM, and this handler exits after flushing telemetry.
  process.on('SIGTERM', () => {
    void api
      .close()
      .then(() => runningTelemetry()?.shutdown())
      .finally(() => process.exit(0));
  });
} catch (error) {
  process.stderr.write(`tenant-api failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
