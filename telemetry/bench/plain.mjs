// Plain @opentelemetry/auto-instrumentations-node defaults, as a service without Tenantry would run it.
import { register } from 'node:module';
import { getNodeAutoInstrumentations } from '@opentelemetry/auto-instrumentations-node';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { discardExporter } from './discard-exporter.mjs';

register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);
new NodeSDK({
  instrumentations: [getNodeAutoInstrumentations()],
  spanProcessors: [new BatchSpanProcessor(discardExporter)],
  metricReaders: [new PrometheusExporter({ port: Number(process.env.METRICS_PORT) })],
}).start();
