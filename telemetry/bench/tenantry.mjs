// @tenantry/telemetry as the register entry point starts it, with spans discarded instead of sent.
import { register } from 'node:module';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { startTelemetry } from '@tenantry/telemetry';
import { discardExporter } from './discard-exporter.mjs';

register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);
startTelemetry({ spanProcessors: [new BatchSpanProcessor(discardExporter)], prometheus: { port: Number(process.env.METRICS_PORT) } });
