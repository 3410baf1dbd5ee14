/**
 * `startTelemetry`: the OpenTelemetry Node SDK with auto-instrumentations, wired so
 * that the tenant reaches every span, the request-duration metric and outgoing calls
 * to internal services, and nothing from the internet is believed.
 */
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { diag } from '@opentelemetry/api';
import { CompositePropagator, W3CTraceContextPropagator, getBooleanFromEnv, getStringListFromEnv } from '@opentelemetry/core';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import type { IMetricReader } from '@opentelemetry/sdk-metrics';
import { NodeSDK } from '@opentelemetry/sdk-node';
// Not part of sdk-node's public API, but the very code NodeSDK runs to build its
// exporters from OTEL_* variables; reused so that passing our own span processor
// and metric readers does not lose that configuration (version pinned).
import {
  getOtlpMetricExporterFromEnv,
  getPeriodicExportingMetricReaderFromEnv,
  getSpanProcessorsFromEnv,
} from '@opentelemetry/sdk-node/build/src/utils.js';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { loadCatalog, latencyBudgetsSeconds, type Catalog } from '@tenantry/catalog';
import { PROMETHEUS_PORT, latencyBucketBoundaries } from '@tenantry/conventions';
import { commaList, resolverPropsFromEnv, setDefaultTenantResolver } from './default-resolver.js';
import { KEEP_INSTRUMENTATION_METRICS_VARIABLE, droppedMetricViews } from './dropped-metrics.js';
import {
  ENABLE_INSTRUMENTATIONS_VARIABLE,
  UNTRACED_PATHS_VARIABLE,
  parseOptionalInstrumentations,
  tenantryInstrumentations,
  type OptionalInstrumentation,
} from './instrumentations.js';
import { InternalHosts } from './outbound-baggage.js';
import { PREAMBLE_SPANS_VARIABLE } from './pg-instrumentation.js';
import { TenantResolver, type TokenTenantResolver } from './tenant-resolver.js';
import { HTTP_SERVER_INSTRUMENTATION_SCOPE } from './http-server-instrumentation.js';
import { ReaderWithProducer, TenantDurationHistogram } from './tenant-metrics.js';
import { TenantSlotPropagator } from './tenant-propagator.js';
import { TenantSpanProcessor } from './tenant-span-processor.js';

/** Port of the Prometheus endpoint. */
export const PROMETHEUS_PORT_VARIABLE = 'TENANTRY_PROMETHEUS_PORT';
/** Address of the Prometheus endpoint. */
export const PROMETHEUS_HOST_VARIABLE = 'TENANTRY_PROMETHEUS_HOST';
/** Comma list of internal hostnames (`*.suffix` allowed) that receive the tenant as baggage. */
export const INTERNAL_HOSTS_VARIABLE = 'TENANTRY_INTERNAL_HOSTS';

/** Kubernetes service names: the internal hosts when none are configured. */
export const DEFAULT_INTERNAL_HOSTS: readonly string[] = ['*.svc.cluster.local'];

export interface PrometheusOptions {
  /**
   * Port of the `/metrics` endpoint.
   * @default - `$TENANTRY_PROMETHEUS_PORT`, else 9464
   */
  readonly port?: number;
  /**
   * Address the endpoint listens on.
   * @default - `$TENANTRY_PROMETHEUS_HOST`, else `$HOST` (the service's own address), else every interface
   */
  readonly host?: string;
}

