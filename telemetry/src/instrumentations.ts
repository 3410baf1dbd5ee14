/**
 * Which auto-instrumentations run, and how they are configured: fs, dns and net are
 * off unless asked for (a span per file read, lookup or socket says little and costs
 * much); the HTTP and undici hooks send the tenant to internal hosts only; pino lines
 * get the tenant.
 */
import type { InstrumentationConfigMap } from '@opentelemetry/auto-instrumentations-node';
import { TENANT_ATTRIBUTE } from './conventions.js';
import { commaList } from './default-resolver.js';
import { httpBaggageHook, undiciBaggageHook, type InternalHosts } from './outbound-baggage.js';
import { currentTenant } from './tenant-context.js';

/** Instrumentations that are off by default. */
export type OptionalInstrumentation = 'fs' | 'dns' | 'net';

/** Comma list of optional instrumentations to turn back on, e.g. `fs,dns`. */
export const ENABLE_INSTRUMENTATIONS_VARIABLE = 'TENANTRY_OTEL_ENABLE';

const OPTIONAL_INSTRUMENTATIONS: readonly OptionalInstrumentation[] = ['fs', 'dns', 'net'];

export interface AutoInstrumentationProps {
  /** Hosts that receive the tenant as baggage. */
  readonly internalHosts: InternalHosts;
  /** Optional instrumentations to turn on. */
  readonly enabled: readonly OptionalInstrumentation[];
  /** Port of the service's own Prometheus endpoint, whose scrapes are not traced; undefined when there is none. */
  readonly prometheusPort: number | undefined;
  /** Whether pino records also go to the OpenTelemetry Logs SDK. */
  readonly sendLogs: boolean;
}

/** The configuration handed to `getNodeAutoInstrumentations`. */
export function autoInstrumentationConfig(props: AutoInstrumentationProps): InstrumentationConfigMap {
  const { prometheusPort } = props;
  const enabled = new Set(props.enabled);
  return {
    '@opentelemetry/instrumentation-http': {
      requestHook: httpBaggageHook(props.internalHosts),
      // Scrapes of our own /metrics endpoint are not requests of the service.
      ...(prometheusPort === undefined ? {} : { ignoreIncomingRequestHook: (request) => request.socket.localPort === prometheusPort }),
    },
    '@opentelemetry/instrumentation-undici': { requestHook: undiciBaggageHook(props.internalHosts) },
    '@opentelemetry/instrumentation-pino': {
      disableLogSending: !props.sendLogs,
      // Loggers built without tenantLogMixin still get the tenant next to trace_id and span_id.
      logHook: (_span, record) => {
        const tenantId = currentTenant();
        if (tenantId !== undefined) record[TENANT_ATTRIBUTE] = tenantId;
      },
    },
    '@opentelemetry/instrumentation-fs': { enabled: enabled.has('fs') },
    '@opentelemetry/instrumentation-dns': { enabled: enabled.has('dns') },
    '@opentelemetry/instrumentation-net': { enabled: enabled.has('net') },
  };
}

/** Parses `fs,dns` into instrumentation names, failing on anything else. */
export function parseOptionalInstrumentations(value: string | undefined): OptionalInstrumentation[] {
  return commaList(value).map((name) => {
    const known = OPTIONAL_INSTRUMENTATIONS.find((n) => n === name);
    if (known === undefined) {
      throw new Error(`${ENABLE_INSTRUMENTATIONS_VARIABLE} names "${name}", which is not an optional instrumentation (use ${OPTIONAL_INSTRUMENTATIONS.join(', ')})`);
    }
    return known;
  });
}
