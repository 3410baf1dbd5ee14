/**
 * Which instrumentations run, and how they are configured. A Tenantry service gets the
 * ones it plausibly uses (http, undici, pg, ioredis, redis, pino, express), built
 * directly from their packages so that the forty others of auto-instrumentations-node
 * are not even loaded; any of those others can be turned on by name. The HTTP server,
 * pg and ioredis instrumentations are Tenantry's own, cheaper ones; the HTTP client and
 * undici hooks send the tenant to internal hosts only; pino lines get the tenant.
 */
import { createRequire } from 'node:module';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PinoInstrumentation } from '@opentelemetry/instrumentation-pino';
import { RedisInstrumentation } from '@opentelemetry/instrumentation-redis';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { TENANT_ATTRIBUTE } from '@tenantry/conventions';
import { commaList } from './default-resolver.js';
import { httpBaggageHook, undiciBaggageHook, type InternalHosts } from './outbound-baggage.js';
import { TenantryHttpServerInstrumentation } from './http-server-instrumentation.js';
import { TenantryIORedisInstrumentation } from './ioredis-instrumentation.js';
import { TenantryPgInstrumentation } from './pg-instrumentation.js';
import { currentTenant } from './tenant-context.js';
import type { TenantDurationHistogram } from './tenant-metrics.js';

/**
 * An instrumentation of auto-instrumentations-node that is off by default, by its
 * package name without `@opentelemetry/instrumentation-`: `fs`, `dns`, `net`,
 * `runtime-node`, `mongodb`, `kafkajs`, …
 */
export type OptionalInstrumentation = 'fs' | 'dns' | 'net' | 'runtime-node' | (string & {});

/** Comma list of instrumentations to turn on in addition to the defaults, e.g. `fs,dns,runtime-node`. */
export const ENABLE_INSTRUMENTATIONS_VARIABLE = 'TENANTRY_OTEL_ENABLE';

/** The instrumentations on by default, by short name. */
export const DEFAULT_INSTRUMENTATIONS: readonly string[] = ['http', 'undici', 'pg', 'ioredis', 'redis', 'pino', 'express'];

/**
 * Comma list of request paths that make neither a span nor a metric, e.g. `/healthz`:
 * probes are not requests of the service. None by default, so that a health check
 * still shows up as a traced request when someone looks for it.
 */
export const UNTRACED_PATHS_VARIABLE = 'TENANTRY_UNTRACED_PATHS';

const PACKAGE_PREFIX = '@opentelemetry/instrumentation-';

export interface InstrumentationProps {
  /** Hosts that receive the tenant as baggage. */
  readonly internalHosts: InternalHosts;
  /** Instrumentations to turn on in addition to the defaults. */
  readonly enabled: readonly OptionalInstrumentation[];
  /** Port of the service's own Prometheus endpoint, whose scrapes are not traced; undefined when there is none. */
  readonly prometheusPort: number | undefined;
  /** Whether pino records also go to the OpenTelemetry Logs SDK. */
  readonly sendLogs: boolean;
  /** Exact request paths (query string ignored) whose incoming requests make no span and no metric. */
  readonly untracedPaths: readonly string[];
  /** Default instrumentations to leave off, by short name (`$OTEL_NODE_DISABLED_INSTRUMENTATIONS`). */
  readonly disabled: readonly string[];
  /** Whether BEGIN, set_config and COMMIT get spans of their own instead of events on the enclosing span. */
  readonly preambleSpans: boolean;
  /** Where the HTTP server instrumentation records `http.server.request.duration`. */
  readonly requestDurations: TenantDurationHistogram;
}