export interface TelemetryOptions {
  /**
   * The service name on every span and metric.
   * @default - `$OTEL_SERVICE_NAME` (or `service.name` in `$OTEL_RESOURCE_ATTRIBUTES`), else the SDK's `unknown_service:node`
   */
  readonly serviceName?: string;
  /**
   * The catalog: which tenants exist, their hostnames and latency budgets.
   * @default - `loadCatalog()`: `$TENANTRY_CATALOG`, else the example catalog
   */
  readonly catalog?: Catalog;
  /**
   * The environment whose hostnames this service answers on.
   * @default - `$TENANTRY_ENV`; when unset, the hostnames of every environment
   */
  readonly environment?: string;
  /**
   * The Prometheus endpoint, or false for none (metrics then go only to readers given
   * in `metricReaders` or to OTLP when `$OTEL_METRICS_EXPORTER` names `otlp`).
   * @default - port `$TENANTRY_PROMETHEUS_PORT`, else 9464, on every interface
   */
  readonly prometheus?: PrometheusOptions | false;
  /**
   * IP addresses or CIDR ranges of peers (internal proxies) whose tenant header and
   * `tenant.id` baggage are believed.
   * @default - `$TENANTRY_TRUSTED_PROXIES` (comma list), else none
   */
  readonly trustedProxies?: readonly string[];
  /**
   * Header a trusted proxy uses to name the tenant.
   * @default - `$TENANTRY_TENANT_HEADER`, else 'x-tenant-id'
   */
  readonly tenantHeader?: string;
  /**
   * Hook returning the tenant claim of a verified token.
   * @default - no token resolution
   */
  readonly tokenTenantResolver?: TokenTenantResolver;
  /**
   * Hostnames that receive the tenant as W3C baggage on outgoing HTTP and fetch calls:
   * exact names or `*.suffix`. No other host ever gets baggage.
   * @default - `$TENANTRY_INTERNAL_HOSTS` (comma list), else `['*.svc.cluster.local']`
   */
  readonly internalHosts?: readonly string[];
  /**
   * Instrumentations to turn on besides the defaults (http, undici, pg, ioredis, redis,
   * pino, express): any of auto-instrumentations-node by package name without
   * `@opentelemetry/instrumentation-`, e.g. `['fs', 'dns', 'net', 'runtime-node']`.
   * @default - `$TENANTRY_OTEL_ENABLE` (comma list), else none
   */
  readonly enableInstrumentations?: readonly OptionalInstrumentation[];
  /**
   * Keep the metrics the instrumentations record besides `http.server.request.duration`
   * (pg's `db.client.*`, `http.client.*`, …), which are dropped otherwise.
   * @default - `$TENANTRY_OTEL_KEEP_METRICS` is `true`, else false
   */
  readonly keepInstrumentationMetrics?: boolean;
  /**
   * Request paths (exact, query string ignored) that make neither a span nor a metric,
   * e.g. `['/healthz']` for Kubernetes probes. Scrapes of the Prometheus port are never traced.
   * @default - `$TENANTRY_UNTRACED_PATHS` (comma list), else none
   */
  readonly untracedPaths?: readonly string[];
  /**
   * Give the statements that set up and end a transaction (BEGIN, `set_config`, SET,
   * COMMIT, ROLLBACK) PostgreSQL spans of their own, as upstream's instrumentation does.
   * Off, each is an event (`db.transaction.statement`, with its `db.query.text`) on the
   * span the transaction runs in, and only the queries that do the work are spans.
   * @default - `$TENANTRY_OTEL_PREAMBLE_SPANS` is `true`, else false
   */
  readonly preambleSpans?: boolean;
  /**
   * Span processors (with their exporters) after Tenantry's own.
   * @default - those named by `$OTEL_TRACES_EXPORTER` (otlp), each behind a BatchSpanProcessor tuned by `$OTEL_BSP_*`
   */
  readonly spanProcessors?: readonly SpanProcessor[];
  /**
   * Extra metric readers, in addition to the Prometheus endpoint. Each receives
   * `http.server.request.duration` (cumulative, from Tenantry's own aggregation) besides
   * what the SDK's instruments record.
   * @default - an OTLP reader when `$OTEL_METRICS_EXPORTER` names `otlp`, else none
   */
  readonly metricReaders?: readonly IMetricReader[];
  /**
   * Also send pino records to the OpenTelemetry Logs SDK (exporters from `$OTEL_LOGS_EXPORTER`).
   * Lines are correlated either way (see `tenantLogMixin`).
   * @default false
   */
  readonly sendLogs?: boolean;
}

/** A running telemetry set-up. */
export interface TelemetryHandle {
  /** False when `OTEL_SDK_DISABLED=true`: only tenant resolution is active. */
  readonly enabled: boolean;
  /** The resolver the middlewares use by default. */
  readonly resolver: TenantResolver;
  /** The catalog telemetry was started with, so the application need not load it again. */
  readonly catalog: Catalog;
  /** Port of the Prometheus endpoint, or undefined when there is none. */
  readonly prometheusPort: number | undefined;
  /**
   * Flushes spans and metrics, then stops exporters and the Prometheus endpoint. Every
   * call returns the same promise, so the register entry point's SIGTERM flush and the
   * application's own can both await it.
   */
  shutdown(): Promise<void>;
}

let running: TelemetryHandle | undefined;
let started = false;

/** The telemetry started by `startTelemetry` or the `register` entry point, if any. */
export function runningTelemetry(): TelemetryHandle | undefined {
  return running;
}

/**
 * Starts OpenTelemetry for a Tenantry service. Call it before importing the modules
 * to instrument (http, pg, ioredis, pino), or use `node --import @tenantry/telemetry/register`.
 * Tenant resolution works even when the SDK is disabled by `OTEL_SDK_DISABLED=true`.
 *
 * @throws CatalogValidationError when the catalog is broken; Error when called a second time in the process
 */
