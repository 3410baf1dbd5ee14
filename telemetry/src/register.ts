/**
 * `node --import @tenantry/telemetry/register app.js`: starts telemetry from the
 * environment before the application loads, for CommonJS and ES-module applications
 * alike, and flushes it on SIGTERM.
 */
import { register } from 'node:module';
import { startTelemetry } from './sdk.js';

// ES modules are instrumented through this loader hook; without it an ESM app's
// imports of http, pg and ioredis are silently left alone. CommonJS needs no hook.
register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);

const telemetry = startTelemetry();

process.once('SIGTERM', () => {
  // If the application listens for SIGTERM too, it decides when to exit; otherwise
  // keep Node's default of exiting on the signal. Counted now, before the flush: an
  // application listener registered with `once` is gone by the time it ends.
  const applicationHandlesSignal = process.listenerCount('SIGTERM') > 0;
  void telemetry.shutdown().finally(() => {
    if (!applicationHandlesSignal) process.exit(143);
  });
});
