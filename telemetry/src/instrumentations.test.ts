import type { IncomingMessage } from 'node:http';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { afterEach, describe, expect, it } from 'vitest';
import type { TenantryHttpServerInstrumentation } from './http-server-instrumentation.js';
import { DEFAULT_INSTRUMENTATIONS, parseOptionalInstrumentations, tenantryInstrumentations } from './instrumentations.js';
import { InternalHosts } from './outbound-baggage.js';
import { TenantDurationHistogram } from './tenant-metrics.js';

const requestDurations = new TenantDurationHistogram({ tenantIds: new Set(), boundaries: [0.2], scope: { name: 'test', version: '1' } });

let built: Instrumentation[] = [];

const names = (enabled: readonly string[], disabled: readonly string[] = []): string[] => {
  built = tenantryInstrumentations({ internalHosts: new InternalHosts([]), enabled, prometheusPort: undefined, sendLogs: false, untracedPaths: [], disabled, preambleSpans: false, requestDurations });
  return built.map((i) => i.instrumentationName);
};

// Constructing an instrumentation enables it; undo that so other tests in this worker see unpatched modules.
afterEach(() => {
  for (const instrumentation of built) instrumentation.disable();
  built = [];
});

describe('tenantryInstrumentations()', () => {
  it('turns on exactly http (Tenantry\'s server side, upstream\'s client side), undici, pg and ioredis (Tenantry\'s), redis, pino and express by default', () => {
    const packagesOf = (n: string): string[] =>
      n === 'pg' || n === 'ioredis' ? [`@tenantry/instrumentation-${n}`] : n === 'http' ? ['@tenantry/instrumentation-http-server', '@opentelemetry/instrumentation-http'] : [`@opentelemetry/instrumentation-${n}`];
    expect(names([]).sort()).toEqual(DEFAULT_INSTRUMENTATIONS.flatMap(packagesOf).sort());
  });

  it('leaves off a default named in OTEL_NODE_DISABLED_INSTRUMENTATIONS', () => {
    expect(names([], ['pino', 'express'])).not.toContain('@opentelemetry/instrumentation-pino');
    expect(names([], ['pino', 'express'])).toHaveLength(names([]).length - 2);
  });

  it('turns fs, dns and net back on when asked', () => {
    const enabled = names(parseOptionalInstrumentations('fs, dns,net'));
    for (const on of ['fs', 'dns', 'net']) expect(enabled).toContain(`@opentelemetry/instrumentation-${on}`);
  });

  it('turns on any other instrumentation of auto-instrumentations-node by name, and a default one only once', () => {
    const enabled = names(parseOptionalInstrumentations('runtime-node,mongodb,http'));
    expect(enabled).toContain('@opentelemetry/instrumentation-runtime-node');
    expect(enabled).toContain('@opentelemetry/instrumentation-mongodb');
    expect(enabled.filter((n) => n === '@opentelemetry/instrumentation-http')).toHaveLength(1);
  });
});

describe('the HTTP server instrumentation built by tenantryInstrumentations()', () => {
  it('ignores the untraced paths whatever their query string, and scrapes of the Prometheus port', () => {
    built = tenantryInstrumentations({ internalHosts: new InternalHosts([]), enabled: [], prometheusPort: 9464, sendLogs: false, untracedPaths: ['/healthz'], disabled: [], preambleSpans: false, requestDurations });
    const http = built.find((i) => i.instrumentationName === '@tenantry/instrumentation-http-server') as TenantryHttpServerInstrumentation;
    const ignored = (url: string, localPort: number): boolean | undefined => http.getConfig().ignoreIncomingRequest?.({ url, socket: { localPort } } as IncomingMessage);
    expect(ignored('/healthz', 8080)).toBe(true);
    expect(ignored('/healthz?probe=1', 8080)).toBe(true);
    expect(ignored('/healthz/deep', 8080)).toBe(false);
    expect(ignored('/api/projects', 8080)).toBe(false);
    expect(ignored('/metrics', 9464)).toBe(true);
  });
});

describe('parseOptionalInstrumentations()', () => {
  it('reads an unset variable as none', () => {
    expect(parseOptionalInstrumentations(undefined)).toEqual([]);
  });

  it('fails on a name that no instrumentation package has, naming the variable and examples', () => {
    expect(() => parseOptionalInstrumentations('fs,nonsense')).toThrow(
      'TENANTRY_OTEL_ENABLE names "nonsense", which is not an instrumentation of @opentelemetry/auto-instrumentations-node (use package names without "@opentelemetry/instrumentation-", e.g. fs, dns, net, runtime-node)',
    );
  });

  it('refuses a name that would reach outside the instrumentation packages', () => {
    expect(() => parseOptionalInstrumentations('../../catalog')).toThrow('TENANTRY_OTEL_ENABLE names "../../catalog"');
  });
});
