import { getNodeAutoInstrumentations } from '@opentelemetry/auto-instrumentations-node';
import { describe, expect, it } from 'vitest';
import { autoInstrumentationConfig, parseOptionalInstrumentations } from './instrumentations.js';
import { InternalHosts } from './outbound-baggage.js';

const names = (enabled: Parameters<typeof autoInstrumentationConfig>[0]['enabled']): string[] =>
  getNodeAutoInstrumentations(autoInstrumentationConfig({ internalHosts: new InternalHosts([]), enabled, prometheusPort: undefined, sendLogs: false })).map(
    (i) => i.instrumentationName,
  );

describe('autoInstrumentationConfig()', () => {
  it('leaves fs, dns and net off by default and keeps http, undici, pg, ioredis and pino', () => {
    const enabled = names([]);
    for (const off of ['fs', 'dns', 'net']) expect(enabled).not.toContain(`@opentelemetry/instrumentation-${off}`);
    for (const on of ['http', 'undici', 'pg', 'ioredis', 'pino']) expect(enabled).toContain(`@opentelemetry/instrumentation-${on}`);
  });

  it('turns fs, dns and net back on when asked', () => {
    const enabled = names(parseOptionalInstrumentations('fs, dns,net'));
    for (const on of ['fs', 'dns', 'net']) expect(enabled).toContain(`@opentelemetry/instrumentation-${on}`);
  });
});

describe('parseOptionalInstrumentations()', () => {
  it('reads an unset variable as none', () => {
    expect(parseOptionalInstrumentations(undefined)).toEqual([]);
  });

  it('fails on a name that is not optional, naming the variable and the choices', () => {
    expect(() => parseOptionalInstrumentations('fs,http')).toThrow('TENANTRY_OTEL_ENABLE names "http", which is not an optional instrumentation (use fs, dns, net)');
  });
});