/** The default instrumentations, configured for Tenantry, then the optional ones asked for. */
export function tenantryInstrumentations(props: InstrumentationProps): Instrumentation[] {
  const { prometheusPort } = props;
  const untraced = new Set(props.untracedPaths);
  const optional = props.enabled.filter((name) => !DEFAULT_INSTRUMENTATIONS.includes(name));
  const defaults: Record<string, () => Instrumentation | Instrumentation[]> = {
    // Incoming requests: Tenantry's own server instrumentation (http-server-instrumentation.ts);
    // outgoing ones: upstream's, which adds the baggage for internal hosts.
    http: () => [
      new TenantryHttpServerInstrumentation({
        requestDurations: props.requestDurations,
        ignoreIncomingRequest: (request) =>
          (prometheusPort !== undefined && request.socket.localPort === prometheusPort) || (untraced.size > 0 && untraced.has(pathOf(request.url))),
      }),
      new HttpInstrumentation({ disableIncomingRequestInstrumentation: true, requestHook: httpBaggageHook(props.internalHosts) }),
    ],
    undici: () => new UndiciInstrumentation({ requestHook: undiciBaggageHook(props.internalHosts) }),
    // Tenantry's own: one span per query that matters, the transaction preamble as
    // events, nothing outside a sampled request (see pg-instrumentation.ts).
    pg: () => new TenantryPgInstrumentation({ preambleSpans: props.preambleSpans }),
    // Tenantry's own as well: a span per command, nothing outside a sampled request.
    ioredis: () => new TenantryIORedisInstrumentation(),
    redis: () => new RedisInstrumentation({ requireParentSpan: true }),
    pino: () =>
      new PinoInstrumentation({
        disableLogSending: !props.sendLogs,
        // Loggers built without tenantLogMixin still get the tenant next to trace_id and span_id.
        logHook: (_span, record) => {
          const tenantId = currentTenant();
          if (tenantId !== undefined) record[TENANT_ATTRIBUTE] = tenantId;
        },
      }),
    express: () => new ExpressInstrumentation(),
  };
  // Built only when on: constructing an instrumentation patches its module.
  return [
    ...DEFAULT_INSTRUMENTATIONS.filter((name) => !props.disabled.includes(name)).flatMap((name) => defaults[name]?.() ?? []),
    ...optional.map(loadOptionalInstrumentation),
  ];
}

/** Parses `fs,dns` into instrumentation names, failing on a name no instrumentation package has. */
export function parseOptionalInstrumentations(value: string | undefined): OptionalInstrumentation[] {
  return commaList(value).map((name) => {
    if (!DEFAULT_INSTRUMENTATIONS.includes(name) && instrumentationClass(name) === undefined) {
      throw new Error(
        `${ENABLE_INSTRUMENTATIONS_VARIABLE} names "${name}", which is not an instrumentation of @opentelemetry/auto-instrumentations-node (use package names without "${PACKAGE_PREFIX}", e.g. fs, dns, net, runtime-node)`,
      );
    }
    return name;
  });
}

function pathOf(url: string | undefined): string {
  if (url === undefined) return '';
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

type InstrumentationClass = new (config?: Record<string, unknown>) => Instrumentation;

// Optional instrumentations are resolved from auto-instrumentations-node, which
// depends on all of them, and loaded only when asked for.
const requireFromAutoInstrumentations = createRequire(createRequire(import.meta.url).resolve('@opentelemetry/auto-instrumentations-node'));

function instrumentationClass(name: string): InstrumentationClass | undefined {
  if (!/^[a-z0-9][a-z0-9.-]*$/.test(name)) return undefined;
  let exports: Record<string, unknown>;
  try {
    exports = requireFromAutoInstrumentations(`${PACKAGE_PREFIX}${name}`) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  // Each package exports one instrumentation class next to enums and types.
  return Object.values(exports).find(
    (value): value is InstrumentationClass => typeof value === 'function' && typeof (value.prototype as Partial<Instrumentation> | undefined)?.setTracerProvider === 'function',
  );
}

function loadOptionalInstrumentation(name: string): Instrumentation {
  const Class = instrumentationClass(name);
  if (Class === undefined) throw new Error(`no instrumentation package ${PACKAGE_PREFIX}${name}`);
  return new Class();
}