export function startTelemetry(options: TelemetryOptions = {}): TelemetryHandle {
  // Instrumentations patch a module once per process (require-in-the-middle caches
  // what it patched), so a second SDK would silently see nothing.
  if (started) throw new Error('startTelemetry() runs once per process, and it already ran (or the register entry point did)');
  started = true;
  const env = process.env;
  const catalog = options.catalog ?? loadCatalog();
  const resolver = new TenantResolver(
    resolverPropsFromEnv({
      catalog,
      environment: options.environment,
      trustedProxies: options.trustedProxies,
      tenantHeader: options.tenantHeader,
      tokenTenantResolver: options.tokenTenantResolver,
    }),
  );
  setDefaultTenantResolver(resolver);

  if (getBooleanFromEnv('OTEL_SDK_DISABLED')) {
    running = { enabled: false, resolver, catalog, prometheusPort: undefined, shutdown: async () => void (running = undefined) };
    return running;
  }

  const prometheusPort = options.prometheus === false ? undefined : (options.prometheus?.port ?? portFromEnv(env[PROMETHEUS_PORT_VARIABLE]));
  const metricReaders: IMetricReader[] = [...(options.metricReaders ?? [])];
  if (prometheusPort !== undefined) {
    // A service told to listen on one address (HOST) must not open its metrics on every other.
    const host = (options.prometheus === false ? undefined : options.prometheus?.host) ?? (env[PROMETHEUS_HOST_VARIABLE] || env['HOST'] || undefined);
    metricReaders.unshift(new PrometheusExporter({ port: prometheusPort, ...(host === undefined ? {} : { host }) }));
  }
  if (options.metricReaders === undefined && (getStringListFromEnv('OTEL_METRICS_EXPORTER') ?? []).includes('otlp')) {
    metricReaders.push(getPeriodicExportingMetricReaderFromEnv(getOtlpMetricExporterFromEnv()));
  }

  // Every reader gets http.server.request.duration from Tenantry's own aggregation (tenant-metrics.ts).
  const requestDurations = new TenantDurationHistogram({
    tenantIds: new Set(catalog.tenants.map((t) => t.id)),
    boundaries: latencyBucketBoundaries(latencyBudgetsSeconds(catalog)),
    scope: HTTP_SERVER_INSTRUMENTATION_SCOPE,
  });

  const instrumentations = tenantryInstrumentations({
    requestDurations,
    internalHosts: new InternalHosts(options.internalHosts ?? orDefault(commaList(env[INTERNAL_HOSTS_VARIABLE]), DEFAULT_INTERNAL_HOSTS)),
    enabled: options.enableInstrumentations ?? parseOptionalInstrumentations(env[ENABLE_INSTRUMENTATIONS_VARIABLE]),
    prometheusPort,
    sendLogs: options.sendLogs ?? false,
    untracedPaths: options.untracedPaths ?? commaList(env[UNTRACED_PATHS_VARIABLE]),
    disabled: commaList(env['OTEL_NODE_DISABLED_INSTRUMENTATIONS']),
    preambleSpans: options.preambleSpans ?? getBooleanFromEnv(PREAMBLE_SPANS_VARIABLE),
  });
  const keepInstrumentationMetrics = options.keepInstrumentationMetrics ?? getBooleanFromEnv(KEEP_INSTRUMENTATION_METRICS_VARIABLE);

  const sdk = new NodeSDK({
    ...(options.serviceName === undefined ? {} : { serviceName: options.serviceName }),
    textMapPropagator: new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new TenantSlotPropagator()] }),
    instrumentations,
    spanProcessors: [new TenantSpanProcessor(), ...(options.spanProcessors ?? getSpanProcessorsFromEnv(undefined))],
    metricReaders: metricReaders.map((reader) => new ReaderWithProducer(reader, requestDurations)),
    views: keepInstrumentationMetrics ? [] : droppedMetricViews(),
    // An empty list keeps NodeSDK from building an OTLP log exporter nobody feeds.
    ...(options.sendLogs ? {} : { logRecordProcessors: [] }),
  });
  sdk.start();
  instrumentLoadedBuiltins();

  let stopping: Promise<void> | undefined;
  running = {
    enabled: true,
    resolver,
    catalog,
    prometheusPort,
    shutdown() {
      stopping ??= sdk
        .shutdown()
        // A collector that is down must not fail the service's own shutdown: report it and go on.
        .catch((error: unknown) => diag.error('tenantry telemetry: final export failed during shutdown', error))
        .finally(() => {
          running = undefined;
        });
      return stopping;
    },
  };
  return running;
}

/**
 * The HTTP instrumentation patches `http` and `https` when they are required. An
 * ES-module service has usually imported them already (imports are hoisted above the
 * call to startTelemetry), and imports do not pass through `require`: require them
 * once now so they are patched, and copy the patched functions to their ES-module
 * bindings.
 */
function instrumentLoadedBuiltins(): void {
  const require = createRequire(import.meta.url);
  require('http');
  require('https');
  syncBuiltinESMExports();
}

function portFromEnv(value: string | undefined): number {
  if (value === undefined || value === '') return PROMETHEUS_PORT;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`${PROMETHEUS_PORT_VARIABLE}="${value}" is not a port number (0-65535)`);
  }
  return port;
}

function orDefault(list: readonly string[], fallback: readonly string[]): readonly string[] {
  return list.length === 0 ? fallback : list;
}
