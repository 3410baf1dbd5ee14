// The plain OpenTelemetry set-up the telemetry benchmark compares against: the
// auto-instrumentations-node `register` entry point with all its defaults, plus the
// ESM loader hook it documents for ES-module applications (without it, an ESM app's
// imports of http, pg and ioredis are not instrumented and the comparison would flatter it).
import { register } from 'node:module';

register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);
await import('@opentelemetry/auto-instrumentations-node/register');
